"""Files the app writes outside the database: the data directory (0700), private files (0600:
database, backups, pre-upgrade copies, drafts, exports, anchors, the audit key), and sweeping the
temporary and `.partial` files a crash or a failed write leaves behind.

Private files are written to a `.partial` sibling first and renamed into place, so a failed write
leaves neither a half-written file nor a world-readable one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_data_dir

from models.errors import ValidationFailed

APP_NAME = "mediation-desk"
DATA_DIR_ENV = "MEDIATION_DATA_DIR"  # drafts, anchors, daily backups and the audit key live here
PARTIAL_SUFFIX = ".partial"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def data_dir() -> Path:
    """The data directory (created 0700; an existing one is tightened to 0700)."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or user_data_dir(APP_NAME, appauthor=False))
    return private_dir(folder)


def private_dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):  # not ours (e.g. /tmp): leave it as it is
        folder.chmod(PRIVATE_DIR)
    return folder


def make_private(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.chmod(PRIVATE_FILE)


@contextlib.contextmanager
def partial_path(target: Path) -> Iterator[Path]:
    """A `.partial` sibling to write into; renamed onto `target` (0600) on success, removed on failure."""
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        yield partial
        make_private(partial)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def write_private(target: Path, data: bytes) -> Path:
    """Write `data` to `target` as a 0600 file, whole or not at all."""
    try:
        with partial_path(target) as partial:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
    except OSError as exc:
        raise ValidationFailed(f"无法写入文件：{target}（{exc.strerror or exc}）") from exc
    return target


def sweep_partials(folder: Path) -> list[Path]:
    """Remove `.partial` files and SQLite temp copies left in `folder` by an interrupted write."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(f"*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
