"""The demo's 卷宗: before a demo case is archived, its checklist is completed the way a clerk
would — scanned paper for what the centre keeps on paper, the agreement issued and its signed copy
recorded — so archived demo cases are complete by construction (consumes no random numbers)."""

from __future__ import annotations

import functools
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.casefile.attachments import add_attachment
from models.casefile.checklist import missing_items, requirements
from models.casefile.signing import COMMITTEE, MEDIATOR, PARTY, SignatureInput, mark_paper_signed
from models.cases.agreements import Agreement
from models.cases.entities import Party
from models.cases.service import load_case
from models.dto import Actor


@functools.cache
def scanned_page() -> bytes:
    """A small grey "scan" of a paper form (the same bytes every time: stored once)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (420, 594), 246)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 390, 564), outline=120, width=2)
    for y in range(90, 540, 28):
        draw.line((50, y, 370 if y % 3 else 260, y), fill=160, width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60)
    return out.getvalue()


def complete_dossier(session: Session, case_id: int, actor: Actor) -> None:
    """File what the case's archive checklist still misses."""
    case = load_case(session, case_id)
    missing = set(missing_items(session, case))
    for need in requirements(session, case):
        if need.label not in missing:
            continue
        if need.signed:
            _sign_agreement(session, case_id, actor)
        else:
            add_attachment(session, case_id, filename=f"{need.label}（扫描件）.jpg", data=scanned_page(),
                           category=need.sections[0], actor=actor, description="纸质件扫描")


def _sign_agreement(session: Session, case_id: int, actor: Actor) -> None:
    """The demo's history was printed on paper: its signed copy is recorded without an issued
    document (the register of issued documents stays the users' own)."""
    agreement = session.scalars(select(Agreement).where(Agreement.case_id == case_id, Agreement.oral.is_(False))
                                .order_by(Agreement.id.desc())).first()
    if agreement is None:
        return
    day = agreement.signed_on
    parties = session.scalars(select(Party.id).where(Party.case_id == case_id).order_by(Party.id)).all()
    signatures = [SignatureInput(PARTY, day, party_id=p) for p in parties]
    signatures += [SignatureInput(MEDIATOR, day), SignatureInput(COMMITTEE, day)]
    mark_paper_signed(session, agreement.id, signatures, scan_name="协议书签字本.jpg", scan=scanned_page(), actor=actor)
