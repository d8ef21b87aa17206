"""Search by party name, phone, ID or case number.

SQLite: a per-character FTS5 table (`case_search`, rowid = case id) queried as a phrase; it is
exact for 1–2 character Chinese names, which trigram cannot match (docs/DECISIONS.md).
PostgreSQL: LIKE over the same columns (parallel scans are fast enough at 1 M cases)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, text
from sqlalchemy.orm import Session

from models.cases.entities import Case, Party

SEPARATOR = " sep "  # keeps a phrase from running across two values
GRAM = 4  # phones, IDs and numbers are indexed as overlapping 4-grams


def normalise_query(raw: str) -> str:
    """Full-width to half-width, no spaces: what the user meant, in stored form."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _alnum(value: str) -> str:
    return "".join(c for c in normalise_query(value) if c.isalnum())


def spaced(values: Iterable[str | None]) -> str:
    """'张三', '李四' → '张 三 sep 李 四': one token per character, exact for 1–2 character names."""
    return SEPARATOR.join(" ".join(_alnum(v)) for v in values if v)


def grams(value: str) -> str:
    """'13812345678' → '1381 3812 8123 …'. Digits one per token would make every phrase walk
    enormous posting lists ('5678' took 235 ms on 1 M cases); 4-grams are selective."""
    text = _alnum(value)
    return " ".join(text[i : i + GRAM] for i in range(max(1, len(text) - GRAM + 1)))


def search_columns(number: str, parties: Iterable[tuple[str, str | None, str | None]]) -> tuple[str, str, str]:
    """The (names, phones, ids) columns of a case's search row from its number and its parties'
    (name, phone, ID or USCC)."""
    rows = list(parties)
    return (
        spaced(name for name, _, _ in rows),
        SEPARATOR.join(grams(phone) for _, phone, _ in rows if phone),
        SEPARATOR.join(grams(v) for v in [number, *(ident for _, _, ident in rows)] if v),
    )


def index_case(session: Session, case: Case) -> None:
    """(Re)write the search row of `case`; called by every service that changes parties."""
    if session.get_bind().dialect.name != "sqlite":
        return
    names, phones, ids = search_columns(case.number, ((p.name, p.phone, p.id_number or p.uscc) for p in case.parties))
    session.execute(text("DELETE FROM case_search WHERE rowid = :id"), {"id": case.id})
    session.execute(
        text("INSERT INTO case_search(rowid, names, phones, ids) VALUES (:id, :names, :phones, :ids)"),
        {"id": case.id, "names": names, "phones": phones, "ids": ids},
    )


def match_expression(raw: str) -> str | None:
    """The FTS5 query for `raw`: a character phrase on names, a 4-gram phrase on phones and IDs."""
    text = _alnum(raw)
    if not text:
        return None
    expression = 'names : "' + " ".join(text) + '"'
    if len(text) >= GRAM:
        expression += f' OR phones : "{grams(text)}" OR ids : "{grams(text)}"'
    return expression


LIKE_ESCAPE = "\\"


def escape_like(raw: str) -> str:
    """`raw` matched literally by LIKE: % and _ (and the escape character) lose their meaning."""
    return raw.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """column LIKE 'prefix%' with the prefix taken literally (a code such as "0_" is no pattern)."""
    return column.like(escape_like(prefix) + "%", escape=LIKE_ESCAPE)


def search_condition(session: Session, raw: str) -> ColumnElement[bool]:
    """A WHERE condition on Case matching `raw` in names, phones, IDs or the case number."""
    if session.get_bind().dialect.name == "sqlite":
        expression = match_expression(raw)
        if expression is None:
            return Case.id.is_(None)
        match = text("case_search MATCH :q").bindparams(q=expression)
        return Case.id.in_(select(text("rowid")).select_from(text("case_search")).where(match))
    pattern = f"%{escape_like(normalise_query(raw))}%"
    party_hit = exists().where(
        Party.case_id == Case.id,
        or_(*(column.like(pattern, escape=LIKE_ESCAPE) for column in (Party.name, Party.phone, Party.id_number))),
    )
    return or_(Case.number.like(pattern, escape=LIKE_ESCAPE), party_hit)
