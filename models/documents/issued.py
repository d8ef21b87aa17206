"""Opening what the register kept (issue #12, "Issued means kept"): any issued document, as the
exact bytes that were issued (a reprint has the same SHA-256 — it is the stored file, never a
re-render), or a DOCX's PDF twin for previewing and printing.

Reading follows the rules of issuing: every case document needs 查看案件; one that printed full ID
numbers (`FULL_ID_KINDS`, or a ledger exported unmasked) also needs 出具文书 or 查看完整证件号 — an
unmasked ledger 查看完整证件号, as its export did. Every open, print and save is audited in the
caller's unit of work; one that shows full numbers is an `unmask` event, as issuing it was."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.agreements import IssuedDocument, IssuedView, issued_view
from models.cases.entities import Case
from models.documents.service import FULL_ID_KINDS, KIND_TITLES
from models.dto import Actor
from models.errors import NotFound
from models.files.store import StoredBlob, get_blob
from models.security.audit import record_event
from models.security.permissions import Permission, PermissionDenied, require

# Why a document was read, as the audit trail names it.
PURPOSES = ("打开", "打印", "另存为", "导出")


@dataclass(frozen=True)
class IssuedFile:
    """One kept file: the register row it belongs to, which of its files, and the bytes."""

    view: IssuedView
    file_format: str  # "pdf" for a DOCX's twin
    sha256: str
    data: bytes
    title: str  # e.g. "人民调解协议书 〔2026〕玉调字第3号", for window titles and file names


@dataclass(frozen=True)
class KeptView:
    """A register row as the issued-documents list shows it: is its file kept, has it a twin."""

    view: IssuedView
    title: str
    kept: bool


def full_numbers(row: IssuedDocument) -> bool:
    """Did this document print full ID numbers (and so reading it is an unmask)?"""
    if row.kind == "ledger":
        return bool(json.loads(row.snapshot or "{}").get("unmasked"))
    return row.kind in FULL_ID_KINDS


def require_reading(session: Session, actor: Actor, row: IssuedDocument) -> None:
    """Refuse unless `actor` may read `row` (the rule of the module docstring)."""
    require(session, actor, Permission.CASE_VIEW)
    if not full_numbers(row):
        return
    allowed = (Permission.PI_UNMASK,) if row.kind == "ledger" else (Permission.DOC_ISSUE, Permission.PI_UNMASK)
    for permission in allowed:
        try:
            require(session, actor, permission)
            return
        except PermissionDenied:
            continue
    needed = "或".join(p.value for p in allowed)
    raise PermissionDenied(f"该文书载有完整证件号码，须有“{needed}”权限才能打开")


def title_of(view: IssuedView) -> str:
    return f"{KIND_TITLES.get(view.kind, view.kind)} {view.number}".strip()


def open_issued(session: Session, actor: Actor, issued_id: int, *, as_pdf: bool = False,
                purpose: str = "打开") -> IssuedFile:
    """The kept bytes of register entry `issued_id` (its PDF twin with `as_pdf` when it is a DOCX),
    checked against the register's SHA-256 and audited. Needs a write session (the audit event)."""
    row = session.get(IssuedDocument, issued_id)
    if row is None:
        raise NotFound(f"登记簿中没有第 {issued_id} 号文书")
    require_reading(session, actor, row)
    view = issued_view(row)
    fmt, key = _which_file(view, as_pdf)
    if session.get(StoredBlob, key) is None:
        raise NotFound(f"登记簿第 {issued_id} 号文书出具于文件留存之前，只登记了校验值，无法重新打开")
    data = get_blob(session, key)  # re-hashed: a changed file raises TamperedBlob
    _audit(session, actor, row, purpose, fmt, key)
    return IssuedFile(view, fmt, key, data, title_of(view))


def _which_file(view: IssuedView, as_pdf: bool) -> tuple[str, str]:
    if not as_pdf or view.file_format == "pdf":
        return view.file_format, view.sha256
    if view.pdf_twin_sha256 is None:
        raise NotFound(f"登记簿第 {view.id} 号文书没有留存 PDF 副本，请另存为原文件后查看")
    return "pdf", view.pdf_twin_sha256


def _audit(session: Session, actor: Actor, row: IssuedDocument, purpose: str, fmt: str, key: str) -> None:
    detail = {"purpose": f"{purpose}已出具文书", "kind": row.kind, "case_id": row.case_id,
              "document": row.number, "format": fmt, "sha256": key}
    if full_numbers(row):
        record_event(session, actor, "unmask", "issued_documents", row.id, **detail,
                     reason="文书载有当事人完整身份证号码")
    else:
        record_event(session, actor, "read_document", "issued_documents", row.id, **detail)


def kept_documents(session: Session, actor: Actor, case_id: int) -> list[KeptView]:
    """A case's register entries, oldest first, each marked whether its file is kept."""
    require(session, actor, Permission.CASE_VIEW)
    if session.get(Case, case_id) is None:
        raise NotFound(f"案件不存在（{case_id}）")
    kept = select(StoredBlob.sha256).where(StoredBlob.sha256 == IssuedDocument.sha256).exists()
    rows = session.execute(select(IssuedDocument, kept).where(IssuedDocument.case_id == case_id)
                           .order_by(IssuedDocument.id))
    return [KeptView(issued_view(row), title_of(issued_view(row)), bool(is_kept)) for row, is_kept in rows]
