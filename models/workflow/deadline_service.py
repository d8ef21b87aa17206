"""Deadline instances per case, computed from the case's events (trigger dates) by the pure engine
in models.deadlines, on the centre's calendar and with the centre's 人民调解 limits (general limit,
complexity table) stored in the database.

`episodes` reads what happened (stage events, dispatches, the 诉调对接 register, arbitration
records) as (trigger, start day, day the clock was answered); `sync_case_deadlines` reconciles the
stored instances with them. Stored instances make centre-wide lists (overdue per desk or person,
due today) indexed queries. Every write that moves a clock — a stage event, a dispatch, the
诉调对接 register, an arbitration record, a case's complexity or received day — re-syncs its case at
the end of that flush, whichever service wrote it: one path, `attach_deadline_hooks` (called by
open_database for the sessions it makes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, event, func, inspect, select, union
from sqlalchemy.orm import Session, sessionmaker

from models import clock
from models.casefile.entities import AgreementSigning
from models.cases.agreements import Agreement, effective_day
from models.cases.entities import Case, Dispatch, StageEvent
from models.cases.stages import CLOSED_STAGES, OPEN_STAGES, Stage
from models.deadlines import (
    RED,
    RULES,
    ColourThresholds,
    Deadline,
    DeadlineError,
    DeadlineRule,
    DeadlineSettings,
    Extension,
    build_rules,
    colour_for,
    colour_of_days,
    colour_reason,
    compute_due,
    rule_by_code,
    rules_for,
)
from models.deadlines.calendar import coverage_warning
from models.deadlines.rules import PARTY_TRIGGERS, UNITS
from models.deadlines.rules import TRIGGERS as TRIGGER_NAMES
from models.dto import Actor
from models.errors import DomainError, NotFound, ValidationFailed
from models.security.permissions import Permission, require_on_case_id
from models.workflow.calendar_store import (
    CalendarImportResult,
    deadline_settings,
    import_calendar_csv,
    set_calendar_day,
    set_deadline_settings,
    thresholds,
    work_calendar,
)
from models.workflow.dispatch_states import DispatchState
from models.workflow.entities import ArbitrationRecord, CaseDeadline, CourtReferral, DeadlineExtension, DispatchEvent

Episode = tuple[date, date | None]  # (trigger day, day the clock was answered or None)

# A clock some parties may simply let run out (an option, not a duty): once past due without the
# answering event it stops being supervised instead of turning red for ever. These are the parties'
# own windows (models/deadlines/rules.py PARTY_TRIGGERS); they keep running after the case closes.
LAPSING_TRIGGERS = PARTY_TRIGGERS
LAPSING_RULES = frozenset(r.code for r in RULES if r.trigger in LAPSING_TRIGGERS)
MEDIATION_END_ACTIONS = frozenset({"record_outcome", "to_arbitration", "to_litigation", "close_mediation"})


@dataclass(frozen=True)
class DeadlineView:
    id: int
    case_id: int
    case_number: str
    rule_code: str
    name: str
    trigger: str
    trigger_date: date
    due_date: date
    base_due: date
    extensions: int
    hard: bool
    legal_basis: str
    colour: str | None
    days_left: int
    completed_on: date | None
    lapsed: bool = False  # an optional window (e.g. 申请司法确认) that ran out unused: no longer supervised
    desk: str | None = None
    person: str | None = None
    summary: str = ""
    colour_reason: str = ""  # why this colour (or none), in words
    calendar_warning: str | None = None  # the counting ran through a year the holiday calendar lacks
    party_window: bool = False  # the parties' own window (keeps running after closing), not the centre's work


# ---- what happened: episodes per trigger --------------------------------------------------


def _local_day(event_row: StageEvent | DispatchEvent) -> date:
    return event_row.at.astimezone().date()


def _mediation_episodes(case: Case, events: list[StageEvent]) -> list[Episode]:
    """受理 starts the 人民调解 clock (the registration day); every 重新调解 starts a new one."""
    starts = [i for i, e in enumerate(events) if e.action == "refer_mediation"
              or (e.action == "register" and e.to_stage == Stage.MEDIATE) or e.action == "reopen"]
    found: list[Episode] = []
    for index in starts:
        start = case.received_date if events[index].action != "reopen" else _local_day(events[index])
        ends = [_local_day(e) for e in events[index + 1:] if e.action in MEDIATION_END_ACTIONS]
        found.append((start, max(ends[0], start) if ends else None))
    return found


def _dispatch_episodes(session: Session, case_id: int) -> list[Episode]:
    """One clock per dispatch, restarted by every send-back (核查不通过 / 回访不满意): the redo has
    its own 化解时限 from the day it was sent back, and the earlier clock ends that day."""
    found: list[Episode] = []
    for dispatch in session.scalars(select(Dispatch).where(Dispatch.case_id == case_id).order_by(Dispatch.id)):
        start = dispatch.created_at.astimezone().date()
        history = session.scalars(
            select(DispatchEvent).where(DispatchEvent.dispatch_id == dispatch.id).order_by(DispatchEvent.id)
        ).all()
        for event_row in history:
            if event_row.action in ("verify_fail", "reopen"):
                found.append((start, _local_day(event_row)))
                start = _local_day(event_row)
        resolved = [e for e in history if e.action in ("verify_pass", "cancel")]
        done = dispatch.status in (DispatchState.VERIFIED, DispatchState.EVALUATED, *_CLOSED)
        found.append((start, _local_day(resolved[-1]) if done and resolved else None))
    return found


_CLOSED = (DispatchState.ARCHIVED, DispatchState.CANCELLED)


def _referral_episodes(referral: CourtReferral, effective: date | None) -> dict[str, list[Episode]]:
    performed = referral.performance_due if referral.performance == "已履行" else None
    pairs: dict[str, tuple[date | None, date | None]] = {
        "court_referral_received": (referral.received_on, referral.concluded_on),
        "agreement_effective": (effective or referral.agreement_effective_on, referral.confirmation_applied_on),
        "confirmation_applied": (referral.confirmation_applied_on,
                                 referral.confirmation_accepted_on or referral.ruling_on),
        "confirmation_accepted": (referral.confirmation_accepted_on, referral.ruling_on),
        "case_filed": (referral.filed_on, referral.trial_concluded_on),
        "performance_period_ended": (referral.performance_due, referral.enforcement_applied_on or performed),
    }
    return {trigger: [(start, end)] for trigger, (start, end) in pairs.items() if start is not None}


def _arbitration_episodes(record: ArbitrationRecord) -> dict[str, list[Episode]]:
    pairs = {
        "rights_infringement_known": (record.knew_on, record.applied_on),
        "arbitration_accepted": (record.accepted_on, record.award_on),
        "award_served": (record.award_served_on, record.sued_on),
    }
    return {trigger: [(start, end)] for trigger, (start, end) in pairs.items() if start is not None}


@dataclass(frozen=True)
class CaseClocks:
    """Per trigger: the episodes and the facts that choose among its rules."""

    episodes: dict[str, list[Episode]]
    facts: dict[str, dict[str, str]]


def case_clocks(session: Session, case: Case) -> CaseClocks:
    referral = session.scalar(select(CourtReferral).where(CourtReferral.case_id == case.id))
    episodes: dict[str, list[Episode]] = defaultdict(list)
    facts: dict[str, dict[str, str]] = defaultdict(lambda: {"complexity": case.complexity})
    if referral is None:  # a court-referred case runs on the court's clock instead (特邀调解规定 Art. 27)
        episodes["mediation_accepted"] = _mediation_episodes(case, list(case.events))
    episodes["case_dispatched"] = _dispatch_episodes(session, case.id)
    effective = effective_day(session, case.id)  # the agreement's effective date, stored once on it
    if referral is None and effective is not None:  # the parties' 司法确认 window of the centre's agreement
        episodes["agreement_effective"].append((effective, None))
    if referral is not None:
        for trigger, found in _referral_episodes(referral, effective).items():
            episodes[trigger] += found
        facts["court_referral_received"] |= {"referral": referral.kind, "procedure": referral.procedure or ""}
        facts["case_filed"] |= {"procedure": referral.trial_procedure or ""}
    for record in session.scalars(select(ArbitrationRecord).where(ArbitrationRecord.case_id == case.id)):
        for trigger, found in _arbitration_episodes(record).items():
            episodes[trigger] += found
            facts[trigger] |= {"track": record.track}
    return CaseClocks(dict(episodes), {k: dict(v) for k, v in facts.items()})


# ---- reconciling the stored instances ------------------------------------------------------


def sync_case_deadlines(session: Session, case_id: int) -> int:
    """Bring the case's stored deadline instances in line with its events; returns how many are open."""
    case = session.get(Case, case_id)
    if case is None:
        return 0
    calendar = work_calendar(session)
    rules = centre_rules(session)
    clocks = case_clocks(session, case)
    stored = {(d.rule_code, d.trigger_date): d for d in _stored(session, case_id)}
    wanted: set[tuple[str, date]] = set()
    closed_on = _closed_on(case)
    for trigger, found in clocks.episodes.items():
        for rule in rules_for(trigger, clocks.facts.get(trigger, {"complexity": case.complexity}), rules):
            for start, answered in found:
                if answered is None and closed_on is not None and trigger not in PARTY_TRIGGERS:
                    answered = max(closed_on, start)  # the work ended with the case (办结 / 归档)
                key = (rule.code, start)
                if key not in stored:
                    stored[key] = _new_row(session, case_id, rule, start)
                wanted.add(key)
                _refresh(session, stored[key], rule, calendar, answered)
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
    return sum(1 for key in wanted if stored[key].completed_on is None)


def _closed_on(case: Case) -> date | None:
    """The day a closed case was closed (its work clocks stop then); None while it is open."""
    if case.stage not in CLOSED_STAGES:
        return None
    return case.closed_at.astimezone().date() if case.closed_at is not None else clock.today()


def centre_rules(session: Session) -> tuple[DeadlineRule, ...]:
    """The rule table with the centre's stored limits (the engine's RULES carry only the defaults)."""
    return build_rules(deadline_settings(session))


def _stored(session: Session, case_id: int) -> list[CaseDeadline]:
    return list(session.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case_id)))


def _new_row(session: Session, case_id: int, rule: DeadlineRule, start: date) -> CaseDeadline:
    row = CaseDeadline(case_id=case_id, rule_code=rule.code, trigger_date=start, due_date=start, base_due=start)
    session.add(row)
    return row


def _refresh(session: Session, row: CaseDeadline, rule: DeadlineRule, calendar: Any, answered: date | None) -> None:
    computed = compute_due(rule, row.trigger_date, calendar, _extensions(session, row))
    row.due_date, row.base_due = computed.due_date, computed.base_due
    row.completed_on = answered


def _extensions(session: Session, row: CaseDeadline) -> list[Extension]:
    if row.id is None:
        return []
    query = select(DeadlineExtension).where(DeadlineExtension.deadline_id == row.id).order_by(DeadlineExtension.id)
    return [Extension(e.granted_on, e.length, e.unit, e.reason) for e in session.scalars(query)]  # type: ignore[arg-type]  # stored units were checked against UNITS


def resync_open_deadlines(session: Session) -> int:
    """After a calendar import: recompute every case with an open deadline; returns cases touched."""
    case_ids = session.scalars(select(CaseDeadline.case_id).where(CaseDeadline.completed_on.is_(None)).distinct()).all()
    for case_id in case_ids:
        sync_case_deadlines(session, case_id)
    session.flush()
    return len(case_ids)


def change_deadline_settings(session: Session, settings: DeadlineSettings, actor: Actor) -> int:
    """Store new 人民调解 limits and move every open deadline to them; returns cases re-synced."""
    set_deadline_settings(session, settings, actor)
    return resync_open_deadlines(session)


def change_calendar_day(session: Session, day: date, kind: str | None, name: str, actor: Actor) -> int:
    """Mark a day 放假 / 调休上班 (or ordinary again) and recount every open deadline on the new
    calendar at once; returns cases re-synced."""
    set_calendar_day(session, day, kind, name, actor)
    return resync_open_deadlines(session)


def import_calendar(session: Session, path: str | Path, actor: Actor) -> tuple[CalendarImportResult, int]:
    """Import a holiday CSV (all or nothing) and recount every open deadline on it."""
    result = import_calendar_csv(session, path, actor)
    return result, resync_open_deadlines(session)


# ---- extension events ----------------------------------------------------------------------


def extend_deadline(
    session: Session, deadline_id: int, length: int, unit: str, reason: str, actor: Actor,
    granted_on: date | None = None,
) -> DeadlineView:
    """Record an extension event and move the deadline; refused when the rule forbids it or the cap is passed."""
    row = session.get(CaseDeadline, deadline_id)
    if row is None:
        raise NotFound(f"期限不存在（编号 {deadline_id}）")
    require_on_case_id(session, actor, Permission.CASE_ADVANCE, row.case_id)
    if unit not in UNITS:
        raise ValidationFailed(f"延长单位无效：{unit}（day / working_day / month / year）")
    if not reason.strip():
        raise ValidationFailed("延长期限须填写理由", {"reason": "请填写延长理由"})
    granted = granted_on or clock.today()
    rule = _rule(row.rule_code, centre_rules(session))
    if row.completed_on is not None:
        raise DeadlineError(f"“{rule.name}”已于 {row.completed_on.isoformat()} 完成，不能再延长")
    if is_lapsed(row, clock.today()):
        raise DeadlineError(f"“{rule.name}”已于 {row.due_date.isoformat()} 届满且未申请，期间已过，不能延长")
    extended = [*_extensions(session, row), Extension(granted, length, unit, reason)]  # type: ignore[arg-type]  # unit was checked against UNITS above
    computed = compute_due(rule, row.trigger_date, work_calendar(session), extended)  # raises DeadlineError
    session.add(DeadlineExtension(deadline_id=row.id, granted_on=granted, length=length, unit=unit,
                                  reason=reason.strip(), user_id=actor.user_id))
    row.due_date = computed.due_date
    session.flush()
    return deadline_view(session, row, clock.today())


def extension_cap(code: str) -> str:
    """What the statute allows for extending this deadline, in words (the extension dialog shows it)."""
    rule = _rule(code)
    if rule.extension_policy == "none":
        return "法定不变期间，不能延长"
    if rule.extension_policy == "capped" and rule.extension is not None:
        return f"最多延长{rule.extension.label()}（累计）"
    return "可延长（须有当事人同意或批准），不设上限"


def _rule(code: str, rules: Sequence[DeadlineRule] = RULES) -> DeadlineRule:
    try:
        return rule_by_code(code, rules)
    except DomainError as exc:  # a rule removed from the table since the instance was stored
        raise DeadlineError(f"期限规则已停用：{code}") from exc


# ---- reading ---------------------------------------------------------------------------------


def case_deadlines(session: Session, case_id: int, today: date | None = None) -> list[DeadlineView]:
    """Every deadline instance of a case (open first, by due date) with colour and legal basis."""
    rows = session.scalars(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id)
        .order_by(CaseDeadline.completed_on.is_not(None), CaseDeadline.due_date, CaseDeadline.id)
    ).all()
    return deadline_views(session, rows, today or clock.today())


def find_deadline(session: Session, deadline_id: int, today: date | None = None) -> DeadlineView:
    row = session.get(CaseDeadline, deadline_id)
    if row is None:
        raise NotFound(f"期限不存在（编号 {deadline_id}）")
    return deadline_view(session, row, today or clock.today())


def deadline_view(session: Session, row: CaseDeadline, today: date) -> DeadlineView:
    return deadline_views(session, [row], today)[0]


def deadline_views(
    session: Session, rows: Sequence[CaseDeadline], today: date, *, limits: ColourThresholds | None = None,
    extras: Sequence[dict[str, Any]] | None = None,
) -> list[DeadlineView]:
    """Views of stored instances, loading cases, extension counts and re-opened flags in one query each."""
    if not rows:
        return []
    limits = limits or thresholds(session)
    case_ids = {r.case_id for r in rows}
    reopened = reopened_case_ids(session, case_ids)
    cases = {cid: (number, summary) for cid, number, summary in
             session.execute(select(Case.id, Case.number, Case.summary).where(Case.id.in_(case_ids)))}
    counted = select(DeadlineExtension.deadline_id, func.count()).where(
        DeadlineExtension.deadline_id.in_([r.id for r in rows])).group_by(DeadlineExtension.deadline_id)
    counts = {did: n for did, n in session.execute(counted)}
    calendar = work_calendar(session)
    return [_make_view(row, today, limits, row.case_id in reopened, cases[row.case_id], counts.get(row.id, 0),
                       {"calendar_warning": coverage_warning(calendar.missing_years(row.trigger_date, row.due_date)),
                        **(extras[i] if extras else {})}) for i, row in enumerate(rows)]


def _make_view(row: CaseDeadline, today: date, limits: ColourThresholds, reopened: bool, case: tuple[str, str],
               extensions: int, extra: dict[str, Any]) -> DeadlineView:
    rule = _rule(row.rule_code)
    shown = Deadline(rule.code, row.due_date, row.base_due, (), rule.legal_basis, row.trigger_date, rule.hard,
                     rule.name)
    lapsed = is_lapsed(row, today)
    reopened = reopened and row.completed_on is None
    colour = None if lapsed else colour_for(shown, today, limits, reopened=reopened, completed_on=row.completed_on)
    why = colour_reason(shown, today, limits, reopened=reopened, completed_on=row.completed_on, lapsed=lapsed)
    return DeadlineView(
        row.id, row.case_id, case[0], rule.code, rule.name, TRIGGER_NAMES[rule.trigger], row.trigger_date,
        row.due_date, row.base_due, int(extensions), rule.hard, rule.legal_basis, colour, (row.due_date - today).days,
        row.completed_on, lapsed, summary=case[1], colour_reason=why, party_window=rule.trigger in PARTY_TRIGGERS,
        **extra,
    )


def calendar_warnings(views: Iterable[DeadlineView]) -> list[str]:
    """Each distinct missing-holidays warning among these deadlines, once (for lists and reports)."""
    return sorted({v.calendar_warning for v in views if v.calendar_warning})


def has_open_deadlines(session: Session, case_id: int) -> bool:
    """Whether the case has a deadline still running (for views deciding if a change concerns them)."""
    query = select(CaseDeadline.id).where(CaseDeadline.case_id == case_id, CaseDeadline.completed_on.is_(None))
    return session.scalar(query.limit(1)) is not None


def is_lapsed(row: CaseDeadline, today: date) -> bool:
    return row.rule_code in LAPSING_RULES and row.completed_on is None and today > row.due_date


def supervised(today: date) -> ColumnElement[bool]:
    """SQL condition: open and not a lapsed optional window — the rows that can show a colour."""
    lapsed = CaseDeadline.rule_code.in_(sorted(LAPSING_RULES)) & (CaseDeadline.due_date < today)
    return CaseDeadline.completed_on.is_(None) & ~lapsed


def reopened_cases(case_ids: Sequence[int] | None = None) -> CompoundSelect:
    """SQL: ids of cases re-opened and not closed since — 重新调解 after 回访不满意, or a dispatch
    re-opened by 不满意 and not yet done again. Give `case_ids` to look only at those (index use)."""
    by_stage = select(Case.id).join(StageEvent, StageEvent.case_id == Case.id).where(
        StageEvent.action == "reopen", Case.stage.in_(OPEN_STAGES))
    by_dispatch = select(Dispatch.case_id).join(DispatchEvent, DispatchEvent.dispatch_id == Dispatch.id).where(
        DispatchEvent.action == "reopen", Dispatch.status == DispatchState.SENT_BACK)
    if case_ids is not None:
        by_stage = by_stage.where(Case.id.in_(case_ids))
        by_dispatch = by_dispatch.where(Dispatch.case_id.in_(case_ids))
    return union(by_stage, by_dispatch)


def reopened_case_ids(session: Session, case_ids: Iterable[int]) -> set[int]:
    ids = list(case_ids)
    return set(session.scalars(reopened_cases(ids))) if ids else set()


def case_badges(session: Session, case_ids: Iterable[int], today: date | None = None) -> dict[int, str]:
    """The worst supervision colour of each case's open deadlines (for the case list); absent = none."""
    today = today or clock.today()
    ids = list(case_ids)
    limits = thresholds(session)
    horizon = date.fromordinal(today.toordinal() + limits.blue_days_before)
    query = select(CaseDeadline.case_id, func.min(CaseDeadline.due_date)).where(
        CaseDeadline.case_id.in_(ids), supervised(today), CaseDeadline.due_date <= horizon,
    ).group_by(CaseDeadline.case_id)
    badges = {cid: colour_of_days((due - today).days, limits) for cid, due in session.execute(query)}
    badges.update(dict.fromkeys(reopened_case_ids(session, ids), RED))
    return {cid: colour for cid, colour in badges.items() if colour}


# ---- one re-sync path for every write that moves a clock --------------------------------------

_MARK_KEY = "deadline_cases_to_sync"
CLOCK_FIELDS_OF_CASE = ("complexity", "received_date")  # choose the 化解时限 rule / start the 人民调解 clock


def attach_deadline_hooks(sessions: sessionmaker[Session]) -> None:
    """Every session `sessions` makes re-syncs the deadlines of the cases a flush moved a clock of."""
    event.listen(sessions, "after_flush", _mark_cases)
    event.listen(sessions, "after_flush_postexec", _sync_marked)


def _mark_cases(session: Session, _context: Any) -> None:
    marked = {_case_of(obj) for obj in (*session.new, *session.dirty) if _moves_a_clock(session, obj)}
    marked.discard(None)
    if marked:
        session.info.setdefault(_MARK_KEY, set()).update(marked)


def _case_of(obj: object) -> int | None:
    return obj.id if isinstance(obj, Case) else getattr(obj, "case_id", None)


def _moves_a_clock(session: Session, obj: object) -> bool:
    """Only these writes start or answer a clock (the rest would re-sync for nothing)."""
    if isinstance(obj, StageEvent):
        return obj in session.new and (obj.action in MEDIATION_END_ACTIONS or obj.action in ("refer_mediation", "reopen")
                                       or (obj.action == "register" and obj.to_stage == Stage.MEDIATE)
                                       or obj.to_stage in CLOSED_STAGES)  # closing stops the work clocks
    if isinstance(obj, Dispatch | CourtReferral | ArbitrationRecord | Agreement | AgreementSigning):
        return True
    if isinstance(obj, Case) and obj in session.dirty:
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in CLOCK_FIELDS_OF_CASE)
    return False


def _sync_marked(session: Session, _context: Any) -> None:
    # Runs after the rows are written; the instances it adds are flushed by the next flush or commit.
    marked = session.info.pop(_MARK_KEY, set())
    for case_id in sorted(marked):
        sync_case_deadlines(session, case_id)
