"""Official documents from the database (DOMAIN.md §6): the template contexts of every document
kind filled from a case, the 台账 (ledger) whose rows stream from the database in keyset chunks,
and `issue`, which renders a document and records it in the immutable register.

Qt-free. Single documents addressed to the parties print personal numbers in full; the ledger
masks them unless the caller holds an `UnmaskGrant` (permission checked and audited first, in its
own short unit of work, so a long render never holds the write lock)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from models import clock
from models.cases.agreements import AgreementView, IssuedView, issue_document, issued_documents, latest_agreement
from models.cases.catalog import DisputeType
from models.cases.entities import Case, Party
from models.cases.followups import case_followups
from models.cases.queries import case_detail
from models.cases.search import starts_with
from models.cases.service import load_case
from models.cases.sessions import SessionView, case_sessions
from models.dto import Actor, AgentView, CaseDetail, PartyView
from models.errors import NotFound, ValidationFailed
from models.org.entities import Committee, Desk, OrgUnit, User
from models.security.audit import chain_head, record_event
from models.security.masking import mask_party_fields
from models.security.permissions import Permission, PermissionDenied, require
from models.workflow.entities import CaseDeadline, CourtReferral
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
    MediationRecordContext,
    MediationSession,
    OralAgreementContext,
    PartyContext,
)
from templates.money import amount_display
from templates.privacy import mask_id, mask_phone
from templates.render import Format, Progress, render, write_atomically
from templates.text import cn_date

KIND_TITLES = {
    "agreement": "人民调解协议书",
    "oral-agreement": "人民调解口头协议登记表",
    "intake-form": "人民调解受理登记表",
    "mediation-record": "人民调解记录",
    "follow-up": "人民调解回访记录",
    "confirmation-application": "司法确认申请书",
    "dossier": "卷宗封面及卷内目录",
    "ledger": "矛盾纠纷排查调处台账",
}
CASE_KINDS = tuple(kind for kind in KIND_TITLES if kind != "ledger")
FORMATS = ("pdf", "docx")
SIDE_LABELS = {"申请方": "申请人", "被申请方": "被申请人", "第三方": "第三人"}
AMOUNT_TOKEN = "{amount}"
NO_AGREEMENT = "该案件尚未达成调解协议，不能生成协议类文书"


# --- one case's documents ------------------------------------------------------------------------

def check_kind(kind: str, *, allow_ledger: bool = False) -> str:
    known = KIND_TITLES if allow_ledger else CASE_KINDS
    if kind not in known:
        raise ValidationFailed(f"未知的文书类型：{kind}（可选：{'、'.join(known)}）")
    return kind


def document_context(session: Session, kind: str, case_id: int, *, today: date | None = None) -> object:
    """The template context of `kind` for one case, filled from the database.

    Agreement-based kinds raise NotFound("该案件尚未达成调解协议…") when the case has none."""
    builder = _BUILDERS[check_kind(kind)]
    source = _CaseSource.load(session, case_id)
    return builder(source, today or clock.today())


@dataclass(frozen=True)
class _CaseSource:
    """What the builders read: the case detail plus the ORM row and its session for extras."""

    session: Session
    detail: CaseDetail
    case: Case

    @classmethod
    def load(cls, session: Session, case_id: int) -> _CaseSource:
        return cls(session, case_detail(session, case_id=case_id), load_case(session, case_id))

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
        received_date=d.received_date, mediators=tuple(n for n in (d.mediator,) if n),
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
    return AgentContext(name=a.name, kind=a.kind, authority=a.authority or "", work_unit=a.unit or "", phone=a.phone or "")


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
        judicial_confirmation_notice=found.confirmation_notice,
    )


def _oral_agreement(source: _CaseSource, _today: date) -> OralAgreementContext:
    found = source.agreement()
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


def _court_name(source: _CaseSource) -> str:
    referral = source.session.scalars(select(CourtReferral).where(CourtReferral.case_id == source.case.id)).first()
    if referral is not None:
        return referral.court
    centre = _centre_name(source)
    return f"{centre}人民法院" if centre.endswith(("市", "县", "区", "旗")) else ""


def _confirmation(source: _CaseSource, today: date) -> ConfirmationApplicationContext:
    found = source.agreement()
    if found.oral:
        raise ValidationFailed("口头协议不能申请司法确认，请先达成书面调解协议")
    return ConfirmationApplicationContext(
        case=case_context(source), court_name=_court_name(source), agreement_number=found.number,
        agreement_date=found.signed_on, agreement_summary=tuple(_expand(i, found) for i in found.items),
        application_date=today,
    )


def _expand(item: str, agreement: AgreementView) -> str:
    if agreement.amount is None or AMOUNT_TOKEN not in item:
        return item
    return item.replace(AMOUNT_TOKEN, amount_display(agreement.amount))


# The archival order of a 卷宗 (research §3.0): (title, kind the system issues, or None for paper).
DOSSIER_ORDER: tuple[tuple[str, str | None], ...] = (
    ("人民调解申请书", None),
    ("人民调解受理登记表", "intake-form"),
    ("当事人身份证明", None),
    ("证据材料", None),
    ("人民调解记录", "mediation-record"),
    ("人民调解协议书", "agreement"),
    ("人民调解口头协议登记表", "oral-agreement"),
    ("司法确认申请书", "confirmation-application"),
    ("收条或汇款单等履行凭证", None),
    ("人民调解回访记录", "follow-up"),
    ("封底", None),
)


def dossier_entries(session: Session, case_id: int) -> tuple[DossierEntry, ...]:
    """Paper entries always; system documents when issued (number and corrections as remark)."""
    issued: dict[str, list[IssuedView]] = {}
    for view in issued_documents(session, case_id):
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
}


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


def issue(session: Session, kind: str, case_id: int, fmt: Format, actor: Actor, corrects_id: int | None = None,
          *, today: date | None = None) -> tuple[bytes, IssuedView]:
    """Render one case document and record it (number, masked snapshot, SHA-256 of the bytes).

    The caller writes the bytes (see `save_bytes`) inside the same unit of work, so a failed
    write leaves no register entry."""
    require(session, actor, Permission.DOC_ISSUE)
    check_format(fmt)
    context = document_context(session, kind, case_id, today=today)
    data = render(kind, context, fmt)
    view = issue_document(
        session, kind=kind, number=document_number(kind, context), file_format=fmt, content=data,
        snapshot=snapshot_of(context), actor=actor, case_id=case_id, corrects_id=corrects_id,
    )
    if kind in FULL_ID_KINDS:
        record_event(session, actor, "unmask", "issued_documents", view.id, purpose="出具文书", kind=kind,
                     case_id=case_id, document=view.number,
                     reason="法定文书须载明当事人完整身份证号码")
    return data, view


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValidationFailed(f"不支持的格式：{fmt}（可选：pdf、docx）")
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
    found: list[ColumnElement[bool]] = []
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
    """期间：…；窗口：…；层级：…；类型：…；阶段：… as printed under the ledger title."""
    period = f"{cn_date(flt.date_from) if flt.date_from else '不限'}至{cn_date(flt.date_to) if flt.date_to else '不限'}"
    desk = session.get(Desk, flt.desk_id) if flt.desk_id is not None else None
    unit = session.get(OrgUnit, flt.org_unit_id) if flt.org_unit_id is not None else None
    kind = session.get(DisputeType, flt.dispute_type_code) if flt.dispute_type_code else None
    parts = [f"期间：{period}", f"窗口：{desk.name if desk else '全部'}", f"层级：{unit.name if unit else '全部'}",
             f"类型：{kind.name if kind else '全部'}", f"阶段：{flt.stage or '全部'}"]
    return "；".join(parts)


def authorize_unmask(session: Session, actor: Actor, flt: LedgerFilter, reason: str) -> UnmaskGrant:
    """Check 查看完整证件号 and audit the unmasked export; run in its own committed unit of work."""
    require(session, actor, Permission.PI_UNMASK)
    if not reason.strip():
        raise PermissionDenied("导出完整证件号和电话须填写理由")
    seq = record_event(session, actor, "export_unmasked", "ledger", None, purpose="台账导出",
                       reason=reason.strip(), filter=describe_filter(session, flt))
    return UnmaskGrant(seq, actor.user_id)


_LEDGER_COLUMNS = (
    Case.id, Case.received_date, Case.number, Case.source_channel, DisputeType.name.label("type_name"), Case.summary,
    Case.amount, Case.risk_colour, Case.stage, Desk.name.label("desk_name"), User.display_name.label("mediator"),
    Case.mediation_outcome, Case.arbitration_result,
    Case.court_outcome, Case.followup_satisfaction,
)
RISK_LABELS = {"红": "红色（重大）", "黄": "黄色（较大）", "蓝": "蓝色（一般）"}
CLOSED_STAGES = ("办结", "归档")


def _result(stage: str, outcome: str | None, award: str | None, court: str | None, satisfaction: str | None) -> str:
    done = [v for v in (outcome, award and f"仲裁{award}", court) if v]
    text = "；".join(done) if done else ("已办结" if stage in CLOSED_STAGES else "办理中")
    return text + (f"；回访{satisfaction}" if satisfaction else "")


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
            .where(*self.conditions)
        )
        after = self._after[number]
        if after is not None:
            query = query.where(tuple_(Case.received_date, Case.id) > tuple_(*after))
        found = self.session.execute(query.order_by(Case.received_date, Case.id).limit(self.chunk_size)).all()
        if found:
            self._after[number + 1] = (found[-1].received_date, found[-1].id)
        ids = [r.id for r in found]
        people, due = self._parties(ids), self._deadlines(ids)
        return [self._row(r, people.get(r.id, []), due.get(r.id)) for r in found]

    def _parties(self, ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
        query = (select(Party.case_id, Party.name, Party.id_number, Party.uscc, Party.phone)
                 .where(Party.case_id.in_(ids)).order_by(Party.case_id, Party.ordinal, Party.id))
        found: dict[int, list[tuple[str, str, str]]] = {}
        for case_id, name, id_number, uscc, phone in self.session.execute(query):
            found.setdefault(case_id, []).append((name, id_number or uscc or "", phone or ""))
        return found

    def _deadlines(self, ids: list[int]) -> dict[int, date]:
        query = (select(CaseDeadline.case_id, func.min(CaseDeadline.due_date))
                 .where(CaseDeadline.case_id.in_(ids), CaseDeadline.completed_on.is_(None))
                 .group_by(CaseDeadline.case_id))
        return {case_id: due for case_id, due in self.session.execute(query)}

    def _row(self, r: Any, people: list[tuple[str, str, str]], due: date | None) -> LedgerRow:
        ids = tuple(n for _, n, _ in people if n)
        phones = tuple(p for _, _, p in people if p)
        if not self.unmasked:
            ids, phones = tuple(mask_id(n) for n in ids), tuple(mask_phone(p) for p in phones)
        return LedgerRow(
            case_number=r.number, registered_on=r.received_date, source=r.source_channel,
            parties=tuple(name for name, _, _ in people), id_numbers=ids, phones=phones, dispute_type=r.type_name,
            summary=r.summary, amount=r.amount, risk_level=RISK_LABELS.get(r.risk_colour or "", ""), stage=r.stage,
            responsible="／".join(v for v in (r.desk_name, r.mediator) if v), deadline=due,
            result=_result(r.stage, r.mediation_outcome, r.arbitration_result, r.court_outcome, r.followup_satisfaction),
        )


def default_reporting_unit(session: Session) -> str:
    first = session.scalars(select(Committee.name).order_by(Committee.id)).first()
    return first or ""


def ledger_context(session: Session, flt: LedgerFilter, reporter: str, *, unmask: UnmaskGrant | None = None,
                   reporting_unit: str | None = None, today: date | None = None,
                   chunk_size: int = 1000) -> LedgerContext:
    """The 台账 over the filtered cases. Rows stream from `session`, so render while it is open.

    Numbers are masked unless `unmask` (from `authorize_unmask`) is given. The audit chain head is
    printed in the footer so a printed ledger can later be checked against the trail."""
    rows = LedgerRows(session, ledger_conditions(session, flt), unmasked=unmask is not None, chunk_size=chunk_size)
    return LedgerContext(
        reporting_unit=reporting_unit or default_reporting_unit(session), reporter=reporter,
        report_date=today or clock.today(), rows=rows, filter_description=describe_filter(session, flt),
        unmasked=unmask is not None, chain_anchor=chain_head(session).footer(),
    )


def render_ledger(context: LedgerContext, fmt: Format, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> bytes:
    return render("ledger", context, check_format(fmt), progress=progress, cancelled=cancelled)


def record_ledger_issue(session: Session, context: LedgerContext, fmt: Format, data: bytes, actor: Actor) -> IssuedView:
    """File an exported ledger in the register: its filter, size and anchor (not the rows)."""
    require(session, actor, Permission.CASE_VIEW)
    snapshot = {"filter": context.filter_description, "rows": len(context.rows), "unmasked": context.unmasked,
                "anchor": context.chain_anchor, "reporter": context.reporter, "unit": context.reporting_unit}
    number = f"台账（{clock.local_now():%Y-%m-%d %H:%M:%S}）"
    return issue_document(session, kind="ledger", number=number, file_format=fmt, content=data, snapshot=snapshot,
                          actor=actor)


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
