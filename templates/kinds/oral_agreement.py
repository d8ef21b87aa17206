"""人民调解口头协议登记表: the 协议书 layout for an oral agreement (人民调解法 第二十八、三十条)."""

from __future__ import annotations

from templates.blocks import (
    Block,
    DateLine,
    DocNumber,
    Document,
    Heading,
    NumberedItems,
    Paragraph,
    SealArea,
    SignatureBlock,
    Title,
)
from templates.context import OralAgreementContext
from templates.kinds.common import date_text, mediator_signers, party_blocks, party_signers, with_amount
from templates.money import amount_display
from templates.wording import Words, load


def build(context: OralAgreementContext) -> Document:
    w = load("oral_agreement")
    case = context.case
    blocks: list[Block] = [Title(w["title"]), DocNumber(w["number"].format(number=context.number))]
    blocks += party_blocks(case)
    blocks.append(Heading(w["facts_heading"]))
    blocks += [Paragraph(text) for text in (case.facts, case.issues) if text]
    blocks += [
        Heading(w["content_heading"]),
        NumberedItems(tuple(with_amount(c, context.amount) for c in context.content)),
    ]
    blocks += _performance(context, w)
    blocks.append(Paragraph(w["effect"]))
    blocks += _signatures(context, w)
    return Document(title=w["title"], blocks=tuple(blocks))


def _performance(context: OralAgreementContext, w: Words) -> list[Block]:
    blocks: list[Block] = [Heading(w["performance_heading"])]
    if context.performance:
        blocks.append(Paragraph(w["performance"].format(method=with_amount(context.performance, context.amount))))
    if context.deadline:
        blocks.append(Paragraph(w["deadline"].format(deadline=with_amount(context.deadline, context.amount))))
    if context.amount is not None:
        blocks.append(Paragraph(w["amount"].format(amount=amount_display(context.amount))))
    return blocks


def _signatures(context: OralAgreementContext, w: Words) -> list[Block]:
    case = context.case
    signers = party_signers(case, w["party_signature"], w["party_signature"]) if context.party_signatures else []
    signers += mediator_signers(case, w["mediator_signature"], w["recorder_signature"])
    return [
        SignatureBlock(tuple(signers)),
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.agreement_date)),
    ]
