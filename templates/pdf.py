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
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Spacer
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle

from templates import blocks as b
from templates.fonts import FontSet, get_fontset
from templates.pdf_flow import (
    FormCell,
    FormTable,
    GridState,
    GridTable,
    TextCursor,
    TextFlow,
    TextStyle,
    text_width,
)

# ASCII85 wrapping of compressed streams is pure Python without reportlab's C accelerator and
# cost ~15 % of a big ledger; binary streams are equally valid PDF.
rl_config.useA85 = 0

TITLE_SIZE = 22.0
PAGE_NUMBER_SIZE = 14.0
LEADING_FACTOR = 1.75  # 16 pt body → 28 pt line pitch outside the grid (landscape, small print)
GRID_CHARS = 28  # GB/T 9704 §5.2.2: 28 characters × 22 lines on the 156 × 225 mm type area
GRID_LINES = 22
PAGE_NUMBER_DROP = 7 * mm  # the page number's 一字线 sits 7 mm below the type area
DASH_RISE = 0.3  # the em dash's middle above the baseline, in em (measured on 宋/明 faces)
CLOSING_LINES = 2  # body lines kept with the signatures, seal and date (GB/T 9704 §7.3.5.1)


def signature_size(body_size: float) -> float:
    """Signature captions use 四号 (14 pt) under a 三号 body so two fit side by side."""
    return body_size * 0.875


def signature_line(signer: b.Signer, chars: float) -> str:
    """The label, then the printed name — on the next line when both do not fit on one, so a
    name is never cut in two at the end of the label."""
    joined = signer.label + signer.name
    return joined if len(joined) <= chars or not signer.name else f"{signer.label}\n{signer.name}"


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
        self.gridded = document.orientation == "portrait"
        # On the portrait grid a line holds 28 characters (a slight negative tracking) and a page
        # 22 lines; landscape tables keep the plain 1.75 leading.
        self.leading = height / GRID_LINES if self.gridded else self.size * LEADING_FACTOR
        # n characters and n-1 gaps fill the line exactly (the last character's tracking is not seen).
        self.tracking = (width - GRID_CHARS * self.size) / (GRID_CHARS - 1) if self.gridded else 0.0
        self.progress = progress
        self.cancelled = cancelled

    def text(self, content: str, **style: Any) -> TextFlow:
        merged = {"size": self.size, "leading": self.leading, **style}
        if merged["size"] == self.size and "tracking" not in style:
            merged["tracking"] = self.tracking
        return TextFlow(content, self.fonts, TextStyle(**merged))

    def flowables(self) -> list[Flowable]:
        out: list[Flowable] = []
        closing: list[Flowable] = []
        for block in self.document.blocks:
            converted = self.convert(block)
            if isinstance(block, b.SignatureBlock | b.SealArea | b.DateLine):
                closing += converted
                continue
            if closing:
                out += self.keep_closing(out, closing)
                closing = []
            out += converted
        if closing:
            out += self.keep_closing(out, closing)
        return out

    def keep_closing(self, before: list[Flowable], closing: list[Flowable]) -> list[Flowable]:
        """Signatures, seal caption and date as one unit with the last body lines before them, so
        the seal never stands alone on a page (GB/T 9704 §7.3.5.1). Pops those lines off `before`."""
        tail: list[Flowable] = []
        kept = 0  # body lines taken so far
        while before and kept < CLOSING_LINES and isinstance(before[-1], TextFlow):
            flow = before.pop()
            flow.wrap(self.width, 1e9)
            lines = flow.lines or []
            keep = min(len(lines), CLOSING_LINES - kept)
            if keep < len(lines):
                head, rest = flow.split(self.width, (len(lines) - keep) * flow.style.leading + 0.01)
                before.append(head)
                flow = rest
            tail.insert(0, flow)
            kept += keep
        while before and getattr(before[-1], "keepWithNext", False):  # a heading goes with its lines
            tail.insert(0, before.pop())
        # Should the whole group not fit on one page, the last signature row, the seal and the date
        # still go together (keepWithNext; a nested KeepTogether would report itself too tall).
        for flowable in closing[-3:-1]:
            flowable.keepWithNext = True
        return [KeepTogether([*tail, *closing])]

    def convert(self, block: b.Block) -> list[Flowable]:
        if isinstance(block, b.Title):
            size = TITLE_SIZE if self.document.orientation == "portrait" else 18.0
            flow = TextFlow(block.text, self.fonts.for_title(),
                            TextStyle(size=size, leading=size * 1.5, align="center", bold=True))
            flow.spaceAfter = self.leading * 0.5
            flow.keepWithNext = True
            return [flow]
        if isinstance(block, b.Subtitle):
            return [self.text(block.text, align="center", bold=True)]
        if isinstance(block, b.DocNumber):
            return [self.text(block.text, align="right")]
        if isinstance(block, b.Heading):
            flow = self.text(block.text, align="left", bold=True)
            flow.keepWithNext = True  # a heading never stands alone at the foot of a page
            return [flow]
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
            return self.signatures(block)
        if isinstance(block, b.SealArea):
            seal = self.text(block.text, align="right", right_indent_chars=2)
            seal.spaceBefore = self.leading
            return [seal]
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

    def form(self, block: b.KeyValueRows) -> FormTable:
        size = block.size or form_size(self.size)
        leading = size * 1.5
        widths = [f * self.width for f in block.col_widths]
        rows = []
        for row in block.rows:
            cells, column = [], 0
            for cell in row:
                x, width = sum(widths[:column]), sum(widths[column : column + cell.span])
                style = TextStyle(size=size, leading=leading, align="center" if cell.label else cell.align,
                                  bold=cell.label, min_height=cell.min_lines * leading)
                cells.append(FormCell(x, width, cell.text, style))
                column += cell.span
            rows.append(cells)
        table = FormTable(rows, self.fonts)
        table.spaceAfter = self.leading * 0.3
        return table

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

    def signatures(self, block: b.SignatureBlock) -> list[Flowable]:
        """One small table per row of signers, so the last row can stay with the seal and date."""
        columns = max(1, block.columns)
        width = self.width / columns
        size = signature_size(self.size)
        style = RLTableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), self.fonts.primary),  # the empty fillers: never Helvetica
                *[
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ],
            ]
        )
        tables: list[Flowable] = []
        for start in range(0, len(block.signers), columns):
            signers = block.signers[start : start + columns]
            cells: list[Any] = [self.text(signature_line(s, width / size), size=size, leading=size * 1.5,
                                          align="left") for s in signers]
            cells += [""] * (columns - len(cells))
            reserved = self.leading * (3 if any(s.fingerprint for s in signers) else 2)
            written = max(cell.wrap(width, 1e9)[1] for cell in cells if isinstance(cell, TextFlow))
            height = max(reserved, written + self.leading)  # a long name never runs into the next row
            table = RLTable([cells], colWidths=[width] * columns, rowHeights=[height], style=style)
            tables.append(table)
        if not tables:
            tables.append(Spacer(1, 1))
        tables[0].spaceBefore = self.leading * 0.5
        return tables


def _page_number_painter(fonts: FontSet, page_size: tuple[float, float], margins: Margins,
                         double_sided: bool) -> Callable[[Any, Any], None]:
    """"— N —" in 四号 with its dashes 7 mm below the type area: odd pages right and even pages left,
    one character in, for double-sided printing; centred for single-sided (GB/T 9704 §7.5)."""

    def paint(canv: Any, doc: Any) -> None:  # reportlab's Canvas and DocTemplate (untyped)
        label = f"— {doc.page} —"
        width = text_width(fonts, label, PAGE_NUMBER_SIZE)
        if not double_sided:
            x = (page_size[0] - width) / 2
        elif doc.page % 2:
            x = page_size[0] - margins.right - PAGE_NUMBER_SIZE - width
        else:
            x = margins.left + PAGE_NUMBER_SIZE
        baseline = margins.bottom - PAGE_NUMBER_DROP - DASH_RISE * PAGE_NUMBER_SIZE
        cursor = TextCursor(canv, fonts, PAGE_NUMBER_SIZE)
        cursor.line(x, baseline, label)
        cursor.finish()

    return paint


def render_pdf(
    document: b.Document,
    fonts: FontSet | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    double_sided: bool = False,
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
        # The canvas's initial font is set in every page's preamble: ours, or each page would
        # reference the unembedded Helvetica.
        initialFontName=fonts.primary,
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
        [PageTemplate(id="page", frames=[frame], onPage=_page_number_painter(fonts, page_size, margins, double_sided))]
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
