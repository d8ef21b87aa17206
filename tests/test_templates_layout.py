"""Typography: GB/T 9704 margins, 禁则 line breaking, page numbers, repeated ledger headers."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from templates import blocks as b
from templates.context import LedgerContext
from templates.fonts import get_fontset
from templates.kinds.ledger import columns_for
from templates.pdf import render_pdf
from templates.render import render
from templates.samples import SAMPLES, agreement, ledger, ledger_row
from templates.text import CANNOT_END, CANNOT_START, break_lines, can_break_between
from tests.support.templates import docx_xml, pdf_pages, squash

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
CLOSING = "。，、；：？！）》」"
OPENING = "（《「"


def text_runs(data: bytes) -> list[tuple[float, float, float, str]]:
    """(x, y, font size, text) of every text run on the first page, via a pypdf visitor."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((x, y, font_size * tm[0] * cm[0] if tm[0] else font_size, text))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_margins_follow_gbt_9704_within_one_millimetre() -> None:
    runs = text_runs(render("agreement", agreement(), "pdf"))
    body = [r for r in runs if "—" not in r[3]]
    left = min(x for x, _y, _s, _t in body)
    top_glyph = max(y + 0.88 * size for _x, y, size, _t in body)
    lowest = min(y for _x, y, _s, _t in body)
    assert abs(left - 28 * MM) <= 1 * MM
    assert abs((A4_HEIGHT - top_glyph) - 37 * MM) <= 1 * MM
    assert lowest >= 35 * MM - 0.3 * 16  # descenders may dip a little into the bottom margin


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_right_margin_is_26_millimetres(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(render("agreement", agreement(), "pdf"))
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    right_edges = [float(m) for m in re.findall(r'xMax="([\d.]+)"', html)]
    assert abs((A4_WIDTH - max(right_edges)) - 26 * MM) <= 1 * MM


def test_page_numbers_are_centred_dashes() -> None:
    pages = pdf_pages(render("ledger", ledger(120), "pdf"))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"— {number} —" in text
    footer = docx_xml(render("agreement", agreement(), "docx"), "word/footer1.xml")
    assert "PAGE" in footer and "— " in footer


def _lines_of(data: bytes) -> list[str]:
    lines = []
    for page in pdf_pages(data):
        lines += [line.strip() for line in page.splitlines() if line.strip()]
    return lines


def test_no_generated_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    punctuated = "（注：本条适用）。" * 3 + "甲方、乙方；《协议》「第一条」：好！对？" * 6
    blocks = tuple(b.Paragraph(("测" * shift) + punctuated) for shift in range(28))
    docs = [render_pdf(b.Document("t", blocks))]
    docs += [render(kind, factory(), "pdf") for kind, factory in SAMPLES.items()]
    for data in docs:
        for line in _lines_of(data):
            assert line[0] not in CLOSING, line
            assert line[-1] not in OPENING, line


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="测试甲乙12,.（）《》「」。，、；：？！“”¥ab", min_size=1, max_size=120),
    st.floats(min_value=3, max_value=30),
)
def test_line_breaker_obeys_kinsoku(text: str, width: float) -> None:
    fonts = get_fontset()
    lines = break_lines(text, width, fonts.char_width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for previous, line in itertools.pairwise(lines):
        if line and not can_break_between(previous[-1], line[0]):
            # only a forced cut may be illegal: the line had no legal break point at all
            assert not any(can_break_between(previous[i - 1], previous[i]) for i in range(1, len(previous)))
    for line in lines:
        assert sum(map(fonts.char_width, line)) <= width + 1 or len(line) == 1 or _unbreakable(line)


def _unbreakable(line: str) -> bool:
    return all(ch.isascii() for ch in line) or any(ch in CANNOT_START | CANNOT_END for ch in line)


def _ledger_header(context: LedgerContext) -> str:
    """The ledger's header row as extracted text: its columns' labels in order, whitespace removed."""
    return "".join(squash(column.title) for column in columns_for(context.paper))


def test_ledger_header_is_repeated_on_every_page() -> None:
    context = ledger(150)
    pages = pdf_pages(render("ledger", context, "pdf"))
    assert len(pages) >= 4
    header = _ledger_header(context)
    assert "证件号码" in header and "简要情况" in header and "化解情况" in header
    for text in pages:
        assert header in squash(text)
    assert "<w:tblHeader/>" in docx_xml(render("ledger", ledger(5), "docx"))


def test_ledger_is_landscape_and_rows_are_numbered_across_pages() -> None:
    data = render("ledger", ledger(150), "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    pages = [squash(text) for text in pdf_pages(data)]
    header = _ledger_header(ledger(150))
    # 序号 runs on from page to page: row 1 opens the first page's grid, row 150 is on the last
    assert f"{header}1{ledger_row(0).case_number}" in pages[0]
    assert f"150{ledger_row(149).case_number}" in pages[-1]
    openers = [re.match(r"\d+", page.split(header, 1)[1]) for page in pages if header in page]
    numbers = [int(m.group()) for m in openers if m]
    assert len(numbers) == len(pages) and numbers == sorted(set(numbers)) and numbers[0] == 1
    assert 'w:orient="landscape"' in docx_xml(render("ledger", ledger(2), "docx"))


def test_docx_sets_east_asian_fonts_and_chinese_language() -> None:
    data = render("agreement", agreement(), "docx")
    document = docx_xml(data)
    styles = docx_xml(data, "word/styles.xml")
    assert 'w:eastAsia="仿宋"' in document and 'w:eastAsia="宋体"' in document
    assert 'w:eastAsia="zh-CN"' in styles
    assert "eastAsiaTheme" not in styles
    margins = dict(re.findall(r'w:(top|bottom|left|right)="(\d+)"', re.search(r"<w:pgMar[^>]*>", document)[0]))
    twips_per_mm = 1440 / 25.4
    for side, millimetres in {"top": 37, "bottom": 35, "left": 28, "right": 26}.items():
        assert abs(int(margins[side]) / twips_per_mm - millimetres) <= 1


def test_long_form_text_splits_across_pages_instead_of_failing() -> None:
    import dataclasses

    from templates.samples import intake

    context = intake()
    long_case = dataclasses.replace(context.case, facts="双方因宅基地界址发生争执，" * 400)
    data = render("intake-form", dataclasses.replace(context, case=long_case), "pdf")
    assert len(pdf_pages(data)) >= 3


def test_bold_render_mode_never_leaks_into_following_text() -> None:
    data = render("ledger", ledger(20), "pdf")
    content = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    bold_objects = re.findall(r"BT(?:(?!ET).)*?2 Tr.*?ET(.*?)BT", content, flags=re.S)
    assert bold_objects, "the header is drawn bold"
    for between in bold_objects:
        assert "Q" in between  # the graphics state (Tr 2, stroke width) is restored before the next text
    assert " Tc" in content  # character spacing is reset explicitly at every text object
