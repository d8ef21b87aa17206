"""Audit anchors kept outside the database, taken automatically: with each backup, before each
restore, at each start (sign-in) and by `audit anchor`. Each is one JSON line in
`anchors/<database>.jsonl` in the data directory (0600), so an insider who rewrites the trail in
the database (triggers dropped, chain rebuilt) is caught by `audit verify`, which checks every
anchor it finds. Ledgers print the head in their footer as a paper anchor.

On PostgreSQL each anchor is also a row of `audit_anchors`, which the two-role set-up gives to the
audit owner role (models/security/pg_roles.py): desks may only add and read rows, so the anchors
every desk took are in one place the desks' role cannot rewrite, and `audit verify` on any desk
checks them all. (On SQLite such a table would sit in the same file as the trail it vouches for,
so there the files outside the database are the proof.)"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.db import Database
from models.security.anchor_rows import AnchorRow
from models.security.audit import Anchor, chain_head
from models.security.files import PRIVATE_FILE, data_dir, private_dir

HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class PlacedAnchor:
    anchor: Anchor
    place: str  # 备份 / 恢复前 / 启动 / 导出


def anchors_file(db: Database) -> Path:
    """One file per database (keyed by its address, password left out)."""
    address = db.engine.url.render_as_string(hide_password=True)
    return data_dir() / "anchors" / f"{hashlib.sha256(address.encode()).hexdigest()[:16]}.jsonl"


def save_anchor(db: Database, head: Anchor, place: str) -> bool:
    """Append `head` to this database's anchor file; False when the file cannot be written (the
    caller's action still stands: an anchor is extra proof, never a precondition)."""
    if head.seq <= 0:
        return False
    path = anchors_file(db)
    line = json.dumps({"seq": head.seq, "row_hash": head.row_hash, "at": head.at, "place": place},
                      ensure_ascii=False)
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    except OSError:
        return False
    return True


def anchor_now(db: Database, session: Session, place: str) -> None:
    head = chain_head(session)
    save_anchor(db, head, place)
    if db.engine.dialect.name == "postgresql" and head.seq > 0:
        with db.write.begin() as write:  # its own short transaction: the caller's may be read-only
            write.execute(insert(AnchorRow).values(seq=head.seq, row_hash=head.row_hash, at=head.at, place=place))


def load_anchors(db: Database) -> tuple[list[PlacedAnchor], list[str]]:
    """The anchors found for this database (its file on this machine and, on PostgreSQL, the
    anchor table), and the lines refused as impossible."""
    path = anchors_file(db)
    found: list[PlacedAnchor] = _table_anchors(db)
    refused: list[str] = []
    with contextlib.suppress(FileNotFoundError):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            anchor = parse_anchor(line)
            if anchor is None:
                refused.append(f"第 {number} 行")
            else:
                found.append(anchor)
    return found, refused


def parse_anchor(line: str) -> PlacedAnchor | None:
    try:
        data = json.loads(line)
        seq, row_hash = int(data["seq"]), str(data["row_hash"])
    except (ValueError, KeyError, TypeError):
        return None
    if seq < 1 or not HASH.match(row_hash):
        return None  # impossible: no chain has such a head
    return PlacedAnchor(Anchor(seq, row_hash, str(data.get("at", ""))), str(data.get("place", "")))


def _table_anchors(db: Database) -> list[PlacedAnchor]:
    if db.engine.dialect.name != "postgresql":
        return []
    with db.read() as session:
        rows = session.execute(select(AnchorRow.seq, AnchorRow.row_hash, AnchorRow.at, AnchorRow.place)
                               .order_by(AnchorRow.id)).all()
    return [PlacedAnchor(Anchor(seq, row_hash, at), f"数据库·{place}") for seq, row_hash, at, place in rows
            if seq >= 1 and HASH.match(row_hash)]
