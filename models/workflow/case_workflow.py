"""Everything of the workflow on one case, for the case view and `case show`: its deadlines (rule,
legal basis, days left, colour and why), its 诉调对接 referral with the 司法确认 countdown, its
arbitration records, 督办单, level and level moves, 会诊 and dispatches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models import clock
from models.cases.entities import Case
from models.deadlines import days_left_text
from models.liaison.service import ReferralView, find_referral
from models.org.entities import OrgUnit
from models.workflow.arbitration import ArbitrationView, case_arbitrations
from models.workflow.deadline_service import DeadlineView, case_deadlines
from models.workflow.dispatch import DispatchView, case_dispatches
from models.workflow.escalation import ConsultationView, LevelMoveView, consultations, level_history
from models.workflow.supervision import SupervisionView, list_supervisions


@dataclass(frozen=True)
class CaseWorkflow:
    case_id: int
    level: str | None  # e.g. "玉门镇（乡镇）"
    deadlines: tuple[DeadlineView, ...]
    referral: ReferralView | None
    arbitrations: tuple[ArbitrationView, ...]
    supervisions: tuple[SupervisionView, ...]
    level_moves: tuple[LevelMoveView, ...]
    consultations: tuple[ConsultationView, ...]
    dispatches: tuple[DispatchView, ...]


def case_workflow(session: Session, case_id: int, today: date | None = None) -> CaseWorkflow:
    today = today or clock.today()
    case = session.get_one(Case, case_id)
    unit = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    return CaseWorkflow(
        case_id=case_id, level=f"{unit.name}（{unit.level}）" if unit else None,
        deadlines=tuple(case_deadlines(session, case_id, today)),
        referral=find_referral(session, case_id, today),
        arbitrations=tuple(case_arbitrations(session, case_id)),
        supervisions=tuple(list_supervisions(session, case_id=case_id, today=today)),
        level_moves=tuple(level_history(session, case_id)), consultations=tuple(consultations(session, case_id)),
        dispatches=tuple(case_dispatches(session, case_id)),
    )


def describe_workflow(w: CaseWorkflow) -> list[str]:
    """A few lines for the case view and `case show`: level, referral step and countdown, arbitration,
    dispatches, 督办单 and 会诊."""
    lines = [f"层级：{w.level or '—'}" + (f"　（上提/下沉 {len(w.level_moves)} 次）" if w.level_moves else "")]
    if w.referral:
        r = w.referral
        line = f"诉调对接：{r.kind}　当前步骤：{r.step}"
        if r.confirmation_days_left is not None:
            line += f"　司法确认申请期限 {r.confirmation_due}（{days_left_text(r.confirmation_days_left)}）"
        lines.append(line)
    for a in w.arbitrations:
        lines.append(f"仲裁：{a.track}·{a.commission}　申请 {a.applied_on or '—'}　受理 {a.accepted_on or '—'}"
                     f"　裁决 {a.award_on or '—'}　送达 {a.award_served_on or '—'}")
    for d in w.dispatches:
        people = "、".join(f"{t.role}:{t.unit_name}{('/' + t.person) if t.person else ''}" for t in d.targets)
        lines.append(f"派单{d.id}：{d.status}　{people}")
    for o in w.supervisions:
        state = "已回复" if o.reply else ("回复已超期" if o.overdue_reply else "待回复")
        lines.append(f"{o.number}（{o.level}）：{state}，限 {o.reply_due} 前回复")
    for c in w.consultations:
        lines.append(f"会诊 {c.held_on}：{'、'.join(c.departments)}　{c.conclusion or c.topic}")
    return lines
