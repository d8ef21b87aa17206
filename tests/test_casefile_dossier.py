"""The dossier PDF: cover, 卷内目录, then every item in archival order, each item page stamped with
the 页号 its 卷内目录 line gives (read back from the file), and the back cover."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from models.casefile.attachments import add_attachment
from models.casefile.dossier import build_dossier, dossier_items
from models.db import Database
from models.documents.service import issue
from models.errors import DomainError
from models.org.entities import Role
from tests.support.casefile import ACTOR, docx, jpeg, new_case, pdf
from tests.support.security import make_users


def _stamp_of(page) -> str:
    """The text drawn in the top band of the page's right side (where the 页号 is stamped)."""
    found: list[str] = []
    height, width = float(page.mediabox.height), float(page.mediabox.width)

    def visit(text, _cm, tm, _font, _size) -> None:
        if text.strip() and tm[5] > height - 50 and tm[4] > width - 120:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return "".join(found)


def _case_with_items(db: Database) -> int:
    with db.write.begin() as s:
        case_id = new_case(s)
        add_attachment(s, case_id, filename="证据.pdf", data=pdf("EVIDENCE", 3), category="证据材料", actor=ACTOR,
                       description="排水沟照片说明")
        add_attachment(s, case_id, filename="告知书.pdf", data=pdf("NOTICE"), category="权利义务告知书", actor=ACTOR)
        add_attachment(s, case_id, filename="现场.jpg", data=jpeg(), category="证据材料", actor=ACTOR)
        add_attachment(s, case_id, filename="说明.docx", data=docx(), category="卷宗情况说明", actor=ACTOR)
        issue(s, "intake-form", case_id, "pdf", ACTOR)
        issue(s, "intake-form", case_id, "docx", ACTOR)  # the same document in two formats: one line
    return case_id


def test_dossier_page_order_and_numbers_match_its_contents(db: Database, tmp_path: Path) -> None:
    case_id = _case_with_items(db)
    with db.write.begin() as s:
        result = build_dossier(s, case_id, tmp_path / "卷宗.pdf", ACTOR)
    titles = [e.title for e in result.entries]
    assert titles == ["人民调解申请书或受理登记表", "人民调解当事人权利义务告知书（告知书.pdf）",
                      "人民调解证据材料（排水沟照片说明）", "人民调解证据材料（现场.jpg）", "卷宗情况说明（说明.docx）", "封底"]
    reader = PdfReader(result.path)
    assert len(reader.pages) == result.pages
    markers = {1: "受理登记表", 2: "NOTICE-1", 3: "EVIDENCE-1", 4: "EVIDENCE-2", 5: "EVIDENCE-3"}
    for entry in result.entries:
        first, _, last = entry.pages.partition("-")
        for number in range(int(first), int(last or first) + 1):
            page = reader.pages[result.front_pages + number - 1]
            assert _stamp_of(page) == str(number), (entry.title, number)
            if number in markers:
                assert markers[number] in re.sub(r"\s+", "", page.extract_text()), (entry.title, number)
    contents = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages[:result.front_pages]))
    assert "卷内目录" in contents and "3-5" in contents and "本卷共" in re.sub(r"\s+", "", reader.pages[-1].extract_text())
    assert [e.pages for e in result.entries][1:] == ["2", "3-5", "6", "7", "8"]


def test_the_contents_list_one_row_per_issued_document_not_per_format(db: Database) -> None:
    case_id = _case_with_items(db)
    with db.read() as s:
        rows = [i for i in dossier_items(s, case_id) if i.kind]
    assert len(rows) == 1 and len(rows[0].issued_ids) == 2


def test_a_dossier_with_id_card_scans_needs_the_right_to_unmask(db: Database, tmp_path: Path) -> None:
    users = make_users(db)
    with db.write.begin() as s:
        case_id = new_case(s)
        add_attachment(s, case_id, filename="身份证.jpg", data=jpeg(), category="当事人身份证明", actor=ACTOR)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DomainError, match="无权查看完整证件号"), db.write.begin() as s:
        build_dossier(s, case_id, out / "x.pdf", users[Role.CLERK])
    assert list(out.iterdir()) == []  # nothing written, not even half
    with db.write.begin() as s:
        result = build_dossier(s, case_id, out / "x.pdf", users[Role.MEDIATOR])
    assert len(PdfReader(io.BytesIO(result.path.read_bytes())).pages) == result.pages
