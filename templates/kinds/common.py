"""Helpers shared by the builders: party descriptions, signature lines, amounts, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from templates.blocks import PartyBlock, Signer
from templates.context import AgentContext, CaseContext, PartyContext
from templates.money import amount_display
from templates.text import cn_date
from templates.wording import Words, load

AMOUNT_TOKEN = "{amount}"


def words() -> Words:
    return load("common")


def with_amount(text: str, amount: Decimal | None) -> str:
    """Replace the {amount} token by 人民币…（¥…）; left untouched when no amount is known."""
    if amount is None or AMOUNT_TOKEN not in text:
        return text
    return text.replace(AMOUNT_TOKEN, amount_display(amount))


def join_clauses(clauses: list[str]) -> str:
    """Join non-empty clauses with ，and close with 。."""
    w = words()
    kept = [c for c in clauses if c]
    return w["separator"].join(kept) + w["end"] if kept else ""


def person_description(party: PartyContext) -> str:
    w = words()
    age = ""
    if party.birth_date is not None:
        age = w["person_born"].format(date=cn_date(party.birth_date))
    elif party.age is not None:
        age = w["person_age"].format(age=party.age)
    return join_clauses(
        [
            party.name,
            party.sex,
            party.ethnicity,
            age,
            party.occupation,
            w["person_work_unit"].format(work_unit=party.work_unit) if party.work_unit else "",
            w["person_address"].format(address=party.address) if party.address else "",
            _id_clause(party),
            w["phone"].format(phone=party.phone) if party.phone else "",
        ]
    )


def _id_clause(party: PartyContext) -> str:
    if not party.id_number:
        return ""
    return str(words()["person_id"]).format(id_type=party.id_type or "证件", id_number=party.id_number)


def org_description(party: PartyContext) -> str:
    w = words()
    representative = ""
    if party.legal_rep:
        representative = w["org_representative"].format(role=w["org_representative_role"], name=party.legal_rep)
    return join_clauses(
        [
            party.name,
            w["org_uscc"].format(uscc=party.uscc) if party.uscc else "",
            w["org_address"].format(address=party.address) if party.address else "",
            representative,
            party.legal_rep_title,
            w["phone"].format(phone=party.phone) if party.phone else "",
        ]
    )


def agent_line(agent: AgentContext, party: PartyContext) -> str:
    w = words()
    # Whose agent, in the agent's own line: 委托代理人：王志强（系被申请人李秀英的委托代理人）
    first = w["agent"].format(kind=agent.kind, name=agent.name) + w["agent_of"].format(
        side=party.side if party.side != "当事人" else "", party=party.name, kind=agent.kind)
    return join_clauses(
        [
            first,
            w["agent_relation"].format(party=party.name, relation=agent.relation) if agent.relation else "",
            w["agent_id"].format(id_type="居民身份证", id_number=agent.id_number) if agent.id_number else "",
            w["agent_license"].format(license_no=agent.license_no) if agent.license_no else "",
            agent.work_unit,
            w["agent_authority"].format(authority=agent.authority) if agent.authority else "",
            w["phone"].format(phone=agent.phone) if agent.phone else "",
        ]
    )


def party_block(party: PartyContext, role: str | None = None, service_address: bool = False) -> PartyBlock:
    """The narrative party paragraph used by 协议书 and 司法确认申请书."""
    describe = org_description if party.kind == "org" else person_description
    extra = [agent_line(agent, party) for agent in party.agents]
    if service_address:
        address = party.service_address or party.address
        extra.append(words()["service_address"].format(address=address or words()["blank"]))
    return PartyBlock(role=role or party.side, description=describe(party), extra_lines=tuple(extra))


def party_blocks(case: CaseContext, service_address: bool = False) -> list[PartyBlock]:
    return [party_block(p, service_address=service_address) for p in case.parties]


def party_signers(case: CaseContext, person_label: str, org_label: str) -> list[Signer]:
    """One signature line per party with its name printed, fingerprint space for natural persons."""
    return [
        Signer(label=org_label if p.kind == "org" else person_label, name=p.name, fingerprint=p.kind == "person")
        for p in case.parties
    ]


def mediator_signers(case: CaseContext, mediator_label: str, recorder_label: str) -> list[Signer]:
    count = max(1, len(case.mediators))
    signers = [Signer(label=mediator_label) for _ in range(count)]
    return [*signers, Signer(label=recorder_label)]


def date_text(value: date | None) -> str:
    return cn_date(value)


def names(values: tuple[str, ...] | list[str]) -> str:
    return "、".join(v for v in values if v)
