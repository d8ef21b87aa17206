"""Use cases on a case: register it with its parties, record outcomes, move it along the stage
table. Every function takes the caller's session and never commits (one user action = one
unit of work, committed by the caller)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.cases import mediators, numbering, search
from models.cases.catalog import MASS_INCIDENT_THRESHOLD, PARTY_SIDES, RISK_COLOURS, SOURCE_CHANNELS, DisputeType
from models.cases.entities import Agent, Case, Dispatch, Party, StageEvent
from models.cases.outcomes import BY_FIELD, stage_problem
from models.cases.record_entities import FollowUp
from models.cases.stages import BY_ACTION, NOT_PERFORMED, CaseFacts, Stage, blockers
from models.cases.voiding import refuse_if_voided
from models.deadlines import COMPLEXITIES
from models.dto import Actor, CaseDraft, CaseRef, PartyInput
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.org.entities import Committee
from models.security.permissions import Permission, action_permission, require, require_on_case
from models.validation import stored
from models.validation.stored import Problems
from models.validation.stored import text as stored_text
from models.workflow.dispatch_states import CLOSED_DISPATCH_STATES
from models.workflow.entities import ArbitrationRecord

SIDES = PARTY_SIDES
COURT_SOURCES = ("法院委派", "法院委托")  # a court-referred case enters at 调 (DOMAIN §3; see docs/ARCHITECTURE.md, "Sources")


def register_case(session: Session, draft: CaseDraft, actor: Actor) -> CaseRef:
    """Number and store a new case with its parties; the registering user is its 首问 person."""
    require(session, actor, Permission.CASE_REGISTER)
    draft, committee = _check_draft(session, draft)
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
        mass_incident=people >= MASS_INCIDENT_THRESHOLD, summary=draft.summary,
        facts=draft.facts, claims=draft.claims, stage=stage, received_date=draft.received_date,
        mediator_id=draft.mediator_id, first_handler_id=actor.user_id, registered_by_id=actor.user_id,
        parties=[_party(p, i) for i, p in enumerate(draft.parties)],
    )
    case.events.append(_event("register", None, stage, actor, "登记"))
    session.add(case)
    session.flush()
    search.index_case(session, case)
    return CaseRef(case.id, case.number, case.stage)


def _check_draft(session: Session, draft: CaseDraft) -> tuple[CaseDraft, Committee]:
    """The draft as the intake form would have stored it, or every problem in one ValidationFailed
    with the form's own messages (models/validation/stored.py)."""
    problems = Problems()
    committee = session.get(Committee, draft.committee_id)
    if committee is None:
        problems.add("committee_id", "请选择调解组织")
    if draft.source_channel not in SOURCE_CHANNELS:
        problems.add("source_channel", f"未知的来源渠道：{draft.source_channel}")
    if session.get(DisputeType, draft.dispute_type_code) is None:
        problems.add("dispute_type_code", f"未知的纠纷类型代码：{draft.dispute_type_code}")
    cleaned = replace(
        draft,
        summary=stored.text(problems, "summary", draft.summary, required=True) or "",
        facts=stored.text(problems, "facts", draft.facts) or "",
        claims=stored.text(problems, "claims", draft.claims) or "",
        amount=stored.amount(problems, "amount", draft.amount),
        people_involved=stored.count(problems, "people_involved", draft.people_involved, label="涉及人数"),
        risk_colour=stored.choice(problems, "risk_colour", draft.risk_colour, RISK_COLOURS, "风险等级"),
        complexity=stored.choice(problems, "complexity", draft.complexity, COMPLEXITIES, "复杂程度") or "一般",
        parties=tuple(stored.party(problems, p, i, SIDES) for i, p in enumerate(draft.parties)),
    )
    if draft.received_date is None:
        problems.add("received_date", "请填写受理日期")
    stored.day(problems, "received_date", draft.received_date, "受理日期")
    if not draft.parties:
        problems.add("parties", "至少需要一名当事人")
    problems.raise_if_any("登记信息有误：")
    assert committee is not None
    return cleaned, committee


def _party(data: PartyInput, ordinal: int) -> Party:
    fields = {k: v for k, v in vars(data).items() if k != "agents"}
    party = Party(ordinal=ordinal, **fields)
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
        has_mediator=case.mediator_id is not None, risk_colour=case.risk_colour, has_leader=case.leader_id is not None,
        dossier_missing=_dossier_missing(session, case),
        **_arbitration_facts(session, case),
    )


def _dossier_missing(session: Session, case: Case) -> tuple[str, ...]:
    """The 卷宗 checklist's missing items, read only where 归档 is the next move (办结)."""
    if case.stage != Stage.CLOSED:
        return ()
    from models.casefile.checklist import missing_items  # the case file builds on this module

    return tuple(missing_items(session, case))
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


def advance_stage(
    session: Session, case_id: int, action: str, actor: Actor, reason: str = "", *,
    mediator_id: int | None = None, co_mediator_ids: Sequence[int] = (),
) -> CaseRef:
    """Apply `action` from the transition table or raise TransitionRefused with every blocker.

    诊→调 (refer_mediation) records the mediator and any co-mediators chosen from the centre's
    mediators; it is refused when the case has none and none is given."""
    case = load_case(session, case_id)
    require_on_case(session, actor, action_permission(action), case)
    transition = BY_ACTION.get(action)
    refuse_if_voided(case, transition.label if transition else action)
    if mediator_id is not None and (transition is None or transition.target != Stage.MEDIATE):
        raise ValidationFailed("只有转入调解（诊→调、重新调解）时才能指定调解员", {"mediator": "此操作不指定调解员"})
    chosen = mediators.check_choice(session, mediator_id, co_mediator_ids) if mediator_id is not None else None
    facts = case_facts(session, case)
    if chosen is not None:
        facts = replace(facts, has_mediator=True)
    found = blockers(facts, action, reason)
    if found or transition is None:
        raise TransitionRefused(transition.label if transition else action, found)
    if chosen is not None:
        mediators.assign(session, case, chosen)
        reason = "；".join(filter(None, [reason.strip(), mediators.describe(session, case)]))
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


def record(session: Session, case_id: int, field: str, value: str, actor: Actor, note: str = "") -> None:
    """Record one outcome (调解结果, 仲裁类别/结果, 法院结果, 回访满意度) with an event row, at a stage
    the outcome table (models/cases/outcomes.py) allows for that value."""
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.CASE_RECORD, case)
    outcome = BY_FIELD.get(field)
    if outcome is None:
        raise ValidationFailed(f"不能记录的字段：{field}")
    if outcome.choice(value) is None:
        allowed = "、".join(outcome.values)
        raise ValidationFailed(f"{outcome.label}无效：{value}（可选：{allowed}）", {field: f"请选择{outcome.label}"})
    problems = Problems()
    checked_note = stored_text(problems, "note", note) or ""
    problems.raise_if_any()
    refuse_if_voided(case, f"记录{outcome.label}")
    problem = stage_problem(outcome, value, case.stage)
    if problem:
        raise TransitionRefused(f"记录{outcome.label}“{value}”", [problem])
    setattr(case, field, value)
    if field == "mediation_outcome":
        case.outcome_note = checked_note or case.outcome_note
    reason = f"{outcome.label}：{value}" + (f"；{checked_note}" if checked_note else "")
    case.events.append(_event(outcome.action, case.stage, case.stage, actor, reason))
    session.flush()
