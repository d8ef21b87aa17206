"""DOCX renderer (python-docx) for the same blocks the PDF renderer draws.

East Asian fonts are set explicitly (w:eastAsia, zh-CN) because Word otherwise uses the theme
font. Large tables are appended as parsed XML chunks: python-docx's cell API is quadratic.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from templates import blocks as b
from templates.pdf import (
    DASH_RISE,
    GRID_CHARS,
    GRID_LINES,
    LANDSCAPE_MARGINS,
    LEADING_FACTOR,
    PAGE_NUMBER_DROP,
    PAGE_NUMBER_SIZE,
    PORTRAIT_MARGINS,
    TITLE_SIZE,
    form_size,
    signature_line,
    signature_size,
)
from templates.pdf_flow import RenderCancelled
from templates.text import clean_text

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
CHUNK_ROWS = 1000
CELL_STYLE_ID = "LedgerCell"
CELL_STYLE_NAME = "Ledger Cell"
TWIPS_PER_PT = 20
SHORT_CELL = 120  # characters: a form row this short never splits across pages (w:cantSplit)
# pPr children that must follow w:autoSpaceDE/DN (the schema fixes the order).
_AFTER_AUTOSPACE = ("bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
                    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_run_font(run: Any, east_asia: str, size: float | None = None, bold: bool = False) -> None:
    """Set latin and East Asian font names (python-docx's font.name sets only the latin ones)."""
    run.font.name = LATIN_FONT
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold or None


def _prepare_styles(doc: Any, body_size: float) -> None:
    styles_root = doc.styles.element
    for fonts in styles_root.iter(qn("w:rFonts")):
        for attribute in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
            fonts.attrib.pop(qn(attribute), None)
    for lang in styles_root.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    _no_auto_space(normal.element.get_or_add_pPr())


def _no_auto_space(ppr: Any) -> None:
    """w:autoSpaceDE/DN off: Word and LibreOffice otherwise put a gap between 汉字 and digits
    ("2026 年 11 月"), which official documents do not have."""
    later = next((child for child in ppr if child.tag in {qn(f"w:{t}") for t in _AFTER_AUTOSPACE}), None)
    for tag in ("w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):  # no punctuation hung past the margin
        element = parse_xml(f'<{tag} {nsdecls("w")} w:val="0"/>')
        if later is not None:
            later.addprevious(element)
        else:
            ppr.append(element)


def _set_tracking(style: Any, points: float) -> None:
    """Character spacing (twentieths of a point) for the 28-character grid line."""
    rpr = style.element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{round(points * TWIPS_PER_PT)}"/>'))


def _setup_section(doc: Any, orientation: str, double_sided: bool = False) -> None:
    section = doc.sections[0]
    margins = LANDSCAPE_MARGINS if orientation == "landscape" else PORTRAIT_MARGINS
    if orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Pt(margins.top), Pt(margins.bottom)
    section.left_margin, section.right_margin = Pt(margins.left), Pt(margins.right)
    # The footer's bottom edge: the dashes' middle lands 7 mm below the type area.
    section.footer_distance = Pt(margins.bottom - PAGE_NUMBER_DROP - (DASH_RISE + 0.25) * PAGE_NUMBER_SIZE)
    if double_sided:  # GB/T 9704 §7.5: odd pages right, even pages left, one character in
        doc.settings.odd_and_even_pages_header_footer = True
        _page_number_footer(section.footer.paragraphs[0], "right")
        _page_number_footer(section.even_page_footer.paragraphs[0], "left")
    else:
        _page_number_footer(section.footer.paragraphs[0], "center")


def _page_number_footer(paragraph: Any, side: str) -> None:
    """Footer "— N —" with a PAGE field, 14 pt, centred or one character in from `side`."""
    paragraph.alignment = _ALIGN[side]
    if side == "right":
        paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
    elif side == "left":
        paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
    set_run_font(paragraph.add_run("— "), TITLE_FONT, 14)
    for xml in (
        '<w:fldChar %s w:fldCharType="begin"/>',
        '<w:instrText %s xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar %s w:fldCharType="end"/>',
    ):
        run = paragraph.add_run()
        set_run_font(run, TITLE_FONT, 14)
        run._r.append(parse_xml(xml % nsdecls("w")))
    set_run_font(paragraph.add_run(" —"), TITLE_FONT, 14)


class _DocxWriter:
    def __init__(self, document: b.Document, progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None, double_sided: bool = False) -> None:
        self.document = document
        self.doc = new_docx()
        self.size = document.body_size
        self.progress = progress
        self.cancelled = cancelled
        _prepare_styles(self.doc, self.size)
        _setup_section(self.doc, document.orientation, double_sided)
        section: Any = self.doc.sections[0]  # its margins are typed Optional, always set here
        self.text_width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
        text_height_pt = (section.page_height - section.top_margin - section.bottom_margin) / 12700
        self.gridded = document.orientation == "portrait"
        # The same 28 × 22 grid as the PDF: body line pitch and a slight negative tracking.
        self.body_leading = text_height_pt / GRID_LINES if self.gridded else self.size * LEADING_FACTOR
        if self.gridded:
            _set_tracking(self.doc.styles["Normal"], (self.text_width_pt - GRID_CHARS * self.size) / (GRID_CHARS - 1))
        self.streamed: list[_StreamedRows] = []  # big-table bodies written after python-docx saves

    def paragraph(
        self,
        text: str,
        size: float | None = None,
        bold: bool = False,
        align: str = "justify",
        indent_chars: float = 0,
        right_chars: float = 0,
        font: str = BODY_FONT,
        leading: float | None = None,
        container: Any = None,
        keep_next: bool = False,
        keep_lines: bool = False,
    ) -> DocxParagraph:
        size = size or self.size
        paragraph: DocxParagraph = (container or self.doc).add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = _ALIGN[align]
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        default = self.body_leading if size == self.size else size * LEADING_FACTOR
        fmt.line_spacing = Pt(leading or default)
        if keep_next:
            fmt.keep_with_next = True
        if keep_lines:
            fmt.keep_together = True
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
        if right_chars:
            fmt.right_indent = Pt(size * right_chars)
        set_run_font(paragraph.add_run(clean_text(text)), font, size, bold)
        return paragraph

    def write(self) -> bytes:
        for block in self.document.blocks:
            self.convert(block)
        body = self.doc.element.body
        if len(body) > 1 and body[0].tag == qn("w:p") and not "".join(body[0].itertext()):
            body.remove(body[0])  # the default template starts with an empty paragraph
        buffer = io.BytesIO()
        self.doc.save(buffer)
        streamed = self.streamed_rows()
        return self._stream_tables(buffer.getvalue(), streamed) if streamed else buffer.getvalue()

    def streamed_rows(self) -> list[tuple[str, Callable[[Any], None]]]:
        """(marker, writer) for each big table whose rows are written straight into the saved
        document in place of its marker row; a subclass adds its own kinds of table."""
        return [(table.marker, partial(self._write_rows, table)) for table in self.streamed]

    def _stream_tables(self, saved: bytes, streamed: list[tuple[str, Callable[[Any], None]]]) -> bytes:
        """Rewrite word/document.xml with each big table's rows streamed in place of its marker
        row: the rows never exist as one XML tree (50,000 rows took 2 GB that way)."""
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(saved)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename != "word/document.xml":
                    target.writestr(item, source.read(item))
                    continue
                with target.open(item.filename, "w", force_zip64=True) as stream:
                    _write_document_xml(source.read(item).decode("utf-8"), streamed, stream)
        return out.getvalue()

    def _write_rows(self, table: _StreamedRows, stream: Any) -> None:
        block, twips = table.block, table.twips
        self.write_chunked(block.rows, lambda row: _row_xml(row, twips, block.center_columns), stream)

    def write_chunked(self, rows: Sequence[Any], row_xml: Callable[[Any], str], stream: Any,
                      chunk: int = CHUNK_ROWS) -> None:
        """Rows as XML `chunk` at a time, checking for cancellation and reporting progress."""
        total = len(rows)
        for start in range(0, total, chunk):
            if self.cancelled is not None and self.cancelled():
                raise RenderCancelled
            stream.write("".join(row_xml(row) for row in rows[start : start + chunk]).encode("utf-8"))
            if self.progress is not None:
                self.progress(min(start + chunk, total), total)

    def convert(self, block: b.Block) -> None:
        if isinstance(block, b.Title):
            size = TITLE_SIZE if self.document.orientation == "portrait" else 18.0
            p = self.paragraph(block.text, size=size, bold=True, align="center", font=TITLE_FONT, leading=size * 1.5,
                               keep_next=True, keep_lines=True)
            p.paragraph_format.space_after = Pt(self.body_leading * 0.5)
        elif isinstance(block, b.Subtitle):
            self.paragraph(block.text, bold=True, align="center", keep_lines=True)
        elif isinstance(block, b.DocNumber):
            self.paragraph(block.text, align="right", keep_next=True)
        elif isinstance(block, b.Heading):
            self.paragraph(block.text, bold=True, align="left", keep_next=True, keep_lines=True)
        elif isinstance(block, b.Paragraph):
            size = block.size or self.size
            for part in block.text.split("\n"):
                self.paragraph(part, size=size, align=block.align, indent_chars=2 if block.indent else 0)
        elif isinstance(block, b.NumberedItems | b.PartyBlock):
            for text in b.block_texts(block):
                self.paragraph(text, indent_chars=2)
        elif isinstance(block, b.KeyValueRows):
            self.form(block)
        elif isinstance(block, b.Table):
            self.big_table(block)
        elif isinstance(block, b.SignatureBlock):
            self.signatures(block)
        elif isinstance(block, b.SealArea):
            self._keep_previous()
            self.paragraph("", align="right", keep_next=True)
            self.paragraph(block.text, align="right", right_chars=2, keep_next=True, keep_lines=True)
        elif isinstance(block, b.DateLine):
            self._keep_previous()
            self.paragraph(block.text, align="right", right_chars=4, keep_lines=True)
        elif isinstance(block, b.Note):
            small = max(9.0, self.size * 0.7)
            self.paragraph(block.text, size=small, align="left", leading=small * 1.5)
        elif isinstance(block, b.Blank):
            for _ in range(max(1, round(block.lines))):
                self.paragraph("")
        elif isinstance(block, b.Picture):
            self.picture(block)
        else:
            self.doc.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves this one unannotated

    def _keep_previous(self) -> None:
        """Keep what was written last with what follows: the last body paragraph before the
        signatures, or every paragraph of a signature table (seal and date never stand alone)."""
        body = self.doc.element.body
        last = next((child for child in reversed(body) if child.tag != qn("w:sectPr")), None)
        if last is None:
            return
        rows = last.findall(qn("w:tr"))
        # A table: only its last row rides with what follows (a long form keeps its freedom to break).
        paragraphs = [last] if last.tag == qn("w:p") else list(rows[-1].iter(qn("w:p"))) if rows else []
        for p in paragraphs:
            DocxParagraph(p, self.doc).paragraph_format.keep_with_next = True

    def picture(self, block: b.Picture) -> None:
        section = self.doc.sections[-1]
        page, left, right = section.page_width, section.left_margin, section.right_margin
        assert page is not None and left is not None and right is not None  # all set by _setup_section
        text_width = page - left - right
        self.doc.add_picture(io.BytesIO(block.png), width=int(text_width * block.width))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def form(self, block: b.KeyValueRows) -> None:
        size = block.size or form_size(self.size)
        table = self.doc.add_table(rows=len(block.rows), cols=len(block.col_widths))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = [Pt(f * self.text_width_pt) for f in block.col_widths]
        for row, cells in zip(table.rows, block.rows, strict=True):
            docx_cells, column = row.cells, 0
            for cell in cells:
                target = docx_cells[column]
                if cell.span > 1:
                    target = target.merge(docx_cells[column + cell.span - 1])
                target.width = sum(widths[column : column + cell.span], Pt(0))
                self._fill_cell(target, cell, size)
                column += cell.span
            if sum(len(cell.text) for cell in cells) <= SHORT_CELL:  # long text may flow on; short rows stay whole
                row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))

    def _fill_cell(self, target: Any, cell: b.Cell, size: float) -> None:
        for extra in target.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        first = target.paragraphs[0]
        align = "center" if cell.label else cell.align
        p = self.paragraph(cell.text, size=size, bold=cell.label, align=align, leading=size * 1.5, container=target)
        first._p.getparent().remove(first._p)
        for _ in range(cell.min_lines - 1 - cell.text.count("\n")):
            self.paragraph("", size=size, leading=size * 1.5, container=target)
        del p

    def signatures(self, block: b.SignatureBlock) -> None:
        self._keep_previous()
        columns = max(1, block.columns)
        size = signature_size(self.size)
        rows = (len(block.signers) + columns - 1) // columns
        table = self.doc.add_table(rows=rows, cols=columns)
        for row in table.rows:  # a signature box is never cut in two
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        for index, signer in enumerate(block.signers):
            cell = table.rows[index // columns].cells[index % columns]
            first = cell.paragraphs[0]
            chars = self.text_width_pt / columns / size
            for line in signature_line(signer, chars).split("\n"):
                self.paragraph(line, size=size, align="left", leading=size * 1.5, container=cell, keep_next=True)
            first._p.getparent().remove(first._p)
            for _ in range(3 if signer.fingerprint else 2):
                self.paragraph("", size=size, leading=size * 1.5, container=cell, keep_next=True)

    def big_table(self, block: b.Table) -> None:
        table = self.doc.add_table(rows=0, cols=len(block.col_widths))
        table.style = "Table Grid"
        tbl = table._tbl
        tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        twips = [round(f * self.text_width_pt * TWIPS_PER_PT) for f in block.col_widths]
        for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=False):
            grid_col.set(qn("w:w"), str(width))
        _add_cell_style(self.doc, block.size)
        header = _row_xml(block.header, twips, frozenset(range(len(twips))), bold=True, header=True)
        marker = f"@@rows-{len(self.streamed)}-{id(block)}@@"
        _append_rows(tbl, [header, _row_xml([marker], twips[:1], frozenset())])
        self.streamed.append(_StreamedRows(marker, block, twips))


_W_NS = nsdecls("w")


@dataclass(frozen=True)
class _StreamedRows:
    """A big table whose body rows replace the row holding `marker` when the file is written."""

    marker: str
    block: b.Table
    twips: list[int]


def _cell_xml(text: str, width: int, center: bool, bold: bool) -> str:
    pieces = escape(clean_text(text)).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{piece}</w:t>' for piece in pieces)
    justify = '<w:jc w:val="center"/>' if center else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    # Fonts, size and spacing come from the table-cell style: per-run properties would
    # quadruple the XML (and the memory) of a 10,000-row ledger.
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
        f'<w:pStyle w:val="{CELL_STYLE_ID}"/>{justify}</w:pPr><w:r>{run_props}{runs}</w:r></w:p></w:tc>'
    )


def _row_xml(cells: Sequence[str], twips: Sequence[int], center_columns: Container[int], bold: bool = False,
             header: bool = False) -> str:
    row_props = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    body = "".join(
        _cell_xml(text, width, index in center_columns, bold)
        for index, (text, width) in enumerate(zip(cells, twips, strict=False))
    )
    return f"<w:tr>{row_props}{body}</w:tr>"


def _add_cell_style(doc: Any, size: float) -> None:
    """Paragraph style for big-table cells: 宋体, `size` pt, single spacing, no indents."""
    if CELL_STYLE_NAME in [style.name for style in doc.styles]:
        return
    style = doc.styles.add_style(CELL_STYLE_NAME, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), CELL_STYLE_ID)
    style.base_style = doc.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TABLE_FONT)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Pt(0)


def _append_rows(tbl: Any, rows: list[str]) -> None:
    wrapper = etree.fromstring(f"<w:tbl {_W_NS}>{''.join(rows)}</w:tbl>".encode())
    for row in list(wrapper):
        tbl.append(row)


def render_docx(
    document: b.Document,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    double_sided: bool = False,
) -> bytes:
    """The document as DOCX bytes. Raises RenderCancelled when `cancelled()` turns True."""
    return _DocxWriter(document, progress, cancelled, double_sided).write()


def _write_document_xml(xml: str, streamed: list[tuple[str, Callable[[Any], None]]], stream: Any) -> None:
    """`xml` with each marker's whole row replaced by what its writer streams, in document order."""
    position = 0
    for marker, write_rows in sorted(streamed, key=lambda pair: xml.index(pair[0])):
        at = xml.index(marker, position)
        row_start, row_end = xml.rindex("<w:tr>", 0, at), xml.index("</w:tr>", at) + len("</w:tr>")
        stream.write(xml[position:row_start].encode("utf-8"))
        write_rows(stream)
        position = row_end
    stream.write(xml[position:].encode("utf-8"))
