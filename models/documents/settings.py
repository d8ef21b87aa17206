"""The centre's document settings (one row, id 1; defaults while absent): page numbers for
double-sided printing (GB/T 9704 §7.5) and the basic people's court where the committees sit,
which a 司法确认申请书 is addressed to when no court invited the mediation (民诉法 第二百零五条)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, Versioned
from models.dto import Actor
from models.errors import ValidationFailed
from models.security.permissions import Permission, require

COURT_SUFFIX = "人民法院"


class DocumentSettingsRow(Versioned, Base):
    __tablename__ = "document_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    double_sided: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    basic_court: Mapped[str] = mapped_column(String(60), default="", server_default="")


@dataclass(frozen=True)
class DocumentSettings:
    double_sided: bool = False  # page numbers odd right / even left instead of centred
    basic_court: str = ""  # e.g. 玉门市人民法院; empty = derived from the centre's place name


def document_settings(session: Session) -> DocumentSettings:
    row = session.get(DocumentSettingsRow, 1)
    if row is None:
        return DocumentSettings()
    return DocumentSettings(bool(row.double_sided), row.basic_court or "")


def set_document_settings(session: Session, settings: DocumentSettings, actor: Actor) -> DocumentSettings:
    """Store the settings (administrators: 修改设置). A court must be a 人民法院 by its full name."""
    require(session, actor, Permission.SETTINGS_EDIT)
    court = settings.basic_court.strip()
    if court and not court.endswith(COURT_SUFFIX):
        raise ValidationFailed(f"基层人民法院须写全称，以“{COURT_SUFFIX}”结尾：{court}")
    row = session.get(DocumentSettingsRow, 1) or DocumentSettingsRow(id=1)
    row.double_sided, row.basic_court = settings.double_sided, court
    session.add(row)
    session.flush()
    return document_settings(session)
