"""Repeat disputes (重复纠纷): a party of a new or open case who had a case in the last 12 months,
matched by ID number, USCC, phone or exact name. A warning for the intake desk and the detail view
(the earlier cases are listed and linked), never a block: the same family may well have two
disputes in a year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.entities import Case, Party
from models.dto import PartyInput

WINDOW_MONTHS = 12
MATCHED_BY = (("id_number", "身份证件号码"), ("uscc", "统一社会信用代码"), ("phone", "联系电话"), ("name", "姓名/名称"))


@dataclass(frozen=True)
class RepeatHit:
    """One earlier case and why it matched (e.g. 张三：身份证件号码相同)."""

    case_id: int
    number: str
    received_date: date
    stage: str
    summary: str
    reasons: tuple[str, ...]

    def line(self) -> str:
        return f"{self.number}（{self.received_date}，{self.stage}）{self.summary}——{'；'.join(self.reasons)}"


def window_start(today: date | None = None) -> date:
    """The same day 12 months ago (29 Feb → 28 Feb)."""
    day = today or clock.today()
    try:
        return day.replace(year=day.year - WINDOW_MONTHS // 12)
    except ValueError:
        return day.replace(year=day.year - WINDOW_MONTHS // 12, day=28)


def repeat_disputes(session: Session, parties: Sequence[PartyInput], *, exclude_case_id: int | None = None,
                    today: date | None = None) -> list[RepeatHit]:
    """Cases received in the last 12 months with a party matching any of `parties`, newest first."""
    keys = [(field, label, getattr(p, field), p.name) for p in parties for field, label in MATCHED_BY
            if (getattr(p, field) or "").strip()]
    if not keys:
        return []
    query = (select(Case.id, Case.number, Case.received_date, Case.stage, Case.summary, Party)
             .join(Party, Party.case_id == Case.id)
             .where(Case.received_date >= window_start(today), or_(*(_match(f, v) for f, _l, v, _n in keys))))
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    heads: dict[int, tuple[str, date, str, str]] = {}
    reasons: dict[int, list[str]] = {}
    for case_id, number, received, stage, summary, party in session.execute(query):
        heads[case_id] = (number, received, stage, summary)
        found = reasons.setdefault(case_id, [])
        for field, label, value, name in keys:
            reason = f"{name}：{label}相同（{party.name}）"
            if (getattr(party, field) or "").strip() == value.strip() and reason not in found:
                found.append(reason)
    hits = [RepeatHit(case_id, *head, reasons=tuple(reasons[case_id])) for case_id, head in heads.items()]
    return sorted(hits, key=lambda h: (h.received_date, h.case_id), reverse=True)


def _match(field: str, value: str) -> ColumnElement[bool]:
    return getattr(Party, field) == value.strip()


def case_repeats(session: Session, case_id: int) -> list[RepeatHit]:
    """The other cases of the last 12 months (from the case's receipt day) sharing a party with it."""
    case = session.get_one(Case, case_id)
    parties = [PartyInput(side=p.side, name=p.name, phone=p.phone, id_number=p.id_number, uscc=p.uscc)
               for p in case.parties]
    return repeat_disputes(session, parties, exclude_case_id=case_id, today=max(case.received_date, clock.today()))
