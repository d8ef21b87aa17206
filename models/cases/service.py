"""Use cases on a case: register it with its parties, record outcomes, move it along the stage
table. Every function takes the caller's session and never commits (one user action = one
unit of work, committed by the caller)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.cases import numbering, search
from models.cases.catalog import MASS_INCIDENT_THRESHOLD, PARTY_SIDES, SOURCE_CHANNELS, DisputeType
from models.cases.entities import Agent, Case, Dispatch, Party, StageEvent
from models.cases.record_entities import FollowUp
from models.cases.stages import (
    ARBITRATION_RESULTS,
    ARBITRATION_TRACKS,
    BY_ACTION,
    COURT_OUTCOMES,
    MEDIATION_OUTCOMES,
    NOT_PERFORMED,
    SATISFACTIONS,
    CaseFacts,
    Stage,
    blockers,
)
from models.dto import Actor, CaseDraft, CaseRef, PartyInput
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.org.entities import Committee
from models.security.permissions import Permission, require
from models.workflow.dispatch_states import CLOSED_DISPATCH_STATES
from models.workflow.entities import ArbitrationRecord

SIDES = PARTY_SIDES
COURT_SOURCES = ("法院委派", "法院委托")  # a court-referred case enters at 调 (DOMAIN §3; see docs/ARCHITECTURE.md, "Sources")


def register_case(session: Session, draft: CaseDraft, actor: Actor) -> CaseRef:
    """Number and store a new case with its parties; the registering user is its 首问 person."""
    require(session, actor, Permission.CASE_REGISTER)
    committee = _check_draft(session, draft)
    year = draft.received_date.year
    seq = numbering.next_value(session, committee.id, year)
    stage = Stage.MEDIATE if draft.source_channel in COURT_SOURCES else Stage.DIAGNOSE
    people = draft.people_involved or len(draft.parties)
    case = Case(
        number=numbering.format_number(committee.number_pattern, committee.code, year, seq),
        committee_id=committee.id, year=year, seq=seq, desk_id=draft.desk_id or actor.desk_id,
        org_unit_id=draft.org_unit_id, source_channel=draft.source_channel,
        dispute_type_code=draft.dispute_type_code, risk_colour=draft.risk_colour,
        complexity=draft.complexity, amount=draft.amount, people_involved=people,
        mass_incident=people >= MASS_INCIDENT_THRESHOLD, summary=draft.summary.strip(),
        facts=draft.facts, claims=draft.claims, stage=stage, received_date=draft.received_date,
        mediator_id=draft.mediator_id, first_handler_id=actor.user_id, registered_by_id=actor.user_id,
        parties=[_party(p, i) for i, p in enumerate(draft.parties)],
    )
    case.events.append(_event("register", None, stage, actor, "登记"))
    session.add(case)
    session.flush()
    search.index_case(session, case)
    return CaseRef(case.id, case.number, case.stage)


def _check_draft(session: Session, draft: CaseDraft) -> Committee:
    problems: dict[str, str] = {}
    committee = session.get(Committee, draft.committee_id)
    if committee is None:
        problems["committee_id"] = "请选择调解组织"
    if draft.source_channel not in SOURCE_CHANNELS:
        problems["source_channel"] = f"未知的来源渠道：{draft.source_channel}"
    if session.get(DisputeType, draft.dispute_type_code) is None:
        problems["dispute_type_code"] = f"未知的纠纷类型代码：{draft.dispute_type_code}"
    if not draft.summary.strip():
        problems["summary"] = "请填写纠纷简要情况"
    if not draft.parties:
        problems["parties"] = "至少需要一名当事人"
    for i, party in enumerate(draft.parties):
        if not party.name.strip():
            problems[f"parties.{i}.name"] = f"第{i + 1}名当事人未填写姓名或名称"
        if party.side not in SIDES:
            problems[f"parties.{i}.side"] = f"第{i + 1}名当事人的身份无效：{party.side}"
    if problems:
        raise ValidationFailed("登记信息有误：" + "；".join(problems.values()), problems)
    assert committee is not None
    return committee


def _party(data: PartyInput, ordinal: int) -> Party:
    fields = {k: v for k, v in vars(data).items() if k != "agents"}
    party = Party(ordinal=ordinal, **fields)
    party.name = party.name.strip()
    party.agents = [Agent(**vars(a)) for a in data.agents]
    return party


def _event(action: str, source: str | None, target: str, actor: Actor, reason: str) -> StageEvent:
    return StageEvent(
        action=action, from_stage=source, to_stage=target, user_id=actor.user_id, desk_id=actor.desk_id,
        reason=reason,
    )


def load_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    return case


def find_case_id(session: Session, number: str) -> int:
    """Case id by its number; accepts the number with stray spaces or full-width digits."""
    wanted = search.normalise_query(number)
    found = session.scalar(select(Case.id).where(Case.number == wanted))
    if found is None:
        raise NotFound(f"找不到案件：{number}")
    return found


def case_facts(session: Session, case: Case) -> CaseFacts:
    open_dispatches = session.scalar(
        select(func.count()).select_from(Dispatch).where(Dispatch.case_id == case.id, Dispatch.status.not_in(CLOSED_DISPATCH_STATES))
    )
    return CaseFacts(
        stage=case.stage,
        applicants=sum(1 for p in case.parties if p.side == "申请方"),
        respondents=sum(1 for p in case.parties if p.side == "被申请方"),
        dispute_type_code=case.dispute_type_code,
        mediation_outcome=case.mediation_outcome,
        arbitration_track=case.arbitration_track,
        arbitration_result=case.arbitration_result,
        court_outcome=case.court_outcome,
        followup_satisfaction=case.followup_satisfaction,
        followup_unperformed=_unperformed(session, case),
        open_dispatches=int(open_dispatches or 0),
        **_arbitration_facts(session, case),
    )


def _unperformed(session: Session, case: Case) -> bool:
    """Whether the last 回访 since closing found the agreement not performed (re-opens the case)."""
    if case.stage != Stage.CLOSED or case.closed_at is None:
        return False
    last = session.scalars(select(FollowUp.performance).where(FollowUp.case_id == case.id,
                                                              FollowUp.created_at >= case.closed_at)
                           .order_by(FollowUp.id.desc())).first()
    return last == NOT_PERFORMED


def _arbitration_facts(session: Session, case: Case) -> dict[str, bool]:
    """Whether the recorded application for the chosen track has an agreement / employment relation."""
    query = select(ArbitrationRecord.has_agreement, ArbitrationRecord.employment_relation).where(
        ArbitrationRecord.case_id == case.id, ArbitrationRecord.track == (case.arbitration_track or ""))
    rows = session.execute(query).all()
    return {"arbitration_agreement": any(r[0] for r in rows), "employment_relation": any(r[1] for r in rows)}


def advance_stage(session: Session, case_id: int, action: str, actor: Actor, reason: str = "") -> CaseRef:
    """Apply `action` from the transition table or raise TransitionRefused with every blocker."""
    require(session, actor, Permission.CASE_ADVANCE)
    case = load_case(session, case_id)
    found = blockers(case_facts(session, case), action, reason)
    transition = BY_ACTION.get(action)
    if found or transition is None:
        raise TransitionRefused(transition.label if transition else action, found)
    case.events.append(_event(action, case.stage, transition.target, actor, reason.strip()))
    case.stage = transition.target
    if transition.target == Stage.CLOSED:
        case.closed_at = utcnow()
    if action == "reject":
        case.rejection_reason = reason.strip()
    if action == "reopen":
        case.followup_satisfaction = None
        case.mediation_outcome = None
    session.flush()
    return CaseRef(case.id, case.number, case.stage)


_OUTCOME_FIELDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "mediation_outcome": ("调解结果", MEDIATION_OUTCOMES, "record_outcome"),
    "arbitration_track": ("仲裁类别", ARBITRATION_TRACKS, "choose_track"),
    "arbitration_result": ("仲裁结果", ARBITRATION_RESULTS, "record_award"),
    "court_outcome": ("法院处理结果", COURT_OUTCOMES, "record_court_outcome"),
    "followup_satisfaction": ("回访满意度", SATISFACTIONS, "record_followup"),
}


def record(session: Session, case_id: int, field: str, value: str, actor: Actor, note: str = "") -> None:
    """Record one outcome-like fact (调解结果, 仲裁类别/结果, 法院结果, 回访满意度) with an event row."""
    require(session, actor, Permission.CASE_RECORD)
    label, allowed, action = _OUTCOME_FIELDS[field]
    if value not in allowed:
        raise ValidationFailed(f"{label}无效：{value}（可选：{'、'.join(allowed)}）", {field: f"请选择{label}"})
    case = load_case(session, case_id)
    setattr(case, field, value)
    if field == "mediation_outcome":
        case.outcome_note = note or case.outcome_note
    case.events.append(_event(action, case.stage, case.stage, actor, f"{label}：{value}" + (f"；{note}" if note else "")))
    session.flush()
