"""人民调解受理登记表: opening sentence, a bordered form, signatures, seal and date."""

from __future__ import annotations

from templates.blocks import (
    Block,
    Cell,
    DateLine,
    Document,
    KeyValueRows,
    Note,
    Paragraph,
    SealArea,
    SignatureBlock,
    Signer,
    Title,
)
from templates.context import IntakeContext
from templates.kinds.common import date_text, names
from templates.wording import Words, load

FORM_WIDTHS = (0.22, 0.28, 0.22, 0.28)


def build(context: IntakeContext) -> Document:
    w = load("intake_form")
    case = context.case
    how = w["how_application"] if context.by_application else w["how_initiative"]
    opening = w["opening"].format(
        date=date_text(context.accepted_date), how=how, parties=names([p.name for p in case.parties])
    )
    blocks: list[Block] = [Title(w["title"]), Paragraph(opening), _form(context, w)]
    signers = (Signer(w["party_signature"] + "："), Signer(w["registrar_signature"] + "：", context.registrar))
    blocks += [
        SignatureBlock(signers),
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.accepted_date)),
        Note(w["footnote"] + (f"{context.note}" if context.note else "")),
    ]
    return Document(title=w["title"], blocks=tuple(blocks))


def _form(context: IntakeContext, w: Words) -> KeyValueRows:
    case = context.case
    default_source = w["source_application"] if context.by_application else w["source_initiative"]
    party_text = "；".join(f"{p.side}：{p.name}" for p in case.parties)
    rows = (
        (
            Cell(w["case_number_label"], label=True),
            Cell(case.case_number),
            Cell(w["type_label"], label=True),
            Cell(case.dispute_type),
        ),
        (Cell(w["source_label"], label=True), Cell(case.source or default_source, span=3)),
        (Cell(w["parties_label"], label=True), Cell(party_text, span=3)),
        (Cell(w["facts_label"], label=True), Cell(case.facts, span=3, min_lines=6)),
    )
    return KeyValueRows(rows=rows, col_widths=FORM_WIDTHS)
