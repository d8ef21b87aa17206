"""The content-addressed store: one copy per content, every read checked, a changed file reported
(by `get_blob` and by `audit verify`), on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from models.db import Database
from models.errors import DomainError
from models.files import store
from models.files.store import StoredBlob, TamperedBlob, get_blob, put_blob, verify_store
from tests.conftest import Cli
from tests.support.documents import db_url

SCAN = b"%PDF-1.4 signed agreement scan" * 100


def test_the_same_file_is_kept_once(db: Database) -> None:
    with db.write.begin() as s:
        first = put_blob(s, SCAN)
    with db.write.begin() as s:
        assert put_blob(s, SCAN) == first
        assert s.scalar(select(func.count()).select_from(StoredBlob)) == 1
    with db.read() as s:
        assert get_blob(s, first) == SCAN


def test_a_changed_stored_file_is_detected(db: Database) -> None:
    with db.write.begin() as s:
        key = put_blob(s, SCAN)
        other = put_blob(s, b"untouched")
    with db.write.begin() as s:
        s.execute(update(StoredBlob).where(StoredBlob.sha256 == key).values(content=SCAN + b"!"))
    with db.read() as s, pytest.raises(TamperedBlob, match="已被改动"):
        get_blob(s, key)
    with db.read() as s:
        assert [p.sha256 for p in verify_store(s, batch=1)] == [key]
        assert get_blob(s, other) == b"untouched"


def test_a_file_over_the_limit_is_refused_before_it_is_stored(db: Database,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_BLOB_BYTES", 10)
    with db.write.begin() as s, pytest.raises(DomainError, match="文件过大"):
        put_blob(s, b"x" * 11)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StoredBlob)) == 0


def test_audit_verify_reports_a_changed_file(cli: Cli, demo_db: Database) -> None:
    with demo_db.write.begin() as s:
        key = put_blob(s, SCAN)
    assert cli("--db", db_url(demo_db), "audit", "verify")[0] == 0
    with demo_db.write.begin() as s:
        s.execute(update(StoredBlob).where(StoredBlob.sha256 == key).values(content=b"forged"))
    code, _, err = cli("--db", db_url(demo_db), "audit", "verify")
    assert code == 1 and f"{key[:12]}… 已被改动" in err
