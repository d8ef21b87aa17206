"""Seed the editable reference tables (dispute types) so an empty database is usable at once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cases.catalog import DISPUTE_TYPES, DisputeType


def ensure_reference_data(session: Session) -> bool:
    """Insert the default dispute-type table if none exists; returns True when it seeded."""
    if session.scalar(select(func.count()).select_from(DisputeType)):
        return False
    for order, (code, name, parent) in enumerate(DISPUTE_TYPES):
        session.add(DisputeType(code=code, name=name, parent_code=parent, sort_order=order))
    session.flush()
    return True
