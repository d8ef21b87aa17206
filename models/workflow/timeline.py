"""The workflow's steps on a case's timeline (流转记录): dispatch steps, level moves, 会诊, 督办单 and
their replies, the 诉调对接 steps, arbitration dates and deadline extensions — next to the stage
events, in time order. Steps that carry only a day (court dates, replies) are marked `day_only` so
the views do not invent an hour for them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.cases.entities import Dispatch
from models.deadlines import Period, rule_by_code
from models.deadlines.rules import Unit
from models.dto import EventView
from models.liaison.service import REFERRAL_STEPS
from models.org.entities import OrgUnit, User
from models.workflow.dispatch_states import DISPATCH_ACTION_LABELS
from models.workflow.entities import (
    ArbitrationRecord,
    CaseDeadline,
    Consultation,
    CourtReferral,
    DeadlineExtension,
    DispatchEvent,
    LevelMove,
    SupervisionOrder,
)

ARBITRATION_DATES = (("applied_on", "申请仲裁"), ("accepted_on", "仲裁委受理"), ("award_on", "作出裁决/调解书"),
                     ("award_served_on", "裁决/调解书送达"), ("sued_on", "不服裁决起诉"))


def _on(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def _dated(day: date, action: str, reason: str, user: str | None = None) -> EventView:
    return EventView(_on(day), action, None, "", user, None, reason, day_only=True)


def workflow_events(session: Session, case_id: int) -> list[EventView]:
    """Every workflow step of the case (not yet sorted against the stage events)."""
    return [*_dispatch_steps(session, case_id), *_level_moves(session, case_id), *_consultations(session, case_id),
            *_supervision(session, case_id), *_referral_steps(session, case_id), *_arbitration(session, case_id),
            *_extensions(session, case_id)]


def _dispatch_steps(session: Session, case_id: int) -> list[EventView]:
    query = (select(DispatchEvent, User.display_name).join(Dispatch, Dispatch.id == DispatchEvent.dispatch_id)
             .outerjoin(User, User.id == DispatchEvent.user_id).where(Dispatch.case_id == case_id)
             .order_by(DispatchEvent.id))
    return [EventView(e.at, f"派单·{DISPATCH_ACTION_LABELS.get(e.action, e.action)}", None,
                      f"{e.from_status or ''}→{e.to_status}", name, None,
                      "；".join(x for x in (e.satisfaction or "", e.text) if x))
            for e, name in session.execute(query)]


def _level_moves(session: Session, case_id: int) -> list[EventView]:
    source, target = aliased(OrgUnit), aliased(OrgUnit)
    query = (select(LevelMove, source.name, target.name, target.level, User.display_name)
             .outerjoin(source, source.id == LevelMove.from_unit_id).join(target, target.id == LevelMove.to_unit_id)
             .outerjoin(User, User.id == LevelMove.user_id).where(LevelMove.case_id == case_id).order_by(LevelMove.id))
    return [EventView(m.at, f"{m.direction}（{level}级）", None, f"{src or '—'}→{dst}", name, None, m.reason)
            for m, src, dst, level, name in session.execute(query)]


def _consultations(session: Session, case_id: int) -> list[EventView]:
    rows = session.scalars(select(Consultation).where(Consultation.case_id == case_id).order_by(Consultation.id))
    return [_dated(c.held_on, "会诊", f"{c.topic}；参加：{c.departments}；结论：{c.conclusion or '—'}", c.host)
            for c in rows]


def _supervision(session: Session, case_id: int) -> list[EventView]:
    found: list[EventView] = []
    for o in session.scalars(select(SupervisionOrder).where(SupervisionOrder.case_id == case_id)
                             .order_by(SupervisionOrder.id)):
        found.append(_dated(o.issued_on, f"督办单（{o.level}）", f"{o.number}：{o.requirement}；限 {o.reply_due} 前回复",
                            o.issued_by_name))
        if o.replied_on is not None:
            found.append(_dated(o.replied_on, "督办回复", f"{o.number}：{o.reply or ''}"))
    return found


def _referral_steps(session: Session, case_id: int) -> list[EventView]:
    row = session.scalar(select(CourtReferral).where(CourtReferral.case_id == case_id))
    if row is None:
        return []
    found = [_dated(row.referred_on, f"法院{row.kind}", f"{row.court} {row.pre_suit_number or ''}".strip())]
    for step in REFERRAL_STEPS:
        day = step.day(row)
        if getattr(row, step.done_on) is not None and isinstance(day, date):
            found.append(_dated(day, step.label, _step_note(row, step.key)))
    return found


def _step_note(row: CourtReferral, key: str) -> str:
    notes = {
        "outcome": f"{row.outcome_reason or ''}，{row.closing_method or ''}",
        "confirm_apply": row.confirmation_court or row.court, "confirm_accept": row.confirmation_number or "",
        "ruling": row.ruling or "", "decree": row.decree_number or "",
        "file": f"{row.filing_number or ''}（{row.trial_procedure or ''}）", "performance": row.performance or "",
        "enforce": row.enforcement_number or "",
    }
    return notes.get(key, "")


def _arbitration(session: Session, case_id: int) -> list[EventView]:
    found: list[EventView] = []
    for r in session.scalars(select(ArbitrationRecord).where(ArbitrationRecord.case_id == case_id)
                             .order_by(ArbitrationRecord.id)):
        for column, label in ARBITRATION_DATES:
            day = getattr(r, column)
            if day is not None:
                note = f"{r.track}·{r.commission}" + (f" {r.case_number}" if r.case_number else "")
                found.append(_dated(day, label, note + (f"；{r.result}" if column == "award_on" and r.result else "")))
    return found


def _extensions(session: Session, case_id: int) -> list[EventView]:
    query = (select(DeadlineExtension, CaseDeadline.rule_code, User.display_name)
             .join(CaseDeadline, CaseDeadline.id == DeadlineExtension.deadline_id)
             .outerjoin(User, User.id == DeadlineExtension.user_id).where(CaseDeadline.case_id == case_id)
             .order_by(DeadlineExtension.id))
    # a stored unit was checked against UNITS when the extension was granted (the column is plain text)
    return [EventView(x.at, "延长期限", None, "", name, None,
                      f"{rule_by_code(code).name} 延长{Period(x.length, cast(Unit, x.unit)).label()}：{x.reason}")
            for x, code, name in session.execute(query)]
