"""矛盾纠纷排查调处台账: landscape list, header on every page, 序号, masked personal numbers.

Rows are converted to cell strings lazily so a 50,000-row ledger never holds all strings at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import overload

from templates.blocks import Block, Document, Note, Paragraph, Table, Title
from templates.context import LedgerContext, LedgerRow
from templates.privacy import mask_id, mask_phone
from templates.text import cn_date
from templates.wording import load

LEDGER_SIZE = 7.5
CENTERED = frozenset({0, 2, 10, 11, 13})


class LedgerCells(Sequence[tuple[str, ...]]):
    """A read-only view turning LedgerRow objects into printed cells on demand."""

    def __init__(self, rows: Sequence[LedgerRow], unmasked: bool, separator: str) -> None:
        self._rows = rows
        self._unmasked = unmasked
        self._separator = separator

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, ...] | list[tuple[str, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._cells(index, self._rows[index])

    def _cells(self, index: int, row: LedgerRow) -> tuple[str, ...]:
        ids = row.id_numbers if self._unmasked else tuple(mask_id(v) for v in row.id_numbers)
        phones = row.phones if self._unmasked else tuple(mask_phone(v) for v in row.phones)
        join = self._separator.join
        return (
            str(index + 1),
            row.case_number,
            _short_date(row.registered_on),
            row.source,
            join(row.parties),
            join(ids),
            join(phones),
            row.dispute_type,
            row.summary,
            _money(row.amount),
            row.risk_level,
            row.stage,
            row.responsible,
            _short_date(row.deadline),
            row.result,
        )


def _short_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def build(context: LedgerContext) -> Document:
    w = load("ledger")
    heading = "　　".join(
        [
            w["unit"].format(unit=context.reporting_unit),
            w["reporter"].format(reporter=context.reporter),
            w["date"].format(date=cn_date(context.report_date)),
        ]
    )
    blocks: list[Block] = [Title(context.title), Paragraph(heading, indent=False, align="left")]
    if context.filter_description:
        blocks.append(Paragraph(w["filter"].format(filter=context.filter_description), indent=False, align="left"))
    cells = LedgerCells(context.rows, context.unmasked, w["list_separator"])
    blocks.append(Table(tuple(w["header"]), cells, tuple(w["widths"]), size=LEDGER_SIZE, center_columns=CENTERED))
    blocks.append(Note(w["count"].format(count=len(context.rows))))
    if not context.unmasked:
        blocks.append(Note(w["masked_note"]))
    if context.chain_anchor:
        blocks.append(Note(w["anchor"].format(anchor=context.chain_anchor)))
    return Document(title=context.title, blocks=tuple(blocks), orientation="landscape", body_size=10.0)


__all__ = ["LedgerCells", "build"]
