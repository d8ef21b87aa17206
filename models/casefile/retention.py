"""保管期限 and the purge of personal data kept longer than allowed (个人信息保护法 Art. 19, 47).

Each 卷宗 category has its retention (categories.SECTIONS), counted from the day the case closed.
`purge_candidates` lists what is past it for the administrator to approve; `purge` removes exactly
the approved rows — each re-checked, all or nothing — and leaves an audited record of what was
removed. A stored file's bytes are deleted only when no other row (another attachment, an issued
document) still names them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.casefile.attachments import blob_references
from models.casefile.categories import BY_KEY
from models.casefile.entities import AgreementSigning, Attachment
from models.cases.entities import Case
from models.dto import Actor
from models.errors import ValidationFailed
from models.files.store import StoredBlob
from models.security.audit import record_event
from models.security.permissions import Permission, require


@dataclass(frozen=True)
class PurgeCandidate:
    attachment_id: int
    case_number: str
    category: str
    description: str
    size: int
    closed_on: date
    expires_on: date


@dataclass(frozen=True)
class PurgeReport:
    removed: int
    files_deleted: int
    bytes_freed: int


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def purge_candidates(session: Session, actor: Actor, today: date | None = None) -> list[PurgeCandidate]:
    """Every attachment past its category's 保管期限 (from the case's closing), oldest first."""
    require(session, actor, Permission.FILE_PURGE)
    today = today or clock.today()
    query = (select(Attachment, Case.number, Case.closed_at).join(Case, Case.id == Attachment.case_id)
             .where(Case.closed_at.is_not(None)).order_by(Case.closed_at, Attachment.id))
    found = []
    for row, number, closed_at in session.execute(query):
        if closed_at is None:  # the query keeps closed cases only
            continue
        closed_on = closed_at.astimezone().date()
        expires = add_years(closed_on, BY_KEY[row.category].retention_years)
        if expires < today:
            found.append(PurgeCandidate(row.id, number, row.category, row.description, row.size, closed_on, expires))
    return found


def purge(session: Session, actor: Actor, attachment_ids: list[int], reason: str,
          today: date | None = None) -> PurgeReport:
    """Remove the approved attachments (each must still be past its 保管期限) and audit the removal."""
    require(session, actor, Permission.FILE_PURGE)
    if not reason.strip():
        raise ValidationFailed("清理过期材料须填写审批意见或依据")
    due = {c.attachment_id: c for c in purge_candidates(session, actor, today)}
    wrong = [str(i) for i in attachment_ids if i not in due]
    if wrong:
        raise ValidationFailed(f"以下材料不存在或未过保管期限，未做任何清理：{'、'.join(wrong)}")
    if not attachment_ids:
        raise ValidationFailed("没有选择要清理的材料")
    digests = set()
    for attachment_id in dict.fromkeys(attachment_ids):
        row = session.get_one(Attachment, attachment_id)
        digests.add(row.sha256)
        for signing in session.scalars(select(AgreementSigning).where(AgreementSigning.scan_id == row.id)):
            signing.scan_id = None
        session.delete(row)
    session.flush()
    deleted, freed = 0, 0
    for key in sorted(digests):
        if blob_references(session, key) == 0:
            blob = session.get(StoredBlob, key)
            if blob is not None:
                freed += blob.size
                session.delete(blob)
                deleted += 1
    session.flush()
    removed = [{"id": c.attachment_id, "case": c.case_number, "category": c.category, "size": c.size,
                "expired": c.expires_on.isoformat()} for c in (due[i] for i in dict.fromkeys(attachment_ids))]
    record_event(session, actor, "purge", "case_attachments", None, reason=reason.strip(), removed=removed,
                 files_deleted=deleted, bytes_freed=freed)
    return PurgeReport(len(removed), deleted, freed)
