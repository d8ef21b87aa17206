"""The anchor table's entity (PostgreSQL keeps a copy of every automatic audit anchor there; see
models/security/anchors.py). Apart from anchors.py so the metadata can import it without the engine."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class AnchorRow(Base):
    """An anchor kept in the database (PostgreSQL only; see the module's docstring). Only added."""

    __tablename__ = "audit_anchors"
    __audit__ = False  # it vouches for the trail; recording it in the trail would move the head it names
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    row_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(20))
