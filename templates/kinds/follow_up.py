"""人民调解回访记录 (人民调解法 第三十一条: the committee supervises performance)."""

from __future__ import annotations

from templates.blocks import Cell, DateLine, Document, KeyValueRows, SealArea, SignatureBlock, Signer, Title
from templates.context import FollowUpContext
from templates.kinds.common import date_text
from templates.wording import load

FORM_WIDTHS = (0.22, 0.28, 0.22, 0.28)


def build(context: FollowUpContext) -> Document:
    w = load("follow_up")
    form = KeyValueRows(
        rows=(
            (
                Cell(w["party_label"], label=True),
                Cell(context.visited_party),
                Cell(w["agreement_label"], label=True),
                Cell(context.agreement_number),
            ),
            (Cell(w["subject_label"], label=True), Cell(context.subject, span=3)),
            (Cell(w["time_label"], label=True), Cell(date_text(context.visit_date), span=3)),
            (Cell(w["findings_label"], label=True), Cell(context.findings, span=3, min_lines=10)),
        ),
        col_widths=FORM_WIDTHS,
    )
    blocks = (
        Title(w["title"]),
        form,
        SignatureBlock((Signer(w["visitor_signature"], context.visitor),), columns=1),
        SealArea(w["committee_line"].format(committee=context.case.committee_name)),
        DateLine(date_text(context.record_date or context.visit_date)),
    )
    return Document(title=w["title"], blocks=blocks)
