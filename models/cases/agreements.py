"""人民调解协议: the agreement a mediation reaches (numbered items, performance, amount) and the
register of issued documents, each immutable once issued (DOMAIN §6; see docs/ARCHITECTURE.md, "Sources").

Issued means kept: the register stores the issued file itself in the content-addressed store
(models/files/store.py; the row's sha256 is the file's key), and a DOCX's PDF twin beside it, so a
reprint is the same bytes, never a re-render."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, Versioned, utcnow
from models.cases import numbering
from models.cases.service import load_case, record
from models.cases.stages import Stage
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.files.store import put_blob
from models.org.entities import Committee
from models.security.permissions import Permission, require_on_case
from models.validation import stored

AGREEMENT_STAGES = (Stage.MEDIATE, Stage.LITIGATE)  # mediation, and the court's 诉前调解


class Agreement(Versioned, Base):
    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    oral: Mapped[bool] = mapped_column(Boolean, default=False)
    items: Mapped[str] = mapped_column(Text)  # JSON list of the numbered items, in order
    performance: Mapped[str] = mapped_column(Text, default="")
    performance_deadline: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    signed_on: Mapped[date] = mapped_column(Date)
    # The day the agreement took effect (the last party's signature): the one home of that date;
    # the 司法确认 30-day window and every other clock read it from here.
    effective_on: Mapped[date | None] = mapped_column(Date)
    confirmation_notice: Mapped[bool] = mapped_column(Boolean, default=True)
    responsibilities: Mapped[str] = mapped_column(Text, default="", server_default="")  # 各方当事人的责任
    breach_clause: Mapped[str] = mapped_column(Text, default="", server_default="")  # 违约责任
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedDocument(Base):
    """A document as issued: its content snapshot and the SHA-256 of the file, which is also the
    file's key in the store. Never updated (database triggers refuse it); a correction is a new row
    pointing at the one it corrects. Rows issued before files were kept have no stored file."""

    __tablename__ = "issued_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(80))
    file_format: Mapped[str] = mapped_column(String(4))
    snapshot: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    # The PDF rendered from the same context at the same time as a DOCX: what the desk previews and
    # prints (the DOCX itself is what was handed over). Set at insert, like every column here.
    pdf_twin_sha256: Mapped[str | None] = mapped_column(String(64))


@dataclass(frozen=True)
class AgreementInput:
    items: tuple[str, ...]
    signed_on: date
    performance: str = ""
    performance_deadline: date | None = None
    amount: Decimal | None = None
    oral: bool = False
    confirmation_notice: bool = True
    effective_on: date | None = None  # the last party's signature; the signing day when not given
    responsibilities: str = ""  # 各方当事人的责任 (人民调解法 第二十九条 (二))
    breach_clause: str = ""  # 违约责任


@dataclass(frozen=True)
class AgreementView:
    id: int
    number: str
    oral: bool
    items: tuple[str, ...]
    performance: str
    performance_deadline: date | None
    amount: Decimal | None
    signed_on: date
    confirmation_notice: bool
    effective_on: date | None = None
    responsibilities: str = ""
    breach_clause: str = ""


@dataclass(frozen=True)
class IssuedView:
    id: int
    kind: str
    number: str
    file_format: str
    sha256: str
    issued_at: datetime
    corrects_id: int | None
    pdf_twin_sha256: str | None = None
    case_id: int | None = None
    size: int = 0


def record_agreement(session: Session, case_id: int, data: AgreementInput, actor: Actor) -> AgreementView:
    """Number and store the agreement and record the mediation outcome (书面协议 / 口头协议)."""
    items = tuple(i.strip() for i in data.items if i.strip())
    if not items:
        raise ValidationFailed("协议至少需要一项约定内容", {"items": "请填写协议内容"})
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.CASE_RECORD, case)
    if case.stage not in AGREEMENT_STAGES:
        raise ValidationFailed(f"案件处于“{case.stage}”阶段，只有调解中（调）或诉前调解（诉）的案件才能登记调解协议")
    data = _checked(data, case.received_date)
    effective = data.effective_on or data.signed_on
    if effective < data.signed_on:
        raise ValidationFailed("协议生效日期（最后一方签字之日）不能早于签订日期", {"effective_on": "请检查生效日期"})
    committee = session.get_one(Committee, case.committee_id)
    year = data.signed_on.year
    seq = numbering.next_value(session, committee.id, year, "协议")
    number = numbering.format_number(committee.agreement_number_pattern, committee.code, year, seq)
    row = Agreement(
        case_id=case.id, number=number, oral=data.oral, items=json.dumps(items, ensure_ascii=False),
        performance=data.performance.strip(), performance_deadline=data.performance_deadline, amount=data.amount,
        signed_on=data.signed_on, confirmation_notice=data.confirmation_notice, effective_on=effective,
        responsibilities=data.responsibilities.strip(), breach_clause=data.breach_clause.strip(),
    )
    session.add(row)
    record(session, case_id, "mediation_outcome", "口头协议" if data.oral else "书面协议", actor, f"协议编号 {number}")
    return _view(row)


def _checked(data: AgreementInput, received: date) -> AgreementInput:
    """The forms' rules for the amount and dates, and no signing before the case was received."""
    problems = stored.Problems()
    amount = stored.amount(problems, "amount", data.amount)
    stored.day(problems, "signed_on", data.signed_on, "签订日期")
    stored.not_before_receipt(problems, "signed_on", data.signed_on, received, "签订日期")
    if data.performance_deadline is not None and data.performance_deadline < data.signed_on:
        problems.add("deadline", "履行期限不能早于签订日期")
    problems.raise_if_any("协议信息有误：")
    return replace(data, amount=amount)


def latest_agreement(session: Session, case_id: int) -> AgreementView:
    row = session.scalars(select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id.desc())).first()
    if row is None:
        raise NotFound("该案件尚未达成调解协议，不能生成协议类文书")
    return _view(row)


def _view(row: Agreement) -> AgreementView:
    return AgreementView(
        row.id, row.number, row.oral, tuple(json.loads(row.items)), row.performance, row.performance_deadline,
        row.amount, row.signed_on, row.confirmation_notice, row.effective_on or row.signed_on,
        row.responsibilities or "", row.breach_clause or "",
    )


def effective_day(session: Session, case_id: int) -> date | None:
    """The day the case's written agreement took effect — the one home of that date: the 司法确认
    30-day window, the register's confirmation check and every view read it from here. None when
    the centre recorded no written agreement (an oral one cannot be judicially confirmed)."""
    query = (select(Agreement.effective_on, Agreement.signed_on).where(Agreement.case_id == case_id, ~Agreement.oral)
             .order_by(Agreement.id.desc()).limit(1))
    row = session.execute(query).first()
    return (row[0] or row[1]) if row is not None else None


def issue_document(
    session: Session, *, kind: str, number: str, file_format: str, content: bytes, snapshot: dict,
    actor: Actor, case_id: int | None = None, corrects_id: int | None = None, pdf_twin: bytes | None = None,
) -> IssuedView:
    """Record an issued document: what it said (snapshot) and exactly which file (hash), keeping
    the file (and a DOCX's `pdf_twin`) in the store in the same transaction."""
    if corrects_id is not None and session.get(IssuedDocument, corrects_id) is None:
        raise NotFound(f"要更正的文书不存在（{corrects_id}）")
    row = IssuedDocument(
        case_id=case_id, kind=kind, number=number, file_format=file_format,
        snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True, default=str),
        sha256=put_blob(session, content), size=len(content), issued_by_id=actor.user_id,
        corrects_id=corrects_id, pdf_twin_sha256=put_blob(session, pdf_twin) if pdf_twin is not None else None,
    )
    session.add(row)
    session.flush()
    return issued_view(row)


def issued_view(row: IssuedDocument) -> IssuedView:
    return IssuedView(row.id, row.kind, row.number, row.file_format, row.sha256, row.issued_at, row.corrects_id,
                      row.pdf_twin_sha256, row.case_id, row.size)


def issued_documents(session: Session, case_id: int) -> list[IssuedView]:
    rows = session.scalars(select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id))
    return [issued_view(r) for r in rows]
