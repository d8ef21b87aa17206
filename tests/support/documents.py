"""Shared by the documents tests: demo cases with a written, an oral and no agreement, PDF text
extraction (whitespace removed, since lines wrap anywhere in CJK text) and the full-ID scanner."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import select

from models.cases.agreements import Agreement
from models.cases.entities import Case
from models.cases.queries import case_detail
from models.db import Database

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@dataclass(frozen=True)
class DemoCase:
    id: int
    number: str
    party_names: tuple[str, ...]


def _demo_case(db: Database, case_id: int) -> DemoCase:
    with db.read() as s:
        detail = case_detail(s, case_id=case_id)
    return DemoCase(detail.id, detail.number, tuple(p.name for p in detail.parties))


def written_case(db: Database) -> DemoCase:
    with db.read() as s:
        case_id = s.scalars(select(Agreement.case_id).where(Agreement.oral.is_(False)).order_by(Agreement.id)).first()
    assert case_id is not None, "the demo seeds written agreements"
    return _demo_case(db, case_id)


def oral_case(db: Database) -> DemoCase:
    with db.read() as s:
        case_id = s.scalars(select(Agreement.case_id).where(Agreement.oral.is_(True)).order_by(Agreement.id)).first()
    assert case_id is not None, "the demo seeds oral agreements"
    return _demo_case(db, case_id)


def case_without_agreement(db: Database) -> DemoCase:
    with db.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.id.not_in(select(Agreement.case_id))).order_by(Case.id)).first()
    assert case_id is not None
    return _demo_case(db, case_id)


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace removed."""
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def db_url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def failed_case(db: Database) -> DemoCase:
    """A case whose mediation ended without agreement (调解不成): the 终止调解告知书 applies."""
    with db.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.mediation_outcome == "调解不成").order_by(Case.id)).first()
    assert case_id is not None, "the demo seeds failed mediations"
    return _demo_case(db, case_id)


def rejected_case(db: Database, reason: str = "该纠纷已经人民法院立案受理") -> DemoCase:
    """A demo case given a 不予受理 reason (the demo seeds none)."""
    found = case_without_agreement(db)
    with db.write.begin() as s:
        s.get_one(Case, found.id).rejection_reason = reason
    return found


def case_for_kind(db: Database, kind: str) -> DemoCase:
    """A demo case each document kind can be built for."""
    if kind == "oral-agreement":
        return oral_case(db)
    if kind == "termination-notice":
        return failed_case(db)
    if kind == "rejection-notice":
        return rejected_case(db)
    return written_case(db)


def recent_agreement(db: Database, case_id: int, days_ago: int = 5) -> None:
    """Date the case's agreement `days_ago` before the pinned today, inside the 30-day 司法确认
    window (the demo's agreements are older, and a late application is refused)."""
    from datetime import timedelta

    from models import clock

    with db.write.begin() as s:
        row = s.scalars(select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id.desc())).first()
        assert row is not None
        received = s.get_one(Case, case_id).received_date
        row.signed_on = max(received, clock.today() - timedelta(days=days_ago))
