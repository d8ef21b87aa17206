"""XLSX output (openpyxl, write-only mode: rows stream to the file, memory stays flat).

`write_table` is any list as a sheet: a title and caption lines, the header frozen with an
autofilter over the data, typed cells (dates as dates, amounts and counts as numbers), and text
starting with = + - @ stored as text, never as a formula (CSV/formula injection). The ledger is
one such table, with every field its own column and the totals below it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from templates import blocks as b
from templates.pdf_flow import RenderCancelled
from templates.text import clean_text

FORMULA_START = ("=", "+", "-", "@")
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHUNK_ROWS = 1000
Kind = str  # "text" | "int" | "date" | "amount"


def safe_text(value: object) -> str:
    return clean_text(value)


class _Cells:
    """Makes the few styled cells; plain values go in as they are (the fast path)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.bold = Font(bold=True)

    def value(self, value: object, kind: Kind) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, tuple):
            value = "\n".join(value)
        if kind == "amount" and isinstance(value, Decimal | int | float):
            cell = WriteOnlyCell(self.sheet, value=float(value))  # exact to the cent (Numeric(14, 2))
            cell.number_format = AMOUNT_FORMAT
            return cell
        if isinstance(value, date | int | float | Decimal):
            return value  # openpyxl gives dates the yyyy-mm-dd format itself
        text = safe_text(value)
        if text.startswith(FORMULA_START) or "\n" in text:
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"  # text, never a formula
            if "\n" in text:
                cell.alignment = self.wrap
            if text.startswith(FORMULA_START):
                cell.quotePrefix = True  # and it stays text when a user edits the cell
            return cell
        return text

    def heading(self, text: str) -> Any:  # a WriteOnlyCell (a factory function in openpyxl)
        cell = WriteOnlyCell(self.sheet, value=safe_text(text))
        cell.font = self.bold
        return cell


def write_table(
    title: str,
    captions: Sequence[str],
    header: Sequence[str],
    kinds: Sequence[Kind],
    rows: Iterable[Sequence[object]],
    widths: Sequence[float] = (),
    footer: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    total: int | None = None,
) -> bytes:
    """One sheet: title, captions, header (frozen, autofiltered), rows, then footer lines.
    `rows` is walked once (a lazy sequence or a generator); `total` feeds the progress."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_name(title))
    cells = _Cells(sheet)
    header_row = 2 + len(captions)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"  # sheetViews precede the rows: set before the first append
    sheet.append([cells.heading(title)])
    for caption in captions:
        sheet.append([cells.value(caption, "text")])
    sheet.append([cells.heading(h) for h in header])
    if total is None and isinstance(rows, Sized):
        total = len(rows)
    written = 0
    for row in rows:
        sheet.append([cells.value(v, k) for v, k in zip(row, kinds, strict=True)])
        written += 1
        if written % CHUNK_ROWS == 0:
            if cancelled is not None and cancelled():
                raise RenderCancelled
            if progress is not None:
                progress(written, max(total or 0, written))
    # the autoFilter element follows the rows, so its range can be set once they are counted
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{header_row + max(1, written)}"
    if footer:
        sheet.append([])
        for line in footer:
            sheet.append([cells.value(line, "text")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sequence_rows(rows: Sequence[Sequence[object]]) -> Iterator[Sequence[object]]:
    """Walk a lazy sequence in chunks (a slice per chunk keeps keyset readers efficient)."""
    for start in range(0, len(rows), CHUNK_ROWS):
        yield from rows[start : start + CHUNK_ROWS]


def _sheet_name(title: str) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    return name or "Sheet1"


def render_ledger_xlsx(document: b.Document, progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> bytes:
    """The ledger document (built with every field its own column) as an XLSX workbook."""
    table = next(block for block in document.blocks if isinstance(block, b.LedgerTable))
    index = document.blocks.index(table)
    captions = [t for block in document.blocks[:index] if not isinstance(block, b.Title) for t in b.block_texts(block)]
    footer = [t for block in document.blocks[index + 1 :] for t in b.block_texts(block)]
    widths = [_column_width(c) for c in table.columns]
    return write_table(document.title, captions, [c.title for c in table.columns], [c.kind for c in table.columns],
                       sequence_rows(table.rows), widths, footer, progress, cancelled, total=len(table.rows))


def _column_width(column: b.LedgerColumn) -> float:
    """Excel widths count characters of the default font: CJK characters are about two."""
    fit = sum(1 if ord(ch) < 0x2E80 else 2 for ch in column.fit) + 2
    return float(min(60, max(fit, 8) + column.flex * 10))
