"""DOCX of the 台账 (templates.kinds.ledger): the same text as the PDF, as a Word table.

A case with several parties is several table rows, one per party, its other cells merged down
(vMerge), so each party's ID and phone sit beside its name in any word processor. The table is
fixed-layout with explicit column widths (sized like the PDF's from the run each column keeps
whole), so LibreOffice never squeezes a column to one character a line. Header rows repeat on
every page; a party's row never splits. Rows are streamed into word/document.xml in chunks:
python-docx's cell API is quadratic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from templates import blocks as b
from templates.docx_render import CELL_STYLE_ID, _add_cell_style, _append_rows, _DocxWriter
from templates.kinds.ledger import cell_text
from templates.ledger_pdf import MARGINS, column_widths
from templates.text import clean_text

CHUNK_ROWS = 500
TWIPS_PER_PT = 20
CELL_MARGIN_TWIPS = 40  # 2 pt, as the PDF's padding (Word's default 5.4 pt wastes the narrow columns)
PAPER_MM = {"A4": (297, 210), "A3": (420, 297)}


def estimated_width(text: str) -> float:
    """Advance of `text` at 1 pt in a Song face: half-width ASCII, full-width the rest (with a
    little to spare, since Word's fonts differ from ours)."""
    return sum(0.56 if ord(ch) < 0x2E80 else 1.02 for ch in text)


class _LedgerDocxWriter(_DocxWriter):
    def __init__(self, document: b.Document, progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        super().__init__(document, progress, cancelled)
        self.ledgers: list[tuple[str, b.LedgerTable, list[int]]] = []
        table = next(block for block in document.blocks if isinstance(block, b.LedgerTable))
        section: Any = self.doc.sections[0]
        width, height = PAPER_MM[table.paper]
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Pt(MARGINS["top"]), Pt(MARGINS["bottom"])
        section.left_margin, section.right_margin = Pt(MARGINS["left"]), Pt(MARGINS["right"])
        section.footer_distance = Pt(MARGINS["bottom"]) - Mm(7) - Pt(14)
        self.text_width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700

    def convert(self, block: b.Block) -> None:
        if isinstance(block, b.LedgerTable):
            self.ledger_table(block)
        else:
            super().convert(block)

    def ledger_table(self, block: b.LedgerTable) -> None:
        widths = column_widths(block.columns, estimated_width, block.size, self.text_width_pt)
        twips = [int(w * TWIPS_PER_PT) for w in widths]
        table = self.doc.add_table(rows=0, cols=len(twips))
        table.style = "Table Grid"
        tbl = table._tbl
        tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        tbl_width = tbl.tblPr.find(qn("w:tblW"))
        if tbl_width is not None:
            tbl.tblPr.remove(tbl_width)
        tbl.tblPr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{sum(twips)}" w:type="dxa"/>'))
        margin = "".join(f'<w:{side} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for side in ("left", "right"))
        tbl.tblPr.append(parse_xml(f'<w:tblCellMar {nsdecls("w")}>{margin}</w:tblCellMar>'))
        for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=False):
            grid_col.set(qn("w:w"), str(width))
        _add_cell_style(self.doc, block.size)
        header = _row([c.title for c in block.columns], twips, ["center"] * len(twips), True)
        marker = f"@@ledger-{len(self.ledgers)}@@"
        _append_rows(tbl, [header, _row([marker], twips[:1], ["left"], False)])
        self.ledgers.append((marker, block, twips))

    def streamed_rows(self) -> list[tuple[str, Callable[[Any], None]]]:
        return super().streamed_rows() + [(marker, partial(self._write_ledger_rows, block, twips))
                                          for marker, block, twips in self.ledgers]

    def _write_ledger_rows(self, block: b.LedgerTable, twips: list[int], stream: Any) -> None:
        aligns = [c.align for c in block.columns]
        self.write_chunked(block.rows, lambda values: case_rows_xml(values, twips, aligns), stream, CHUNK_ROWS)


def case_rows_xml(values: Sequence[b.LedgerValue], twips: Sequence[int], aligns: Sequence[str]) -> str:
    """One case: a row per party; the non-party cells written in the first and merged down."""
    count = max([len(v) for v in values if isinstance(v, tuple)] or [1]) or 1
    out = []
    for k in range(count):
        cells = []
        for value, width, align in zip(values, twips, aligns, strict=True):
            if isinstance(value, tuple):
                cells.append(_cell(value[k] if k < len(value) else "", width, align))
            else:
                merge = "" if count == 1 else ('<w:vMerge w:val="restart"/>' if k == 0 else "<w:vMerge/>")
                cells.append(_cell(cell_text(value) if k == 0 else "", width, align, merge))
        out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    return "".join(out)


_JC = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}


def _cell(text: str, width: int, align: str, merge: str = "", bold: bool = False) -> str:
    justify = _JC.get(align, "")
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{CELL_STYLE_ID}"/>{justify}</w:pPr>'
        + (f'<w:r>{run_props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in clean_text(text).split("\n")
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr>{paragraphs}</w:tc>'


def _row(texts: Sequence[str], twips: Sequence[int], aligns: Sequence[str], header: bool) -> str:
    props = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    cells = "".join(_cell(t, w, a, bold=header) for t, w, a in zip(texts, twips, aligns, strict=False))
    return f"<w:tr>{props}{cells}</w:tr>"


def render_ledger_docx(document: b.Document, progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> bytes:
    """The ledger document as DOCX bytes. Raises RenderCancelled when `cancelled()` turns True."""
    return _LedgerDocxWriter(document, progress, cancelled).write()
