"""人民调解协议书: the items of 人民调解法 第二十九条 in statutory order, then signatures and seal."""

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
from templates.context import AgreementContext
from templates.kinds.common import (
    date_text,
    mediator_signers,
    party_blocks,
    party_signers,
    with_amount,
)
from templates.money import amount_display, chinese_numeral
from templates.wording import Words, load


def build(context: AgreementContext) -> Document:
    w = load("agreement")
    case = context.case
    blocks: list[Block] = [Title(w["title"]), DocNumber(w["number"].format(number=context.number))]
    blocks += party_blocks(case)  # (一) 当事人的基本情况
    blocks += _facts_section(context, w)  # (二) 主要事实、争议事项、各方责任
    blocks += _agreement_section(context, w)  # (三) 协议内容、履行方式、期限
    blocks += _closing(context, w)
    return Document(title=w["title"], blocks=tuple(blocks))


def _facts_section(context: AgreementContext, w: Words) -> list[Block]:
    case = context.case
    blocks: list[Block] = [Heading(w["facts_heading"])]
    blocks += [Paragraph(text) for text in (case.facts, case.issues) if text]
    if context.responsibilities:
        blocks += [Heading(w["responsibilities_heading"]), Paragraph(context.responsibilities)]
    return blocks


def _agreement_section(context: AgreementContext, w: Words) -> list[Block]:
    items = tuple(with_amount(item, context.amount) for item in context.items)
    blocks: list[Block] = [Heading(w["items_heading"]), NumberedItems(items)]
    blocks.append(Heading(w["performance_heading"]))
    if context.performance:
        blocks.append(Paragraph(w["performance"].format(method=with_amount(context.performance, context.amount))))
    if context.deadline:
        blocks.append(Paragraph(w["deadline"].format(deadline=with_amount(context.deadline, context.amount))))
    if context.amount is not None:
        blocks.append(Paragraph(w["amount"].format(amount=amount_display(context.amount))))
    if context.breach_clause:
        blocks += [Heading(w["breach_heading"]), Paragraph(context.breach_clause)]
    return blocks


def _closing(context: AgreementContext, w: Words) -> list[Block]:
    case = context.case
    blocks: list[Block] = [
        Paragraph(w["effect"]),
        Paragraph(w["copies"].format(copies=chinese_numeral(context.copies))),
    ]
    if context.judicial_confirmation_notice:
        blocks.append(Paragraph(w["judicial_notice"]))
    signers = party_signers(case, w["party_signature"], w["org_signature"])
    signers += mediator_signers(case, w["mediator_signature"], w["recorder_signature"])
    blocks += [
        SignatureBlock(tuple(signers)),
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.agreement_date)),
    ]
    return blocks
