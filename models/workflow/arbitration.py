"""裁: the three arbitration tracks with their preconditions (rules as data) and clocks.

劳动人事争议 (时效 1 year; award 45 + 15 days; sue within 15 days), 农村土地承包经营 (2 years;
60 + 30; 30 days; not for 征地补偿), 商事 (needs a written arbitration agreement; not for
婚姻/收养/监护/扶养/继承). The clocks are the engine's rules; this module stores the dates
that start and answer them (research §6.1–§6.3; see docs/ARCHITECTURE.md, "Sources")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cases.service import load_case, record
from models.cases.stages import COMMERCIAL_TRACK, LABOUR_TRACK, LAND_TRACK
from models.dto import Actor
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.security.permissions import Permission, require
from models.workflow.deadline_service import DeadlineView, case_deadlines
from models.workflow.entities import ArbitrationRecord


@dataclass(frozen=True)
class TrackRule:
    track: str
    basis: str
    needs_agreement: bool = False
    excluded_types: tuple[tuple[str, str], ...] = ()  # (dispute-type code prefix, why)
    free: bool = True
    clock_prefix: str = ""


TRACK_RULES: dict[str, TrackRule] = {
    LABOUR_TRACK: TrackRule(
        LABOUR_TRACK, "《劳动争议调解仲裁法》第二、二十七、四十三、五十条", clock_prefix="labour_"),
    LAND_TRACK: TrackRule(
        LAND_TRACK, "《农村土地承包经营纠纷调解仲裁法》第二、十八、四十七、四十八条",
        excluded_types=(("08", "因征收集体所有的土地及其补偿发生的纠纷不属于农村土地承包仲裁的受理范围"
                               "（第二条），应引导申请行政复议或者提起诉讼"),),
        clock_prefix="land_"),
    COMMERCIAL_TRACK: TrackRule(
        COMMERCIAL_TRACK, "《仲裁法》第三、四条", needs_agreement=True,
        excluded_types=(("01", "婚姻、收养、监护、扶养、继承纠纷不能仲裁（《仲裁法》第三条）"),), free=False),
}


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
    clocks: tuple[DeadlineView, ...]


def track_blockers(track: str, dispute_type_code: str, has_agreement: bool) -> list[str]:
    """Why a case cannot go to `track` (empty when it can)."""
    rule = TRACK_RULES.get(track)
    if rule is None:
        return [f"未知的仲裁类别：{track}（可选：{'、'.join(TRACK_RULES)}）"]
    found = [why for prefix, why in rule.excluded_types if dispute_type_code.startswith(prefix)]
    if rule.needs_agreement and not has_agreement:
        found.append("商事仲裁须有书面仲裁协议（《仲裁法》第四条），没有仲裁协议的，仲裁委员会不予受理")
    return found


def open_arbitration(
    session: Session, case_id: int, track: str, commission: str, actor: Actor, *, has_agreement: bool = False,
    knew_on: date | None = None, applied_on: date | None = None,
) -> ArbitrationView:
    """Start an arbitration track for a case after checking its preconditions."""
    require(session, actor, Permission.CASE_RECORD)
    case = load_case(session, case_id)
    found = track_blockers(track, case.dispute_type_code, has_agreement)
    if not commission.strip():
        found.append("请填写仲裁委员会")
    if found:
        raise TransitionRefused(f"申请{track}", found)
    if case.arbitration_track != track:
        record(session, case_id, "arbitration_track", track, actor)
    row = ArbitrationRecord(case_id=case_id, track=track, commission=commission.strip(), has_agreement=has_agreement,
                            knew_on=knew_on, applied_on=applied_on)
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
    require(session, actor, Permission.CASE_RECORD)
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
                           row.result, row.sued_on, not rule.free, clocks)
