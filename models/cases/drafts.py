"""Drafts: what a user has typed into an intake or edit form, kept on the desk's disk so it survives
a crash, a lost server connection, a refused save (edit conflict) and the idle lock.

Drafts live in files, not in the database, precisely so that they can be written when the database
cannot. Each write goes to a temporary file that is fsynced and renamed over the old draft, so a
crash leaves either the previous or the new draft, never half of one. A draft is deleted only after
the save it belongs to has committed.

Drafts hold personal data: the folder is made 0700 and each draft 0600, and a draft never holds a
full ID number (it keeps the masked form; the form asks for the number again on restore: a headless
desk has no keyring to keep it in)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from models.base import utcnow
from models.security.files import PRIVATE_FILE, private_dir
from models.security.masking import mask_party_fields, shown

_UNSAFE = re.compile(r"[^0-9A-Za-z_\-]")


@dataclass(frozen=True)
class Draft:
    key: str
    user_id: int | None
    form: str
    record_id: int | None
    base_version: int | None
    payload: dict[str, Any]
    saved_at: datetime
    reason: str = ""


def without_full_ids(value: Any) -> Any:
    """The payload with every ID number masked (前6后4) and no birth date beside one."""
    if isinstance(value, dict):  # phones stay: only the ID number and what reveals it go
        return mask_party_fields({k: without_full_ids(v) for k, v in value.items()},
                                 lambda column, text: shown(column, text) if column == "id_number" else text)
    if isinstance(value, (list, tuple)):
        return [without_full_ids(v) for v in value]
    return value


def draft_key(user_id: int | None, form: str, record_id: int | None = None) -> str:
    """One draft per user, form and record (a new intake has no record id yet)."""
    return _UNSAFE.sub("_", f"{user_id or 0}-{form}-{record_id if record_id is not None else 'new'}")


class DraftStore:
    """Autosaved form contents in one folder (one JSON file per draft)."""

    def __init__(self, folder: Path) -> None:
        self.folder = private_dir(folder)

    def save(self, user_id: int | None, form: str, payload: dict[str, Any], *, record_id: int | None = None,
             base_version: int | None = None, reason: str = "") -> Draft:
        key = draft_key(user_id, form, record_id)
        draft = Draft(key, user_id, form, record_id, base_version, without_full_ids(payload), utcnow(), reason)
        body = {**draft.__dict__, "saved_at": draft.saved_at.isoformat()}
        _write_atomically(self._path(key), json.dumps(body, ensure_ascii=False, default=str))
        return draft

    def load(self, user_id: int | None, form: str, record_id: int | None = None) -> Draft | None:
        return self._read(self._path(draft_key(user_id, form, record_id)))

    def list(self, user_id: int | None) -> list[Draft]:
        """This user's drafts, newest first (offered for restore after sign-in)."""
        found = (self._read(p) for p in self.folder.glob(f"{user_id or 0}-*.json"))
        return sorted((d for d in found if d is not None), key=lambda d: d.saved_at, reverse=True)

    def discard(self, user_id: int | None, form: str, record_id: int | None = None) -> None:
        self._path(draft_key(user_id, form, record_id)).unlink(missing_ok=True)

    def path_of(self, draft: Draft) -> Path:
        """Where a draft is kept on this desk (told to the user when a save fails)."""
        return self._path(draft.key)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["saved_at"] = datetime.fromisoformat(data["saved_at"])
            return Draft(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None  # missing, or unreadable (then the previous draft was never replaced)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".tmp")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make the rename itself durable
        fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
