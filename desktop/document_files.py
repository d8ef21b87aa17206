"""Asking where to save a document and opening it afterwards, through the Dialogs wrapper (so
tests answer the prompt and no modal box blocks a run)."""

from __future__ import annotations

from pathlib import Path

from desktop.dialogs import Dialogs

UNSAFE_NAME_CHARS = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def suggested_name(stem: str, fmt: str) -> str:
    """A file name from a case number or title: no characters Windows refuses in names."""
    return f"{stem.translate(UNSAFE_NAME_CHARS)}.{fmt}"


def ask_save_path(dialogs: Dialogs, title: str, name: str, fmt: str) -> Path | None:
    """Where to save, or None when the user cancelled; the format's extension is ensured."""
    chosen = dialogs.ask_save_path(title, name, fmt)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(path.name + f".{fmt}")


def open_file(dialogs: Dialogs, path: Path) -> None:
    dialogs.open_file(path)
