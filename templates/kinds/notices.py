"""The three notices handed to parties: 权利义务告知书 at intake, 不予受理告知书 and 终止调解告知书,
the last two telling the parties their other routes (DOMAIN.md §3; 人民调解法 第二十三、二十四、二十六条)."""

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
    Signer,
    Title,
)
from templates.context import CaseContext, RejectionNoticeContext, RightsNoticeContext, TerminationNoticeContext
from templates.kinds.common import date_text, names
from templates.wording import Words, load


def _head(case: CaseContext, w: Words, people: list[str]) -> list[Block]:
    return [
        Title(w["title"]),
        DocNumber(w["number"].format(number=case.case_number)),
        Paragraph(w["addressee"].format(parties=names(people)), indent=False, align="left"),
    ]


def _receipts(case: CaseContext, label: str) -> SignatureBlock:
    """One line per party with its name printed, space to sign beside it."""
    return SignatureBlock(tuple(Signer(label, p.name, fingerprint=p.kind == "person") for p in case.parties))


def _dispute(case: CaseContext) -> str:
    kind = case.dispute_type or "民间"
    return kind if kind.endswith(("纠纷", "争议")) else kind + "纠纷"


def build_rights(context: RightsNoticeContext) -> Document:
    w = load("rights_notice")
    case = context.case
    blocks = _head(case, w, [p.name for p in case.parties])
    blocks += [
        Paragraph(w["opening"]),
        Heading(w["rights_heading"]), NumberedItems(tuple(w["rights"])),
        Heading(w["duties_heading"]), NumberedItems(tuple(w["duties"])),
        Heading(w["notes_heading"]), NumberedItems(tuple(w["notes"])),
        Paragraph(w["acknowledgement"]),
        _receipts(case, w["party_signature"]),
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.notice_date)),
    ]
    return Document(title=w["title"], blocks=tuple(blocks))


def _routes_blocks(w: Words, routes: str) -> list[Block]:
    return [Paragraph(w["routes_intro"]), Paragraph(routes.strip() or w["default_routes"]), Paragraph(w["closing"])]


def build_rejection(context: RejectionNoticeContext) -> Document:
    w = load("rejection_notice")
    case = context.case
    applicants = [p.name for p in case.parties if p.side == "申请人"] or [p.name for p in case.parties]
    blocks = _head(case, w, applicants)
    reason = context.reason.strip().rstrip("。；;，,")
    blocks.append(Paragraph(w["body"].format(date=date_text(case.received_date), dispute=_dispute(case),
                                             reason=reason)))
    blocks += _routes_blocks(w, context.routes)
    blocks += [
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.notice_date)),
        _receipts(case, w["receipt"]),
    ]
    return Document(title=w["title"], blocks=tuple(blocks))


def build_termination(context: TerminationNoticeContext) -> Document:
    w = load("termination_notice")
    case = context.case
    blocks = _head(case, w, [p.name for p in case.parties])
    applicants = names([p.name for p in case.parties if p.side == "申请人"]) or names([p.name for p in case.parties])
    respondents = names([p.name for p in case.parties if p.side != "申请人"])
    between = w["between"].format(applicants=applicants, respondents=respondents) if respondents else applicants
    reason = context.reason.strip().rstrip("。；;，,")
    blocks.append(Paragraph(w["body"].format(between=between, dispute=_dispute(case), reason=reason)))
    blocks += _routes_blocks(w, context.routes)
    blocks += [
        SealArea(w["seal"].format(committee=case.committee_name)),
        DateLine(date_text(context.notice_date)),
        _receipts(case, w["receipt"]),
    ]
    return Document(title=w["title"], blocks=tuple(blocks))
