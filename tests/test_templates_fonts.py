"""Fonts, hostile text, privacy masks and atomic files."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdf
import pytest

from templates import blocks as b
from templates.fonts import CID_FONT, FontSet, cid_fontset, get_fontset, load_ttf
from templates.pdf import render_pdf
from templates.pdf_flow import RenderCancelled
from templates.privacy import mask_id, mask_phone
from templates.render import render, render_to_file
from templates.samples import agreement, case, ledger, parties
from templates.text import clean_text
from tests.support.templates import docx_text, pdf_text

NASTY = "<b>&</para>阿卜杜·热合曼䶮𠈌\x00\x07\u202e张\x1b三"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def nasty_agreement():
    first = dataclasses.replace(parties()[0], name=NASTY, address="<script>&amp;</script>")
    return dataclasses.replace(agreement(), case=dataclasses.replace(case(), parties=(first, parties()[1])))


def fonts_used(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf types the dictionary as PdfObject
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("mode", ["ttf", "cid"])
def test_nasty_names_render_literally_with_controls_stripped(mode: str) -> None:
    fonts = get_fontset() if mode == "ttf" else cid_fontset()
    if mode == "ttf" and fonts.mode != "ttf":
        pytest.skip("no CJK TrueType font on this machine")
    data = render("agreement", nasty_agreement(), "pdf", fonts=fonts)
    text = pdf_text(data)
    assert "<b>&</para>阿卜杜·热合曼䶮" in text
    assert "张三" in text and "<script>&amp;</script>" in text
    assert "\x00" not in text and "\u202e" not in text
    docx = docx_text(render("agreement", nasty_agreement(), "docx"))
    assert "<b>&</para>阿卜杜·热合曼䶮𠈌张三" in docx


def test_text_is_extractable_in_cid_mode() -> None:
    data = render("agreement", agreement(), "pdf", fonts=cid_fontset())
    used = fonts_used(data)
    assert f"/{CID_FONT}" in used and not any("+" in name for name in used)  # nothing embedded
    assert "人民币壹万贰仟元整（¥12,000.00）" in pdf_text(data)


def test_ttf_mode_embeds_a_subset() -> None:
    fonts = get_fontset()
    if fonts.mode != "ttf":
        pytest.skip("no CJK TrueType font on this machine")
    data = render("agreement", agreement(), "pdf", fonts=fonts)
    assert any("+" in name for name in fonts_used(data))  # subset tag like /AAAAAA+...
    assert "620981196805061236" in pdf_text(data)


def test_characters_missing_from_the_ttf_fall_back_to_the_cid_font() -> None:
    real = get_fontset()
    if real.mode != "ttf":
        pytest.skip("no CJK TrueType font on this machine")
    crippled = FontSet(real.primary, "ttf", real.path, real.coverage - {ord("䶮"), ord("曼")})
    data = render_pdf(b.Document("t", (b.Paragraph("阿卜杜·热合曼与䶮"),)), fonts=crippled)
    assert f"/{CID_FONT}" in fonts_used(data)
    assert "阿卜杜·热合曼与䶮" in pdf_text(data)
    assert crippled.font_for("䶮") == CID_FONT and crippled.font_for("张") == real.primary


def test_undrawable_characters_get_the_missing_mark_not_a_box() -> None:
    # Not the installed faces: a machine whose body font happens to draw 𠈌 must not change the test.
    fonts = dataclasses.replace(get_fontset(), coverage=get_fontset().coverage - {ord("𠈌")}, fallbacks=())
    assert fonts.font_for("𠈌") is None and fonts.missing("张𠈌三") == {"𠈌"}
    data = render_pdf(b.Document("t", (b.Paragraph("张𠈌三"),)), fonts=fonts)
    content = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert b" re" in content  # the 〓 bars are drawn as rectangles
    assert "张三" in pdf_text(data)  # no notdef glyph in between


def test_unusable_fonts_are_rejected() -> None:
    if NOTO.exists():
        assert load_ttf(str(NOTO)) is None  # CFF outlines: reportlab cannot embed them
    assert load_ttf("/nonexistent/font.ttf") is None


def test_configured_font_wins_and_bad_configuration_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    system = get_fontset()
    monkeypatch.setenv("MEDIATION_PDF_FONT", "/nonexistent/font.ttf")
    assert get_fontset() == system
    assert get_fontset(use_system=False).mode == "cid"
    if system.path:
        monkeypatch.setenv("MEDIATION_PDF_FONT", system.path)
        assert get_fontset(use_system=False).path == system.path


def test_clean_text_removes_controls_and_keeps_newlines() -> None:
    assert clean_text("a\x00b\u200bc\td\r\ne\ufffe") == "abc d\ne"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("620981196805061236", "620981********1236"),
        ("62098119680506123X", "620981********123X"),
        ("E12345678", "*****5678"),
        ("", ""),
    ],
)
def test_mask_id(raw: str, masked: str) -> None:
    assert mask_id(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0937-3221234", "093*****1234"),
        ("1234", "****"),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_render_to_file_is_atomic_on_cancel(tmp_path: Path) -> None:
    target = tmp_path / "ledger.pdf"
    with pytest.raises(RenderCancelled):
        render_to_file("ledger", ledger(50), "pdf", target, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(RenderCancelled):
        render_to_file("ledger", ledger(3000), "docx", target, cancelled=lambda: True)
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_render_to_file_writes_complete_file_and_reports_progress(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    path = render_to_file("ledger", ledger(120), "pdf", tmp_path / "l.pdf", progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes().startswith(b"%PDF") and path.read_bytes().rstrip().endswith(b"%%EOF")
    assert (120, 120) in seen and seen[-1] == (1, 1)
    assert [d for d, _t in seen[:-1]] == sorted(d for d, _t in seen[:-1])
    assert [p.name for p in tmp_path.iterdir()] == ["l.pdf"]
