"""Case and agreement numbers (一案一码): per committee, per year, from a configurable pattern.

The counter row is incremented inside the same transaction that inserts the case, so a rolled
back registration gives its number back (gapless) and two desks can never get the same one:
PostgreSQL row-locks the counter, SQLite serialises writers with BEGIN IMMEDIATE."""

from __future__ import annotations

from string import Formatter

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.errors import ValidationFailed
from models.org.entities import NumberSequence

PATTERN_FIELDS = {"代字", "YYYY", "n"}


def check_pattern(pattern: str) -> None:
    """Refuse a pattern that would not produce distinct numbers or does not format."""
    try:
        fields = {name for _, name, _, _ in Formatter().parse(pattern) if name is not None}
        format_number(pattern, "代字", 2024, 1)
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationFailed(f"编号格式无效：{pattern}（{exc}）") from exc
    if "n" not in fields:
        raise ValidationFailed("编号格式必须包含序号 {n}")
    unknown = fields - PATTERN_FIELDS
    if unknown:
        raise ValidationFailed(f"编号格式含未知字段：{'、'.join(sorted(unknown))}（可用：{{代字}} {{YYYY}} {{n}}）")


def check_patterns_apart(case_pattern: str, agreement_pattern: str) -> None:
    """Refuse a pair of patterns under which a case and an agreement could get the same number.

    A number is the pattern with 代字 (the same for both), digits for the year and digits for n.
    Deleting every digit from a number leaves the pattern's fixed text (with {YYYY} and {n}
    removed and its own digits deleted), so two patterns whose fixed texts differ can never
    produce equal numbers, whatever the year and sequence values."""
    check_pattern(case_pattern)
    check_pattern(agreement_pattern)
    if _fixed_text(case_pattern) == _fixed_text(agreement_pattern):
        raise ValidationFailed(
            "案件编号与协议编号的格式除数字外完全相同，会出现重号；请在协议编号中加入区别文字（如“协”）",
            {"agreement_number_pattern": "须与案件编号格式不同"},
        )


def _fixed_text(pattern: str) -> str:
    text = pattern.format(代字="{代字}", YYYY="", n="")
    return "".join(ch for ch in text if not ch.isdigit())


def format_number(pattern: str, code: str, year: int, n: int) -> str:
    return pattern.format(代字=code, YYYY=year, n=n)


def next_value(session: Session, committee_id: int, year: int, kind: str = "案件") -> int:
    """Take the next sequence value; the caller's transaction must commit or roll back with it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(NumberSequence)
        .values(committee_id=committee_id, year=year, kind=kind, last_value=0)
        .on_conflict_do_nothing()
    )
    step = (
        update(NumberSequence)
        .where(
            NumberSequence.committee_id == committee_id,
            NumberSequence.year == year,
            NumberSequence.kind == kind,
        )
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
    )
    return int(session.execute(step).scalar_one())
