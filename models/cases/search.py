"""Search by party name, phone, ID, case number or the pinyin of a name — one index, two databases.

**The one entry point for writers: `index_case(session, case)`.** Every path that creates a case
or changes its parties (registration, corrections, imports) calls it after its flush; it
rewrites the case's row in `case_search` on either database. Bulk loaders use `index_row` /
`pg_terms` with the same inputs.

What is indexed (`SearchTerms`, built once for both databases):
- names: one token per character, so 1- and 2-character Chinese names match exactly (trigram
  cannot); a phrase never runs across two parties.
- phones, ID numbers / USCC and the case number: overlapping 4-grams (one token per digit made
  '5678' walk enormous posting lists); a phrase never runs across two values.
- pinyin (pypinyin, every reading of a heteronym): for every run of up to 4 Han characters of a
  name, its full pinyin and its initials ('张三' → zhangsan, zs, zhang, z, san, s; '单' → dan,
  chan, shan, d, c, s), so a pinyin query is one exact token lookup.

Storage: SQLite — an FTS5 table `case_search(names, phones, ids, pinyin)`, rowid = case id,
queried as phrases. PostgreSQL — `case_search(case_id, terms tsvector)` with a GIN index;
the same tokens are written as a tsvector literal with positions (names plain, grams '#…',
pinyin '~…', a position gap between values) and queried with a phrase tsquery (`<->`), so no
text-search parser or locale touches them and both databases answer the same question.

A query is normalised (NFKC: full-width to half-width, no spaces, upper case) and only letters
and digits are kept, so LIKE/FTS metacharacters typed by the user are literal (they never
match, never widen a search)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, any_, func, select, text
from sqlalchemy.orm import Session

from models.cases.entities import Case

SEPARATOR = " sep "  # keeps an FTS5 phrase from running across two values
GRAM = 4  # phones, IDs and numbers are indexed as overlapping 4-grams
PINYIN_SPAN = 4  # pinyin tokens for runs of up to 4 characters (every Chinese personal name)
PINYIN_VARIANTS = 16  # at most this many reading combinations per run (heteronyms multiply)
GRAM_MARK, PINYIN_MARK = "#", "~"  # PostgreSQL lexeme prefixes: one tsvector, three kinds of token


def normalise_query(raw: str) -> str:
    """Full-width to half-width, no spaces, no accents (as FTS5's unicode61 folds them), upper
    case: what the user meant, in stored form."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", raw) if not unicodedata.combining(c))
    return "".join(unicodedata.normalize("NFKC", bare).split()).upper()


_NOT_ASCII_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def _alnum(value: str) -> str:
    """The letters and digits of `value`, normalised: the only characters ever indexed or searched."""
    if value.isascii():  # phones, IDs: the common case, 10× cheaper than normalising
        return _NOT_ASCII_ALNUM.sub("", value).upper()
    return "".join(c for c in normalise_query(value) if c.isalnum())


def _grams(value: str) -> list[str]:
    """'13812345678' → ['1381', '3812', '8123', …]."""
    text = _alnum(value)
    return [text[i : i + GRAM] for i in range(max(1, len(text) - GRAM + 1))] if text else []


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """Every pinyin reading of one Han character, without tones ('单' → dan, chan, shan)."""
    from pypinyin import Style, pinyin  # imported on first use: it loads a large dictionary

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r.lower() for r in found[0] if r.isascii() and r.isalpha())) if found else ()


@lru_cache(maxsize=65536)
def pinyin_tokens(name: str) -> frozenset[str]:
    """Full pinyin and initials of every run of up to PINYIN_SPAN Han characters of `name`."""
    tokens: set[str] = set()
    for is_han, run in itertools.groupby(name, _is_han):
        chars = list(run) if is_han else []
        for start in range(len(chars)):
            for end in range(start + 1, min(len(chars), start + PINYIN_SPAN) + 1):
                options = [readings(c) for c in chars[start:end]]
                if not all(options):
                    continue
                for combo in itertools.islice(itertools.product(*options), PINYIN_VARIANTS):
                    tokens.add("".join(combo))
                    tokens.add("".join(r[0] for r in combo))
    return frozenset(tokens)


@dataclass(frozen=True)
class SearchTerms:
    """A case's tokens: per party name its characters; per phone / ID / number value its grams."""

    names: tuple[tuple[str, ...], ...]
    phones: tuple[tuple[str, ...], ...]
    ids: tuple[tuple[str, ...], ...]
    pinyin: frozenset[str]


def search_terms(number: str, parties: Iterable[tuple[str, str | None, str | None]]) -> SearchTerms:
    """The tokens of a case from its number and its parties' (name, phone, ID or USCC)."""
    rows = list(parties)
    return SearchTerms(
        names=tuple(tuple(_alnum(name)) for name, _, _ in rows if name and _alnum(name)),
        phones=tuple(tuple(_grams(phone)) for _, phone, _ in rows if phone and _alnum(phone)),
        ids=tuple(tuple(_grams(v)) for v in [number, *(ident for _, _, ident in rows)] if v and _alnum(v)),
        pinyin=frozenset(itertools.chain.from_iterable(pinyin_tokens(name) for name, _, _ in rows if name)),
    )


def fts_columns(terms: SearchTerms) -> tuple[str, str, str, str]:
    """The SQLite FTS5 row (names, phones, ids, pinyin)."""
    return (
        SEPARATOR.join(" ".join(v) for v in terms.names),
        SEPARATOR.join(" ".join(v) for v in terms.phones),
        SEPARATOR.join(" ".join(v) for v in terms.ids),
        " ".join(sorted(terms.pinyin)),
    )


def _lexeme(token: str) -> str:
    """A quoted tsvector/tsquery lexeme; tokens are letters and digits only (`_alnum`), so no
    quote or backslash can occur in them."""
    return "'" + token + "'"


def pg_terms(terms: SearchTerms) -> str:
    """The PostgreSQL tsvector literal: names, then grams, one position each, a gap between values."""
    parts: list[str] = []
    position = 1
    for mark, values in (("", terms.names), (GRAM_MARK, terms.phones + terms.ids)):
        for value in values:
            for token in value:
                parts.append(f"{_lexeme(mark + token)}:{position}")
                position += 1
            position += 1  # the gap: `<->` needs adjacent positions, so no phrase crosses values
    parts.extend(_lexeme(PINYIN_MARK + t) for t in sorted(terms.pinyin))
    return " ".join(parts)


def index_row(dialect: str, case_id: int, terms: SearchTerms) -> tuple[str, dict[str, object]]:
    """The statement (and parameters) that writes a case's search row on `dialect`."""
    if dialect == "sqlite":
        names, phones, ids, pinyin = fts_columns(terms)
        return (
            "INSERT INTO case_search(rowid, names, phones, ids, pinyin) VALUES (:id, :names, :phones, :ids, :pinyin)",
            {"id": case_id, "names": names, "phones": phones, "ids": ids, "pinyin": pinyin},
        )
    return (
        "INSERT INTO case_search(case_id, terms) VALUES (:id, CAST(:terms AS tsvector)) "
        "ON CONFLICT (case_id) DO UPDATE SET terms = excluded.terms",
        {"id": case_id, "terms": pg_terms(terms)},
    )


def index_case(session: Session, case: Case) -> None:
    """(Re)write the search row of `case` (flushed, parties loaded). Call it from every path
    that creates a case or changes its number or parties — it is the only writer."""
    dialect = session.get_bind().dialect.name
    terms = search_terms(case.number, ((p.name, p.phone, p.id_number or p.uscc) for p in case.parties))
    if dialect == "sqlite":
        session.execute(text("DELETE FROM case_search WHERE rowid = :id"), {"id": case.id})
    statement, params = index_row(dialect, case.id, terms)
    session.execute(text(statement), params)


PARTY_ROWS = (
    "SELECT c.id, c.number, p.name, p.phone, coalesce(p.id_number, p.uscc) FROM cases c"
    " LEFT JOIN parties p ON p.case_id = c.id ORDER BY c.id, p.ordinal"
)


def rebuild_index(connection: Connection, batch: int = 5000) -> int:
    """Write every case's search row from its parties (after a migration or a bulk load)."""
    dialect = connection.dialect.name
    connection.execute(text("DELETE FROM case_search"))
    rows = connection.execute(text(PARTY_ROWS))
    written, pending = 0, iter_case_terms(rows)
    while chunk := list(itertools.islice(pending, batch)):
        statements = [index_row(dialect, case_id, terms) for case_id, terms in chunk]
        connection.execute(text(statements[0][0]), [params for _, params in statements])
        written += len(chunk)
    return written


def iter_case_terms(rows: Iterable[tuple[int, str, str | None, str | None, str | None]]) -> Iterator[tuple[int, SearchTerms]]:
    """(case id, SearchTerms) from rows (case id, number, name, phone, ID) sorted by case id:
    the bulk form of `index_case` for migrations and loaders."""
    for case_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        members = list(group)
        yield case_id, search_terms(members[0][1], ((r[2], r[3], r[4]) for r in members if r[2] is not None))


@dataclass(frozen=True)
class SearchQuery:
    """What a typed search means: a character phrase on names, a gram phrase on phones/IDs/numbers
    (4 or more letters and digits), an exact pinyin token (letters only)."""

    chars: tuple[str, ...]
    grams: tuple[str, ...]
    pinyin: str | None


def parse_query(raw: str) -> SearchQuery | None:
    value = _alnum(raw)
    if not value:
        return None
    is_pinyin = value.isascii() and value.isalpha()
    return SearchQuery(
        chars=tuple(value),
        grams=tuple(_grams(value)) if len(value) >= GRAM else (),
        pinyin=value.lower() if is_pinyin else None,
    )


def _fts_phrase(tokens: Iterable[str]) -> str:
    return '"' + " ".join(tokens) + '"'


def match_expression(query: SearchQuery) -> str:
    """The FTS5 query."""
    expression = "names : " + _fts_phrase(query.chars)
    if query.grams:
        expression += f" OR phones : {_fts_phrase(query.grams)} OR ids : {_fts_phrase(query.grams)}"
    if query.pinyin:
        expression += f" OR pinyin : {_fts_phrase([query.pinyin])}"
    return expression


LIKE_ESCAPE = "\\"


def escape_like(raw: str) -> str:
    """`raw` matched literally by LIKE: % and _ (and the escape character) lose their meaning."""
    return raw.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """column LIKE 'prefix%' with the prefix taken literally (a code such as "0_" is no pattern)."""
    return column.like(escape_like(prefix) + "%", escape=LIKE_ESCAPE)


def tsquery_expression(query: SearchQuery) -> str:
    """The PostgreSQL tsquery (input syntax: quoted lexemes, `<->` = next position)."""
    alternatives = [" <-> ".join(_lexeme(c) for c in query.chars)]
    if query.grams:
        alternatives.append(" <-> ".join(_lexeme(GRAM_MARK + g) for g in query.grams))
    if query.pinyin:
        alternatives.append(_lexeme(PINYIN_MARK + query.pinyin))
    return " | ".join(f"({a})" for a in alternatives)


def _matching_ids(session: Session, query: SearchQuery) -> Select[Any]:
    """SELECT the ids of the cases whose search row matches `query`, on either database."""
    if session.get_bind().dialect.name == "sqlite":
        match = text("case_search MATCH :q").bindparams(q=match_expression(query))
        return select(text("rowid")).select_from(text("case_search")).where(match)
    match = text("terms @@ CAST(:q AS tsquery)").bindparams(q=tsquery_expression(query))
    return select(text("case_id")).select_from(text("case_search")).where(match)


def search_condition(session: Session, raw: str) -> ColumnElement[bool]:
    """A WHERE condition on Case matching `raw` in names, phones, IDs, the case number or pinyin."""
    query = parse_query(raw)
    if query is None:
        return Case.id.is_(None)
    if session.get_bind().dialect.name == "sqlite" or _is_broad(query):
        return Case.id.in_(_matching_ids(session, query))
    # A selective search on PostgreSQL: the ids first (ARRAY(…) is run once, before the sort);
    # as `IN` the planner walked the sort index and probed every case (22 s for '欧阳娜娜').
    # Rendered `cases.id = ANY (array((SELECT case_id …)))`: PostgreSQL's ARRAY(subquery) form.
    return Case.id == any_(func.array(_matching_ids(session, query).scalar_subquery()))


def _is_broad(query: SearchQuery) -> bool:
    """One character, or two letters of pinyin initials: matches so many cases that walking the
    list's sort order and probing each row finds a page soonest."""
    return len(query.chars) == 1 or (query.pinyin is not None and len(query.chars) <= 2)


def count_matches(session: Session, raw: str) -> int:
    """How many cases match `raw`, counted on the index alone (one search row per case)."""
    query = parse_query(raw)
    if query is None:
        return 0
    return int(session.scalar(select(func.count()).select_from(_matching_ids(session, query).subquery())) or 0)
