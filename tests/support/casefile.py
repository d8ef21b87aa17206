"""Shared by the case-file tests: real sample files (JPEG, PNG, PDF with a marker text on each
page, DOCX) and a case taken through the services to 办结 with a finished 回访."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy.orm import Session

from models.cases.service import advance_stage, load_case, record, register_case
from models.dto import Actor
from tests.support import factories
from tests.support.factories import refer

ACTOR = Actor()


def jpeg(colour: str = "red", size: tuple[int, int] = (600, 400)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def png(colour: str = "blue", size: tuple[int, int] = (300, 500)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def pdf(marker: str, pages: int = 1) -> bytes:
    """A PDF whose page i says "{marker}-{i}" (ASCII, so text extraction finds it)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for i in range(1, pages + 1):
        page.setFont("Helvetica", 20)
        page.drawString(100, 400, f"{marker}-{i}")
        page.showPage()
    page.save()
    return out.getvalue()


def docx(text: str = "Evidence in Word") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def new_case(session: Session, *, source: str = "来访") -> int:
    committee = factories.committee(session)
    return register_case(session, factories.draft(committee, received=date(2026, 10, 8), source=source), ACTOR).id


def close_terminated(session: Session, case_id: int) -> None:
    """调 → 调解不成 → 调解结案 → 回访满意: the case waits only for 归档."""
    if _stage(session, case_id) == "诊":
        refer(session, case_id)
    record(session, case_id, "mediation_outcome", "调解不成", ACTOR)
    advance_stage(session, case_id, "close_mediation", ACTOR)
    record(session, case_id, "followup_satisfaction", "满意", ACTOR)


def _stage(session: Session, case_id: int) -> str:
    return load_case(session, case_id).stage
