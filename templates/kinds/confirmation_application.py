"""司法确认申请书: joint application of all parties (人民调解法 第三十三条; 民诉法解释 第三五四条)."""

from __future__ import annotations

from templates.blocks import (
    Block,
    DateLine,
    Document,
    Heading,
    NumberedItems,
    Paragraph,
    SignatureBlock,
    Signer,
    Title,
)
from templates.context import ConfirmationApplicationContext
from templates.kinds.common import date_text, party_block
from templates.wording import load


def build(context: ConfirmationApplicationContext) -> Document:
    w = load("confirmation_application")
    case = context.case
    agreed_on = date_text(context.agreement_date)
    blocks: list[Block] = [Title(w["title"])]
    blocks += [party_block(p, role="申请人", service_address=True) for p in case.parties]
    blocks += [
        Heading(w["request_heading"]),
        Paragraph(w["request"].format(committee=case.committee_name, date=agreed_on, number=context.agreement_number)),
        Heading(w["facts_heading"]),
        Paragraph(
            w["facts"].format(dispute=case.dispute_type or "民间", committee=case.committee_name, date=agreed_on)
        ),
        NumberedItems(context.agreement_summary),
        Paragraph(w["pledge"].format(applicants=w["two_applicants"] if len(case.parties) == 2 else w["applicants"])),
        Paragraph(w["addressee"]),
        Paragraph(w["court"].format(court=context.court_name), indent=False, align="left"),
    ]
    if context.attachments:
        blocks += [Heading(w["attachments_heading"]), NumberedItems(context.attachments)]
    signers = tuple(Signer(w["applicant_signature"], p.name, fingerprint=p.kind == "person") for p in case.parties)
    blocks += [SignatureBlock(signers), DateLine(date_text(context.application_date))]
    return Document(title=w["title"], blocks=tuple(blocks))
