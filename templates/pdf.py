"""PDF renderer (reportlab platypus): GB/T 9704 page geometry, "— N —" page numbers.

Text is drawn by templates.pdf_flow (our own 禁则 line breaking and per-character font fallback)
rather than reportlab's Paragraph, so party names are never parsed as markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle

from templates import blocks as b
from templates.fonts import FontSet, get_fontset
from templates.pdf_flow import GridState, GridTable, TextCursor, TextFlow, TextStyle, text_width

# ASCII85 wrapping of compressed streams is pure Python without reportlab's C accelerator and
# cost ~15 % of a big ledger; binary streams are equally valid PDF.
rl_config.useA85 = 0

TITLE_SIZE = 22.0
PAGE_NUMBER_SIZE = 14.0
LEADING_FACTOR = 1.75  # 16 pt body → 28 pt line pitch (GB/T 9704: 22 lines on 225 mm)


def signature_size(body_size: float) -> float:
    """Signature captions use 四号 (14 pt) under a 三号 body so two fit side by side."""
    return body_size * 0.875


def form_size(body_size: float) -> float:
    """Bordered forms use 四号 (14 pt): GB/T 9704 allows it for dense tables."""
    return body_size * 0.875


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


PORTRAIT_MARGINS = Margins(top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm)
# Landscape ledgers: the portrait margins turned a quarter, so the binding edge stays wide.
LANDSCAPE_MARGINS = Margins(top=28 * mm, bottom=26 * mm, left=37 * mm, right=35 * mm)


def page_geometry(orientation: str) -> tuple[tuple[float, float], Margins]:
    if orientation == "landscape":
        return landscape(A4), LANDSCAPE_MARGINS
    return A4, PORTRAIT_MARGINS


class _Builder:
    """Turns blocks into flowables for one document."""

    def __init__(
        self,
        document: b.Document,
        fonts: FontSet,
        width: float,
        height: float,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.document = document
        self.fonts = fonts
        self.width = width
        self.height = height
        self.size = document.body_size
        self.leading = self.size * LEADING_FACTOR
        self.progress = progress
        self.cancelled = cancelled

    def text(self, content: str, **style: Any) -> TextFlow:
        merged = {"size": self.size, "leading": self.leading, **style}
        return TextFlow(content, self.fonts, TextStyle(**merged))

    def flowables(self) -> list[Flowable]:
        out: list[Flowable] = []
        for block in self.document.blocks:
            out += self.convert(block)
        return out

    def convert(self, block: b.Block) -> list[Flowable]:
        if isinstance(block, b.Title):
            size = TITLE_SIZE if self.document.orientation == "portrait" else 18.0
            flow = self.text(block.text, size=size, leading=size * 1.5, align="center", bold=True)
            flow.spaceAfter = self.leading * 0.5
            return [flow]
        if isinstance(block, b.Subtitle):
            return [self.text(block.text, align="center", bold=True)]
        if isinstance(block, b.DocNumber):
            return [self.text(block.text, align="right")]
        if isinstance(block, b.Heading):
            return [self.text(block.text, align="left", bold=True)]
        if isinstance(block, b.Paragraph):
            return self.paragraph(block)
        if isinstance(block, b.NumberedItems):
            return [self.text(t, indent_chars=2) for t in b.numbered_texts(block)]
        if isinstance(block, b.PartyBlock):
            return [self.text(t, indent_chars=2) for t in b.block_texts(block)]
        if isinstance(block, b.KeyValueRows):
            return [self.form(block)]
        if isinstance(block, b.Table):
            return [self.grid(block)]
        if isinstance(block, b.SignatureBlock):
            return [self.signatures(block)]
        if isinstance(block, b.SealArea):
            return [Spacer(1, self.leading), self.text(block.text, align="right", right_indent_chars=2)]
        if isinstance(block, b.DateLine):
            return [self.text(block.text, align="right", right_indent_chars=4)]
        if isinstance(block, b.Note):
            small = max(9.0, self.size * 0.7)
            return [self.text(block.text, size=small, leading=small * 1.5, align="left")]
        if isinstance(block, b.Blank):
            return [Spacer(1, self.leading * block.lines)]
        if isinstance(block, b.Picture):
            return [vector_picture(block, self.width, self.fonts)]
        return [RLPageBreak()]

    def paragraph(self, block: b.Paragraph) -> list[Flowable]:
        size = block.size or self.size
        style = {"size": size, "leading": size * LEADING_FACTOR, "align": block.align}
        return [self.text(part, indent_chars=2 if block.indent else 0, **style) for part in block.text.split("\n")]

    def form(self, block: b.KeyValueRows) -> RLTable:
        size = block.size or form_size(self.size)
        padding = 4.0
        widths = [f * self.width for f in block.col_widths]
        data, spans = [], []
        for row_index, row in enumerate(block.rows):
            cells: list[Any] = []  # flowables and the "" fillers under a span
            column = 0
            for cell in row:
                inner = sum(widths[column : column + cell.span]) - 2 * padding
                cells.append(self._form_cell(cell, size, inner))
                cells += [""] * (cell.span - 1)
                if cell.span > 1:
                    spans.append(("SPAN", (column, row_index), (column + cell.span - 1, row_index)))
                column += cell.span
            data.append(cells)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.75, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            *[
                (side, (0, 0), (-1, -1), padding)
                for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
            ],
            *spans,
        ]
        table = RLTable(data, colWidths=widths, style=RLTableStyle(style), splitInRow=1)
        table.spaceAfter = self.leading * 0.3
        return table

    def _form_cell(self, cell: b.Cell, size: float, width: float) -> TextFlow:
        leading = size * 1.5
        align = "center" if cell.label else cell.align
        flow = self.text(
            cell.text, size=size, leading=leading, align=align, bold=cell.label, min_height=cell.min_lines * leading
        )
        flow.wrap(width, 1e9)
        return flow

    def grid(self, block: b.Table) -> GridTable:
        page_lines = int(self.height // (block.size * 1.3)) - 8
        state = GridState(
            block.header,
            block.rows,
            block.col_widths,
            self.fonts,
            block.size,
            block.center_columns,
            max(page_lines // 2, 3),
            self.progress,
            self.cancelled,
        )
        return GridTable(state)

    def signatures(self, block: b.SignatureBlock) -> RLTable:
        columns = max(1, block.columns)
        width = self.width / columns
        size = signature_size(self.size)
        cells = [self.text(s.label + s.name, size=size, leading=size * 1.5, align="left") for s in block.signers]
        heights = [self.leading * (3 if s.fingerprint else 2) for s in block.signers]
        rows = [
            cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns]))
            for i in range(0, len(cells), columns)
        ]
        row_heights = [max(heights[i : i + columns]) for i in range(0, len(cells), columns)]
        style = RLTableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ],
            ]
        )
        table = RLTable(rows or [[""]], colWidths=[width] * columns, rowHeights=row_heights or None, style=style)
        table.spaceBefore = self.leading * 0.5
        return table


def _page_number_painter(fonts: FontSet, page_size: tuple[float, float],
                         margins: Margins) -> Callable[[Any, Any], None]:
    def paint(canv: Any, doc: Any) -> None:  # reportlab's Canvas and DocTemplate (untyped)
        label = f"— {doc.page} —"
        x = (page_size[0] - text_width(fonts, label, PAGE_NUMBER_SIZE)) / 2
        baseline = margins.bottom - 7 * mm - 0.88 * PAGE_NUMBER_SIZE
        cursor = TextCursor(canv, fonts, PAGE_NUMBER_SIZE)
        cursor.line(x, baseline, label)
        cursor.finish()

    return paint


def render_pdf(
    document: b.Document,
    fonts: FontSet | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The document as PDF bytes. Raises pdf_flow.RenderCancelled when `cancelled()` turns True."""
    fonts = fonts or get_fontset()
    page_size, margins = page_geometry(document.orientation)
    width = page_size[0] - margins.left - margins.right
    height = page_size[1] - margins.top - margins.bottom
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        title=document.title,
        author="",
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
    )
    frame = Frame(
        margins.left,
        margins.bottom,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_page_number_painter(fonts, page_size, margins))]
    )
    story = _Builder(document, fonts, width, height, progress, cancelled).flowables()
    template.build(story)
    return buffer.getvalue()


def vector_picture(block: b.Picture, text_width: float, fonts: FontSet) -> Flowable:
    """A chart's SVG as a reportlab drawing (vectors), scaled to its share of the text width; its
    text is set in the document's own font."""
    import io

    from svglib.fonts import register_font
    from svglib.svglib import svg2rlg  # loaded with the first chart only

    register_font(block.font_family, rlgFontName=fonts.primary)
    drawing = svg2rlg(io.BytesIO(block.svg))
    if drawing is None:  # svglib logs and returns None for an SVG it cannot parse
        raise ValueError("chart SVG could not be read")
    scale = text_width * block.width / drawing.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.hAlign = "CENTER"
    return drawing
