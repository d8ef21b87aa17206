"""The content-addressed store (SHA-256) for issued documents and case attachments.

Why in the database and not in a folder: on PostgreSQL every desk must read the same files, and a
shared network folder would be a second thing to secure, back up and keep consistent with the rows
that point at it. In the database the files travel with every backup and restore (the SQLite copy,
pg_dump), fall under the same two-role permissions, and commit or roll back with the record that
names them — nothing is ever written half. The cost is database size; `MAX_BLOB_BYTES` bounds one
file (a scanned 卷宗 item is a few MB).

A file is stored once however often it is added (its key is its digest). Every read re-hashes the
content, so a stored file changed behind the application's back is detected (`TamperedBlob`), and
`verify_store` reports every such file for `audit verify`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.errors import DomainError, NotFound

MAX_BLOB_BYTES = 50 * 1024 * 1024


class TamperedBlob(DomainError):
    """A stored file whose content no longer matches the digest it was stored under."""


class StoredBlob(Base):
    """One file's bytes under their SHA-256. Rows are only ever added (never updated)."""

    __tablename__ = "stored_blobs"
    # The digest is longer than the audit trail's entity id, and the rows that point at a blob
    # (issued documents, attachments) are audited themselves.
    __audit__ = False
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class BlobProblem:
    sha256: str
    message: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(session: Session, data: bytes) -> str:
    """Store `data` (once) and return its SHA-256."""
    if len(data) > MAX_BLOB_BYTES:
        raise DomainError(f"文件过大（{len(data) / 1048576:.1f} MB），单个文件不得超过 {MAX_BLOB_BYTES // 1048576} MB")
    key = digest(data)
    if session.get(StoredBlob, key) is None:
        session.add(StoredBlob(sha256=key, size=len(data), content=data))
        session.flush()
    return key


def has_blob(session: Session, sha256: str) -> bool:
    return session.scalar(select(StoredBlob.sha256).where(StoredBlob.sha256 == sha256)) is not None


def get_blob(session: Session, sha256: str) -> bytes:
    """The stored bytes, checked against their digest."""
    blob = session.get(StoredBlob, sha256)
    if blob is None:
        raise NotFound(f"存储的文件不存在（{sha256[:12]}…）")
    data = bytes(blob.content)
    if digest(data) != sha256:
        raise TamperedBlob(f"存储的文件已被改动（{sha256[:12]}…），内容与登记的校验值不符")
    return data


def verify_store(session: Session, batch: int = 50) -> Iterator[BlobProblem]:
    """Every stored file whose content no longer matches its digest or size (read in batches, so a
    large store is checked in flat memory)."""
    keys = list(session.scalars(select(StoredBlob.sha256).order_by(StoredBlob.sha256)))
    for start in range(0, len(keys), batch):
        rows = session.execute(select(StoredBlob.sha256, StoredBlob.size, StoredBlob.content)
                               .where(StoredBlob.sha256.in_(keys[start:start + batch])))
        for key, size, content in rows:
            data = bytes(content)
            if digest(data) != key or len(data) != size:
                yield BlobProblem(key, f"存储的文件 {key[:12]}… 已被改动")
