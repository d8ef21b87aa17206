"""Attachments of a case: add (checked by content, stored once), list (metadata only, so a case
with a hundred files lists at once), read (ID-card scans only for users allowed to unmask,
audited), and the references that keep a stored file alive.

Every function takes the caller's session and never commits: a refused file leaves no row and no
stored bytes (the unit of work rolls back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.casefile.categories import BY_KEY, check_category
from models.casefile.content import IMAGE_TYPES, check_file, check_image, page_count
from models.casefile.entities import Attachment
from models.cases.agreements import IssuedDocument
from models.cases.entities import Party
from models.cases.service import load_case
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.files.store import get_blob, put_blob
from models.org.entities import User
from models.security.audit import record_event
from models.security.permissions import Permission, PermissionDenied, permissions_of, require

RESTRICTED_NOTE = "（身份证明材料，仅限有权查看完整证件号的人员查看）"


@dataclass(frozen=True)
class AttachmentView:
    id: int
    case_id: int
    category: str
    description: str
    party: str
    filename: str
    media_type: str
    sha256: str
    size: int
    pages: int
    added_at: datetime
    restricted: bool  # a personal-data category the viewer may not open (shown as a note only)


def add_attachment(session: Session, case_id: int, *, filename: str, data: bytes, category: str, actor: Actor,
                   description: str = "", party_id: int | None = None) -> AttachmentView:
    """File `data` in the case under `category`; the bytes are stored once however often added."""
    require(session, actor, Permission.CASE_EDIT)
    section = check_category(category)
    case = load_case(session, case_id)
    name = PurePath(filename).name.strip() or "未命名文件"
    media_type = check_file(name, data)
    if media_type in IMAGE_TYPES:
        check_image(data, name)
    pages = page_count(media_type, data, name)
    if party_id is not None:
        party = session.get(Party, party_id)
        if party is None or party.case_id != case.id:
            raise ValidationFailed("所选当事人不属于本案", {"party_id": "请选择本案的当事人"})
    row = Attachment(case_id=case.id, category=section.key, description=description.strip(), party_id=party_id,
                     filename=name[:200], media_type=media_type, sha256=put_blob(session, data), size=len(data),
                     pages=pages, added_by_id=actor.user_id)
    session.add(row)
    session.flush()
    return _view(row, _party_names(session, case.id), restricted=False)


def may_unmask(session: Session, actor: Actor) -> bool:
    if actor.user_id is None:
        return True
    user = session.get(User, actor.user_id)
    return user is not None and Permission.PI_UNMASK in permissions_of(user.role)


def list_attachments(session: Session, case_id: int, actor: Actor) -> list[AttachmentView]:
    """The case's files in 卷宗 order, without their bytes (one query; a hundred rows list at once)."""
    require(session, actor, Permission.CASE_VIEW)
    unmask = may_unmask(session, actor)
    names = _party_names(session, case_id)
    order = {key: i for i, key in enumerate(BY_KEY)}
    rows = session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)).all()
    rows = sorted(rows, key=lambda r: (order.get(r.category, len(order)), r.id))
    return [_view(r, names, restricted=BY_KEY[r.category].personal and not unmask) for r in rows]


def _party_names(session: Session, case_id: int) -> dict[int, str]:
    return dict(session.execute(select(Party.id, Party.name).where(Party.case_id == case_id)).all())


def _view(row: Attachment, names: dict[int, str], *, restricted: bool) -> AttachmentView:
    section = BY_KEY.get(row.category)
    hidden = restricted and section is not None and section.personal
    return AttachmentView(
        row.id, row.case_id, row.category, RESTRICTED_NOTE if hidden else row.description,
        names.get(row.party_id or 0, ""), "—" if hidden else row.filename, row.media_type, row.sha256, row.size,
        row.pages, row.added_at, hidden,
    )


def load_attachment(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"卷宗材料不存在（编号 {attachment_id}）")
    return row


def attachment_content(session: Session, attachment_id: int, actor: Actor, *, purpose: str = "屏幕查看",
                       reason: str = "") -> tuple[Attachment, bytes]:
    """The file's bytes (checked against their digest). A personal-data category (ID-card scans)
    needs 查看完整证件号 and is audited with the reason, like an unmasked ID number."""
    require(session, actor, Permission.CASE_VIEW)
    row = load_attachment(session, attachment_id)
    if BY_KEY[row.category].personal:
        require(session, actor, Permission.PI_UNMASK)
        if not reason.strip():
            raise PermissionDenied("查看身份证明材料须填写理由")
        record_event(session, actor, "unmask", "case_attachments", row.id, field="attachment", purpose=purpose,
                     reason=reason.strip(), category=row.category, case_id=row.case_id)
    return row, get_blob(session, row.sha256)


def blob_references(session: Session, sha256: str) -> int:
    """How many rows still name this stored file (attachments and issued documents)."""
    attached = session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256))
    issued = session.scalar(select(func.count()).select_from(IssuedDocument).where(IssuedDocument.sha256 == sha256))
    return int(attached or 0) + int(issued or 0)
