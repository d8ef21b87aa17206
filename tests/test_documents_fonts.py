"""The official type (issue #12, item 2): a serif 宋/明 body (仿宋 where the machine has it), never a
sans face; everything issued is embedded; CJK Ext-A/B names print and stay searchable; a character
no embedded face has is named; page numbers alternate for double-sided printing in the DOCX too."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from templates import blocks as b
from templates.fonts import (
    BODY_FILES,
    CID_FONT,
    NoEmbeddableFont,
    get_fontset,
    issuing_fontset,
    load_face,
)
from templates.pdf import render_pdf
from templates.render import render
from templates.samples import SAMPLES, agreement
from tests.support.templates import docx_xml, pdf_text

SANS_FILES = ("wqy-zenhei.ttc", "wqy-microhei.ttc", "simhei.ttf", "msyh.ttc", "droidsansfallbackfull.ttf")
RARE_NAMES = "阿卜杜·热合曼䶮𠈌𫠠"  # Ext-A, Ext-B and Ext-E characters in one name


def _issuing():
    try:
        return issuing_fontset()
    except NoEmbeddableFont:
        pytest.skip("no embeddable 宋/仿宋/明 TrueType face on this machine (scripts/system-deps installs one)")


def _fonts_used(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf types it as PdfObject
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_body_face_is_an_official_serif_face_never_a_sans_one() -> None:
    fonts = _issuing()
    assert fonts.path is not None
    name = Path(fonts.path).name.lower()
    assert name in BODY_FILES and name not in SANS_FILES
    assert all(Path(p).name.lower() not in SANS_FILES for p in fonts.fallbacks)


def test_an_issued_document_embeds_every_font_it_uses() -> None:
    fonts = _issuing()
    assert fonts.embedded
    data = render("agreement", agreement(), "pdf", fonts=fonts)
    used = _fonts_used(data)
    assert used and all("+" in name for name in used)  # subset tags: every face is embedded
    assert f"/{CID_FONT}" not in used


def test_rare_names_print_from_an_embedded_face_and_stay_searchable() -> None:
    fonts = _issuing()
    missing = fonts.missing(RARE_NAMES)
    if missing:
        pytest.skip(f"no Ext-A/B fallback face here (fonts-hanazono): {missing}")
    data = render_pdf(b.Document("t", (b.Paragraph(f"当事人{RARE_NAMES}签名"),)), fonts=fonts)
    assert RARE_NAMES in pdf_text(data)  # surrogate pairs in the ToUnicode map keep 𠈌 in the text layer
    assert all("+" in name for name in _fonts_used(data))


def test_the_ext_b_fallback_is_hanamin_when_the_body_lacks_it() -> None:
    fonts = _issuing()
    hana_b = [p for p in fonts.fallbacks if Path(p).name == "HanaMinB.ttf"]
    if not hana_b or ord("𫠠") in fonts.coverage:
        pytest.skip("HanaMinB not installed, or the body face already has Ext-E")
    face = load_face(hana_b[0])
    assert face is not None and fonts.font_for("𫠠") == face.name


def test_without_any_truetype_face_previews_work_but_issuing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDIATION_PDF_FONT", raising=False)
    assert get_fontset(use_system=False).mode == "cid"  # previews still draw
    with pytest.raises(NoEmbeddableFont, match="不能出具文书"):
        get_fontset(use_system=False, embedded_only=True)


def test_missing_names_characters_and_ignores_spaces() -> None:
    fonts = _issuing()
    rare = "\U00030000"  # CJK Ext-G
    if fonts.font_for(rare) is not None:
        pytest.skip("a face here covers CJK Ext-G")
    assert fonts.missing(f"张 {rare}三\n") == {rare}
    assert fonts.font_for(rare) is None  # embedded-only: no unembedded CID font stands in


def test_the_title_face_is_a_song_face_where_the_machine_has_one() -> None:
    fonts = _issuing()
    title = fonts.for_title()
    assert title.path is not None and Path(title.path).name.lower() in ("fzxbsjw.ttf", "simsun.ttc", "uming.ttc")
    assert title.for_title() is title


@pytest.mark.parametrize("double_sided", [False, True])
def test_docx_page_numbers_alternate_only_for_double_sided(double_sided: bool) -> None:
    data = render("agreement", agreement(), "docx", double_sided=double_sided)
    settings = docx_xml(data, "word/settings.xml")
    assert ("evenAndOddHeaders" in settings) == double_sided
    footers = [docx_xml(data, f"word/footer{i}.xml") for i in (1, 2) if _has_part(data, f"word/footer{i}.xml")]
    joined = "".join(footers)
    if double_sided:
        assert 'w:jc w:val="right"' in joined and 'w:jc w:val="left"' in joined
    else:
        assert 'w:jc w:val="center"' in joined


def _has_part(data: bytes, name: str) -> bool:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return name in archive.namelist()


@pytest.mark.parametrize("kind", [k for k in SAMPLES if k != "monthly-report"])
def test_every_kind_issued_uses_embedded_faces_only(kind: str) -> None:
    fonts = _issuing()
    used = _fonts_used(render(kind, SAMPLES[kind](), "pdf", fonts=fonts))
    assert used and all("+" in name for name in used), used
