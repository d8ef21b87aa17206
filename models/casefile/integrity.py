"""What `audit verify` adds for the case file: every attachment row must still find its stored
file (the store itself reports changed content, models/files/store.verify_store)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.casefile.entities import Attachment
from models.files.store import BlobProblem, StoredBlob


def missing_files(session: Session) -> Iterator[BlobProblem]:
    query = (select(Attachment.id, Attachment.case_id, Attachment.sha256)
             .outerjoin(StoredBlob, StoredBlob.sha256 == Attachment.sha256)
             .where(StoredBlob.sha256.is_(None)).order_by(Attachment.id))
    for attachment_id, case_id, key in session.execute(query):
        yield BlobProblem(key, f"卷宗材料 {attachment_id}（案件 {case_id}）的存储文件 {key[:12]}… 已丢失")
