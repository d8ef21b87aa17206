"""Audit anchors kept outside the database, taken automatically: with each backup, before each
restore, at each start (sign-in) and by `audit anchor`. Each is one JSON line in
`anchors/<database>.jsonl` in the data directory (0600), so an insider who rewrites the trail in
the database (triggers dropped, chain rebuilt) is caught by `audit verify`, which checks every
anchor it finds. Ledgers print the head in their footer as a paper anchor."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models.db import Database
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
    save_anchor(db, chain_head(session), place)


def load_anchors(db: Database) -> tuple[list[PlacedAnchor], list[str]]:
    """The anchors found for this database, and the lines refused as impossible."""
    path = anchors_file(db)
    found: list[PlacedAnchor] = []
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
