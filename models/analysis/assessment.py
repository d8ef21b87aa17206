"""考核: desks, mediators, grid workers and dispatch departments measured on quantity, quality and
timeliness for a period, scored with the centre's weights and ranked; the ranking exports to XLSX.

Indicators (each defined once in INDICATORS): cases handled; on-time rate; re-opened after 不满意;
督办 received; satisfaction; feedback time on dispatches. A subject's score is the weighted mean
of its indicators scaled 0–1 across the subjects ranked together (more is better for handled,
on-time and satisfaction; less is better for re-opened, 督办 and feedback time)."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from models import clock
from models.analysis.entities import AssessmentWeight
from models.analysis.scope import StatQuery, case_conditions, scope_conditions
from models.cases.entities import Case, Dispatch, DispatchTarget, StageEvent
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Desk, Role, User
from models.security.permissions import Permission, require
from models.workflow.dispatch_states import SATISFIED
from models.workflow.entities import CaseDeadline, DispatchEvent, SupervisionOrder


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    higher_is_better: bool
    default_weight: int


INDICATORS: tuple[Indicator, ...] = (
    Indicator("handled", "办理件数", True, 20),
    Indicator("on_time_rate", "按期办结率", True, 25),
    Indicator("reopened", "不满意重办件数", False, 10),
    Indicator("supervised", "被督办件数", False, 10),
    Indicator("satisfaction", "满意率", True, 25),
    Indicator("feedback_days", "派单平均反馈天数", False, 10),
)
SUBJECTS = {"desk": "窗口", "mediator": "调解员", "grid": "网格员", "department": "派单部门"}


@dataclass(frozen=True)
class Ranked:
    rank: int
    name: str
    values: dict[str, float | None]
    score: float


# --- weights -------------------------------------------------------------------------------


def weights(session: Session) -> dict[str, Decimal]:
    stored = {w.indicator: w.weight for w in session.scalars(select(AssessmentWeight))}
    return {i.key: Decimal(stored.get(i.key, i.default_weight)) for i in INDICATORS}


def set_weights(session: Session, actor: Actor, changes: dict[str, str]) -> dict[str, Decimal]:
    """Change some weights (0–100 each, not all zero); needs 修改考核权重 (the centre's administrator)."""
    require(session, actor, Permission.ASSESSMENT_EDIT)
    known = {i.key: i for i in INDICATORS}
    problems, parsed = [], {}
    for key, raw in changes.items():
        if key not in known:
            problems.append(f"未知的考核指标：{key}（可选：{'、'.join(known)}）")
            continue
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            value = Decimal(-1)
        if not Decimal(0) <= value <= Decimal(100):
            problems.append(f"{known[key].label}的权重应为 0–100 的数：{raw}")
        parsed[key] = value
    if not problems and not any({**weights(session), **parsed}.values()):
        problems.append("权重不能全部为 0")
    if problems:
        raise ValidationFailed("；".join(problems))
    for key, value in parsed.items():
        row = session.get(AssessmentWeight, key)
        if row is None:
            session.add(AssessmentWeight(indicator=key, weight=value))
        else:
            row.weight = value
    session.flush()
    return weights(session)


# --- measuring -----------------------------------------------------------------------------

CASE_SUBJECTS: dict[str, Any] = {"desk": Case.desk_id, "mediator": Case.mediator_id, "grid": Case.registered_by_id}


def measure(session: Session, query: StatQuery, by: str) -> dict[str, dict[str, float | None]]:
    """Indicator values per subject name."""
    if by not in SUBJECTS:
        raise ValidationFailed(f"未知的考核对象：{by}（可选：{'、'.join(SUBJECTS)}）")
    if by == "department":
        return _departments(session, query)
    subject = CASE_SUBJECTS[by]
    where = [*case_conditions(session, query), subject.is_not(None)]
    if by == "grid":
        where.append(subject.in_(select(User.id).where(User.role == Role.GRID_WORKER.value)))
    names = _names(session, by)
    found: dict[str, dict[str, float | None]] = {}
    for key, values in _case_values(session, query, subject, where).items():
        found[names.get(key, str(key))] = values
    return found


def _names(session: Session, by: str) -> dict[int, str]:
    if by == "desk":
        return {i: n for i, n in session.execute(select(Desk.id, Desk.name))}
    return {i: n for i, n in session.execute(select(User.id, User.display_name))}


def _case_values(session: Session, query: StatQuery, subject: Any, where: list[ColumnElement[bool]]) -> dict[int, dict[str, float | None]]:
    reopened = select(StageEvent.case_id).where(StageEvent.action == "reopen").distinct()
    base = select(subject, func.count(), func.sum(case((Case.id.in_(reopened), 1), else_=0)),
                  func.sum(case((Case.followup_satisfaction.is_not(None), 1), else_=0)),
                  func.sum(case((Case.followup_satisfaction.in_(SATISFIED), 1), else_=0))).where(*where).group_by(subject)
    rows = {k: [int(v or 0) for v in vals] for k, *vals in session.execute(base)}
    deadlines = select(subject, func.sum(case((CaseDeadline.completed_on <= CaseDeadline.due_date, 1), else_=0)),
                       func.count()).select_from(CaseDeadline).join(Case, Case.id == CaseDeadline.case_id).where(
        *where, CaseDeadline.completed_on.is_not(None)).group_by(subject)
    on_time = {k: (int(a or 0), int(b)) for k, a, b in session.execute(deadlines)}
    orders = select(subject, func.count()).select_from(SupervisionOrder).join(Case, Case.id == SupervisionOrder.case_id).where(
        *scope_conditions(session, query.scope), subject.is_not(None),
        SupervisionOrder.issued_on.between(query.period.start, query.period.end)).group_by(subject)
    supervised = {k: int(n) for k, n in session.execute(orders)}
    found = {}
    for key in set(rows) | set(supervised):
        handled, reopened_n, followed, satisfied = rows.get(key, [0, 0, 0, 0])
        good, done = on_time.get(key, (0, 0))
        found[key] = {"handled": handled, "on_time_rate": good / done if done else None, "reopened": reopened_n,
                      "supervised": supervised.get(key, 0), "satisfaction": satisfied / followed if followed else None,
                      "feedback_days": None}
    return found


def _departments(session: Session, query: StatQuery) -> dict[str, dict[str, float | None]]:
    """Dispatch departments (主办/协办 targets) on the dispatches made in the period."""
    start = datetime.combine(query.period.start, time.min, tzinfo=clock.CHINA)
    end = datetime.combine(query.period.end, time.max, tzinfo=clock.CHINA)
    targets = (select(DispatchTarget.unit_name, Dispatch.id, Dispatch.created_at, DispatchTarget.deadline)
               .join(Dispatch, Dispatch.id == DispatchTarget.dispatch_id).join(Case, Case.id == Dispatch.case_id)
               .where(*scope_conditions(session, query.scope), DispatchTarget.role.in_(("主办", "协办")),
                      Dispatch.created_at.between(start, end)))
    rows = session.execute(targets).all()
    events = _dispatch_events(session, [r[1] for r in rows])
    per: dict[str, list[Any]] = defaultdict(list)
    for unit, dispatch_id, created, deadline in rows:
        per[unit].append((created, deadline, events.get(dispatch_id, [])))
    return {unit: _department_values(items) for unit, items in per.items()}


def _dispatch_events(session: Session, ids: list[int]) -> dict[int, list[tuple[str, datetime, str | None]]]:
    found: dict[int, list[tuple[str, datetime, str | None]]] = defaultdict(list)
    for chunk in range(0, len(ids), 5000):
        stmt = (select(DispatchEvent.dispatch_id, DispatchEvent.action, DispatchEvent.at, DispatchEvent.satisfaction)
                .where(DispatchEvent.dispatch_id.in_(ids[chunk:chunk + 5000])).order_by(DispatchEvent.id))
        for dispatch_id, action, at, satisfaction in session.execute(stmt):
            found[dispatch_id].append((action, at, satisfaction))
    return found


def _department_values(items: list[Any]) -> dict[str, float | None]:
    fed_back, on_time, days, reopened, rated, satisfied = 0, 0, [], 0, 0, 0
    for created, deadline, events in items:
        first = next((at for action, at, _ in events if action == "feedback"), None)
        if first is not None:
            fed_back += 1
            days.append((first - created).total_seconds() / 86400)
            on_time += deadline is None or first.date() <= deadline
        reopened += any(action == "reopen" for action, _, _ in events)
        for _action, _at, satisfaction in events:
            if satisfaction:
                rated += 1
                satisfied += satisfaction in SATISFIED
    return {"handled": len(items), "on_time_rate": on_time / fed_back if fed_back else None, "reopened": reopened,
            "supervised": 0, "satisfaction": satisfied / rated if rated else None,
            "feedback_days": sum(days) / len(days) if days else None}


# --- scoring -------------------------------------------------------------------------------


def ranking(session: Session, actor: Actor, query: StatQuery, by: str) -> list[Ranked]:
    """Subjects ranked by weighted score (0–100); needs 查看统计分析."""
    require(session, actor, Permission.STATS_VIEW)
    return score(measure(session, query, by), weights(session))


def score(values: dict[str, dict[str, float | None]], weight: dict[str, Decimal]) -> list[Ranked]:
    total = float(sum(weight.values())) or 1.0
    scaled = {i.key: _scale(values, i) for i in INDICATORS}
    scored = [(name, 100 * sum(float(weight[i.key]) * scaled[i.key][name] for i in INDICATORS) / total)
              for name in values]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return [Ranked(n + 1, name, values[name], round(s, 1)) for n, (name, s) in enumerate(scored)]


def _scale(values: dict[str, dict[str, float | None]], indicator: Indicator) -> dict[str, float]:
    """0–1 across the subjects; a subject without a value (no follow-ups, say) scores 0.5 there."""
    present = [raw for v in values.values() if (raw := v[indicator.key]) is not None]
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    found = {}
    for name, v in values.items():
        raw = v[indicator.key]
        if raw is None or high == low:
            found[name] = 0.5 if raw is None else 1.0
            continue
        share = (raw - low) / (high - low)
        found[name] = share if indicator.higher_is_better else 1 - share
    return found


def ranking_xlsx(ranked: list[Ranked], title: str) -> bytes:
    """The ranking as an XLSX workbook (openpyxl write-only)."""
    from openpyxl import Workbook  # loaded on first export

    book = Workbook(write_only=True)
    sheet = book.create_sheet("考核排名")
    sheet.append([title])
    sheet.append(["名次", "对象", *(i.label for i in INDICATORS), "得分"])
    for r in ranked:
        sheet.append([r.rank, r.name, *(_cell(i, r.values[i.key]) for i in INDICATORS), r.score])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(indicator: Indicator, value: float | None) -> float | str:
    if value is None:
        return "—"
    return round(value * 100, 1) if indicator.key.endswith("_rate") or indicator.key == "satisfaction" else round(value, 1)


def indicator_text(indicator: Indicator, value: float | None) -> str:
    cell = _cell(indicator, value)
    return cell if isinstance(cell, str) else f"{cell:g}"


