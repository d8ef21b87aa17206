"""Layout that never breaks (issue #12, item 1): every kind with every free-text field at its maximum
length keeps every glyph inside its cell and inside the type area, keeps headings with what
follows and never leaves the seal and date alone on a page; the DOCX says the same with
keep-with-next, keep-lines-together and cantSplit."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from templates import blocks as b
from templates.context import AgentContext, CaseContext, DossierEntry, PartyContext
from templates.fonts import get_fontset
from templates.pdf import render_pdf
from templates.render import build, render
from templates.samples import SAMPLES, case, intake
from templates.text import CANNOT_START
from tests.support.templates import docx_xml, squash

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4
TYPE_AREA = (28 * MM, 37 * MM, (210 - 26) * MM, (297 - 35) * MM)  # x0, top, x1, bottom (top-down)
TOLERANCE = 0.75  # pt: rounding in the font's box metrics
SEED = "张建国与李秀英因排水沟堵塞发生纠纷，围墙修复费人民币12,000.00元（证件号620981196805061236）；“协议”《说明》。ABC-2025/03 "
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
KINDS = [kind for kind in SAMPLES if kind not in ("ledger", "monthly-report")]  # the ledger is its own issue


def long_text(length: int) -> str:
    return (SEED * (length // len(SEED) + 1))[:length]


def _party(p: PartyContext) -> PartyContext:
    agents = tuple(dataclasses.replace(a, name=long_text(50), work_unit=long_text(100)) for a in p.agents)
    agents = agents or (AgentContext(long_text(50), work_unit=long_text(100), authority="特别授权"),)
    return dataclasses.replace(p, name=long_text(50), address=long_text(200), occupation=long_text(50),
                               work_unit=long_text(100), agents=agents)


def long_case(base: CaseContext) -> CaseContext:
    """The case with its free-text fields at the forms' maximum lengths (forms/specs.py)."""
    return dataclasses.replace(
        base, facts=long_text(10_000), issues=long_text(5_000), committee_name=long_text(100),
        parties=tuple(_party(p) for p in base.parties), mediators=(long_text(50),), recorder=long_text(50),
    )


LONG = long_text(2_000)
OVERRIDES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "agreement": lambda c: {"items": (LONG, LONG, LONG), "performance": LONG, "responsibilities": LONG,
                            "breach_clause": LONG},
    "oral-agreement": lambda c: {"content": (LONG, LONG), "performance": LONG},
    "intake-form": lambda c: {"note": LONG, "registrar": long_text(50)},
    "mediation-record": lambda c: {"sessions": tuple(
        dataclasses.replace(s, record=long_text(10_000), place=LONG, subject=LONG, attendees=(long_text(50),))
        for s in c.sessions)},
    "follow-up": lambda c: {"findings": LONG, "subject": LONG, "visited_party": long_text(50),
                            "visitor": long_text(50)},
    "confirmation-application": lambda c: {"agreement_summary": (LONG, LONG), "court_name": long_text(60)},
    "dossier": lambda c: {"volume_name": LONG, "remark": LONG,
                          "entries": tuple(DossierEntry(e.title, e.pages, LONG) for e in c.entries)},
    "rights-notice": lambda c: {},
    "rejection-notice": lambda c: {"reason": LONG, "routes": LONG},
    "termination-notice": lambda c: {"reason": LONG, "routes": LONG},
}


def longest(kind: str) -> Any:
    context: Any = SAMPLES[kind]()
    changes = OVERRIDES[kind](context)
    if hasattr(context, "case"):
        changes["case"] = long_case(context.case)
    return dataclasses.replace(context, **changes)


_PDFS: dict[str, bytes] = {}


def longest_pdf(kind: str) -> bytes:
    if kind not in _PDFS:
        _PDFS[kind] = render(kind, longest(kind), "pdf")
    return _PDFS[kind]


def _inside(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (char["x0"] >= x0 - TOLERANCE and char["x1"] <= x1 + TOLERANCE
            and char["top"] >= top - TOLERANCE and char["bottom"] <= bottom + TOLERANCE)


def _page_lines(page: Any) -> list[str]:
    lines = [squash(line) for line in (page.extract_text() or "").splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.match(line)]


def _body_chars(page: Any) -> list[dict[str, Any]]:
    """Every character but the page number's (which sits below the type area by design)."""
    return [c for c in page.chars if c["top"] < TYPE_AREA[3] + 5]


@pytest.mark.parametrize("kind", KINDS)
def test_every_glyph_stays_inside_the_type_area_and_its_cell(kind: str) -> None:
    with pdfplumber.open(io.BytesIO(longest_pdf(kind))) as pdf:
        assert len(pdf.pages) > 1  # the content really is long enough to break pages
        for page in pdf.pages:
            chars = _body_chars(page)
            outside = [c["text"] for c in chars if not _inside(c, TYPE_AREA)]
            assert not outside, f"page {page.page_number}: {len(outside)} glyphs outside the type area"
            boxes = [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects if r["width"] > 20]
            for char in chars:
                middle = ((char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2)
                holders = [box for box in boxes if box[0] <= middle[0] <= box[2] and box[1] <= middle[1] <= box[3]]
                if holders:
                    cell = min(holders, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
                    assert _inside(char, cell), f"page {page.page_number}: {char['text']!r} crosses its cell's border"


@pytest.mark.parametrize("kind", KINDS)
def test_the_seal_and_date_never_stand_alone_and_headings_keep_with_next(kind: str) -> None:
    document = build(kind, longest(kind))
    seals = [squash(block.text) for block in document.blocks if isinstance(block, b.SealArea)]
    headings = {squash(block.text) for block in document.blocks if isinstance(block, b.Heading)}
    with pdfplumber.open(io.BytesIO(longest_pdf(kind))) as pdf:
        for page in pdf.pages:
            lines = _page_lines(page)
            text = "".join(lines)
            assert lines, f"page {page.page_number} is empty"
            for seal in seals:
                at = text.find(seal[:12])
                if at >= 0:  # the seal's page also carries text or signatures before it
                    assert at > 0, f"page {page.page_number} starts with the seal caption"
            assert lines[-1] not in headings or page.page_number == len(pdf.pages), (
                f"heading {lines[-1]} alone at the foot of page {page.page_number}")


def test_a_form_cell_split_across_pages_keeps_its_spanned_width() -> None:
    context = dataclasses.replace(intake(), case=dataclasses.replace(case(), facts=long_text(3_000)))
    with pdfplumber.open(io.BytesIO(render("intake-form", context, "pdf"))) as pdf:
        widths = []
        for page in pdf.pages[1:]:
            body = [c for c in _body_chars(page) if c["text"].strip()]
            if body:
                widths.append(max(c["x1"] for c in body) - min(c["x0"] for c in body))
        first = pdf.pages[0]
        spans = [r["width"] for r in first.rects if r["width"] > 200]
    assert widths and spans
    # The continued cell is as wide as the spanned cell (3 of 4 columns), not one column.
    assert min(widths) > max(spans) * 0.85


def test_body_lines_hold_28_characters_and_pages_22_lines() -> None:
    text = "调" * 28 * 40
    data = render_pdf(b.Document("t", (b.Paragraph(text, indent=False),)), fonts=get_fontset())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        rows: dict[float, int] = {}
        for char in _body_chars(page):
            rows[round(char["top"], 1)] = rows.get(round(char["top"], 1), 0) + 1
    counts = list(rows.values())
    assert counts[0] == 28 and len(counts) == 22


@pytest.mark.parametrize(("double_sided", "expected"), [(False, ("centre", "centre")), (True, ("right", "left"))])
def test_page_numbers_sit_7_mm_below_the_type_area(double_sided: bool, expected: tuple[str, str]) -> None:
    data = render("agreement", longest("agreement"), "pdf", double_sided=double_sided)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, side in zip(pdf.pages[:2], expected, strict=True):
            number = [c for c in page.chars if c["top"] > TYPE_AREA[3] + 5]
            assert "".join(c["text"] for c in number).replace(" ", "") == f"—{page.page_number}—"
            dash = number[0]
            dash_middle = page.height - (dash["y0"] + 0.3 * dash["size"] + 0.0)  # top-down y of the dash
            assert abs((dash_middle - TYPE_AREA[3]) / MM - 7) < 0.8
            left, right = number[0]["x0"], number[-1]["x1"]
            if side == "centre":
                assert abs((left + right) / 2 - page.width / 2) < 1
            elif side == "right":
                assert abs(TYPE_AREA[2] - right - 14) < 1.5  # one 四号 character in from the right
            else:
                assert abs(left - TYPE_AREA[0] - 14) < 1.5


def test_docx_keeps_headings_signatures_seal_and_date_together() -> None:
    xml = docx_xml(render("agreement", longest("agreement"), "docx"))
    heading = xml[: xml.index("经调解，自愿达成如下协议")]
    assert "<w:keepNext/>" in heading[heading.rindex("<w:p>") :]
    seal_at = xml.rindex("印）")  # the seal caption comes after every signature label's 按指印）
    seal_paragraph = xml[xml.rindex("<w:p>", 0, seal_at) : seal_at]
    assert "<w:keepNext/>" in seal_paragraph and "<w:keepLines/>" in seal_paragraph
    signature_table = xml[xml.index("当事人（签名盖章或按指印）") - 3000 : xml.index("当事人（签名盖章或按指印）")]
    assert "<w:cantSplit/>" in signature_table
    styles = docx_xml(render("agreement", longest("agreement"), "docx"), "word/styles.xml")
    assert '<w:autoSpaceDE w:val="0"/>' in styles and '<w:autoSpaceDN w:val="0"/>' in styles


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_to_docx_at_maximum_length(kind: str) -> None:
    xml = docx_xml(render(kind, longest(kind), "docx"))
    assert squash(LONG[:40]) in squash(re.sub(r"<[^>]+>", "", xml)) or kind == "rights-notice"


@pytest.mark.parametrize("kind", ["intake-form", "follow-up", "rejection-notice", "termination-notice"])
def test_a_short_document_stays_on_one_page(kind: str) -> None:
    with pdfplumber.open(io.BytesIO(render(kind, SAMPLES[kind](), "pdf"))) as pdf:
        assert len(pdf.pages) == 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["agreement", "intake-form", "confirmation-application", "termination-notice"])
def test_the_docx_as_libreoffice_sets_it_keeps_glyphs_in_the_type_area_and_the_seal_company(
        kind: str, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(render(kind, longest(kind), "docx"))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=300)
    document = build(kind, longest(kind))
    seals = [squash(block.text)[:12] for block in document.blocks if isinstance(block, b.SealArea)]
    with pdfplumber.open(tmp_path / f"{kind}.pdf") as pdf:
        for page in pdf.pages:
            outside = [c["text"] for c in _body_chars(page) if c["text"].strip() and not _inside(c, TYPE_AREA)
                       and not _hung(c)]
            assert not outside, f"page {page.page_number}: {''.join(outside[:20])}"
            text = "".join(_page_lines(page))
            for seal in seals:
                assert text.find(seal) != 0, f"page {page.page_number} starts with the seal caption"


def _hung(char: dict[str, Any]) -> bool:
    """Closing punctuation LibreOffice hangs just past the right margin: it ignores w:overflowPunct
    (which Word honours), so this one liberty is LibreOffice's, not the document's."""
    return char["text"] in CANNOT_START and abs(char["x0"] - TYPE_AREA[2]) < 1.5
