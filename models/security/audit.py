"""Tamper-evident audit trail: every ORM change made through a session becomes an `audit_log` row
in the same transaction, chained by SHA-256 over a canonical JSON of the row and the previous hash.

How it fits together:
- A session event (after_flush, attached by `attach_audit_hooks` to the sessions open_database
  makes) collects inserted/updated/deleted ORM objects with their
  before/after column values and appends one row each; explicit events (login, unmask, backup…)
  go through `record_event`. The actor comes from `session.info` (set by `acting` or by
  `models.security.require`, which every service calls).
- Sequence numbers are dense and race-free: SQLite serialises writers with BEGIN IMMEDIATE;
  PostgreSQL takes a transaction-level advisory lock before reading the chain head.
- The database refuses UPDATE/DELETE on audit_log (triggers, created by migration 0002).
- `verify_chain` reports the first broken link; an exported `Anchor` (seq + hash of the head)
  makes truncation of the tail detectable as well.
Personal data never enters the trail in full: ID numbers and phones are masked, password hashes
dropped."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Index, Integer, String, Text, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from models.base import Base, utcnow
from models.dto import Actor
from models.errors import DomainError
from models.security.masking import PERSONAL_FIELDS, REVEALING, keyed_hash, masked_with_proof

GENESIS_HASH = "0" * 64
ACTOR_KEY = "audit_actor"
PG_CHAIN_LOCK = 0x6D65646961  # any constant: the advisory lock that serialises chain appends


class AuditEntry(Base):
    """One audit row. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(Integer)
    desk_id: Mapped[int | None] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


@dataclass(frozen=True)
class PendingEvent:
    entity: str
    entity_id: str | None
    action: str
    detail: dict[str, Any]


# --- canonical form and hashing ------------------------------------------------------------

def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, (date, time, Decimal)):  # time: a mediation session's start
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    raise TypeError(type(value).__name__)


def format_time(at: datetime) -> str:
    """UTC with microseconds: independent of the desk's zone and of how the database prints it."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_digest(row: dict[str, Any], prev_hash: str) -> str:
    fields = [row["seq"], format_time(row["at"]), row["user_id"], row["desk_id"], row["entity"],
              row["entity_id"], row["action"], row["detail"], prev_hash]
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


# --- personal data in the trail -------------------------------------------------------------

DROPPED_COLUMNS = {"password_hash"}


def safe_value(column: str, value: Any) -> Any:
    """What the trail keeps of one column: IDs and phones masked with a keyed hash as proof; the
    birth date (the hidden digits of a masked ID) as the keyed hash only; password hashes never."""
    if value is None:
        return None
    if column in DROPPED_COLUMNS:
        return "<已隐去>"
    if column in PERSONAL_FIELDS:
        return masked_with_proof(column, str(value))
    if column in REVEALING:
        return f"<已隐去> #hmac:{keyed_hash(str(value))}"
    return value


# --- who is acting ---------------------------------------------------------------------------

def acting(session: Session, actor: Actor) -> Session:
    """Attribute this session's following changes to `actor` (user and desk)."""
    session.info[ACTOR_KEY] = actor
    return session


def _actor(session: Session) -> Actor:
    found = session.info.get(ACTOR_KEY)
    return found if isinstance(found, Actor) else Actor()


# --- collecting ORM changes ------------------------------------------------------------------

def _column_keys(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _identity(obj: Any) -> str:
    state = inspect(obj)
    keys = [state.mapper.get_property_by_column(col).key for col in state.mapper.primary_key]
    return "/".join(str(state.dict.get(key)) for key in keys)


def _snapshot(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    return {key: safe_value(key, state.dict.get(key)) for key in _column_keys(obj)}


def _changed_values(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _column_keys(obj):
        history = state.attrs[key].history
        if history.added or history.deleted:
            before[key] = safe_value(key, history.deleted[0] if history.deleted else None)
            after[key] = safe_value(key, history.added[0] if history.added else None)
    return before, after


def _audited(obj: Any) -> bool:
    return getattr(type(obj), "__audit__", True) and not isinstance(obj, AuditEntry)


def collect_changes(session: Session) -> Iterator[PendingEvent]:
    """The flush's changes as audit events; valid inside after_flush (history not yet reset)."""
    for obj in session.new:
        if _audited(obj):
            yield PendingEvent(type(obj).__tablename__, _identity(obj), "insert", {"after": _snapshot(obj)})
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changed_values(obj)
            if after:
                detail = {"before": before, "after": after, "version": inspect(obj).dict.get("version")}
                yield PendingEvent(type(obj).__tablename__, _identity(obj), "update", detail)
    for obj in session.deleted:
        if _audited(obj):
            yield PendingEvent(type(obj).__tablename__, _identity(obj), "delete", {"before": _snapshot(obj)})


def attach_audit_hooks(sessions: sessionmaker[Session]) -> None:
    """Every session `sessions` makes appends its flushed changes to the chain (open_database calls this)."""
    event.listen(sessions, "after_flush", _audit_flush)
    event.listen(sessions, "after_begin", _lock_chain_for_writers)


def _audit_flush(session: Session, _flush_context: Any) -> None:
    changes = list(collect_changes(session))
    if changes:
        append_events(session.connection(), changes, _actor(session))


def _lock_chain_for_writers(session: Session, _transaction: Any, connection: Connection) -> None:
    # On PostgreSQL the write sessions take the chain lock first, as BEGIN IMMEDIATE does on
    # SQLite; taking it only at flush time could deadlock against the numbering row lock.
    if connection.dialect.name == "postgresql" and connection.get_execution_options().get("write"):
        _lock_chain(connection)


def _lock_chain(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_CHAIN_LOCK})")


# --- appending -------------------------------------------------------------------------------

def append_events(connection: Connection, events: list[PendingEvent], actor: Actor) -> int:
    """Append `events` to the chain in the caller's transaction; returns the last seq."""
    _lock_chain(connection)
    head = connection.execute(
        select(AuditEntry.seq, AuditEntry.row_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (head.seq, head.row_hash) if head else (0, GENESIS_HASH)
    at = utcnow()
    rows = []
    for item in events:
        seq += 1
        row = {"seq": seq, "at": at, "user_id": actor.user_id, "desk_id": actor.desk_id, "entity": item.entity,
               "entity_id": item.entity_id, "action": item.action, "detail": canonical_json(item.detail)}
        row["prev_hash"] = prev_hash
        row["row_hash"] = prev_hash = row_digest(row, prev_hash)
        rows.append(row)
    connection.execute(insert(AuditEntry), rows)
    return seq


def record_event(session: Session, actor: Actor | None, action: str, entity: str,
                 entity_id: object = None, **detail: Any) -> int:
    """An explicit event (login, unmask, backup…) in the session's transaction."""
    who = actor or _actor(session)
    key = None if entity_id is None else str(entity_id)
    return append_events(session.connection(), [PendingEvent(entity, key, action, detail)], who)


# --- verifying and anchoring -----------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """The chain head at one moment, kept outside the database (file, USB, printed footer)."""

    seq: int
    row_hash: str
    at: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def footer(self) -> str:
        return f"审计链锚点：第 {self.seq} 条　{self.row_hash[:16]}"


class AnchorInvalid(DomainError):
    pass


def read_anchor(path: Path) -> Anchor:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(seq=int(data["seq"]), row_hash=str(data["row_hash"]), at=str(data.get("at", "")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnchorInvalid(f"无法读取审计锚点文件：{path}") from exc


def chain_head(session: Session) -> Anchor:
    row = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        return Anchor(0, GENESIS_HASH, format_time(utcnow()))
    return Anchor(row.seq, row.row_hash, format_time(row.at))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(session: Session, anchor: Anchor | None = None, anchors: tuple[Anchor, ...] = ()) -> ChainReport:
    """Walk the chain from seq 1; report the first gap, broken link or altered row, or the first
    anchor (kept outside the database) the chain no longer matches."""
    result = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000))
    try:
        return _walk(result.scalars(), (anchor, *anchors) if anchor else anchors)
    finally:
        result.close()  # an early return must not leave a PostgreSQL server-side cursor open


def _walk(rows: Iterator[AuditEntry], anchors: tuple[Anchor, ...]) -> ChainReport:
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    by_seq: dict[int, set[str]] = {}
    for anchor in anchors:
        by_seq.setdefault(anchor.seq, set()).add(anchor.row_hash)
    for row in rows:
        problem = _row_problem(row, expected_seq, prev_hash)
        if problem:
            return ChainReport(checked, min(row.seq, expected_seq), problem)
        if row.seq in by_seq and by_seq[row.seq] != {row.row_hash}:
            return ChainReport(checked, row.seq, f"第 {row.seq} 条记录与锚点不一致（锚点之前的记录被改写）")
        checked, expected_seq, prev_hash = checked + 1, row.seq + 1, row.row_hash
    furthest = max(by_seq, default=0)
    if checked < furthest:
        return ChainReport(checked, checked + 1, f"审计记录只到第 {checked} 条，锚点为第 {furthest} 条：末尾记录被删除")
    return ChainReport(checked)


def _row_problem(row: AuditEntry, expected_seq: int, prev_hash: str) -> str:
    if row.seq != expected_seq:
        return f"第 {expected_seq} 条记录缺失（下一条为第 {row.seq} 条）"
    if row.prev_hash != prev_hash:
        return f"第 {row.seq} 条记录的前序哈希不符（记录被删除、插入或调换）"
    values = {"seq": row.seq, "at": row.at, "user_id": row.user_id, "desk_id": row.desk_id, "entity": row.entity,
              "entity_id": row.entity_id, "action": row.action, "detail": row.detail}
    if row_digest(values, row.prev_hash) != row.row_hash:
        return f"第 {row.seq} 条记录内容被篡改"
    return ""
