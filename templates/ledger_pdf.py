"""PDF of the 台账 (templates.kinds.ledger): a grid drawn straight onto the canvas.

No cell is ever cut: a row taller than the room left is split between two of its lines and goes
on under the header repeated on the next page. Each party is one line group, its ID and phone
beside it and aligned with it. Columns are sized from the longest run they must keep whole (an ID,
a date, the widest amount), so numbers never break; a line never starts with closing punctuation
(hanging it on the line before when a forced cut would). Work is linear in the rows: a page piece
is found by walking lines from where the last one stopped, and row layouts are dropped once drawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from templates import blocks as b
from templates.fonts import FontSet, get_fontset
from templates.kinds.ledger import cell_text
from templates.pdf import _Builder
from templates.pdf_flow import ASCENT, RenderCancelled, TextCursor, text_width
from templates.text import CANNOT_START, break_lines, clean_text

PADDING = 1.5
LEADING = 1.3  # line pitch in em
PAGE_NUMBER_SIZE = 14.0
# A ledger is a table attached to a report, not a 公文 body: narrower margins give its 18
# columns room while keeping a 20 mm binding edge.
MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 20 * mm, "right": 12 * mm}
PAGES = {"A4": landscape(A4), "A3": landscape(A3)}

Lines = list[list[str]]  # per column, the lines of one row


def column_widths(columns: Sequence[b.LedgerColumn], measure: Callable[[str], float], size: float,
                  total: float) -> list[float]:
    """Each column as wide as its `fit` run (plus padding); the rest shared out by `flex`.
    When even the fits overflow, only flexible columns give way, down to two characters."""
    need = [measure(c.fit) * size + 2 * PADDING + 0.5 for c in columns]
    left = total - sum(need)
    flex = sum(c.flex for c in columns)
    if left >= 0 and flex:
        return [n + left * c.flex / flex for n, c in zip(need, columns, strict=True)]
    if left < 0:
        floor = 2 * size + 2 * PADDING
        give = [max(0.0, n - floor) if c.flex else 0.0 for n, c in zip(need, columns, strict=True)]
        share = min(1.0, -left / sum(give)) if sum(give) else 0.0
        return [n - g * share for n, g in zip(need, give, strict=True)]
    return [n + left / len(need) for n in need]


def hang_punctuation(lines: list[str]) -> list[str]:
    """A forced cut (a run wider than the cell) may leave closing punctuation first on a line:
    hang it at the end of the line before, as Chinese typesetting does (标点悬挂)."""
    out: list[str] = []
    for line in lines:
        while out and line and line[0] in CANNOT_START:
            out[-1], line = out[-1] + line[0], line[1:]
        if line or not out:
            out.append(line)
    return out or [""]


@dataclass
class LedgerState:
    """Shared by the page pieces of one ledger grid: geometry and a cache of row layouts."""

    table: b.LedgerTable
    fonts: FontSet
    width: float
    page_height: float
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], bool] | None = None
    widths: list[float] = field(default_factory=list)
    header: Lines = field(default_factory=list)
    cache: dict[int, tuple[Lines, list[int]]] = field(default_factory=dict)
    widths_seen: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = self.table.size
        self.widths = column_widths(self.table.columns, self._measure, size, self.width)
        self.header = [self._break(c.title, w) for c, w in zip(self.table.columns, self.widths, strict=True)]
        self.party_columns = [i for i, c in enumerate(self.table.columns) if c.party]

    def _measure(self, text: str) -> float:
        return text_width(self.fonts, text, 1.0)

    def width_of(self, text: str) -> float:
        """Advance at 1 pt, remembered: dates, stages, names and masked numbers repeat row after row."""
        found = self.widths_seen.get(text)
        if found is None:
            if len(self.widths_seen) > 100_000:  # bounded: memory stays flat over 50,000 rows
                self.widths_seen.clear()
            found = self.widths_seen[text] = sum(map(self.fonts.char_width, text))
        return found

    @property
    def leading(self) -> float:
        return self.table.size * LEADING

    def _break(self, text: str, width: float) -> list[str]:
        if not text:
            return []
        usable = (width - 2 * PADDING) / self.table.size
        text = clean_text(text)
        if "\n" not in text and self.width_of(text) <= usable:
            return [text]  # most cells fit one line: skip the breaker's per-character walk
        return hang_punctuation(break_lines(text, usable, self.fonts.char_width))

    def row(self, index: int) -> tuple[Lines, list[int]]:
        """The row's lines per column, and the line offsets where each party after the first starts."""
        found = self.cache.get(index)
        if found is None:
            found = self.cache[index] = self._layout(self.table.rows[index])
        return found

    def _layout(self, values: Sequence[b.LedgerValue]) -> tuple[Lines, list[int]]:
        lines: Lines = [[] for _ in values]
        starts: list[int] = []
        for column, value in enumerate(values):
            if column not in self.party_columns:
                lines[column] = self._break(cell_text(value), self.widths[column])
        parties = [v for i, v in enumerate(values) if i in self.party_columns]
        count = max((len(v) for v in parties if isinstance(v, tuple)), default=0)
        for k in range(count):
            broken = {c: self._break(_nth(values[c], k), self.widths[c]) for c in self.party_columns}
            height = max(1, *(len(v) for v in broken.values()))
            if k:
                starts.append(len(lines[self.party_columns[0]]))
            for c, got in broken.items():
                lines[c] += got + [""] * (height - len(got))
        return lines, starts

    def height(self, count: int) -> float:
        return count * self.leading + 2 * PADDING

    def header_height(self) -> float:
        return self.height(max(1, *(len(c) for c in self.header)))


def _nth(value: b.LedgerValue, k: int) -> str:
    return value[k] if isinstance(value, tuple) and k < len(value) else ""


def _line_count(lines: Lines) -> int:
    return max(1, *(len(c) for c in lines))


Position = tuple[int, int]  # (row, first line of it)


class _LineWriter:
    """Lines the primary TrueType font covers go straight into the text object (what the drawing
    floor does: no per-character font runs, no advance measuring); others take TextCursor's
    per-character fallback (rare names, 〓 marks)."""

    def __init__(self, canv: Any, fonts: FontSet, size: float, bold: bool = False) -> None:
        self.cursor = TextCursor(canv, fonts, size, bold)
        self.text = self.cursor.text
        self.size = size
        self.primary = fonts.primary
        self.coverage = fonts.coverage if fonts.mode == "ttf" else frozenset()
        self.text.setFont(self.primary, size)
        self.cursor._font = self.primary

    def line(self, x: float, y: float, content: str) -> None:
        if self.coverage.issuperset(map(ord, content)):
            if self.cursor._font != self.primary:
                self.text.setFont(self.primary, self.size)
                self.cursor._font = self.primary
            self.text.setTextOrigin(x, y)
            self.text.textOut(content)
        else:
            self.cursor.line(x, y, content)

    def finish(self) -> None:
        self.cursor.finish()


class LedgerGrid(Flowable):  # type: ignore[misc]  # Flowable is untyped (reportlab ships no type hints)
    """The ledger from `start` up to `stop` (None = the end)."""

    def __init__(self, state: LedgerState, start: Position = (0, 0), stop: Position | None = None) -> None:
        super().__init__()
        self.state = state
        self.start = start
        self.stop = stop

    def _end(self) -> Position:
        return self.stop if self.stop is not None else (len(self.state.table.rows), 0)

    def _fit(self, height: float) -> tuple[Position, float]:
        """How far this piece gets in `height`, and the height it uses."""
        state, end = self.state, self._end()
        used = state.header_height()
        row, line = self.start
        full_page = int((state.page_height - used - 2 * PADDING) // state.leading)
        while (row, line) < end:
            total = _line_count(state.row(row)[0])
            last = end[1] if row == end[0] else total
            need = state.height(last - line)
            if used + need <= height + 0.01:
                used += need
                row, line = (row + 1, 0) if last == total else (row, last)
                continue
            room = int((height - used - 2 * PADDING + 0.01) // state.leading)
            rest = last - line
            # Split a row only when it could not fit a fresh page anyway, or is long enough that
            # moving it whole would leave a wide gap; never leave a single line on either side.
            if room >= 2 and rest >= 3 and (rest > full_page or rest > 8):
                take = min(room, rest - 2)
                return (row, line + take), used + state.height(take)
            return (row, line), used
        return end, used

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        position, used = self._fit(availHeight)
        self.width = availWidth
        self.height = used if position >= self._end() else availHeight + 1.0  # too tall: ask for a split
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        position, _used = self._fit(availHeight)
        if position == self.start:
            return []
        return [LedgerGrid(self.state, self.start, position), LedgerGrid(self.state, position, self.stop)]

    def draw(self) -> None:
        state = self.state
        if state.cancelled is not None and state.cancelled():
            raise RenderCancelled
        tops, parties = self._draw_body()
        self._draw_rules(tops, parties)
        end = self._end()
        for index in range(self.start[0], end[0] + (1 if end[1] else 0)):
            if index != end[0] or not end[1]:
                state.cache.pop(index, None)
        if state.progress is not None:
            state.progress(end[0], len(state.table.rows))

    def _draw_body(self) -> tuple[list[float], list[float]]:
        state, canv = self.state, self.canv
        y = self.height
        header_height = state.header_height()
        canv.setFillGray(0.9)
        canv.rect(0, y - header_height, self.width, header_height, stroke=0, fill=1)
        canv.setFillGray(0)
        bold = _LineWriter(canv, state.fonts, state.table.size, bold=True)
        self._draw_lines(bold, state.header, y, 0, None, header=True)
        bold.finish()
        y -= header_height
        tops, parties = [self.height, y], []
        body = _LineWriter(canv, state.fonts, state.table.size)
        row, line = self.start
        end = self._end()
        while (row, line) < end:
            lines, starts = state.row(row)
            total = _line_count(lines)
            last = end[1] if row == end[0] else total
            self._draw_lines(body, lines, y, line, last)
            parties += [y - PADDING - (s - line) * state.leading for s in starts if line < s < last]
            y -= state.height(last - line)
            tops.append(y)
            row, line = (row + 1, 0) if last == total else (row, last)
        body.finish()
        return tops, parties

    def _draw_lines(self, cursor: _LineWriter, cells: Lines, top: float, first: int, last: int | None,
                    header: bool = False) -> None:
        state = self.state
        size = state.table.size
        x = 0.0
        for index, (column, width) in enumerate(zip(state.table.columns, state.widths, strict=True)):
            baseline = top - PADDING - ASCENT * size - (state.leading - size) / 2
            align = "center" if header else column.align
            for text in cells[index][first:last]:
                if text:
                    cursor.line(x + _offset(state, text, width, align), baseline, text)
                baseline -= state.leading
            x += width

    def _draw_rules(self, tops: list[float], parties: list[float]) -> None:
        canv, state = self.canv, self.state
        canv.setLineWidth(0.5)
        for y in tops:
            canv.line(0, y, self.width, y)
        x, bottom = 0.0, tops[-1]
        for width in [0.0, *state.widths]:
            x += width
            canv.line(x, tops[0], x, bottom)
        if parties and state.party_columns:  # a hairline between parties, across the party columns
            left = sum(state.widths[: state.party_columns[0]])
            right = left + sum(state.widths[c] for c in state.party_columns)
            canv.setLineWidth(0.25)
            canv.setDash(1, 1.5)
            for y in parties:
                canv.line(left, y, right, y)
            canv.setDash()


def _offset(state: LedgerState, text: str, width: float, align: str) -> float:
    if align == "left":
        return PADDING
    room = width - state.width_of(text) * state.table.size
    return max(PADDING, room / 2) if align == "center" else max(PADDING, room - PADDING)


def _page_numbers(fonts: FontSet, page: tuple[float, float]) -> Callable[[Any, Any], None]:
    def paint(canv: Any, doc: Any) -> None:  # reportlab's Canvas and DocTemplate (untyped)
        label = f"— {doc.page} —"
        x = (page[0] - text_width(fonts, label, PAGE_NUMBER_SIZE)) / 2
        cursor = TextCursor(canv, fonts, PAGE_NUMBER_SIZE)
        cursor.line(x, MARGINS["bottom"] - 7 * mm - ASCENT * PAGE_NUMBER_SIZE, label)
        cursor.finish()

    return paint


def render_ledger_pdf(document: b.Document, fonts: FontSet | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> bytes:
    """The ledger document as PDF bytes. Raises RenderCancelled when `cancelled()` turns True."""
    fonts = fonts or get_fontset()
    table = next(block for block in document.blocks if isinstance(block, b.LedgerTable))
    page = PAGES[table.paper]
    width = page[0] - MARGINS["left"] - MARGINS["right"]
    height = page[1] - MARGINS["top"] - MARGINS["bottom"]
    buffer = io.BytesIO()
    template = BaseDocTemplate(buffer, pagesize=page, title=document.title, author="", leftMargin=MARGINS["left"],
                               rightMargin=MARGINS["right"], topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"],
                               # each page's preamble sets the canvas's initial font: ours, never the
                               # unembedded Helvetica (issued documents embed every face they use)
                               initialFontName=fonts.primary)
    frame = Frame(MARGINS["left"], MARGINS["bottom"], width, height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_numbers(fonts, page))])
    builder = _Builder(document, fonts, width, height, progress, cancelled)
    story: list[Flowable] = []
    for block in document.blocks:
        if isinstance(block, b.LedgerTable):
            story.append(LedgerGrid(LedgerState(block, fonts, width, height, progress, cancelled)))
        else:
            story += builder.convert(block)
    template.build(story)
    return buffer.getvalue()
