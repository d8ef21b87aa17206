"""How a CLI command gets its database: one place that resolves --db and opens (and migrates) it."""

from __future__ import annotations

import argparse

from models.db import Database, open_database


def database(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    return open_database(getattr(args, "db", None), upgrade=upgrade)
