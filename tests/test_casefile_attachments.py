"""Attachments: checked by content, stored once, personal-data categories only for those allowed
to unmask (audited), a changed or lost stored file reported."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from models.casefile import content
from models.casefile.attachments import add_attachment, attachment_content, list_attachments
from models.casefile.entities import Attachment
from models.casefile.integrity import missing_files
from models.db import Database
from models.errors import ValidationFailed
from models.files.store import StoredBlob, TamperedBlob
from models.org.entities import Role
from models.security.audit import AuditEntry
from models.security.permissions import PermissionDenied
from tests.support.casefile import ACTOR, docx, jpeg, new_case, pdf, png
from tests.support.security import make_users


def _count(db: Database, entity: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(entity)) or 0)


def test_the_same_file_attached_twice_is_stored_once(db: Database) -> None:
    scan = pdf("SCAN", pages=3)
    with db.write.begin() as s:
        case_id = new_case(s)
        first = add_attachment(s, case_id, filename="证据1.pdf", data=scan, category="证据材料", actor=ACTOR)
        second = add_attachment(s, case_id, filename="复印件.PDF", data=scan, category="调查记录", actor=ACTOR,
                                description="同一份材料")
    assert first.sha256 == second.sha256 and first.pages == 3
    assert _count(db, Attachment) == 2 and _count(db, StoredBlob) == 1
    with db.read() as s:
        assert [a.category for a in list_attachments(s, case_id, ACTOR)] == ["调查记录", "证据材料"]  # 卷宗 order


@pytest.mark.parametrize(("name", "data", "message"), [
    ("协议.pdf", png(), "内容是PNG 图片，与文件名所示的PDF 文件不符"),
    ("照片.jpg", b"just some text, not a photo", "不是可接受的图片、PDF 或 Word"),
    ("合同.docx", b"PK\x03\x04" + b"\0" * 40, "不是可接受的图片、PDF 或 Word"),
    ("空.png", b"", "空文件"),
    ("坏.pdf", b"%PDF-1.4\n garbage", "已损坏"),
    ("坏.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "图片已损坏"),
])
def test_a_file_whose_content_is_not_what_it_says_is_refused_and_nothing_is_written(
        db: Database, name: str, data: bytes, message: str) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
    with pytest.raises(ValidationFailed, match=message), db.write.begin() as s:
        add_attachment(s, case_id, filename=name, data=data, category="证据材料", actor=ACTOR)
    assert _count(db, Attachment) == 0 and _count(db, StoredBlob) == 0


def test_every_accepted_type_is_recognised_by_content_not_by_name(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
        types = [add_attachment(s, case_id, filename=name, data=data, category="证据材料", actor=ACTOR).media_type
                 for name, data in (("a", jpeg()), ("b.bin", png()), ("c", pdf("X")), ("d.docx", docx()))]
    assert types == ["jpeg", "png", "pdf", "docx"]


def test_a_file_over_the_size_limit_is_refused(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content, "MAX_ATTACHMENT_BYTES", 100)
    with db.write.begin() as s:
        case_id = new_case(s)
    with pytest.raises(ValidationFailed, match="过大"), db.write.begin() as s:
        add_attachment(s, case_id, filename="大.pdf", data=pdf("BIG"), category="证据材料", actor=ACTOR)


def test_a_changed_stored_file_is_reported_and_a_lost_one_too(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
        kept = add_attachment(s, case_id, filename="a.pdf", data=pdf("A"), category="证据材料", actor=ACTOR)
        lost = add_attachment(s, case_id, filename="b.png", data=png(), category="证据材料", actor=ACTOR)
        s.execute(update(StoredBlob).where(StoredBlob.sha256 == kept.sha256).values(content=b"%PDF forged"))
        s.execute(delete(StoredBlob).where(StoredBlob.sha256 == lost.sha256))
    with db.read() as s, pytest.raises(TamperedBlob, match="已被改动"):
        attachment_content(s, kept.id, ACTOR)
    with db.read() as s:
        assert [p.sha256 for p in missing_files(s)] == [lost.sha256]


def test_id_card_scans_only_for_those_allowed_to_unmask_and_audited(db: Database) -> None:
    users = make_users(db)
    with db.write.begin() as s:
        case_id = new_case(s)
        scan = add_attachment(s, case_id, filename="身份证.jpg", data=jpeg(), category="当事人身份证明",
                              actor=ACTOR, description="张三身份证正反面")
    with db.read() as s:
        clerk_view = list_attachments(s, case_id, users[Role.CLERK])[0]
        mediator_view = list_attachments(s, case_id, users[Role.MEDIATOR])[0]
    assert clerk_view.restricted and "张三" not in clerk_view.description and clerk_view.filename == "—"
    assert not mediator_view.restricted and mediator_view.description == "张三身份证正反面"
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        attachment_content(s, scan.id, users[Role.CLERK], reason="核对")
    with pytest.raises(PermissionDenied, match="理由"), db.write.begin() as s:
        attachment_content(s, scan.id, users[Role.MEDIATOR])
    with db.write.begin() as s:
        _row, data = attachment_content(s, scan.id, users[Role.MEDIATOR], reason="核对当事人身份")
    assert data == jpeg()
    with db.read() as s:
        events = s.scalars(select(AuditEntry).where(AuditEntry.action == "unmask", AuditEntry.entity == "case_attachments"))
        assert [e.entity_id for e in events] == [str(scan.id)]
