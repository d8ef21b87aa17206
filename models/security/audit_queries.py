"""What the audit administrator reads: the trail, newest first, filtered by person, record kind,
action and date, a page at a time. Reading needs AUDIT_VIEW (the audit administrator's alone —
三权分立: the other administrators cannot see what was recorded about them), and each read is
itself recorded. Personal data in the rows is already masked when written (models.security.audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.clock import CHINA
from models.dto import Actor
from models.org.entities import User
from models.security.audit import AuditEntry, record_event
from models.security.permissions import Permission, require

PAGE = 500


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    entity: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime  # China time
    user: str
    entity: str
    entity_id: str
    action: str
    detail: str


def read_trail(session: Session, actor: Actor, flt: AuditFilter = AuditFilter(), *,
               before_seq: int | None = None, limit: int = PAGE) -> list[AuditRow]:
    """Up to `limit` rows older than `before_seq` (keyset paging), newest first."""
    require(session, actor, Permission.AUDIT_VIEW)
    query = (select(AuditEntry, User.username, User.display_name)
             .outerjoin(User, User.id == AuditEntry.user_id).order_by(AuditEntry.seq.desc()).limit(limit))
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    if flt.username:
        query = query.where(User.username == flt.username.strip())
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity.strip())
    if flt.action:
        query = query.where(AuditEntry.action == flt.action.strip())
    if flt.since:
        query = query.where(AuditEntry.at >= datetime.combine(flt.since, time.min, CHINA))
    if flt.until:
        query = query.where(AuditEntry.at < datetime.combine(flt.until + timedelta(days=1), time.min, CHINA))
    rows = [AuditRow(e.seq, e.at.astimezone(CHINA), f"{name}（{login}）" if login else "本机系统操作员",
                     e.entity, e.entity_id or "", e.action, e.detail)
            for e, login, name in session.execute(query)]
    record_event(session, actor, "audit_read", "audit_log", None, rows=len(rows))
    return rows
