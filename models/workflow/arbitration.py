"""裁: the arbitration records of a case (commission, application, acceptance, award, service) and
their clocks; each track's preconditions are in models.cases.arbitration_tracks.

劳动人事争议 (时效 1 year; award 45 + 15 days; sue within 15 days), 农村土地承包经营 (2 years;
60 + 30; 30 days; not for 征地补偿), 商事 (needs a written arbitration agreement; not for
婚姻/收养/监护/扶养/继承). The clocks are the engine's rules; this module stores the dates
that start and answer them (research §6.1–§6.3; see docs/ARCHITECTURE.md, "Sources")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.arbitration_tracks import TRACK_RULES, track_blockers
from models.cases.service import load_case, record
from models.dto import Actor
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.security.permissions import Permission, require_on_case, require_on_case_id
from models.workflow.deadline_service import DeadlineView, case_deadlines
from models.workflow.entities import ArbitrationRecord


@dataclass(frozen=True)
class ArbitrationView:
    id: int
    case_id: int
    track: str
    commission: str
    has_agreement: bool
    knew_on: date | None
    applied_on: date | None
    accepted_on: date | None
    case_number: str | None
    award_on: date | None
    award_served_on: date | None
    result: str | None
    sued_on: date | None
    fee_charged: bool
    employment_relation: bool
    clocks: tuple[DeadlineView, ...]


def open_arbitration(
    session: Session, case_id: int, track: str, commission: str, actor: Actor, *, has_agreement: bool = False,
    knew_on: date | None = None, applied_on: date | None = None, employment_relation: bool = False,
) -> ArbitrationView:
    """Start an arbitration track for a case after checking its preconditions."""
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.CASE_RECORD, case)
    found = track_blockers(track, case.dispute_type_code, has_agreement, employment_relation)
    if not commission.strip():
        found.append("请填写仲裁委员会")
    if found:
        raise TransitionRefused(f"申请{track}", found)
    if case.arbitration_track != track:
        record(session, case_id, "arbitration_track", track, actor)
    row = ArbitrationRecord(case_id=case_id, track=track, commission=commission.strip(), has_agreement=has_agreement,
                            employment_relation=employment_relation, knew_on=knew_on, applied_on=applied_on)
    session.add(row)
    return _saved(session, row)


def _saved(session: Session, row: ArbitrationRecord) -> ArbitrationView:
    session.flush()  # the deadline hook re-syncs the case's clocks
    return arbitration_view(session, row.id)


def _load(session: Session, record_id: int) -> ArbitrationRecord:
    row = session.get(ArbitrationRecord, record_id)
    if row is None:
        raise NotFound(f"仲裁记录不存在（编号 {record_id}）")
    return row


def update_arbitration(session: Session, record_id: int, actor: Actor, **dates: date | str | None) -> ArbitrationView:
    """Record the dates and results as they happen: applied_on, accepted_on, case_number, award_on,
    award_served_on, result, sued_on."""
    require_on_case_id(session, actor, Permission.CASE_RECORD, _load(session, record_id).case_id)
    allowed = {"applied_on", "accepted_on", "case_number", "award_on", "award_served_on", "result", "sued_on", "knew_on"}
    unknown = set(dates) - allowed
    if unknown:
        raise ValidationFailed(f"未知的仲裁字段：{'、'.join(sorted(unknown))}")
    row = _load(session, record_id)
    for key, value in dates.items():
        setattr(row, key, value)
    if row.accepted_on and row.applied_on and row.accepted_on < row.applied_on:
        raise ValidationFailed("受理日期不能早于申请日期")
    return _saved(session, row)


def arbitration_view(session: Session, record_id: int) -> ArbitrationView:
    row = _load(session, record_id)
    rule = TRACK_RULES[row.track]
    clocks = tuple(d for d in case_deadlines(session, row.case_id)
                   if rule.clock_prefix and d.rule_code.startswith(rule.clock_prefix))
    return ArbitrationView(row.id, row.case_id, row.track, row.commission, row.has_agreement, row.knew_on,
                           row.applied_on, row.accepted_on, row.case_number, row.award_on, row.award_served_on,
                           row.result, row.sued_on, not rule.free, row.employment_relation, clocks)


def case_arbitrations(session: Session, case_id: int) -> list[ArbitrationView]:
    ids = session.scalars(select(ArbitrationRecord.id).where(ArbitrationRecord.case_id == case_id)
                          .order_by(ArbitrationRecord.id))
    return [arbitration_view(session, i) for i in ids]
