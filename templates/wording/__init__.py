"""Editable wording of the documents, one TOML file per kind (no prose lives in the code)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(kind: str) -> dict[str, Any]:
    """The wording table for `kind` (file templates/wording/<kind>.toml), cached."""
    text = resources.files(__name__).joinpath(f"{kind}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
