"""Signed copies of an issued agreement: when each party, the mediator and the committee signed,
the scan of the signed paper, and the effective date — the last signature — from which the
司法确认 application window (30 days, DOMAIN §4) runs.

The signing data lives in its own tables; `effective_date(session, agreement_id)` is the one way
other modules read it (the deadline service starts the 司法确认 clock from it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.casefile.attachments import add_attachment
from models.casefile.categories import SIGNED_AGREEMENT
from models.casefile.entities import AgreementSignature, AgreementSigning
from models.cases.agreements import Agreement, IssuedDocument, effective_day
from models.cases.entities import Party
from models.cases.service import load_case
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Committee, User
from models.security.permissions import Permission, require

PARTY, MEDIATOR, COMMITTEE = "当事人", "调解员", "调解委员会"


@dataclass(frozen=True)
class SignatureInput:
    role: str  # 当事人 / 调解员 / 调解委员会
    signed_on: date
    party_id: int | None = None  # for 当事人
    name: str = ""  # filled from the party / mediator / committee when empty


@dataclass(frozen=True)
class SigningView:
    agreement_id: int
    agreement_number: str
    effective_on: date
    scan_id: int | None
    signatures: tuple[tuple[str, str, date], ...]  # (role, name, signed_on)


def mark_signed(session: Session, agreement_id: int, signatures: list[SignatureInput], *, scan_name: str,
                scan: bytes, actor: Actor) -> SigningView:
    """Record the signed paper of an issued written agreement; every party, the mediator and the
    committee must have signed, on days not before the agreement and not in the future."""
    return _record(session, agreement_id, signatures, scan_name, scan, actor, issued=True)


def mark_paper_signed(session: Session, agreement_id: int, signatures: list[SignatureInput], *, scan_name: str,
                      scan: bytes, actor: Actor) -> SigningView:
    """The same for an agreement printed outside this program (a case from before it, the demo's
    history): the signed paper is the record, so no issued document is required."""
    return _record(session, agreement_id, signatures, scan_name, scan, actor, issued=False)


def _record(session: Session, agreement_id: int, signatures: list[SignatureInput], scan_name: str, scan: bytes,
            actor: Actor, *, issued: bool) -> SigningView:
    require(session, actor, Permission.CASE_RECORD)
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(f"调解协议不存在（编号 {agreement_id}）")
    case = load_case(session, agreement.case_id)
    if agreement.oral:
        raise ValidationFailed("口头协议没有书面签字本，无需登记签字")
    if issued:
        _check_issued(session, agreement)
    if session.get(AgreementSigning, agreement.id) is not None:
        raise ValidationFailed(f"协议 {agreement.number} 已登记签字本，不能重复登记")
    rows = _signature_rows(session, agreement, signatures, case.mediator_id, case.committee_id)
    scan_row = add_attachment(session, case.id, filename=scan_name, data=scan, category=SIGNED_AGREEMENT,
                              actor=actor, description=f"协议书签字本（{agreement.number}）")
    effective = max(r.signed_on for r in rows)
    agreement.effective_on = effective  # the one home of the date every clock reads (models/cases/agreements.effective_day)
    session.add_all(rows)
    session.add(AgreementSigning(agreement_id=agreement.id, case_id=case.id, scan_id=scan_row.id,
                                 effective_on=effective, recorded_by_id=actor.user_id))
    session.flush()
    return signing_view(session, agreement.id)


def _check_issued(session: Session, agreement: Agreement) -> None:
    issued = session.scalar(select(IssuedDocument.id).where(
        IssuedDocument.case_id == agreement.case_id, IssuedDocument.kind == "agreement",
        IssuedDocument.number == agreement.number))
    if issued is None:
        raise ValidationFailed(f"协议 {agreement.number} 尚未出具协议书，请先生成并出具后再登记签字")


def _signature_rows(session: Session, agreement: Agreement, given: list[SignatureInput], mediator_id: int | None,
                    committee_id: int) -> list[AgreementSignature]:
    parties = {p.id: p.name for p in session.scalars(select(Party).where(Party.case_id == agreement.case_id))}
    today, problems = clock.today(), []
    rows: list[AgreementSignature] = []
    for s in given:
        if s.signed_on > today:
            problems.append(f"签字日期 {s.signed_on.isoformat()} 晚于今天")
        if s.signed_on < agreement.signed_on:
            problems.append(f"签字日期 {s.signed_on.isoformat()} 早于协议日期 {agreement.signed_on.isoformat()}")
        rows.append(AgreementSignature(agreement_id=agreement.id, case_id=agreement.case_id, role=s.role,
                                       party_id=s.party_id, signed_on=s.signed_on,
                                       name=s.name or _default_name(session, s, parties, mediator_id, committee_id)))
    signed_parties = {s.party_id for s in given if s.role == PARTY}
    problems += [f"当事人“{name}”尚未签字" for pid, name in parties.items() if pid not in signed_parties]
    problems += [f"未知的当事人（编号 {pid}）" for pid in signed_parties if pid not in parties]
    for role in (MEDIATOR, COMMITTEE):
        if not any(s.role == role for s in given):
            problems.append(f"{role}尚未签字（盖章）")
    problems += [f"未知的签字人身份：{s.role}" for s in given if s.role not in (PARTY, MEDIATOR, COMMITTEE)]
    if problems:
        raise ValidationFailed("不能登记签字本：" + "；".join(dict.fromkeys(problems)))
    return rows


def _default_name(session: Session, s: SignatureInput, parties: dict[int, str], mediator_id: int | None,
                  committee_id: int) -> str:
    if s.role == PARTY:
        return parties.get(s.party_id or 0, "")
    if s.role == MEDIATOR:
        user = session.get(User, mediator_id) if mediator_id is not None else None
        return user.display_name if user is not None else ""
    committee = session.get(Committee, committee_id)
    return committee.name if committee is not None else ""


def effective_date(session: Session, agreement_id: int) -> date | None:
    """The day the agreement took effect (its last signature), or None while it is not signed."""
    return session.scalar(select(AgreementSigning.effective_on).where(AgreementSigning.agreement_id == agreement_id))


def case_effective_date(session: Session, case_id: int) -> date | None:
    """The effective date of the case's latest signed agreement (what the 司法确认 clock starts from):
    signing writes it onto the agreement, whose `effective_day` every clock reads."""
    if session.scalar(select(AgreementSigning.agreement_id).where(AgreementSigning.case_id == case_id).limit(1)) is None:
        return None
    return effective_day(session, case_id)


def signing_view(session: Session, agreement_id: int) -> SigningView:
    signing = session.get(AgreementSigning, agreement_id)
    agreement = session.get(Agreement, agreement_id)
    if signing is None or agreement is None:
        raise NotFound("该协议尚未登记签字本")
    found = session.scalars(select(AgreementSignature).where(AgreementSignature.agreement_id == agreement_id)
                            .order_by(AgreementSignature.id))
    return SigningView(agreement_id, agreement.number, signing.effective_on, signing.scan_id,
                       tuple((s.role, s.name, s.signed_on) for s in found))


def signed_agreement_ids(session: Session, case_id: int) -> set[int]:
    return set(session.scalars(select(AgreementSigning.agreement_id).where(AgreementSigning.case_id == case_id)))
