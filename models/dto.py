"""Plain frozen dataclasses crossing the service boundary: inputs the forms/CLI build, and the
rows and details the queries return. ORM objects never leave models/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Actor:
    """Who performs an action, at which desk (recorded on every event)."""

    user_id: int | None = None
    desk_id: int | None = None


@dataclass(frozen=True)
class AgentInput:
    kind: str  # 委托代理人 | 法定代理人
    name: str
    unit: str | None = None
    authority: str | None = None  # 一般代理 | 特别授权
    phone: str | None = None
    id_number: str | None = None
    license_no: str | None = None  # 律师执业证号


@dataclass(frozen=True)
class PartyInput:
    side: str  # 申请方 | 被申请方 | 第三方
    name: str
    kind: str = "自然人"  # 自然人 | 组织
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: date | None = None
    occupation: str | None = None
    address: str | None = None
    phone: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    uscc: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    agents: tuple[AgentInput, ...] = ()


@dataclass(frozen=True)
class CaseDraft:
    committee_id: int
    source_channel: str
    dispute_type_code: str
    summary: str
    received_date: date
    parties: tuple[PartyInput, ...]
    desk_id: int | None = None
    org_unit_id: int | None = None
    facts: str = ""
    claims: str = ""
    risk_colour: str | None = None
    complexity: str = "一般"
    amount: Decimal | None = None
    people_involved: int | None = None
    mediator_id: int | None = None


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str
    stage: str


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    number: str
    received_date: date
    stage: str
    desk: str
    dispute_type: str
    risk_colour: str | None
    summary: str
    parties: str
    voided: bool = False  # 作废: still listed and found, shown with the mark "已作废"


@dataclass(frozen=True)
class Page:
    rows: tuple[CaseRow, ...]
    next_cursor: tuple | None


@dataclass(frozen=True)
class AgentView:
    kind: str
    name: str
    unit: str | None
    authority: str | None
    phone: str | None
    id_number: str | None = None
    license_no: str | None = None


@dataclass(frozen=True)
class PartyView:
    id: int
    side: str
    kind: str
    name: str
    sex: str | None
    ethnicity: str | None
    birth_date: date | None
    occupation: str | None
    address: str | None
    phone: str | None
    id_type: str | None
    id_number: str | None
    uscc: str | None
    legal_rep: str | None
    legal_rep_title: str | None
    agents: tuple[AgentView, ...] = ()


@dataclass(frozen=True)
class EventView:
    at: datetime
    action: str
    from_stage: str | None
    to_stage: str
    user: str | None
    desk: str | None
    reason: str
    day_only: bool = False  # a step known by its day only (court dates, replies): shown without a time


@dataclass(frozen=True)
class CaseDetail:
    id: int
    number: str
    version: int
    committee: str
    desk: str | None
    org_unit: str | None
    source_channel: str
    dispute_type_code: str
    dispute_type: str
    risk_colour: str | None
    complexity: str
    amount: Decimal | None
    people_involved: int
    mass_incident: bool
    summary: str
    facts: str
    claims: str
    stage: str
    received_date: date
    registered_at: datetime
    first_handler: str | None
    mediator: str | None
    mediation_outcome: str | None
    arbitration_track: str | None
    arbitration_result: str | None
    court_outcome: str | None
    followup_satisfaction: str | None
    parties: tuple[PartyView, ...]
    events: tuple[EventView, ...]
    allowed_actions: tuple[tuple[str, str], ...] = field(default=())
    voided_at: datetime | None = None  # 作废, with its reason
    void_reason: str | None = None
    co_mediators: str | None = None  # 协助调解员, "、"-joined
    leader: str | None = None  # 包案领导
