"""Saving edits without losing anyone's work.

- `save_case_edits` applies a form's changes to a case only if the case is still at the version the
  user started from; the ORM's version column makes the UPDATE itself conditional, so two desks
  racing cannot both win (no lost update). A refused save raises EditConflict with who changed the
  case and when.
- `save_keeping_draft` wraps one save: on success the form's draft is deleted; on a conflict or a
  lost connection the user's input is written to the draft store first, so nothing typed is lost
  and the user can reload, compare and re-apply."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from models.cases.drafts import DraftStore
from models.cases.entities import Case
from models.dto import Actor
from models.errors import DatabaseUnavailable, EditConflict, ValidationFailed
from models.org.entities import User
from models.security.audit import AuditEntry, format_time
from models.security.permissions import Permission, require_on_case_id

EDITABLE_CASE_FIELDS = frozenset({
    "summary", "facts", "claims", "risk_colour", "complexity", "amount", "people_involved",
    "mediation_kind", "docking_channel", "outcome_note", "mediator_id", "desk_id", "org_unit_id",
})
T = TypeVar("T")


def save_case_edits(session: Session, case_id: int, base_version: int, changes: Mapping[str, Any],
                    actor: Actor) -> int:
    """Apply `changes` to the case the user loaded at `base_version`; returns the new version."""
    require_on_case_id(session, actor, Permission.CASE_EDIT, case_id)
    unknown = set(changes) - EDITABLE_CASE_FIELDS
    if unknown:
        raise ValidationFailed(f"这些字段不能在此修改：{'、'.join(sorted(unknown))}")
    case = session.get(Case, case_id, populate_existing=True)
    if case is None or case.version != base_version:
        raise conflict(session, "cases", case_id, "案件")
    for field, value in changes.items():
        setattr(case, field, value)
    try:
        session.flush()
    except StaleDataError as exc:  # another desk committed between our read and our UPDATE
        session.rollback()  # the failed flush spoilt the transaction; a fresh one names the winner
        raise conflict(session, "cases", case_id, "案件") from exc
    return case.version


def conflict(session: Session, entity: str, record_id: int, label: str) -> EditConflict:
    return EditConflict(f"此{label}已被{last_changed_by(session, entity, record_id)}修改，您的修改未保存，"
                        "已保留为草稿。请重新载入，比较后再次提交。")


def last_changed_by(session: Session, entity: str, record_id: int) -> str:
    """'张三（2025-03-05 14:02）' from the audit trail, or '其他用户' when unknown."""
    try:
        row = session.execute(
            select(AuditEntry.user_id, AuditEntry.at)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(record_id))
            .order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
    except SQLAlchemyError:
        return "其他用户"  # the name is a courtesy: never let it hide the conflict itself
    if row is None:
        return "其他用户"
    name = session.scalar(select(User.display_name).where(User.id == row.user_id)) if row.user_id else None
    return f"{name or '其他用户'}（{format_time(row.at)[:16].replace('T', ' ')} UTC）"


def save_keeping_draft(write: sessionmaker[Session], drafts: DraftStore, *, user_id: int | None, form: str,
                       payload: dict[str, Any], save: Callable[[Session], T], record_id: int | None = None,
                       base_version: int | None = None) -> T:
    """Run `save` in one transaction; keep `payload` as a draft if the save cannot be committed."""
    try:
        with write.begin() as session:
            result = save(session)
    except EditConflict:
        drafts.save(user_id, form, payload, record_id=record_id, base_version=base_version, reason="保存冲突")
        raise
    except (DatabaseUnavailable, DBAPIError) as exc:
        kept = drafts.save(user_id, form, payload, record_id=record_id, base_version=base_version, reason="连接中断")
        if isinstance(exc, DBAPIError) and not exc.connection_invalidated and not _is_connection_error(exc):
            raise
        raise DatabaseUnavailable(f"无法连接数据库服务器，您填写的内容已保存为草稿（{drafts.path_of(kept)}），"
                                  "连接恢复后可继续提交") from exc
    drafts.discard(user_id, form, record_id)
    return result


def _is_connection_error(exc: DBAPIError) -> bool:
    text = str(exc.orig or exc).lower()
    return any(word in text for word in ("connection", "server closed", "could not connect", "terminat"))
