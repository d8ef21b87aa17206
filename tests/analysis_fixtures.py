"""A hand-counted set of cases for the statistics tests (see the counts in test_analysis_stats)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from models.analysis.prevention import record_prevention
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.service import advance_stage, record, register_case
from models.org.entities import Committee, OrgUnit
from models.workflow.escalation import move_level
from models.workflow.supervision import issue_supervision, reply_supervision
from tests.support.factories import ACTOR, committee, draft, refer


@dataclass
class Fixture:
    committee_id: int
    county: int
    town: int
    village: int
    ids: dict[str, int]


def _unit(session: Session, name: str, level: str, parent: int | None) -> int:
    unit = OrgUnit(name=name, level=level, parent_id=parent)
    session.add(unit)
    session.flush()
    return unit.id


def _case(session: Session, fx: Fixture, name: str, received: date, type_code: str = "02") -> int:
    base = draft(fx.committee_id, received=received, org_unit_id=fx.village)
    desk = session.get_one(Committee, fx.committee_id).desk_id
    ref = register_case(session, replace(base, dispute_type_code=type_code, desk_id=desk), ACTOR)
    fx.ids[name] = ref.id
    return ref.id


def _agree(session: Session, case_id: int, oral: bool, amount: str | None, on: date) -> None:
    refer(session, case_id, ACTOR)
    data = AgreementInput(items=("甲方向乙方赔偿",), signed_on=on, oral=oral, amount=Decimal(amount) if amount else None)
    record_agreement(session, case_id, data, ACTOR)
    advance_stage(session, case_id, "close_mediation", ACTOR)


def build(session: Session) -> Fixture:
    cid = committee(session)
    county = _unit(session, "玉门市", "县", None)
    town = _unit(session, "玉门镇", "乡镇", county)
    village = _unit(session, "代家滩村", "村", town)
    fx = Fixture(cid, county, town, village, {})
    c1 = _case(session, fx, "c1", date(2026, 11, 3))
    _agree(session, c1, False, "1000", date(2026, 11, 4))  # signed after receipt (the service checks it)
    record(session, c1, "followup_satisfaction", "满意", ACTOR)
    c2 = _case(session, fx, "c2", date(2026, 11, 10), "0101")
    move_level(session, c2, town, "村级调解未果，上提镇级", ACTOR)  # escalated 村 → 镇, solved there
    _agree(session, c2, True, None, date(2026, 11, 11))
    record_prevention(session, c2, "防止民转刑", 3, ACTOR, on=date(2026, 11, 12))
    c3 = _case(session, fx, "c3", date(2026, 11, 15))
    refer(session, c3, ACTOR)
    record(session, c3, "mediation_outcome", "调解不成", ACTOR)
    c4 = _case(session, fx, "c4", date(2026, 11, 20))
    advance_stage(session, c4, "reject", ACTOR, "不属于人民调解受理范围")
    order = issue_supervision(session, c1, "黄", "限期化解", date(2026, 11, 12), ACTOR, issued_on=date(2026, 11, 5))
    reply_supervision(session, order.id, "已化解", ACTOR, on=date(2026, 11, 8))
    issue_supervision(session, c3, "红", "加快办理", date(2026, 11, 25), ACTOR, issued_on=date(2026, 11, 18))
    c5 = _case(session, fx, "c5", date(2026, 10, 5))
    _agree(session, c5, False, "500", date(2026, 10, 9))
    _case(session, fx, "c6", date(2025, 11, 12))
    # a year boundary: January 2026 against December 2025 (环比) and January 2025 (同比)
    _case(session, fx, "jan26", date(2026, 1, 15))
    _case(session, fx, "dec25a", date(2025, 12, 20))
    _case(session, fx, "dec25b", date(2025, 12, 31))
    _case(session, fx, "jan25", date(2025, 1, 9))
    return fx
