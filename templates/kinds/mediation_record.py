"""人民调解记录 (调解笔录): a head form per session, the record, read-back line and signatures."""

from __future__ import annotations

from datetime import datetime

from templates.blocks import (
    Block,
    Cell,
    DateLine,
    Document,
    Heading,
    KeyValueRows,
    PageBreak,
    Paragraph,
    SealArea,
    SignatureBlock,
    Signer,
    Title,
)
from templates.context import CaseContext, MediationRecordContext, MediationSession
from templates.kinds.common import date_text, names
from templates.wording import Words, load

HEAD_WIDTHS = (0.2, 0.32, 0.18, 0.3)


def build(context: MediationRecordContext) -> Document:
    w = load("mediation_record")
    blocks: list[Block] = []
    for index, session in enumerate(context.sessions):
        if index:
            blocks.append(PageBreak())
        blocks += _session(context.case, session, w)
    return Document(title=w["title"], blocks=tuple(blocks))


def _time_text(start: datetime | None) -> str:
    if start is None:
        return date_text(None)
    return f"{date_text(start.date())}{start.hour}时{start.minute:02d}分"


def _session(case: CaseContext, session: MediationSession, w: Words) -> list[Block]:
    mediators = session.mediators or case.mediators
    recorder = session.recorder or case.recorder
    head = KeyValueRows(
        rows=(
            (
                Cell(w["time_label"], label=True),
                Cell(_time_text(session.start)),
                Cell(w["place_label"], label=True),
                Cell(session.place),
            ),
            (Cell(w["subject_label"], label=True), Cell(session.subject or case.dispute_type, span=3)),
            (Cell(w["attendees_label"], label=True), Cell(names(session.attendees), span=3)),
            (Cell(w["parties_label"], label=True), Cell(names(session.parties_present), span=3)),
            (
                Cell(w["mediators_label"], label=True),
                Cell(names(mediators)),
                Cell(w["recorder_label"], label=True),
                Cell(recorder),
            ),
        ),
        col_widths=HEAD_WIDTHS,
    )
    signers = [Signer(w["party_signature"]) for _ in session.parties_present or ("",)]
    signers += [Signer(w["attendee_signature"]) for _ in session.attendees]
    signers += [Signer(w["mediator_signature"]) for _ in mediators or ("",)]
    signers.append(Signer(w["recorder_signature"]))
    return [
        Title(w["title"]),
        head,
        Heading(w["record_heading"]),
        Paragraph(session.record),
        *([Paragraph(w["read_back"])] if session.statements_read else []),
        SignatureBlock(tuple(signers)),
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(session.start.date() if session.start else None)),
    ]
