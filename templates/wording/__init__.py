"""Editable wording of the documents, one TOML file per kind (no prose lives in the code)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

Words = dict[str, Any]  # a wording table: the keys of templates/wording/<kind>.toml


@cache
def load(kind: str) -> Words:
    """The wording table for `kind` (file templates/wording/<kind>.toml), cached."""
    text = resources.files(__name__).joinpath(f"{kind}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
