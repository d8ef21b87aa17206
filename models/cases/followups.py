"""回访 (follow-up visits) as records: when, how (电话/上门/当面), which parties were visited, how the
agreement was performed (已履行 / 部分履行 with the amount / 未履行), satisfaction and notes.

The satisfaction goes through the case service's `record` (the one path that sets the case's
回访满意度 and writes its history row), and 不满意 or 未履行 re-opens the case through the stage
table's `reopen` move, exactly as a 不满意 recorded by hand does. A closed case falls due for a
visit `FOLLOW_UP_AFTER` days after its agreement's performance deadline (or after closing when the
agreement sets none); `followups_due` is the mediator's 待回访 list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.agreements import Agreement
from models.cases.entities import Case
from models.cases.record_entities import FollowUp
from models.cases.service import advance_stage, load_case, record
from models.cases.stages import NOT_PERFORMED, PARTLY_PERFORMED, PERFORMANCES, SATISFACTIONS, Stage
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import User
from models.security.permissions import Permission, require

METHODS = ("电话", "上门", "当面")
PARTLY = PARTLY_PERFORMED
DISSATISFIED = "不满意"
NOTES_MAX = 1000
FOLLOW_UP_AFTER = timedelta(days=30)  # the default: a month after performance falls due (or after closing)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FollowUpInput:
    visited_on: date
    method: str
    party_ids: tuple[int, ...]
    performance: str
    satisfaction: str
    performed_amount: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class FollowUpView:
    id: int
    case_id: int
    visited_on: date
    method: str
    parties: tuple[str, ...]
    performance: str
    performed_amount: Decimal | None
    satisfaction: str
    notes: str
    visitor: str
    reopened: bool = False

    @property
    def performance_text(self) -> str:
        if self.performance == PARTLY and self.performed_amount is not None:
            return f"{PARTLY}（已履行{self.performed_amount:,.2f}元）"
        return self.performance


@dataclass(frozen=True)
class DueFollowUp:
    """One line of 待回访: a closed case not yet visited, with the day the visit falls due."""

    case_id: int
    case_number: str
    mediator_id: int | None
    mediator: str
    closed_on: date
    due_on: date
    basis: str  # 履行期限 or 办结日期

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def reopens(performance: str, satisfaction: str) -> bool:
    """不满意 or 未履行 sends the case back to mediation."""
    return satisfaction == DISSATISFIED or performance == NOT_PERFORMED


def record_followup(session: Session, case_id: int, data: FollowUpInput, actor: Actor) -> FollowUpView:
    """Store the visit, record the satisfaction and re-open the case when the visit says so."""
    require(session, actor, Permission.CASE_RECORD)
    case = load_case(session, case_id)
    reopen = reopens(data.performance, data.satisfaction)
    if reopen:  # checked before anything is written: the visit and the re-opening are one action
        require(session, actor, Permission.CASE_ADVANCE)
    problems = check_followup(session, case, data, clock.today())
    if problems:
        raise ValidationFailed("回访记录有误：" + "；".join(problems.values()), problems)
    parties = [p for p in case.parties if p.id in set(data.party_ids)]
    amount = data.performed_amount.quantize(CENT) if data.performance == PARTLY and data.performed_amount else None
    row = FollowUp(case_id=case.id, visited_on=data.visited_on, method=data.method, performance=data.performance,
                   performed_amount=amount, satisfaction=data.satisfaction, notes=data.notes.strip(),
                   visitor_id=actor.user_id, parties=parties)
    session.add(row)
    session.flush()
    summary = f"{data.method}回访{'、'.join(p.name for p in parties)}；履行情况：{_performance(row)}"
    record(session, case.id, "followup_satisfaction", data.satisfaction, actor,
           summary + (f"；{row.notes}" if row.notes else ""))
    if reopen:
        found = [w for w in (data.performance, data.satisfaction) if w in (NOT_PERFORMED, DISSATISFIED)]
        advance_stage(session, case.id, "reopen", actor, f"回访{'、'.join(found)}：{row.notes or summary}")
    return _view(session, row, reopened=reopen)


def check_followup(session: Session, case: Case, data: FollowUpInput, today: date) -> dict[str, str]:
    """Every problem with `data` for `case`, keyed by field (empty when it may be saved)."""
    problems: dict[str, str] = {}
    if case.stage != Stage.CLOSED:
        problems["case"] = f"只有办结的案件才能回访（案件当前处于“{case.stage}”阶段）"
    closed_on = case.closed_at.astimezone(clock.CHINA).date() if case.closed_at else None
    if data.visited_on > today:
        problems["visited_on"] = "回访日期不能晚于今天"
    elif closed_on is not None and data.visited_on < closed_on:
        problems["visited_on"] = f"回访日期不能早于办结日期（{closed_on:%Y-%m-%d}）"
    elif data.visited_on < case.received_date:
        problems["visited_on"] = f"回访日期不能早于受理日期（{case.received_date:%Y-%m-%d}）"
    if data.method not in METHODS:
        problems["method"] = f"请选择回访方式（{'/'.join(METHODS)}）"
    if data.performance not in PERFORMANCES:
        problems["performance"] = f"请选择履行情况（{'/'.join(PERFORMANCES)}）"
    if data.satisfaction not in SATISFACTIONS:
        problems["satisfaction"] = f"请选择满意度（{'/'.join(SATISFACTIONS)}）"
    if not data.party_ids:
        problems["parties"] = "请至少选择一名回访的当事人"
    elif not set(data.party_ids) <= {p.id for p in case.parties}:
        problems["parties"] = "所选当事人不属于本案件"
    if data.performance == PARTLY:
        problem = _amount_problem(session, case, data.performed_amount)
        if problem:
            problems["performed_amount"] = problem
    if len(data.notes.strip()) > NOTES_MAX:
        problems["notes"] = f"回访情况不能超过{NOTES_MAX}个字（现有{len(data.notes.strip())}个字）"
    return problems


def _amount_problem(session: Session, case: Case, amount: Decimal | None) -> str | None:
    if amount is None:
        return "部分履行须填写已履行金额"
    if not amount.is_finite() or amount <= 0:
        return "已履行金额须为大于零的数"
    if amount != amount.quantize(CENT):
        return "已履行金额最多两位小数"
    agreed = session.scalar(select(Agreement.amount).where(Agreement.case_id == case.id).order_by(Agreement.id.desc()))
    if agreed is not None and amount >= agreed:
        return f"已履行金额应少于协议金额（{agreed:,.2f}元）；全部履行请选“已履行”"
    return None


def _performance(row: FollowUp) -> str:
    if row.performance == PARTLY and row.performed_amount is not None:
        return f"{PARTLY}（已履行{row.performed_amount:,.2f}元）"
    return row.performance


def _view(session: Session, row: FollowUp, *, reopened: bool = False) -> FollowUpView:
    visitor = session.get(User, row.visitor_id) if row.visitor_id is not None else None
    return FollowUpView(row.id, row.case_id, row.visited_on, row.method, tuple(p.name for p in row.parties),
                        row.performance, row.performed_amount, row.satisfaction, row.notes,
                        visitor.display_name if visitor is not None else "", reopened)


def case_followups(session: Session, case_id: int) -> tuple[FollowUpView, ...]:
    rows = session.scalars(select(FollowUp).where(FollowUp.case_id == case_id).order_by(FollowUp.visited_on, FollowUp.id))
    return tuple(_view(session, r) for r in rows)


# --- the 待回访 list ----------------------------------------------------------------------------------

def followups_due(session: Session, today: date, *, mediator_id: int | None = None,
                  include_later: bool = False) -> list[DueFollowUp]:
    """Closed cases with an agreement not visited since closing, due by `today` (or all of them with
    `include_later`), earliest first; of one mediator's cases when `mediator_id` is given."""
    visited = exists().where(and_(FollowUp.case_id == Case.id, FollowUp.created_at >= Case.closed_at))
    agreed = exists().where(Agreement.case_id == Case.id)  # a visit checks how an agreement was performed
    query = (select(Case.id, Case.number, Case.mediator_id, User.display_name, Case.closed_at)
             .outerjoin(User, User.id == Case.mediator_id)
             .where(Case.stage == Stage.CLOSED, Case.closed_at.is_not(None), agreed, ~visited))
    if mediator_id is not None:
        query = query.where(Case.mediator_id == mediator_id)
    rows = session.execute(query).all()
    deadlines = _performance_deadlines(session, [r[0] for r in rows])
    due = []
    for case_id, number, mediator, name, closed_at in rows:
        assert closed_at is not None  # filtered in the query
        closed_on = closed_at.astimezone(clock.CHINA).date()
        deadline = deadlines.get(case_id)
        start, basis = (max(deadline, closed_on), "履行期限") if deadline else (closed_on, "办结日期")
        item = DueFollowUp(case_id, number, mediator, name or "", closed_on, start + FOLLOW_UP_AFTER, basis)
        if include_later or item.due_on <= today:
            due.append(item)
    return sorted(due, key=lambda d: (d.due_on, d.case_number))


def _performance_deadlines(session: Session, case_ids: list[int]) -> dict[int, date]:
    """The performance deadline of each case's latest agreement (cases without one are absent)."""
    found: dict[int, date] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        rows = session.execute(select(Agreement.case_id, Agreement.performance_deadline)
                               .where(Agreement.case_id.in_(chunk)).order_by(Agreement.id))
        for case_id, deadline in rows:  # later agreements overwrite earlier ones
            if deadline is not None:
                found[case_id] = deadline
            else:
                found.pop(case_id, None)
    return found
