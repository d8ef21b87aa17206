"""Small read helpers the desktop shell needs beyond models.cases.queries: why a stage move is blocked
now, and where a case sits in a sorted, filtered list (to select it after it was registered)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from models.cases.entities import Case
from models.cases.queries import SORT_COLUMNS, CaseFilter, filter_conditions
from models.cases.service import case_facts, load_case
from models.cases.stages import blockers

# The reason is asked for only after the other guards pass, so the check uses a stand-in.
_REASON_GIVEN_LATER = "理由"


def action_blockers(session: Session, case_id: int, action: str, *, mediator_asked: bool = False) -> list[str]:
    """Everything except a missing reason that stops `action` on the case now (and, with
    `mediator_asked`, except a missing mediator: the dialog asks for one next)."""
    facts = case_facts(session, load_case(session, case_id))
    if mediator_asked:
        facts = replace(facts, has_mediator=True)
    return blockers(facts, action, _REASON_GIVEN_LATER)


def case_position(session: Session, flt: CaseFilter, case_id: int, *, sort: str = "received",
                  descending: bool = True) -> int | None:
    """The case's row index in list_cases(flt, sort, descending), or None when the filter hides it."""
    columns = SORT_COLUMNS[sort]
    key = session.execute(select(*columns).where(Case.id == case_id, *filter_conditions(session, flt))).first()
    if key is None:
        return None
    row_key, bound = tuple_(*columns), tuple_(*key)
    before = row_key > bound if descending else row_key < bound
    query = select(func.count()).select_from(Case).where(*filter_conditions(session, flt), before)
    return int(session.scalar(query) or 0)
