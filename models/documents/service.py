"""Official documents from the database (DOMAIN.md §6): the template contexts of every document
kind filled from a case, the 台账 (ledger) whose rows stream from the database in keyset chunks,
and `issue`, which renders a document and records it in the immutable register.

Qt-free. Single documents addressed to the parties print personal numbers in full; the ledger
masks them unless the caller holds an `UnmaskGrant` (permission checked and audited first, in its
own short unit of work, so a long render never holds the write lock)."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased

from models import clock
from models.cases.agreements import AgreementView, IssuedView, issue_document, issued_documents, latest_agreement
from models.cases.catalog import DisputeType
from models.cases.entities import Case, Dispatch, Party
from models.cases.followups import case_followups
from models.cases.queries import case_detail
from models.cases.search import starts_with
from models.cases.service import load_case
from models.cases.sessions import SessionView, case_sessions
from models.cases.voiding import NOT_VOIDED
from models.deadlines.engine import compute_due
from models.deadlines.rules import rule_by_code
from models.documents.settings import COURT_SUFFIX, document_settings
from models.dto import Actor, AgentView, CaseDetail, PartyView
from models.errors import NotFound, ValidationFailed
from models.org.entities import Committee, Desk, OrgUnit, User
from models.security.audit import chain_head, record_event
from models.security.masking import mask_party_fields
from models.security.permissions import Permission, PermissionDenied, require
from models.workflow.calendar_store import work_calendar
from models.workflow.entities import CaseDeadline, CourtReferral, SupervisionOrder
from templates.blocks import block_texts
from templates.context import (
    AgentContext,
    AgreementContext,
    CaseContext,
    ConfirmationApplicationContext,
    DossierContext,
    DossierEntry,
    FollowUpContext,
    IntakeContext,
    LedgerContext,
    LedgerRow,
    LedgerTotals,
    MediationRecordContext,
    MediationSession,
    OralAgreementContext,
    PartyContext,
    RejectionNoticeContext,
    RightsNoticeContext,
    TerminationNoticeContext,
)
from templates.fonts import FontSet, NoEmbeddableFont, issuing_fontset
from templates.kinds.ledger import result_category
from templates.money import amount_display
from templates.privacy import mask_id, mask_phone
from templates.render import Format, Progress, build, render, write_atomically
from templates.text import cn_date

KIND_TITLES = {
    "agreement": "人民调解协议书",
    "oral-agreement": "人民调解口头协议登记表",
    "intake-form": "人民调解受理登记表",
    "mediation-record": "人民调解记录",
    "follow-up": "人民调解回访记录",
    "confirmation-application": "司法确认申请书",
    "dossier": "卷宗封面及卷内目录",
    "rights-notice": "人民调解当事人权利义务告知书",
    "rejection-notice": "不予受理告知书",
    "termination-notice": "终止调解告知书",
    "ledger": "矛盾纠纷排查调处台账",
}
CASE_KINDS = tuple(kind for kind in KIND_TITLES if kind != "ledger")
FORMATS = ("pdf", "docx")  # a case document
LEDGER_FORMATS = ("pdf", "docx", "xlsx")
SIDE_LABELS = {"申请方": "申请人", "被申请方": "被申请人", "第三方": "第三人"}
AMOUNT_TOKEN = "{amount}"
NO_AGREEMENT = "该案件尚未达成调解协议，不能生成协议类文书"


# --- one case's documents ------------------------------------------------------------------------

def check_kind(kind: str, *, allow_ledger: bool = False) -> str:
    known = KIND_TITLES if allow_ledger else CASE_KINDS
    if kind not in known:
        raise ValidationFailed(f"未知的文书类型：{kind}（可选：{'、'.join(known)}）")
    return kind


def document_context(session: Session, kind: str, case_id: int, *, today: date | None = None,
                     court: str | None = None) -> object:
    """The template context of `kind` for one case, filled from the database.

    Agreement-based kinds raise NotFound("该案件尚未达成调解协议…") when the case has none.
    `court` is the 司法确认申请书's court, one of `confirmation_courts` (default: the first)."""
    builder = _BUILDERS[check_kind(kind)]
    source = _CaseSource.load(session, case_id, court)
    return builder(source, today or clock.today())


@dataclass(frozen=True)
class _CaseSource:
    """What the builders read: the case detail plus the ORM row and its session for extras."""

    session: Session
    detail: CaseDetail
    case: Case
    court: str | None = None  # the court chosen for a 司法确认申请书

    @classmethod
    def load(cls, session: Session, case_id: int, court: str | None = None) -> _CaseSource:
        return cls(session, case_detail(session, case_id=case_id), load_case(session, case_id), court)

    def agreement(self) -> AgreementView:
        try:
            return latest_agreement(self.session, self.case.id)
        except NotFound:
            raise NotFound(f"{NO_AGREEMENT}（案件 {self.detail.number}）") from None

    def user_name(self, user_id: int | None) -> str:
        user = self.session.get(User, user_id) if user_id is not None else None
        return user.display_name if user is not None else ""

    def committee(self) -> Committee:
        return self.session.get_one(Committee, self.case.committee_id)

    def names(self, side: str) -> list[str]:
        return [p.name for p in self.detail.parties if p.side == side]


def case_context(source: _CaseSource) -> CaseContext:
    d = source.detail
    return CaseContext(
        case_number=d.number, committee_name=d.committee, centre_name=_centre_name(source),
        dispute_type=d.dispute_type, source=d.source_channel, facts=d.facts or d.summary, issues=d.claims,
        received_date=d.received_date,
        mediators=tuple(n for n in (d.mediator, *(d.co_mediators or "").split("、")) if n),  # 调解员, then 协助
        recorder=d.first_handler or "", parties=tuple(_party(p) for p in d.parties),
    )


def _centre_name(source: _CaseSource) -> str:
    unit_id = source.committee().org_unit_id
    unit = source.session.get(OrgUnit, unit_id) if unit_id is not None else None
    return unit.name if unit is not None else ""


def _party(p: PartyView) -> PartyContext:
    return PartyContext(
        side=SIDE_LABELS.get(p.side, "当事人"), kind="org" if p.kind == "组织" else "person", name=p.name,
        sex=p.sex or "", ethnicity=p.ethnicity or "", birth_date=p.birth_date, occupation=p.occupation or "",
        address=p.address or "", phone=p.phone or "", id_type=p.id_type or "居民身份证",
        id_number=p.id_number or "", uscc=p.uscc or "", legal_rep=p.legal_rep or "",
        legal_rep_title=p.legal_rep_title or "", agents=tuple(_agent(a) for a in p.agents),
    )


def _agent(a: AgentView) -> AgentContext:
    return AgentContext(name=a.name, kind=a.kind, authority=a.authority or "", work_unit=a.unit or "", phone=a.phone or "",
                        id_number=a.id_number or "", license_no=a.license_no or "")


def _deadline_text(agreement: AgreementView) -> str:
    due = agreement.performance_deadline
    return f"{cn_date(due)}前履行完毕" if due else ""


def _agreement(source: _CaseSource, _today: date) -> AgreementContext:
    found = source.agreement()
    if found.oral:
        raise ValidationFailed("该案件达成的是口头协议，请生成“人民调解口头协议登记表”")
    return AgreementContext(
        case=case_context(source), number=found.number, items=found.items, performance=found.performance,
        deadline=_deadline_text(found), amount=found.amount, agreement_date=found.signed_on,
        judicial_confirmation_notice=found.confirmation_notice, responsibilities=found.responsibilities,
        breach_clause=found.breach_clause,
    )


def _oral_agreement(source: _CaseSource, _today: date) -> OralAgreementContext:
    found = source.agreement()
    if not found.oral:
        raise ValidationFailed("该案件达成的是书面协议，口头协议登记表只用于口头协议；请生成“人民调解协议书”")
    return OralAgreementContext(
        case=case_context(source), number=found.number, content=found.items, performance=found.performance,
        deadline=_deadline_text(found), amount=found.amount, agreement_date=found.signed_on,
    )


def _intake(source: _CaseSource, _today: date) -> IntakeContext:
    case = source.case
    return IntakeContext(
        case=case_context(source), accepted_date=case.received_date,
        by_application=case.source_channel != "主动排查", registrar=source.user_name(case.registered_by_id),
    )


def _local(at: datetime) -> datetime:
    return at.astimezone().replace(tzinfo=None)


def _subject(d: CaseDetail) -> str:
    """事由 with the case number (一案一码), so the paper form leads back to the case."""
    return f"{d.summary}（案件编号：{d.number}）"


def _mediation_record(source: _CaseSource, _today: date) -> MediationRecordContext:
    """One page group per held session, dated by the session; without one, a blank form to fill by hand."""
    d = source.detail
    held = case_sessions(source.session, source.case.id, held_only=True)
    sittings = tuple(_sitting(d, s) for s in held) or (MediationSession(
        start=None, place="", record="", subject=_subject(d), parties_present=tuple(p.name for p in d.parties),
        mediators=tuple(n for n in (d.mediator,) if n), recorder=d.first_handler or "",
    ),)
    return MediationRecordContext(case=case_context(source), sessions=sittings)


def _sitting(d: CaseDetail, s: SessionView) -> MediationSession:
    sides = {p.id: SIDE_LABELS.get(p.side, "当事人") for p in d.parties}
    lines = [f"{sides.get(p.party_id, '当事人')}{p.name}陈述：{p.statement}" for p in s.parties if p.statement]
    lines += [f"调解员意见：{s.proposal}"] if s.proposal else []
    lines += [f"调解结果：{s.result}"]
    lines += [f"下一步安排：{s.next_step}"] if s.next_step else []
    others = tuple(n for n in s.others.replace("，", "、").split("、") if n.strip())
    return MediationSession(
        start=datetime.combine(s.held_on, s.start_time), place=s.place, record="\n".join(lines), subject=_subject(d),
        attendees=(*s.agents, *others), parties_present=tuple(p.name for p in s.parties if p.present),
        mediators=s.mediators, recorder=s.recorder, statements_read=s.has_statements,
    )


def _follow_up(source: _CaseSource, _today: date) -> FollowUpContext:
    """From the latest 回访 record, naming every party visited; without one, a form to fill by hand."""
    d = source.detail
    visits = case_followups(source.session, source.case.id)
    if not visits:
        return FollowUpContext(
            case=case_context(source), agreement_number=_agreement_number_or_blank(source),
            visited_party="、".join(p.name for p in d.parties), subject=_subject(d), visit_date=None, findings="",
            visitor=d.mediator or "",
        )
    visit = visits[-1]
    findings = f"回访方式：{visit.method}。履行情况：{visit.performance_text}。满意度：{visit.satisfaction}。"
    return FollowUpContext(
        case=case_context(source), agreement_number=_agreement_number_or_blank(source),
        visited_party="、".join(visit.parties), subject=_subject(d), visit_date=visit.visited_on,
        findings=findings + visit.notes, visitor=visit.visitor, record_date=visit.visited_on,
    )


def _agreement_number_or_blank(source: _CaseSource) -> str:
    try:
        return latest_agreement(source.session, source.case.id).number
    except NotFound:
        return ""


def _confirmation(source: _CaseSource, today: date) -> ConfirmationApplicationContext:
    found = source.agreement()
    if found.oral:
        raise ValidationFailed("口头协议不能申请司法确认，请先达成书面调解协议")
    courts = confirmation_courts(source.session, source.case.id)
    court = (source.court or "").strip() or courts[0]
    if court not in courts:
        raise ValidationFailed(f"司法确认应向法律规定的法院申请，请从列表中选择：{'、'.join(courts)}")
    return ConfirmationApplicationContext(
        case=case_context(source), court_name=court, agreement_number=found.number,
        agreement_date=found.signed_on, agreement_summary=tuple(_expand(i, found) for i in found.items),
        attachments=_attachments(source), application_date=today,
    )


def _expand(item: str, agreement: AgreementView) -> str:
    if agreement.amount is None or AMOUNT_TOKEN not in item:
        return item
    return item.replace(AMOUNT_TOKEN, amount_display(agreement.amount))


# The archival order of a 卷宗 (research §3.0): (title, kind the system issues, or None for paper).
DOSSIER_ORDER: tuple[tuple[str, str | None], ...] = (
    ("人民调解申请书", None),
    ("人民调解受理登记表", "intake-form"),
    ("人民调解当事人权利义务告知书", "rights-notice"),
    ("不予受理告知书", "rejection-notice"),
    ("当事人身份证明", None),
    ("证据材料", None),
    ("人民调解记录", "mediation-record"),
    ("人民调解协议书", "agreement"),
    ("人民调解口头协议登记表", "oral-agreement"),
    ("终止调解告知书", "termination-notice"),
    ("司法确认申请书", "confirmation-application"),
    ("收条或汇款单等履行凭证", None),
    ("人民调解回访记录", "follow-up"),
    ("封底", None),
)


def dossier_entries(session: Session, case_id: int) -> tuple[DossierEntry, ...]:
    """Paper entries always; system documents when issued, one row per document however many
    formats it was issued in (number and corrections as remark)."""
    issued: dict[str, list[IssuedView]] = {}
    seen: set[tuple[str, str, int | None]] = set()
    for view in issued_documents(session, case_id):
        key = (view.kind, view.number, view.corrects_id)
        if key not in seen:  # the PDF and the DOCX of one document are one document
            seen.add(key)
            issued.setdefault(view.kind, []).append(view)
    entries = []
    for title, kind in DOSSIER_ORDER:
        if kind is None:
            entries.append(DossierEntry(title))
        for view in issued.get(kind or "", []):
            remark = view.number + ("（更正）" if view.corrects_id else "")
            entries.append(DossierEntry(title, remark=remark))
    return tuple(entries)


def _dossier(source: _CaseSource, today: date) -> DossierContext:
    d, case = source.detail, source.case
    applicants, respondents = "、".join(source.names("申请方")), "、".join(source.names("被申请方"))
    kind = d.dispute_type if d.dispute_type.endswith(("纠纷", "争议")) else d.dispute_type + "纠纷"
    return DossierContext(
        committee_name=d.committee, volume_name=f"{applicants}与{respondents}{kind}", volume_number=d.number,
        mediators=tuple(n for n in (d.mediator,) if n), mediation_start=d.received_date,
        mediation_end=_local(case.closed_at).date() if case.closed_at else None, filer=d.first_handler or "",
        filing_date=today, retention="长期", entries=dossier_entries(source.session, case.id),
    )


_BUILDERS: dict[str, Callable[[_CaseSource, date], object]] = {
    "agreement": _agreement,
    "oral-agreement": _oral_agreement,
    "intake-form": _intake,
    "mediation-record": _mediation_record,
    "follow-up": _follow_up,
    "confirmation-application": _confirmation,
    "dossier": _dossier,
    "rights-notice": lambda source, today: _rights_notice(source, today),
    "rejection-notice": lambda source, today: _rejection_notice(source, today),
    "termination-notice": lambda source, today: _termination_notice(source, today),
}  # the notices' builders live in their own section below


# --- the 司法确认申请书's court, window and attachments ------------------------------------------

@dataclass(frozen=True)
class ConfirmationWindow:
    """The 30 days from the agreement's effective date (人民调解法 第三十三条; 民诉法 第二百零五条)."""

    effective_on: date
    last_day: date

    def describe(self, today: date) -> str:
        left = (self.last_day - today).days
        state = f"还剩 {left} 天" if left > 0 else ("今天是最后一天" if left == 0 else "已超过期限")
        return (f"司法确认申请期限：协议自{cn_date(self.effective_on)}生效，须于{cn_date(self.last_day)}前"
                f"共同向人民法院申请（{state}）")


def confirmation_window(session: Session, case_id: int) -> ConfirmationWindow:
    """The window of the case's latest written agreement, counted as the deadline engine counts it
    (start day not counted, a rest day moves the end to the next working day)."""
    agreement = latest_agreement(session, case_id)
    referral = session.scalars(select(CourtReferral).where(CourtReferral.case_id == case_id)).first()
    effective = (referral.agreement_effective_on if referral is not None else None) or agreement.signed_on
    due = compute_due(rule_by_code("sfqr_apply"), effective, work_calendar(session)).due_date
    return ConfirmationWindow(effective, due)


def confirmation_courts(session: Session, case_id: int) -> list[str]:
    """The courts the law names for the case's 司法确认: the inviting court of a 委派/委托 case, else
    the basic court where the committee sits (民诉法 第二百零五条). Never empty: refused instead."""
    referral = session.scalars(select(CourtReferral).where(CourtReferral.case_id == case_id)).first()
    if referral is not None and referral.kind in ("委派", "委托") and referral.court.strip():
        return [referral.court.strip()]
    case = load_case(session, case_id)
    courts = [document_settings(session).basic_court.strip()]
    unit = session.get(OrgUnit, session.get_one(Committee, case.committee_id).org_unit_id or -1)
    if unit is not None and unit.name.endswith(("市", "县", "区", "旗")):  # a county-level seat names its court
        courts.append(unit.name + COURT_SUFFIX)
    found = list(dict.fromkeys(c for c in courts if c))
    if not found:
        raise ValidationFailed("未设置调委会所在地的基层人民法院，不能生成司法确认申请书；请管理员在文书设置中填写")
    return found


def _attachments(source: _CaseSource) -> tuple[str, ...]:
    """民诉法解释 第三百五十五条: the agreement, identity and (for organisations) 资格证明, the
    committee's proof that it mediated, and a 授权委托书 for each agent who acts."""
    d = source.detail
    found = ["人民调解协议书", "申请人身份证明"]
    found += [f"{p.name}的营业执照或组织机构资格证明、法定代表人身份证明" for p in d.parties if p.kind == "组织"]
    found.append(f"{d.committee}主持调解的证明")
    for party in d.parties:
        for agent in party.agents:
            if agent.kind != "法定代理人":
                found.append(f"{party.name}出具的授权委托书（委托代理人：{agent.name}）")
    return tuple(found)


# --- the notices: 权利义务告知书, 不予受理告知书, 终止调解告知书 -----------------------------------------

TERMINATION_OUTCOMES = {"调解不成": "经调解，双方当事人未能达成调解协议", "撤回": "当事人要求终止调解"}


def _rights_notice(source: _CaseSource, _today: date) -> RightsNoticeContext:
    return RightsNoticeContext(case=case_context(source), notice_date=source.case.received_date)


def _rejection_notice(source: _CaseSource, today: date) -> RejectionNoticeContext:
    reason = (source.case.rejection_reason or "").strip()
    if not reason:
        raise ValidationFailed("该案件没有不予受理的决定和理由，不能生成不予受理告知书")
    closed = source.case.closed_at
    return RejectionNoticeContext(case=case_context(source), reason=reason,
                                  notice_date=_local(closed).date() if closed else today)


def _termination_notice(source: _CaseSource, today: date) -> TerminationNoticeContext:
    case = source.case
    outcome = case.mediation_outcome or ""
    if outcome not in TERMINATION_OUTCOMES:
        raise ValidationFailed("只有调解结果为“调解不成”或“撤回”的案件才能生成终止调解告知书")
    reason = (case.outcome_note or "").strip() or TERMINATION_OUTCOMES[outcome]
    return TerminationNoticeContext(case=case_context(source), reason=reason, notice_date=today)


# --- issuing ---------------------------------------------------------------------------------------

def document_number(kind: str, context: Any) -> str:
    """The number the register files a document under: the agreement's or the case's."""
    if isinstance(context, (AgreementContext, OralAgreementContext)):
        return context.number
    if isinstance(context, ConfirmationApplicationContext):
        return context.agreement_number
    if isinstance(context, DossierContext):
        return context.volume_number
    case = getattr(context, "case", None)
    return case.case_number if case is not None else KIND_TITLES.get(kind, kind)


def snapshot_of(context: object) -> dict[str, Any]:
    """The context as plain data with ID and phone numbers masked: the snapshot is copied into
    the audit trail, which never holds them in full (the file's hash pins the exact content)."""
    return _mask_tree(dataclasses.asdict(context))  # type: ignore[call-overload]


def _mask_tree(value: Any) -> Any:
    if isinstance(value, dict):  # a party's birth date never stays beside its masked ID
        return mask_party_fields({k: _mask_tree(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return [_mask_tree(v) for v in value]
    return value


# Documents addressed to the parties that print their full ID numbers (party_block in templates):
# issuing one needs 出具文书 and writes an unmask event.
FULL_ID_KINDS = frozenset({"agreement", "oral-agreement", "confirmation-application"})


# Formats issued together with a PDF twin rendered from the same context (what the desk previews
# and prints inside the app; the DOCX is what is handed over or edited elsewhere).
TWIN_FORMATS = frozenset({"docx"})


@dataclass(frozen=True)
class RenderedDocument:
    """A case document rendered but not yet recorded (see `render_for_issue`)."""

    kind: str
    case_id: int
    fmt: Format
    number: str
    snapshot: dict[str, Any]
    data: bytes
    pdf_twin: bytes | None


def issue(session: Session, kind: str, case_id: int, fmt: Format, actor: Actor, corrects_id: int | None = None,
          *, today: date | None = None, court: str | None = None,
          accept_missing: bool = False) -> tuple[bytes, IssuedView]:
    """Render one case document and record it (number, masked snapshot, the file kept in the store).

    The caller writes the bytes (see `save_bytes`) inside the same unit of work, so a failed
    write leaves no register entry. To keep the render out of the write transaction, call
    `render_for_issue` in a read session and `record_issue` in a short write one."""
    rendered = render_for_issue(session, kind, case_id, fmt, actor, today=today, court=court,
                                accept_missing=accept_missing)
    return rendered.data, record_issue(session, rendered, actor, corrects_id)


def render_for_issue(session: Session, kind: str, case_id: int, fmt: Format, actor: Actor, *,
                     today: date | None = None, court: str | None = None,
                     accept_missing: bool = False) -> RenderedDocument:
    """Everything issuing decides and renders, reading only: the checks before issuing, the file in
    embedded fonts and, for a DOCX, its PDF twin.

    Refused with a message when a check before issuing fails (`check_issuable`), and with
    MissingCharacters when a character would print as 〓 and the user has not confirmed
    (`accept_missing`)."""
    require(session, actor, Permission.DOC_ISSUE)
    check_format(fmt)
    day = today or clock.today()
    context = document_context(session, kind, case_id, today=day, court=court)
    check_issuable(session, kind, case_id, context, day)
    fonts = _issuing_fonts()
    missing = missing_characters(kind, context, fonts)
    if missing and not accept_missing:
        raise MissingCharacters(missing)
    double_sided = document_settings(session).double_sided
    data = render(kind, context, fmt, fonts=fonts, double_sided=double_sided)
    twin = render(kind, context, "pdf", fonts=fonts, double_sided=double_sided) if fmt in TWIN_FORMATS else None
    return RenderedDocument(kind, case_id, fmt, document_number(kind, context), snapshot_of(context), data, twin)


def pdf_twin_of(kind: str, context: object, fmt: str, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> bytes | None:
    """The PDF twin of a DOCX (None for a PDF): the same context rendered at the same time."""
    return render(kind, context, "pdf", progress=progress, cancelled=cancelled) if fmt in TWIN_FORMATS else None


def record_issue(session: Session, rendered: RenderedDocument, actor: Actor,
                 corrects_id: int | None = None) -> IssuedView:
    """File a rendered document in the register (permission checked again in this transaction)."""
    require(session, actor, Permission.DOC_ISSUE)
    view = issue_document(
        session, kind=rendered.kind, number=rendered.number, file_format=rendered.fmt, content=rendered.data,
        snapshot=rendered.snapshot, actor=actor, case_id=rendered.case_id, corrects_id=corrects_id,
        pdf_twin=rendered.pdf_twin,
    )
    if rendered.kind in FULL_ID_KINDS:
        record_event(session, actor, "unmask", "issued_documents", view.id, purpose="出具文书", kind=rendered.kind,
                     case_id=rendered.case_id, document=view.number,
                     reason="法定文书须载明当事人完整身份证号码")
    return view


# --- checks before issuing (DOMAIN.md §6; issue #12 item 4) ----------------------------------------

class MissingCharacters(ValidationFailed):
    """Characters no embedded font has: they print as 〓 unless the user confirms otherwise."""

    def __init__(self, characters: Sequence[str]) -> None:
        self.characters = tuple(characters)
        listed = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in self.characters)
        super().__init__(f"本机字体缺少以下字符，出具后将印为〓：{listed}；确认后仍可出具，请核对后手写补正")


def _issuing_fonts() -> FontSet:
    try:
        return issuing_fontset()
    except NoEmbeddableFont as exc:
        raise ValidationFailed(str(exc)) from None


def missing_characters(kind: str, context: object, fonts: FontSet | None = None) -> tuple[str, ...]:
    """The characters of the document that no embedded font has, in order of appearance."""
    fonts = fonts or _issuing_fonts()
    document = build(kind, context)
    text = "".join(t for block in document.blocks for t in block_texts(block))
    gone = fonts.missing(text)
    return tuple(dict.fromkeys(ch for ch in text if ch in gone))


def document_problems(session: Session, kind: str, case_id: int, context: object, today: date) -> list[str]:
    """What stops `kind` from being issued today, one Chinese sentence each (empty: nothing)."""
    problems: list[str] = []
    if isinstance(context, AgreementContext | OralAgreementContext | ConfirmationApplicationContext):
        agreement = latest_agreement(session, case_id)
        problems += _agreement_problems(agreement, source_received(session, case_id))
    if isinstance(context, ConfirmationApplicationContext):
        window = confirmation_window(session, case_id)
        if today > window.last_day:
            problems.append(f"已超过司法确认申请期限：协议自{cn_date(window.effective_on)}生效，应于"
                            f"{cn_date(window.last_day)}前申请（人民调解法第三十三条、民事诉讼法第二百零五条），"
                            "不能再出具司法确认申请书")
        if not context.court_name.strip():
            problems.append("司法确认申请书须写明受理法院，请从列表中选择")
    return problems


def check_issuable(session: Session, kind: str, case_id: int, context: object, today: date) -> None:
    """Raise ValidationFailed naming the first problem `document_problems` finds."""
    problems = document_problems(session, kind, case_id, context, today)
    if problems:
        raise ValidationFailed(problems[0])


def source_received(session: Session, case_id: int) -> date | None:
    return load_case(session, case_id).received_date


def _agreement_problems(agreement: AgreementView, received: date | None) -> list[str]:
    problems = []
    texts = [*agreement.items, agreement.performance]
    if agreement.amount is None and any(AMOUNT_TOKEN in t for t in texts):
        problems.append("协议内容引用了金额（{amount}），但协议没有填写金额；请在协议中填写金额或改写该项")
    if not agreement.performance.strip() and agreement.performance_deadline is None and agreement.amount is None:
        problems.append("协议没有填写履行方式和履行期限，“履行方式、时限”一项不能空着；请先在协议中填写")
    if received is not None and agreement.signed_on < received:
        problems.append(f"协议签订日期（{cn_date(agreement.signed_on)}）早于受理日期（{cn_date(received)}），请核对协议日期")
    return problems


def check_format(fmt: str, *, ledger: bool = False) -> Format:
    """A case document is PDF or DOCX; the ledger can also be XLSX."""
    known = LEDGER_FORMATS if ledger else FORMATS
    if fmt not in known:
        raise ValidationFailed(f"不支持的格式：{fmt}（可选：{'、'.join(known)}）")
    return fmt  # type: ignore[return-value]


# --- files ---------------------------------------------------------------------------------------

def check_writable(path: str | os.PathLike[str]) -> Path:
    """Refuse early, in Chinese, a target whose directory is missing or not writable."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ValidationFailed(f"输出路径是一个文件夹：{target}")
    if not folder.is_dir():
        raise ValidationFailed(f"输出目录不存在或不是文件夹：{folder}")
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ValidationFailed(f"没有写入权限：{target}")
    return target


def save_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write atomically (temp file in the same folder, then os.replace): never a half file."""
    target = check_writable(path)
    try:
        return write_atomically(target, data)
    except OSError as exc:
        raise ValidationFailed(f"无法写入文件：{target}（{exc.strerror}）") from exc


# --- the ledger (台账) -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerFilter:
    date_from: date | None = None  # 受理日期 from (inclusive)
    date_to: date | None = None  # … to (inclusive)
    desk_id: int | None = None
    org_unit_id: int | None = None  # a level unit; its whole subtree matches
    dispute_type_code: str | None = None  # a parent code also matches its sub-codes
    stage: str | None = None


@dataclass(frozen=True)
class UnmaskGrant:
    """Proof that printing full ID/phone numbers was permitted and audited (see authorize_unmask)."""

    audit_seq: int
    user_id: int | None


def check_period(flt: LedgerFilter) -> None:
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationFailed("开始日期晚于结束日期，请检查期间", {"period": "开始日期不能晚于结束日期"})


def _subtree(session: Session, root_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    found, pending = [], [root_id]
    while pending:
        unit = pending.pop()
        found.append(unit)
        pending.extend(children.get(unit, []))
    return found


def ledger_conditions(session: Session, flt: LedgerFilter) -> list[ColumnElement[bool]]:
    check_period(flt)
    found: list[ColumnElement[bool]] = [NOT_VOIDED]  # a case registered in error is no ledger line
    if flt.date_from:
        found.append(Case.received_date >= flt.date_from)
    if flt.date_to:
        found.append(Case.received_date <= flt.date_to)
    if flt.desk_id is not None:
        found.append(Case.desk_id == flt.desk_id)
    if flt.org_unit_id is not None:
        found.append(Case.org_unit_id.in_(_subtree(session, flt.org_unit_id)))
    if flt.dispute_type_code:
        found.append(starts_with(Case.dispute_type_code, flt.dispute_type_code))
    if flt.stage:
        found.append(Case.stage == flt.stage)
    return found


def describe_filter(session: Session, flt: LedgerFilter) -> str:
    """期间：…；窗口：…；层级：…；类型：…；阶段：… as printed under the ledger title: exactly the
    filter applied (a type code that names no type is printed as the code prefix it matched)."""
    period = f"{cn_date(flt.date_from) if flt.date_from else '不限'}至{cn_date(flt.date_to) if flt.date_to else '不限'}"
    desk = session.get(Desk, flt.desk_id) if flt.desk_id is not None else None
    unit = session.get(OrgUnit, flt.org_unit_id) if flt.org_unit_id is not None else None
    parts = [f"期间：{period}", f"窗口：{desk.name if desk else '全部'}", f"层级：{unit.name + '（含下级）' if unit else '全部'}",
             f"类型：{_describe_type(session, flt.dispute_type_code)}", f"阶段：{flt.stage or '全部'}"]
    return "；".join(parts)


def _describe_type(session: Session, code: str | None) -> str:
    if not code:
        return "全部"
    kind = session.get(DisputeType, code)
    if kind is None:
        return f"代码以“{code}”开头的类型"
    children = session.scalar(select(func.count()).select_from(DisputeType).where(
        starts_with(DisputeType.code, code), DisputeType.code != code))
    return f"{kind.name}（{code}{'，含子类' if children else ''}）"


def covered_unit(session: Session, flt: LedgerFilter) -> str:
    """填报单位: the unit the ledger covers — the level unit filtered on, else the desk's, else
    the top of the organisation (the centre), else the first mediation committee."""
    if flt.org_unit_id is not None:
        return session.get_one(OrgUnit, flt.org_unit_id).name
    if flt.desk_id is not None:
        return session.get_one(Desk, flt.desk_id).name
    top = session.scalars(select(OrgUnit.name).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)).first()
    return top or default_reporting_unit(session)


def authorize_unmask(session: Session, actor: Actor, flt: LedgerFilter, reason: str) -> UnmaskGrant:
    """Check 查看完整证件号 and audit the unmasked export; run in its own committed unit of work."""
    require(session, actor, Permission.PI_UNMASK)
    if not reason.strip():
        raise PermissionDenied("导出完整证件号和电话须填写理由")
    seq = record_event(session, actor, "export_unmasked", "ledger", None, purpose="台账导出",
                       reason=reason.strip(), filter=describe_filter(session, flt))
    return UnmaskGrant(seq, actor.user_id)


_LEVEL = aliased(OrgUnit)
_LEDGER_COLUMNS = (
    Case.id, Case.received_date, Case.number, Case.source_channel, DisputeType.name.label("type_name"), Case.summary,
    Case.amount, Case.risk_colour, Case.stage, Desk.name.label("desk_name"), User.display_name.label("mediator"),
    Case.mediation_outcome, Case.arbitration_result, Case.court_outcome, Case.followup_satisfaction,
    Case.closed_at, Case.outcome_note, Case.rejection_reason, _LEVEL.name.label("level_name"),
    CourtReferral.performance.label("court_performance"), CourtReferral.ruling,
    CourtReferral.confirmation_applied_on,
)
RISK_LABELS = {"红": "红色（重大）", "黄": "黄色（较大）", "蓝": "蓝色（一般）"}
CLOSED_STAGES = ("办结", "归档")
AGREEMENT_FORMS = ("书面协议", "口头协议")


def _result(stage: str, outcome: str | None, award: str | None, court: str | None) -> str:
    done = [v for v in (outcome, award and f"仲裁{award}", court) if v]
    return "；".join(done) if done else ("已办结" if stage in CLOSED_STAGES else "办理中")


def _confirmation_state(ruling: str | None, applied_on: date | None) -> str:
    if ruling:
        return ruling
    return f"已申请（{applied_on.isoformat()}）" if applied_on else ""


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(clock.CHINA).date()


class LedgerRows(Sequence[LedgerRow]):
    """The ledger's rows, read on demand in keyset chunks ordered by (受理日期, id).

    Holds at most two chunks, so memory stays flat however many rows match. Access is mostly
    forward (the renderers walk the rows once); the chunk boundaries are remembered, so even a
    step back is a keyset query, never an OFFSET scan."""

    def __init__(self, session: Session, conditions: list[ColumnElement[bool]], *, unmasked: bool = False,
                 chunk_size: int = 1000) -> None:
        self.session, self.conditions, self.unmasked, self.chunk_size = session, conditions, unmasked, chunk_size
        count = select(func.count()).select_from(Case).where(*conditions)
        self._total = int(session.execute(count).scalar_one())
        self._after: dict[int, tuple[date, int] | None] = {0: None}  # chunk → key its first row follows
        self._chunks: dict[int, list[LedgerRow]] = {}

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        chunk, offset = divmod(index, self.chunk_size)
        return self._chunk(chunk)[offset]

    def _chunk(self, number: int) -> list[LedgerRow]:
        rows = self._chunks.get(number)
        if rows is None:
            if number not in self._after:  # a jump ahead: walk the keys up to it
                self._chunk(max(k for k in self._after if k < number))
                return self._chunk(number)
            rows = self._fetch(number)
            if len(self._chunks) >= 2:  # keep the nearest chunk: the renderers step back by one row at most
                self._chunks.pop(max(self._chunks, key=lambda k: abs(k - number)))
            self._chunks[number] = rows
        return rows

    def _fetch(self, number: int) -> list[LedgerRow]:
        query = (
            select(*_LEDGER_COLUMNS).join(DisputeType, DisputeType.code == Case.dispute_type_code)
            .outerjoin(Desk, Desk.id == Case.desk_id).outerjoin(User, User.id == Case.mediator_id)
            .outerjoin(_LEVEL, _LEVEL.id == Case.org_unit_id).outerjoin(CourtReferral, CourtReferral.case_id == Case.id)
            .where(*self.conditions)
        )
        after = self._after[number]
        if after is not None:
            query = query.where(tuple_(Case.received_date, Case.id) > tuple_(*after))
        found = self.session.execute(query.order_by(Case.received_date, Case.id).limit(self.chunk_size)).all()
        if found:
            self._after[number + 1] = (found[-1].received_date, found[-1].id)
        ids = [r.id for r in found]
        people, due, supervision = self._parties(ids), self._deadlines(ids), self._supervision(ids)
        return [self._row(r, people.get(r.id, []), due.get(r.id), supervision.get(r.id, "")) for r in found]

    def _parties(self, ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
        query = (select(Party.case_id, Party.name, Party.id_number, Party.uscc, Party.phone)
                 .where(Party.case_id.in_(ids)).order_by(Party.case_id, Party.ordinal, Party.id))
        found: dict[int, list[tuple[str, str, str]]] = {}
        for case_id, name, id_number, uscc, phone in self.session.execute(query):
            found.setdefault(case_id, []).append((name, id_number or uscc or "", phone or ""))
        return found

    def _deadlines(self, ids: list[int]) -> dict[int, date]:
        """The earliest open deadline; for a closed case (none open) the last one it had."""
        open_due = func.min(sql_case((CaseDeadline.completed_on.is_(None), CaseDeadline.due_date)))
        query = (select(CaseDeadline.case_id, open_due, func.max(CaseDeadline.due_date))
                 .where(CaseDeadline.case_id.in_(ids)).group_by(CaseDeadline.case_id))
        return {case_id: first or last for case_id, first, last in self.session.execute(query)}

    def _supervision(self, ids: list[int]) -> dict[int, str]:
        """交办督办情况: how many dispatches (latest status) and 督办单 (latest number, replied or not)."""
        texts: dict[int, list[str]] = {}
        dispatches = (select(Dispatch.case_id, func.count(), func.max(Dispatch.id))
                      .where(Dispatch.case_id.in_(ids)).group_by(Dispatch.case_id))
        latest = {last: case_id for case_id, _n, last in self.session.execute(dispatches)}
        counts = dict(self.session.execute(select(Dispatch.case_id, func.count()).where(Dispatch.case_id.in_(ids))
                                           .group_by(Dispatch.case_id)).all())
        for dispatch_id, status in self.session.execute(select(Dispatch.id, Dispatch.status)
                                                        .where(Dispatch.id.in_(list(latest)))):
            case_id = latest[dispatch_id]
            texts.setdefault(case_id, []).append(f"派单{counts[case_id]}次（{status}）")
        orders = (select(SupervisionOrder.case_id, SupervisionOrder.number, SupervisionOrder.level,
                         SupervisionOrder.replied_on).where(SupervisionOrder.case_id.in_(ids))
                  .order_by(SupervisionOrder.case_id, SupervisionOrder.id))
        for case_id, order_number, level, replied_on in self.session.execute(orders):
            texts.setdefault(case_id, []).append(f"督办{order_number}（{level}，{'已回复' if replied_on else '待回复'}）")
        return {case_id: "\n".join(lines) for case_id, lines in texts.items()}

    def _row(self, r: Any, people: list[tuple[str, str, str]], due: date | None, supervision: str) -> LedgerRow:
        ids = tuple(n for _, n, _ in people)  # aligned with the names: "" where a party has none
        phones = tuple(p for _, _, p in people)
        if not self.unmasked:
            ids = tuple(mask_id(n) if n else "" for n in ids)
            phones = tuple(mask_phone(p) if p else "" for p in phones)
        return LedgerRow(
            case_number=r.number, registered_on=r.received_date, source=r.source_channel,
            parties=tuple(name for name, _, _ in people), id_numbers=ids, phones=phones, dispute_type=r.type_name,
            summary=r.summary, amount=r.amount, risk_level=RISK_LABELS.get(r.risk_colour or "", ""), stage=r.stage,
            responsible="／".join(v for v in (r.desk_name, r.mediator) if v), deadline=due,
            result=_result(r.stage, r.mediation_outcome, r.arbitration_result, r.court_outcome),
            level=r.level_name or "",
            agreement_form=r.mediation_outcome if r.mediation_outcome in AGREEMENT_FORMS else "",
            performance=r.court_performance or "", confirmation=_confirmation_state(r.ruling, r.confirmation_applied_on),
            follow_up=r.followup_satisfaction or "", supervision=supervision, closed_on=_local_date(r.closed_at),
            remark=r.rejection_reason or r.outcome_note or "", outcome=r.mediation_outcome or "",
        )


def ledger_totals(session: Session, conditions: list[ColumnElement[bool]]) -> LedgerTotals:
    """合计 in SQL (the rows stream; counting them would read the ledger twice)."""
    count, amount, widest, lowest = session.execute(
        select(func.count(), func.sum(Case.amount), func.max(Case.amount), func.min(Case.amount)).where(*conditions)
    ).one()
    stages = session.execute(select(Case.stage, func.count()).where(*conditions).group_by(Case.stage)).all()
    results: Counter[str] = Counter()
    grouped = select(Case.mediation_outcome, Case.stage, func.count()).where(*conditions)
    for outcome, stage, n in session.execute(grouped.group_by(Case.mediation_outcome, Case.stage)):
        results[result_category(LedgerRow(case_number="", stage=stage, outcome=outcome or ""))] += n
    if lowest is not None and widest is not None and abs(lowest) > abs(widest):
        widest = lowest
    by_stage = tuple(sorted(((stage, n) for stage, n in stages), key=lambda item: -item[1]))
    return LedgerTotals(int(count), Decimal(amount or 0), by_stage, tuple(results.most_common()), widest)


def default_reporting_unit(session: Session) -> str:
    first = session.scalars(select(Committee.name).order_by(Committee.id)).first()
    return first or ""


def ledger_context(session: Session, flt: LedgerFilter, reporter: str, *, unmask: UnmaskGrant | None = None,
                   reporting_unit: str | None = None, today: date | None = None,
                   chunk_size: int = 1000, paper: str = "A4") -> LedgerContext:
    """The 台账 over the filtered cases. Rows stream from `session`, so render while it is open.

    Numbers are masked unless `unmask` (from `authorize_unmask`) is given. The audit chain head is
    printed in the footer so a printed ledger can later be checked against the trail."""
    conditions = ledger_conditions(session, flt)
    rows = LedgerRows(session, conditions, unmasked=unmask is not None, chunk_size=chunk_size)
    return LedgerContext(
        reporting_unit=reporting_unit or covered_unit(session, flt), reporter=reporter,
        report_date=today or clock.today(), rows=rows, filter_description=describe_filter(session, flt),
        unmasked=unmask is not None, chain_anchor=chain_head(session).footer(),
        totals=ledger_totals(session, conditions), paper=paper,
    )


def render_ledger(context: LedgerContext, fmt: Format, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> bytes:
    return render("ledger", context, check_format(fmt, ledger=True), progress=progress, cancelled=cancelled)


def record_ledger_issue(session: Session, context: LedgerContext, fmt: Format, data: bytes, actor: Actor,
                        pdf_twin: bytes | None = None) -> IssuedView:
    """File an exported ledger in the register: its filter, size and anchor (not the rows); the
    file (and a DOCX's `pdf_twin`, see `pdf_twin_of`) is kept in the store."""
    require(session, actor, Permission.CASE_VIEW)
    snapshot = {"filter": context.filter_description, "rows": len(context.rows), "unmasked": context.unmasked,
                "anchor": context.chain_anchor, "reporter": context.reporter, "unit": context.reporting_unit}
    number = f"台账（{clock.local_now():%Y-%m-%d %H:%M:%S}）"
    return issue_document(session, kind="ledger", number=number, file_format=fmt, content=data, snapshot=snapshot,
                          actor=actor, pdf_twin=pdf_twin)


def find_org_unit_id(session: Session, name: str) -> int:
    """A level unit by name, or by path "玉门镇/代家滩村/第一网格" when a name repeats."""
    parent: int | None = None
    found: list[int] = []
    for part in [p.strip() for p in name.replace("／", "/").split("/") if p.strip()]:
        query = select(OrgUnit.id).where(OrgUnit.name == part)
        found = list(session.scalars(query.where(OrgUnit.parent_id == parent) if parent is not None else query))
        if len(found) != 1:
            break
        parent = found[0]
    if len(found) != 1:
        problem = "有多个同名单位，请写出上级，如“玉门镇/代家滩村/第一网格”" if found else "找不到该层级单位"
        raise ValidationFailed(f"{problem}：{name}")
    return found[0]
