"""reportlab flowables that draw text with our own CJK line breaker and per-character fonts.

`TextFlow` is a paragraph; `GridTable` is a data table drawn straight onto the canvas, split by
row index (O(1) per page) with the header repeated, so a 50,000-row ledger stays linear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from templates.fonts import FontSet
from templates.text import break_lines, clean_text

ASCENT = 0.88  # glyph top above the baseline, in em; keeps the first line flush with the margin
BOLD_STROKE = 0.035  # stroke width (em) of the fake bold used when the font has no bold face


class RenderCancelled(Exception):
    """Raised inside rendering when the caller's `cancelled()` returns True."""


@dataclass
class TextCursor:
    """Draws runs of text into one PDF text object, switching fonts per character when needed."""

    canv: Any  # a reportlab Canvas (reportlab ships no type hints)
    fonts: FontSet
    size: float
    bold: bool = False
    text: PDFTextObject = field(init=False)
    missing: list[tuple[float, float]] = field(default_factory=list)
    _font: str = ""
    _char_space: float = 0.0

    def __post_init__(self) -> None:
        self.text = self.canv.beginText()
        if self.bold:
            self.text.setTextRenderMode(2)
        self.text.setCharSpace(0)

    def line(self, x: float, y: float, content: str, char_space: float = 0.0) -> None:
        if char_space != self._char_space:  # Tc persists; writing it per line is costly at 10k rows
            self.text.setCharSpace(char_space)
            self._char_space = char_space
        for font, run in self._runs(content):
            if font is None:
                self.missing.append((x, y))
                x += self.size + char_space
                continue
            if font != self._font:
                self.text.setFont(font, self.size)
                self._font = font
            for piece in self._pieces(font, run, char_space):
                self.text.setTextOrigin(x, y)
                self.text.textOut(piece)
                x += text_width(self.fonts, piece, self.size) + char_space * len(piece)

    def _pieces(self, font: str, run: str, char_space: float) -> list[str]:
        """With tracking, one text-showing operator per 256-glyph subset, each placed absolutely:
        text extractors (pdfminer) drop the Tc after each operator's last glyph and would see a
        tracked line drift past the margin."""
        if not char_space:
            return [run]
        face = pdfmetrics.getFont(font)
        if not hasattr(face, "splitString"):
            return [run]
        pieces, start = [], 0
        for _subset, codes in face.splitString(run, self.canv._doc):  # one byte per character
            pieces.append(run[start : start + len(codes)])
            start += len(codes)
        return pieces

    def _runs(self, content: str) -> list[tuple[str | None, str]]:
        fonts = self.fonts
        primary = fonts.primary
        if fonts.mode == "ttf" and all(ord(ch) in fonts.coverage for ch in content):
            return [(primary, content)]
        runs: list[tuple[str | None, str]] = []
        for ch in content:
            font = fonts.font_for(ch)
            if runs and font is not None and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def finish(self) -> None:
        """Emit the text object, then the 缺字 marks (two bars, like 〓) for undrawable characters."""
        if self.bold:  # q/Q scope: the render mode and line width must not leak into later text
            self.canv.saveState()
            self.canv.setLineWidth(self.size * BOLD_STROKE)
            self.canv.drawText(self.text)
            self.canv.restoreState()
        else:
            self.canv.drawText(self.text)
        for x, y in self.missing:
            for bottom in (0.1, 0.42):
                self.canv.rect(
                    x + 0.08 * self.size, y + bottom * self.size, 0.84 * self.size, 0.24 * self.size, stroke=0, fill=1
                )


def text_width(fonts: FontSet, content: str, size: float) -> float:
    measure = fonts.char_width
    return sum(map(measure, content)) * size


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    align: str = "justify"  # left / center / right / justify
    indent_chars: float = 0.0  # first-line indent
    right_indent_chars: float = 0.0
    bold: bool = False
    min_height: float = 0.0
    tracking: float = 0.0  # pt added after every character (negative: the GB/T 9704 28-character grid)


class TextFlow(Flowable):  # type: ignore[misc]  # Flowable is untyped (reportlab ships no type hints)
    """A paragraph broken with the 禁则-aware breaker; splits between lines across pages."""

    def __init__(
        self,
        text: str,
        fonts: FontSet,
        style: TextStyle,
        lines: list[tuple[str, bool]] | None = None,
        first: bool = True,
    ) -> None:
        super().__init__()
        self.content = clean_text(text)
        self.fonts = fonts
        self.style = style
        self.lines = lines  # (text, is_last_line_of_paragraph)
        self.first = first
        self._width = 0.0

    def _break(self, width: float) -> list[tuple[str, bool]]:
        style = self.style
        usable = (width - style.right_indent_chars * style.size) / style.size
        indent = style.indent_chars if self.first else 0.0
        measure = self.fonts.char_width
        if style.tracking:
            track = style.tracking / style.size
            measure = lambda ch: self.fonts.char_width(ch) + track  # noqa: E731  # a per-character measure
        lines: list[tuple[str, bool]] = []
        for index, paragraph in enumerate(self.content.split("\n")):
            broken = break_lines(paragraph, usable, measure, indent if index == 0 else style.indent_chars)
            lines += [(line, i == len(broken) - 1) for i, line in enumerate(broken)]
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.lines is None or availWidth != self._width:
            self.lines = self._break(availWidth) if self.content or self.lines is None else self.lines
            self._width = availWidth
        self.height = max(len(self.lines) * self.style.leading, self.style.min_height)
        self.width = availWidth
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        assert self.lines is not None  # wrap() has broken the text
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        head = TextFlow("", self.fonts, self.style, self.lines[:fit], self.first)
        rest_style = TextStyle(**{**self.style.__dict__, "min_height": 0.0})
        tail = TextFlow("", self.fonts, rest_style, self.lines[fit:], first=self.lines[fit - 1][1])
        head._width = tail._width = availWidth
        return [head, tail]

    def draw(self) -> None:
        style = self.style
        cursor = TextCursor(self.canv, self.fonts, style.size, style.bold)
        y = self.height - ASCENT * style.size
        paragraph_start = self.first
        assert self.lines is not None  # platypus wraps before it draws
        for content, last in self.lines:
            indent = style.indent_chars * style.size if paragraph_start else 0.0
            x, spacing = self._place(content, indent, last)
            cursor.line(x, y, content, spacing)
            y -= style.leading
            paragraph_start = last
        cursor.finish()

    def _place(self, content: str, indent: float, last: bool) -> tuple[float, float]:
        style = self.style
        room = self.width - indent - style.right_indent_chars * style.size
        track = style.tracking
        # The last character's tracking is not visible: measure n characters and n-1 gaps.
        natural = text_width(self.fonts, content, style.size) + track * max(len(content) - 1, 0)
        if style.align == "center":
            return indent + (room - natural) / 2, track
        if style.align == "right":
            return indent + room - natural, track
        if style.align == "justify" and not last and len(content) > 1 and natural < room:
            return indent, track + (room - natural) / (len(content) - 1)
        return indent, track


@dataclass
class GridState:
    """Shared by all page pieces of one GridTable: data, geometry and per-row caches."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    fractions: Sequence[float]
    fonts: FontSet
    size: float
    center_columns: frozenset[int]
    max_lines: int
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], bool] | None = None
    padding: float = 2.0
    widths: list[float] = field(default_factory=list)
    header_lines: list[list[str]] = field(default_factory=list)
    cache: dict[int, list[list[str]]] = field(default_factory=dict)

    @property
    def leading(self) -> float:
        return self.size * 1.3

    def layout(self, width: float) -> None:
        if self.widths and abs(sum(self.widths) - width) < 0.01:
            return
        self.widths = [f * width for f in self.fractions]
        self.cache.clear()
        self.header_lines = self.break_cells(self.header)

    def break_cells(self, cells: Sequence[str]) -> list[list[str]]:
        broken = []
        for text, width in zip(cells, self.widths, strict=False):
            usable = (width - 2 * self.padding) / self.size
            lines = break_lines(clean_text(text), usable, self.fonts.char_width) if text else []
            if len(lines) > self.max_lines:  # a row taller than a page could never be placed
                lines = [*lines[: self.max_lines - 1], lines[self.max_lines - 1][:-1] + "…"]
            broken.append(lines)
        return broken

    def row_lines(self, index: int) -> list[list[str]]:
        lines = self.cache.get(index)
        if lines is None:
            lines = self.cache[index] = self.break_cells(self.rows[index])
        return lines

    def height_of(self, lines: list[list[str]]) -> float:
        return max(1, *(len(cell) for cell in lines)) * self.leading + 2 * self.padding

    def header_height(self) -> float:
        return self.height_of(self.header_lines)


class GridTable(Flowable):  # type: ignore[misc]  # Flowable is untyped (reportlab ships no type hints)
    """Rows [start, stop) of a GridState; stop None means "to the end"."""

    def __init__(self, state: GridState, start: int = 0, stop: int | None = None) -> None:
        super().__init__()
        self.state = state
        self.start = start
        self.stop = stop

    def _fit(self, width: float, height: float) -> tuple[int, float]:
        state = self.state
        state.layout(width)
        used = state.header_height()
        end = len(state.rows) if self.stop is None else self.stop
        index = self.start
        while index < end:
            row_height = state.height_of(state.row_lines(index))
            if used + row_height > height + 0.01:
                break
            used += row_height
            index += 1
        return index, used

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        end = len(self.state.rows) if self.stop is None else self.stop
        index, used = self._fit(availWidth, availHeight)
        self.width = availWidth
        self.height = used if index >= end else availHeight + 1.0  # "too tall": ask for a split
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        index, _used = self._fit(availWidth, availHeight)
        if index == self.start:
            return []
        return [GridTable(self.state, self.start, index), GridTable(self.state, index, self.stop)]

    def draw(self) -> None:
        state = self.state
        if state.cancelled is not None and state.cancelled():
            raise RenderCancelled
        end = len(state.rows) if self.stop is None else self.stop
        row_tops = self._draw_rows(end)
        self._draw_grid(row_tops)
        for index in range(self.start, end):
            state.cache.pop(index, None)
        if state.progress is not None:
            state.progress(end, len(state.rows))

    def _draw_rows(self, end: int) -> list[float]:
        state = self.state
        y = self.height
        header_height = state.header_height()
        self.canv.setFillGray(0.9)
        self.canv.rect(0, y - header_height, self.width, header_height, stroke=0, fill=1)
        self.canv.setFillGray(0)
        bold = TextCursor(self.canv, state.fonts, state.size, bold=True)
        self._draw_cells(bold, state.header_lines, y, centered=True)
        bold.finish()
        tops = [y, y - header_height]
        y -= header_height
        body = TextCursor(self.canv, state.fonts, state.size)
        for index in range(self.start, end):
            lines = state.row_lines(index)
            self._draw_cells(body, lines, y)
            y -= state.height_of(lines)
            tops.append(y)
        body.finish()
        return tops

    def _draw_cells(self, cursor: TextCursor, cells: list[list[str]], top: float, centered: bool = False) -> None:
        state = self.state
        x = 0.0
        for column, (lines, width) in enumerate(zip(cells, state.widths, strict=False)):
            baseline = top - state.padding - ASCENT * state.size - (state.leading - state.size) / 2
            center = centered or column in state.center_columns
            for line in lines:
                offset = state.padding
                if center:
                    offset = max(state.padding, (width - text_width(state.fonts, line, state.size)) / 2)
                cursor.line(x + offset, baseline, line)
                baseline -= state.leading
            x += width

    def _draw_grid(self, tops: list[float]) -> None:
        canv = self.canv
        canv.setLineWidth(0.5)
        for y in tops:
            canv.line(0, y, self.width, y)
        x = 0.0
        bottom = tops[-1]
        for width in [0.0, *self.state.widths]:
            x += width
            canv.line(x, tops[0], x, bottom)


@dataclass(frozen=True)
class FormCell:
    """One box of a bordered form: its place in the row, its text and how the text is set."""

    x: float
    width: float
    text: str
    style: TextStyle


@dataclass(frozen=True)
class FormSegment:
    """Lines [start, stop) of row `row` (every cell's lines in that range); stop None = to the end."""

    row: int
    start: int = 0
    stop: int | None = None


class FormTable(Flowable):  # type: ignore[misc]  # Flowable is untyped (reportlab ships no type hints)
    """A bordered form (受理登记表, 回访记录 …) whose rows split between lines across pages.

    Every cell is broken at its own (spanned) width once; a row that does not fit is cut at a line
    boundary and continues on the next page inside a closed box, so text never leaves its cell."""

    def __init__(self, rows: Sequence[Sequence[FormCell]], fonts: FontSet, padding: float = 4.0,
                 segments: Sequence[FormSegment] | None = None,
                 lines: list[list[list[tuple[str, bool]]]] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.fonts = fonts
        self.padding = padding
        self.segments = list(segments) if segments is not None else [FormSegment(i) for i in range(len(rows))]
        self.lines = lines

    def _break(self) -> list[list[list[tuple[str, bool]]]]:
        if self.lines is None:
            broken = []
            for row in self.rows:
                cells = []
                for cell in row:
                    flow = TextFlow(cell.text, self.fonts, cell.style)
                    flow.wrap(cell.width - 2 * self.padding, 1e9)
                    cells.append(list(flow.lines or []))
                broken.append(cells)
            self.lines = broken
        return self.lines

    def _leading(self, row: int) -> float:
        return max(cell.style.leading for cell in self.rows[row])

    def _row_lines(self, row: int) -> int:
        assert self.lines is not None
        return max(1, *(len(cell) for cell in self.lines[row]))

    def _segment_height(self, segment: FormSegment) -> float:
        stop = self._row_lines(segment.row) if segment.stop is None else segment.stop
        height = (stop - segment.start) * self._leading(segment.row)
        if segment.start == 0 and segment.stop is None:  # only a whole row keeps its reserved height
            height = max(height, *(cell.style.min_height for cell in self.rows[segment.row]))
        return height + 2 * self.padding

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._break()
        self.width = availWidth
        self.height = sum(self._segment_height(s) for s in self.segments)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._break()
        used = 0.0
        for index, segment in enumerate(self.segments):
            height = self._segment_height(segment)
            if used + height <= availHeight + 0.01:
                used += height
                continue
            fit = int((availHeight - used - 2 * self.padding + 0.01) // self._leading(segment.row))
            stop = self._row_lines(segment.row) if segment.stop is None else segment.stop
            if fit <= 0 or segment.start + fit >= stop:  # nothing of this row fits: break before it
                head, tail = self.segments[:index], self.segments[index:]
            else:
                cut = segment.start + fit
                head = [*self.segments[:index], FormSegment(segment.row, segment.start, cut)]
                tail = [FormSegment(segment.row, cut, segment.stop), *self.segments[index + 1 :]]
            if not head:
                return []
            return [FormTable(self.rows, self.fonts, self.padding, head, self.lines),
                    FormTable(self.rows, self.fonts, self.padding, tail, self.lines)]
        return [self]

    def draw(self) -> None:
        canv = self.canv
        assert self.lines is not None  # platypus wraps before it draws
        top = self.height
        canv.setLineWidth(0.75)
        for segment in self.segments:
            height = self._segment_height(segment)
            for cell, lines in zip(self.rows[segment.row], self.lines[segment.row], strict=True):
                canv.rect(cell.x, top - height, cell.width, height, stroke=1, fill=0)
                shown = lines[segment.start : segment.stop]
                if not shown:
                    continue
                first = segment.start == 0 or lines[segment.start - 1][1]
                style = TextStyle(**{**cell.style.__dict__, "min_height": 0.0})
                flow = TextFlow("", self.fonts, style, shown, first)
                flow._width = cell.width - 2 * self.padding
                _w, text_height = flow.wrap(flow._width, 1e9)
                offset = (height - 2 * self.padding - text_height) / 2  # vertically centred, as before
                flow.drawOn(canv, cell.x + self.padding, top - self.padding - offset - text_height)
            top -= height
