"""Attachments travel with backups (a restore brings every file back byte-identical), and the
retention purge: listed, carried out only by the system administrator, audited, a stored file's
bytes deleted only when nothing else names them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from models.casefile.attachments import add_attachment, attachment_content
from models.casefile.entities import Attachment
from models.casefile.retention import purge, purge_candidates
from models.cases.entities import Case
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.files.store import StoredBlob, get_blob
from models.org.entities import Role
from models.security.audit import AuditEntry
from models.security.backup import backup_database, restore_database
from models.security.permissions import PermissionDenied
from tests.support.casefile import ACTOR, docx, jpeg, new_case, pdf, png
from tests.support.security import make_users

pytestmark = pytest.mark.usefixtures("fast_hasher")


def test_backup_and_restore_keep_every_attachment_byte_identical(demo_db: Database, tmp_path: Path) -> None:
    files = {"a.pdf": pdf("KEEP", 4), "b.jpg": jpeg("green"), "c.png": png(), "d.docx": docx("原件")}
    with demo_db.write.begin() as s:
        case_id = s.scalars(select(Case.id).order_by(Case.id)).first()
        ids = {name: add_attachment(s, case_id, filename=name, data=data, category="证据材料", actor=ACTOR).id
               for name, data in files.items()}
    backup_database(demo_db, tmp_path / "b.db", Actor())
    with demo_db.write.begin() as s:  # lose them after the backup
        s.execute(delete(Attachment))
        s.execute(delete(StoredBlob))
    restore_database(demo_db, tmp_path / "b.db", Actor())
    with demo_db.read() as s:
        for name, attachment_id in ids.items():
            assert attachment_content(s, attachment_id, ACTOR)[1] == files[name], name


POWER = pdf("POWER")


def _closed_long_ago(db: Database) -> tuple[int, str, str]:
    with db.write.begin() as s:
        case_id = new_case(s)
        scan = add_attachment(s, case_id, filename="身份证.jpg", data=jpeg(), category="当事人身份证明", actor=ACTOR)
        shared = add_attachment(s, case_id, filename="委托书.pdf", data=POWER, category="授权委托书",
                                actor=ACTOR)
        add_attachment(s, case_id, filename="同一份.pdf", data=POWER, category="调查记录", actor=ACTOR)
        case = s.get_one(Case, case_id)
        case.stage, case.closed_at = "归档", datetime(2020, 6, 1, 2, tzinfo=UTC)
    return case_id, scan.sha256, shared.sha256


def test_purge_is_listed_carried_out_by_the_system_administrator_and_audited(db: Database) -> None:
    users = make_users(db)
    _case_id, scan_key, shared_key = _closed_long_ago(db)
    admin = users[Role.SYSTEM_ADMIN]
    with db.read() as s:
        due = purge_candidates(s, admin)
    assert [(c.category, c.expires_on.isoformat()) for c in due] == [("当事人身份证明", "2023-06-01"),
                                                                     ("授权委托书", "2023-06-01")]  # 调查记录 keeps 30 years
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        purge(s, users[Role.MEDIATOR], [c.attachment_id for c in due], "到期")
    with pytest.raises(ValidationFailed, match="未过保管期限"), db.write.begin() as s:
        purge(s, admin, [*(c.attachment_id for c in due), 9999], "到期")
    with db.write.begin() as s:
        report = purge(s, admin, [c.attachment_id for c in due], "保管期限届满，经中心审批清理")
    assert (report.removed, report.files_deleted) == (2, 1)  # the power of attorney's bytes are still filed elsewhere
    with db.read() as s:
        assert s.get(StoredBlob, scan_key) is None and get_blob(s, shared_key) == POWER
        assert s.scalar(select(func.count()).select_from(Attachment)) == 1
        event = s.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert "当事人身份证明" in event.detail and "保管期限届满" in event.detail and event.user_id == admin.user_id
        assert purge_candidates(s, admin) == []
