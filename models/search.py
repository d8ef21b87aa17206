"""Search by party name, phone, ID or case number.

SQLite: a per-character FTS5 table (`case_search`, rowid = case id) queried as a phrase; it is
exact for 1–2 character Chinese names, which trigram cannot match (docs/DECISIONS.md).
PostgreSQL: LIKE over the same columns (parallel scans are fast enough at 1 M cases)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, or_, select, text
from sqlalchemy.orm import Session

from models.cases import Case, Party

SEPARATOR = " sep "  # keeps a phrase from running across two values


def normalise_query(raw: str) -> str:
    """Full-width to half-width, no spaces: what the user meant, in stored form."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def spaced(values: Iterable[str | None]) -> str:
    """'张三', '13800' → '张 三 sep 1 3 8 0 0': one token per character."""
    return SEPARATOR.join(" ".join(v) for v in values if v)


def index_case(session: Session, case: Case) -> None:
    """(Re)write the search row of `case`; called by every service that changes parties."""
    if session.get_bind().dialect.name != "sqlite":
        return
    params = {
        "id": case.id,
        "names": spaced(p.name for p in case.parties),
        "phones": spaced(p.phone for p in case.parties),
        "ids": spaced([case.number, *(p.id_number or p.uscc for p in case.parties)]),
    }
    session.execute(text("DELETE FROM case_search WHERE rowid = :id"), {"id": case.id})
    session.execute(
        text("INSERT INTO case_search(rowid, names, phones, ids) VALUES (:id, :names, :phones, :ids)"), params
    )


def _phrase(query: str) -> str | None:
    chars = [c for c in query if c.isalnum()]
    if not chars:
        return None
    return '"' + " ".join(chars) + '"'


def search_condition(session: Session, raw: str) -> ColumnElement[bool]:
    """A WHERE condition on Case matching `raw` in names, phones, IDs or the case number."""
    query = normalise_query(raw)
    if session.get_bind().dialect.name == "sqlite":
        phrase = _phrase(query)
        if phrase is None:
            return Case.id.is_(None)
        match = text("case_search MATCH :q").bindparams(q=phrase)
        return Case.id.in_(select(text("rowid")).select_from(text("case_search")).where(match))
    pattern = f"%{query}%"
    party_hit = exists().where(
        Party.case_id == Case.id,
        or_(Party.name.like(pattern), Party.phone.like(pattern), Party.id_number.like(pattern)),
    )
    return or_(Case.number.like(pattern), party_hit)
