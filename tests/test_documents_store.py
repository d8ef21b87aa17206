"""Issued means kept (issue #12): every issued document's file is kept in the store under its
register SHA-256, a DOCX beside its PDF twin; a reprint is those bytes again (same SHA-256), read
with the permission issuing needed and audited; a changed file is refused and reported; the
command line gets any kept file back."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.cases.agreements import IssuedDocument, issue_document
from models.db import Database
from models.documents.issued import kept_documents, open_issued
from models.documents.service import (
    LedgerFilter,
    issue,
    ledger_context,
    record_issue,
    record_ledger_issue,
    render_for_issue,
    render_ledger,
)
from models.dto import Actor
from models.errors import NotFound
from models.files.store import StoredBlob, TamperedBlob, get_blob
from models.org.entities import Role
from models.security.audit import AuditEntry
from models.security.permissions import PermissionDenied
from tests.support.cli_signin import main_as
from tests.support.documents import FULL_ID, db_url, pdf_text, written_case
from tests.support.security import make_users

SYSTEM = Actor()


def _issue(db: Database, kind: str, fmt: str, actor: Actor = SYSTEM) -> tuple[bytes, int]:
    case = written_case(db)
    with db.write.begin() as s:
        data, view = issue(s, kind, case.id, fmt, actor)  # type: ignore[arg-type]  # "pdf"/"docx" literals
    return data, view.id


def _blob_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(StoredBlob)) or 0


def _events(db: Database, issued_id: int) -> list[tuple[str, dict]]:
    with db.read() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.entity == "issued_documents", AuditEntry.entity_id == str(issued_id),
            AuditEntry.action.in_(("read_document", "unmask"))).order_by(AuditEntry.seq))
        return [(action, json.loads(detail)) for action, detail in rows]


# --- kept in the store ---------------------------------------------------------------------------

def test_issuing_keeps_the_file_under_its_register_sha256(demo_db: Database) -> None:
    data, issued_id = _issue(demo_db, "agreement", "pdf")
    with demo_db.read() as s:
        row = s.get(IssuedDocument, issued_id)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert get_blob(s, row.sha256) == data
        assert row.pdf_twin_sha256 is None  # a PDF is its own printable form


def test_a_reprint_is_the_issued_file_byte_for_byte(demo_db: Database) -> None:
    data, issued_id = _issue(demo_db, "mediation-record", "pdf")
    reprints = []
    for purpose in ("打开", "打印", "另存为"):
        with demo_db.write.begin() as s:
            reprints.append(open_issued(s, SYSTEM, issued_id, purpose=purpose))
    assert {r.data for r in reprints} == {data}
    assert {r.sha256 for r in reprints} == {hashlib.sha256(data).hexdigest()}
    assert [e[1]["purpose"] for e in _events(demo_db, issued_id)] == ["打开已出具文书", "打印已出具文书", "另存为已出具文书"]


def test_a_docx_is_kept_with_a_pdf_twin_of_the_same_document(demo_db: Database) -> None:
    data, issued_id = _issue(demo_db, "agreement", "docx")
    with demo_db.write.begin() as s:
        original = open_issued(s, SYSTEM, issued_id)
        twin = open_issued(s, SYSTEM, issued_id, as_pdf=True)
    assert original.data == data and data.startswith(b"PK") and original.file_format == "docx"
    assert twin.data.startswith(b"%PDF") and twin.file_format == "pdf"
    assert twin.sha256 == original.view.pdf_twin_sha256 == hashlib.sha256(twin.data).hexdigest()
    assert original.view.number in pdf_text(twin.data)
    assert all(name in pdf_text(twin.data) for name in written_case(demo_db).party_names)


def test_a_ledger_docx_is_kept_with_its_pdf_twin(demo_db: Database) -> None:
    with demo_db.read() as s:
        context = ledger_context(s, LedgerFilter(), "测试")
        data = render_ledger(context, "docx")
        twin = render_ledger(context, "pdf")
    with demo_db.write.begin() as s:
        view = record_ledger_issue(s, context, "docx", data, SYSTEM, pdf_twin=twin)
    with demo_db.write.begin() as s:
        assert open_issued(s, SYSTEM, view.id).data == data
        assert open_issued(s, SYSTEM, view.id, as_pdf=True).data == twin


def test_rendering_happens_before_the_short_write(demo_db: Database) -> None:
    """render_for_issue reads only (a read session, no write lock); record_issue files it."""
    case = written_case(demo_db)
    with demo_db.read() as s:
        stored = _blob_count(s)  # the demo's own scans are already kept
        rendered = render_for_issue(s, "agreement", case.id, "docx", SYSTEM)
        assert _blob_count(s) == stored
    with demo_db.write.begin() as s:
        view = record_issue(s, rendered, SYSTEM)
    with demo_db.read() as s:
        assert get_blob(s, view.sha256) == rendered.data
        assert get_blob(s, view.pdf_twin_sha256) == rendered.pdf_twin
    assert [action for action, _ in _events(demo_db, view.id)] == ["unmask"]  # as issue() always did


def test_the_same_file_issued_twice_is_stored_once(demo_db: Database) -> None:
    with demo_db.write.begin() as s:
        stored = _blob_count(s)  # the demo's own scans are already kept
        first = issue_document(s, kind="ledger", number="台账一", file_format="pdf", content=b"%PDF same", snapshot={},
                               actor=SYSTEM)
        second = issue_document(s, kind="ledger", number="台账二", file_format="pdf", content=b"%PDF same", snapshot={},
                                actor=SYSTEM)
        assert first.sha256 == second.sha256
        assert _blob_count(s) == stored + 1


# --- what cannot be opened ------------------------------------------------------------------------

def test_a_changed_stored_file_is_refused_and_reported(demo_db: Database, capsys, tmp_path) -> None:
    data, issued_id = _issue(demo_db, "agreement", "pdf")
    key = hashlib.sha256(data).hexdigest()
    with demo_db.write.begin() as s:
        s.execute(update(StoredBlob).where(StoredBlob.sha256 == key).values(content=data.replace(b"%PDF", b"%PDX", 1)))
    with demo_db.write.begin() as s, pytest.raises(TamperedBlob, match="已被改动"):
        open_issued(s, SYSTEM, issued_id)
    target = tmp_path / "reprint.pdf"
    code = main_as(Role.MEDIATOR, ["--db", db_url(demo_db), "document", "get", str(issued_id), "-o", str(target)])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and "已被改动" in err and not target.exists()
    code = main_as(Role.AUDIT_ADMIN, ["--db", db_url(demo_db), "audit", "verify"])
    assert code == 1 and f"{key[:12]}… 已被改动" in capsys.readouterr().err


def test_a_document_issued_before_files_were_kept_says_so(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:  # what 0004–0015 recorded: the hash, no file
        row = IssuedDocument(case_id=case.id, kind="intake-form", number="旧登记", file_format="pdf", snapshot="{}",
                             sha256="0" * 64, size=10)
        s.add(row)
        s.flush()
        old_id = row.id
    with demo_db.write.begin() as s, pytest.raises(NotFound, match="出具于文件留存之前"):
        open_issued(s, SYSTEM, old_id)
    with demo_db.read() as s:
        assert [k.kept for k in kept_documents(s, SYSTEM, case.id)] == [False]


def test_a_pdf_twin_is_asked_of_a_pdf_gives_the_pdf_and_a_missing_entry_is_named(demo_db: Database) -> None:
    data, issued_id = _issue(demo_db, "intake-form", "pdf")
    with demo_db.write.begin() as s:
        assert open_issued(s, SYSTEM, issued_id, as_pdf=True).data == data
        with pytest.raises(NotFound, match="登记簿中没有第 999 号文书"):
            open_issued(s, SYSTEM, 999)


# --- permissions: the rules of issuing ------------------------------------------------------------

def test_reading_follows_the_permissions_of_issuing(demo_db: Database) -> None:
    actors = make_users(demo_db)
    _agreement, agreement_id = _issue(demo_db, "agreement", "pdf")  # full ID numbers
    _intake, intake_id = _issue(demo_db, "intake-form", "pdf")
    allowed = {  # role → (agreement, intake form)
        Role.MEDIATOR: (True, True),  # 出具文书
        Role.CLERK: (True, True),  # 出具文书
        Role.LIAISON: (True, True),  # 查看完整证件号
        Role.GRID_WORKER: (False, True),  # 查看案件 only
        Role.DEPT_LIAISON: (False, True),
        Role.SYSTEM_ADMIN: (False, False),  # no 查看案件
        Role.AUDIT_ADMIN: (False, False),
    }
    for role, expected in allowed.items():
        for issued_id, may in zip((agreement_id, intake_id), expected, strict=True):
            with demo_db.write.begin() as s:
                if may:
                    assert open_issued(s, actors[role], issued_id).data
                else:
                    with pytest.raises(PermissionDenied):
                        open_issued(s, actors[role], issued_id)
    with demo_db.write.begin() as s, pytest.raises(PermissionDenied, match="出具文书或查看完整证件号"):
        open_issued(s, actors[Role.GRID_WORKER], agreement_id)


def test_opening_full_numbers_is_an_unmask_event_and_others_a_read(demo_db: Database) -> None:
    actors = make_users(demo_db)
    _data, agreement_id = _issue(demo_db, "agreement", "pdf")
    _data, intake_id = _issue(demo_db, "intake-form", "pdf")
    with demo_db.write.begin() as s:
        open_issued(s, actors[Role.LIAISON], agreement_id, purpose="打印")
        open_issued(s, actors[Role.LIAISON], intake_id)
    action, detail = _events(demo_db, agreement_id)[-1]
    assert action == "unmask" and detail["purpose"] == "打印已出具文书" and detail["reason"]
    assert _events(demo_db, intake_id)[-1][0] == "read_document"
    with demo_db.read() as s:
        user_ids = s.scalars(select(AuditEntry.user_id).where(AuditEntry.entity == "issued_documents")
                             .order_by(AuditEntry.seq.desc()).limit(2)).all()
    assert set(user_ids) == {actors[Role.LIAISON].user_id}


def test_an_unmasked_ledger_needs_the_unmask_permission_to_reopen(demo_db: Database) -> None:
    actors = make_users(demo_db)
    with demo_db.write.begin() as s:
        masked = issue_document(s, kind="ledger", number="台账", file_format="pdf", content=b"%PDF masked",
                                snapshot={"unmasked": False}, actor=SYSTEM)
        full = issue_document(s, kind="ledger", number="台账", file_format="pdf", content=b"%PDF full",
                              snapshot={"unmasked": True}, actor=SYSTEM)
    with demo_db.write.begin() as s:
        assert open_issued(s, actors[Role.CLERK], masked.id).data == b"%PDF masked"
        with pytest.raises(PermissionDenied, match="查看完整证件号"):
            open_issued(s, actors[Role.CLERK], full.id)  # 出具文书 is not enough: the export needed 查看完整证件号
    with demo_db.write.begin() as s:
        assert open_issued(s, actors[Role.LEADER], full.id).data == b"%PDF full"


# --- the command line -----------------------------------------------------------------------------

def test_cli_document_get_writes_the_issued_file_again(demo_db: Database, capsys, tmp_path) -> None:
    case = written_case(demo_db)
    issued = tmp_path / "协议.docx"
    assert main_as(Role.MEDIATOR, ["--db", db_url(demo_db), "render", "agreement", case.number, "-o", str(issued)]) == 0
    with demo_db.read() as s:
        row = s.scalars(select(IssuedDocument)).one()
        assert row.sha256 == hashlib.sha256(issued.read_bytes()).hexdigest() and row.pdf_twin_sha256
    capsys.readouterr()
    copy = tmp_path / "重印.docx"
    assert main_as(Role.CLERK, ["--db", db_url(demo_db), "document", "get", str(row.id), "-o", str(copy)]) == 0
    assert copy.read_bytes() == issued.read_bytes() and row.sha256[:16] in capsys.readouterr().out
    twin = tmp_path / "重印.pdf"
    assert main_as(Role.CLERK, ["--db", db_url(demo_db), "document", "get", str(row.id), "--pdf", "-o", str(twin)]) == 0
    assert hashlib.sha256(twin.read_bytes()).hexdigest() == row.pdf_twin_sha256
    text = pdf_text(twin.read_bytes())
    assert row.number in text and FULL_ID.search(text)
    code = main_as(Role.MEDIATOR, ["--db", db_url(demo_db), "documents", case.number])
    assert code == 0 and "docx+pdf" in capsys.readouterr().out


def test_cli_document_get_refuses_in_one_line_and_writes_nothing(demo_db: Database, capsys, tmp_path) -> None:
    _data, issued_id = _issue(demo_db, "agreement", "pdf")
    target = tmp_path / "a.pdf"
    for role, args, expected in (
        (Role.GRID_WORKER, [str(issued_id)], "完整证件号"),
        (Role.MEDIATOR, ["4242"], "登记簿中没有第 4242 号文书"),
    ):
        code = main_as(role, ["--db", db_url(demo_db), "document", "get", *args, "-o", str(target)])
        err = capsys.readouterr().err.strip()
        assert code != 0 and len(err.splitlines()) == 1 and expected in err, err
        assert not target.exists()
    before = len(_events(demo_db, issued_id))
    code = main_as(Role.MEDIATOR, ["--db", db_url(demo_db), "document", "get", str(issued_id), "-o",
                                   str(tmp_path / "missing" / "a.pdf")])
    assert code != 0 and "输出目录不存在" in capsys.readouterr().err
    assert len(_events(demo_db, issued_id)) == before  # nothing written, nothing audited


def test_kept_files_and_twins_on_both_databases(db: Database) -> None:
    """The register row and its files in one transaction, read back byte for byte (SQLite and
    PostgreSQL: bytea and BLOB alike)."""
    docx, twin = b"PK\x03\x04" + bytes(range(256)) * 40, b"%PDF-1.4 twin" + bytes(range(256))
    with db.write.begin() as s:
        view = issue_document(s, kind="ledger", number="台账", file_format="docx", content=docx, snapshot={},
                              actor=SYSTEM, pdf_twin=twin)
    with db.write.begin() as s:
        assert open_issued(s, SYSTEM, view.id).data == docx
        assert open_issued(s, SYSTEM, view.id, as_pdf=True).data == twin
    with db.write.begin() as s, pytest.raises(PermissionDenied):  # an unknown account reads nothing
        open_issued(s, Actor(user_id=10_000), view.id)
