"""The 诉调对接 register kept by the court liaison (DOMAIN §5; research §2.3, §2.4, §6.4; see docs/ARCHITECTURE.md, "Sources").

A court 委派 (before filing) or 委托 (after filing) case comes in with its court numbers; the
mediator's receipt starts the clock; the outcome uses the 在线调解规则 Art. 25 reasons; success
goes to 司法确认 (30-day window from the agreement, then the court's ruling) or a 调解书; failure to
转立案 with the 民初 number and its 审限; then performance and enforcement. Every date that starts
or answers a clock re-syncs the case's deadline instances."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.agreements import effective_day
from models.cases.entities import Case
from models.deadlines import REFERRAL_KINDS, days_left_text, worst_colour
from models.dto import Actor
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.liaison.court_numbers import normalise_court_number
from models.security.permissions import Permission, require_on_case_id
from models.workflow.deadline_service import DeadlineView, case_deadlines, deadline_views
from models.workflow.entities import CaseDeadline, CourtReferral

ENTRUSTED_PROCEDURES = ("普通", "简易")  # the rules' PROCEDURES, 普通 first as the form's default
TRIAL_PROCEDURES = ("简易", "普通", "小额")
OUTCOME_REASONS = (  # 《人民法院在线调解规则》第二十五条
    "达成协议", "自行和解撤回", "期限内无法联系", "一方明确不愿继续", "分歧较大", "期满未达成且未合意延长",
    "一方拒绝在调解协议上签章", "其他",
)
CLOSING_METHODS = ("诉讼外调解结案", "申请司法确认", "申请出具调解书", "撤回", "转立案")
SUCCESS_CLOSINGS = ("诉讼外调解结案", "申请司法确认", "申请出具调解书")
RULINGS = ("确认有效", "驳回申请", "撤回")
PERFORMANCE = ("已履行", "部分履行", "未履行")
CONFIRMATION_WINDOW = timedelta(days=30)  # 人民调解法 Art. 33 / 民诉法 Art. 205 (natural days, see engine)
NUMBER_TYPES = {  # which 类型代字 each register field must carry
    "pre_suit_number": ("民诉前调",), "filing_number": ("民初",), "confirmation_number": ("诉前调确", "民特"),
    "decree_number": ("诉前调书",), "enforcement_number": ("执", "执恢"),
}


@dataclass(frozen=True)
class ReferralInput:
    court: str
    kind: str  # 委派 | 委托
    referred_on: date
    tribunal: str | None = None
    procedure: str | None = None  # 委托: 普通 | 简易
    pre_suit_number: str | None = None
    odr_number: str | None = None
    cause: str = ""
    claim_amount: Decimal | None = None
    received_on: date | None = None


@dataclass(frozen=True)
class ReferralView:
    case_id: int
    case_number: str
    court: str
    tribunal: str | None
    kind: str
    procedure: str | None
    pre_suit_number: str | None
    odr_number: str | None
    cause: str
    claim_amount: Decimal | None
    referred_on: date
    received_on: date | None
    outcome_reason: str | None
    closing_method: str | None
    concluded_on: date | None
    failure_report: str
    agreement_effective_on: date | None
    confirmation_applied_on: date | None
    confirmation_court: str | None
    confirmation_accepted_on: date | None
    confirmation_number: str | None
    ruling: str | None
    ruling_on: date | None
    decree_number: str | None
    decree_on: date | None
    filed_on: date | None
    filing_number: str | None
    trial_procedure: str | None
    trial_concluded_on: date | None
    performance: str | None
    performance_due: date | None
    enforcement_applied_on: date | None
    enforcement_number: str | None
    mediation_due: date | None = None
    confirmation_due: date | None = None
    trial_due: date | None = None
    colour: str | None = None
    step: str = ""
    next_deadline: str | None = None  # the name of the open deadline due first
    next_due: date | None = None
    next_days_left: int | None = None
    confirmation_days_left: int | None = None  # the 司法确认 window while it is open


def register_referral(session: Session, case_id: int, data: ReferralInput, actor: Actor) -> ReferralView:
    """Open the register row of a court-referred case."""
    require_on_case_id(session, actor, Permission.COURT_REGISTER, case_id)
    if _row(session, case_id, missing_ok=True) is not None:
        raise ValidationFailed("该案件已登记诉调对接信息，请用“修改登记”更正")
    values = _checked_values(data)
    _check_unique_number(session, values["pre_suit_number"])
    session.add(CourtReferral(case_id=case_id, **values))
    return _saved(session, case_id)


def update_referral(session: Session, case_id: int, data: ReferralInput, actor: Actor) -> ReferralView:
    """Correct the referral's own fields (court, kind, numbers, dates); the steps keep their values."""
    require_on_case_id(session, actor, Permission.COURT_REGISTER, case_id)
    row = _row(session, case_id)
    assert row is not None
    values = _checked_values(data)
    if values["pre_suit_number"] != row.pre_suit_number:
        _check_unique_number(session, values["pre_suit_number"])
    for key, value in values.items():
        setattr(row, key, value)
    return _saved(session, case_id)


def _checked_values(data: ReferralInput) -> dict[str, Any]:
    problems = _input_problems(data)
    if problems:
        raise ValidationFailed("诉调对接登记有误：" + "；".join(problems))
    values = asdict(data) | {"court": data.court.strip(), "cause": data.cause.strip()}
    values["procedure"] = data.procedure if data.kind == "委托" else None
    values["pre_suit_number"] = normalise_court_number(data.pre_suit_number, expected_types=_pre_suit_types(data.kind))
    return values


def _pre_suit_types(kind: str) -> tuple[str, ...]:
    # 委派 happens before filing (民诉前调); 委托 after filing, under the 民初/民终 number.
    return ("民诉前调",) if kind == "委派" else ("民初", "民终")


def _input_problems(data: ReferralInput) -> list[str]:
    found = []
    if not data.court.strip():
        found.append("请填写法院")
    if data.kind not in REFERRAL_KINDS:
        found.append("对接方式应为委派或委托")
    if data.kind == "委托" and data.procedure not in ENTRUSTED_PROCEDURES:
        found.append("委托调解须注明适用普通程序或简易程序")
    if data.received_on and data.received_on < data.referred_on:
        found.append("调解员签收日期不能早于委派/委托日期")
    return found


def _check_unique_number(session: Session, number: str | None) -> None:
    if number and session.scalar(select(CourtReferral.id).where(CourtReferral.pre_suit_number == number)):
        raise ValidationFailed(f"案号 {number} 已登记在另一案件上")


def _row(session: Session, case_id: int, *, missing_ok: bool = False) -> CourtReferral | None:
    row = session.scalar(select(CourtReferral).where(CourtReferral.case_id == case_id))
    if row is None and not missing_ok:
        raise NotFound("该案件尚未登记诉调对接信息")
    return row


def _saved(session: Session, case_id: int) -> ReferralView:
    session.flush()  # the deadline hook re-syncs the case's clocks
    return referral_view(session, case_id)


def _update(session: Session, case_id: int, actor: Actor, **changes: Any) -> ReferralView:
    require_on_case_id(session, actor, Permission.COURT_REGISTER, case_id)
    row = _row(session, case_id)
    for key, value in changes.items():
        if key in NUMBER_TYPES:
            value = normalise_court_number(value, expected_types=NUMBER_TYPES[key])
        setattr(row, key, value)
    return _saved(session, case_id)


def record_receipt(session: Session, case_id: int, received_on: date, actor: Actor) -> ReferralView:
    """调解员签收法院移交材料: the 委派/委托 period starts the next day (特邀调解规定 Art. 27)."""
    row = _row(session, case_id)
    assert row is not None
    if received_on < row.referred_on:
        raise ValidationFailed("签收日期不能早于委派/委托日期")
    return _update(session, case_id, actor, received_on=received_on)


def record_referral_outcome(
    session: Session, case_id: int, reason: str, closing: str, concluded_on: date, actor: Actor,
    failure_report: str = "", agreement_effective_on: date | None = None,
) -> ReferralView:
    """结案: the Art. 25 reason and the 结案方式 must agree; a failure needs its Art. 21 report.
    When the centre recorded the written agreement, its effective date is the agreement's (stored
    there once); the register keeps a date only for an agreement made at the court."""
    on_file = effective_day(session, case_id)
    if on_file is not None and agreement_effective_on not in (None, on_file):
        raise ValidationFailed(f"协议生效日期以已登记的调解协议为准（{on_file.isoformat()}），请先更正协议")
    found = _outcome_problems(reason, closing, failure_report, agreement_effective_on or on_file)
    if found:
        raise TransitionRefused("记录诉前调解结果", found)
    if on_file is not None:
        agreement_effective_on = None  # read from the agreement, never copied
    return _update(session, case_id, actor, outcome_reason=reason, closing_method=closing, concluded_on=concluded_on,
                   failure_report=failure_report.strip(), agreement_effective_on=agreement_effective_on)


def _outcome_problems(reason: str, closing: str, report: str, effective: date | None) -> list[str]:
    found = []
    if reason not in OUTCOME_REASONS:
        found.append(f"调解结果应为：{'、'.join(OUTCOME_REASONS)}")
    if closing not in CLOSING_METHODS:
        found.append(f"结案方式应为：{'、'.join(CLOSING_METHODS)}")
    success = reason == "达成协议"
    if success != (closing in SUCCESS_CLOSINGS):
        found.append("达成协议的案件以调解、司法确认或调解书结案；未达成协议的只能撤回或转立案")
    if success and effective is None:
        found.append("达成协议须填写协议生效日期（司法确认申请期限自该日起算）")
    if not success and not report.strip():
        found.append("调解不成须填写调解不成报告（调解基本情况、不成原因等，在线调解规则第二十一条）")
    return found


def apply_confirmation(session: Session, case_id: int, applied_on: date, actor: Actor,
                       court: str | None = None) -> ReferralView:
    """申请司法确认 (date and court): within 30 days of the agreement taking effect (人民调解法 Art. 33)."""
    row = _row(session, case_id)
    assert row is not None
    effective = effective_day(session, case_id) or row.agreement_effective_on
    if effective is None:
        raise TransitionRefused("申请司法确认", ["尚未记录调解协议生效日期"])
    if applied_on > effective + CONFIRMATION_WINDOW:
        last = effective + CONFIRMATION_WINDOW
        raise TransitionRefused("申请司法确认", [f"已超过申请期限（协议生效后三十日，至 {last.isoformat()}）"])
    _not_before(applied_on, effective, "申请日期", "协议生效日期")
    return _update(session, case_id, actor, confirmation_applied_on=applied_on,
                   confirmation_court=(court or "").strip() or row.court)


def _not_before(day: date, earlier: date | None, label: str, earlier_label: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationFailed(f"{label}不能早于{earlier_label}（{earlier.isoformat()}）")


def _needs(row: CourtReferral, step: str, **before: str) -> None:
    """Refuse a step whose earlier steps are not recorded yet, naming each of them."""
    missing = [label for attr, label in before.items() if getattr(row, attr) is None]
    if missing:
        raise TransitionRefused(step, [f"尚未记录{m}" for m in missing])


def record_confirmation_accepted(session: Session, case_id: int, accepted_on: date, number: str,
                                 actor: Actor) -> ReferralView:
    """法院受理司法确认申请 with its 诉前调确/民特 number (the 3-day clock is answered, the review clock starts)."""
    row = _row(session, case_id)
    assert row is not None
    _needs(row, "司法确认受理", confirmation_applied_on="司法确认申请")
    _not_before(accepted_on, row.confirmation_applied_on, "受理日期", "申请日期")
    return _update(session, case_id, actor, confirmation_accepted_on=accepted_on, confirmation_number=number)


def record_ruling(session: Session, case_id: int, ruling: str, ruling_on: date, actor: Actor) -> ReferralView:
    """The court's 裁定: 确认有效 / 驳回申请 / 撤回."""
    if ruling not in RULINGS:
        raise ValidationFailed(f"裁定结果应为：{'、'.join(RULINGS)}")
    row = _row(session, case_id)
    assert row is not None
    _needs(row, "司法确认裁定", confirmation_applied_on="司法确认申请")
    _not_before(ruling_on, row.confirmation_accepted_on or row.confirmation_applied_on, "裁定日期", "受理/申请日期")
    return _update(session, case_id, actor, ruling=ruling, ruling_on=ruling_on)


def record_decree(session: Session, case_id: int, number: str, actor: Actor, decree_on: date | None = None) -> ReferralView:
    """法院出具调解书 (诉前调书 number and the day it was issued)."""
    return _update(session, case_id, actor, decree_number=number, decree_on=decree_on)


def transfer_to_filing(session: Session, case_id: int, filed_on: date, number: str, procedure: str,
                       actor: Actor) -> ReferralView:
    """转立案: the 民初 number and procedure start the 审限 (简易 3 months, 普通 6 months)."""
    if procedure not in TRIAL_PROCEDURES:
        raise ValidationFailed(f"适用程序应为：{'、'.join(TRIAL_PROCEDURES)}")
    row = _row(session, case_id)
    assert row is not None
    _not_before(filed_on, row.referred_on, "立案日期", "委派/委托日期")
    return _update(session, case_id, actor, filed_on=filed_on, filing_number=number, trial_procedure=procedure)


def record_trial_concluded(session: Session, case_id: int, on: date, actor: Actor) -> ReferralView:
    """审理终结: answers the 审限."""
    row = _row(session, case_id)
    assert row is not None
    _needs(row, "审理终结", filed_on="转立案")
    _not_before(on, row.filed_on, "审结日期", "立案日期")
    return _update(session, case_id, actor, trial_concluded_on=on)


def record_performance(session: Session, case_id: int, performance: str, due: date | None, actor: Actor) -> ReferralView:
    """履行情况 and the last day of the performance period (申请执行 2 years runs from it)."""
    if performance not in PERFORMANCE:
        raise ValidationFailed(f"履行情况应为：{'、'.join(PERFORMANCE)}")
    return _update(session, case_id, actor, performance=performance, performance_due=due)


def record_enforcement(session: Session, case_id: int, applied_on: date, number: str | None, actor: Actor) -> ReferralView:
    """申请执行 (with the 执 number once the court gives one)."""
    row = _row(session, case_id)
    assert row is not None
    _needs(row, "申请执行", performance="履行情况")
    return _update(session, case_id, actor, enforcement_applied_on=applied_on, enforcement_number=number or None)


# ---- the steps as data: one table for the GUI's step dialog, the CLI and the timeline ---------------


@dataclass(frozen=True)
class StepField:
    name: str  # the service function's keyword
    label: str
    kind: str  # date | text | choice
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class ReferralStep:
    key: str
    label: str
    fields: tuple[StepField, ...]
    apply: Callable[..., ReferralView]
    done_on: str  # the register column that is filled once the step happened
    dated_by: str = ""  # the column with the step's day (for the timeline), when not `done_on` itself

    def day(self, row: Any) -> date | None:
        return getattr(row, self.dated_by or self.done_on, None)


def _date(name: str, label: str, required: bool = True) -> StepField:
    return StepField(name, label, "date", required=required)


REFERRAL_STEPS: tuple[ReferralStep, ...] = (
    ReferralStep("receive", "调解员签收", (_date("received_on", "签收日期"),), record_receipt, "received_on"),
    ReferralStep("outcome", "诉前调解结果", (
        StepField("reason", "调解结果", "choice", OUTCOME_REASONS), StepField("closing", "结案方式", "choice", CLOSING_METHODS),
        _date("concluded_on", "结案日期"), _date("agreement_effective_on", "协议生效日期", required=False),
        StepField("failure_report", "调解不成报告", "text", required=False),
    ), record_referral_outcome, "concluded_on"),
    ReferralStep("confirm_apply", "申请司法确认", (
        _date("applied_on", "申请日期"), StepField("court", "受理法院", "text", required=False),
    ), apply_confirmation, "confirmation_applied_on"),
    ReferralStep("confirm_accept", "司法确认受理", (
        _date("accepted_on", "受理日期"), StepField("number", "司法确认案号", "text"),
    ), record_confirmation_accepted, "confirmation_accepted_on"),
    ReferralStep("ruling", "司法确认裁定", (
        StepField("ruling", "裁定结果", "choice", RULINGS), _date("ruling_on", "裁定日期"),
    ), record_ruling, "ruling_on"),
    ReferralStep("decree", "出具调解书", (
        StepField("number", "调解书案号", "text"), _date("decree_on", "出具日期"),
    ), record_decree, "decree_number", "decree_on"),
    ReferralStep("file", "转立案", (
        _date("filed_on", "立案日期"), StepField("number", "民初案号", "text"),
        StepField("procedure", "适用程序", "choice", TRIAL_PROCEDURES),
    ), transfer_to_filing, "filed_on"),
    ReferralStep("trial_end", "审理终结", (_date("on", "审结日期"),), record_trial_concluded, "trial_concluded_on"),
    ReferralStep("performance", "履行情况", (
        StepField("performance", "履行情况", "choice", PERFORMANCE), _date("due", "履行期限届满日", required=False),
    ), record_performance, "performance", "performance_due"),
    ReferralStep("enforce", "申请执行", (
        _date("applied_on", "申请执行日期"), StepField("number", "执行案号", "text", required=False),
    ), record_enforcement, "enforcement_applied_on"),
)
STEPS_BY_KEY = {s.key: s for s in REFERRAL_STEPS}


def record_step(session: Session, case_id: int, key: str, values: dict[str, Any], actor: Actor) -> ReferralView:
    """Record one step from the table with the values its fields name; a missing required value is refused."""
    step = STEPS_BY_KEY.get(key)
    if step is None:
        raise ValidationFailed(f"未知的诉调对接步骤：{key}（可选：{'、'.join(STEPS_BY_KEY)}）")
    missing = [f.label for f in step.fields if f.required and values.get(f.name) in (None, "")]
    if missing:
        raise ValidationFailed(f"{step.label}须填写：{'、'.join(missing)}")
    known = {f.name: values.get(f.name) for f in step.fields}
    if "failure_report" in known and known["failure_report"] is None:
        known["failure_report"] = ""
    return step.apply(session, case_id, actor=actor, **known)


def current_step(row: Any) -> str:
    """The last step recorded (by the table's order), or where the referral stands before any."""
    done = [s for s in REFERRAL_STEPS if getattr(row, s.done_on, None) is not None]
    if not done:
        return "待签收"
    last = done[-1]
    return f"司法确认{row.ruling}" if last.key == "ruling" else last.label


def referral_view(session: Session, case_id: int, today: date | None = None) -> ReferralView:
    row = _row(session, case_id)
    assert row is not None
    view = _view(row, session.get_one(Case, case_id).number, case_deadlines(session, case_id, today))
    effective = effective_day(session, case_id)
    return replace(view, agreement_effective_on=effective) if effective is not None else view


def find_referral(session: Session, case_id: int, today: date | None = None) -> ReferralView | None:
    """The case's referral, or None when it was not court-referred."""
    return referral_view(session, case_id, today) if _row(session, case_id, missing_ok=True) else None


def _view(row: CourtReferral, case_number: str, deadlines: list[DeadlineView]) -> ReferralView:
    stored = {f.name: getattr(row, f.name) for f in fields(ReferralView) if hasattr(row, f.name)}
    open_ = [d for d in deadlines if d.completed_on is None]
    due = {d.rule_code: d.due_date for d in open_}
    live = sorted((d for d in open_ if not d.lapsed), key=lambda d: (d.due_date, d.id))
    window = next((d for d in live if d.rule_code == "sfqr_apply"), None)
    return ReferralView(
        **stored | {"case_number": case_number},
        mediation_due=next((v for k, v in due.items() if k.startswith("court_")), None),
        confirmation_due=due.get("sfqr_apply"), trial_due=next((v for k, v in due.items() if k.startswith("trial_")), None),
        colour=worst_colour(d.colour for d in open_),
        step=current_step(row), next_deadline=live[0].name if live else None,
        next_due=live[0].due_date if live else None, next_days_left=live[0].days_left if live else None,
        confirmation_days_left=window.days_left if window else None,
    )


def list_register(session: Session, *, year: int | None = None, open_only: bool = False,
                  today: date | None = None) -> list[ReferralView]:
    """The register, newest referral first, each referral once; `open_only` keeps rows not yet concluded.

    A fixed number of queries whatever the row count: the rows with their case numbers, then every
    deadline of those cases at once (deadline_views batches cases, extensions and re-opened flags)."""
    query = (select(CourtReferral, Case.number).join(Case, Case.id == CourtReferral.case_id)
             .order_by(CourtReferral.referred_on.desc(), CourtReferral.id.desc()))
    if year is not None:
        query = query.where(extract("year", CourtReferral.referred_on) == year)
    if open_only:
        query = query.where(CourtReferral.concluded_on.is_(None))
    rows = session.execute(query).all()
    ids = [row.case_id for row, _number in rows]
    stored = session.scalars(select(CaseDeadline).where(CaseDeadline.case_id.in_(ids))
                             .order_by(CaseDeadline.completed_on.is_not(None), CaseDeadline.due_date,
                                       CaseDeadline.id)).all() if ids else []
    per_case: dict[int, list[DeadlineView]] = defaultdict(list)
    for view in deadline_views(session, stored, today or clock.today()):
        per_case[view.case_id].append(view)
    return [_view(row, number, per_case[row.case_id]) for row, number in rows]


def next_deadline_text(v: ReferralView) -> str:
    if v.next_deadline is None or v.next_days_left is None:
        return ""
    return f"{v.next_deadline} {v.next_due}（{days_left_text(v.next_days_left)}）"


def describe_referral(v: ReferralView) -> str:
    """The referral's full record in the liaison's words (the workspace's detail and `liaison show`)."""
    t = _text
    lines = [
        f"{v.case_number}　{v.court}{('·' + v.tribunal) if v.tribunal else ''}　{v.kind}"
        f"{('（' + v.procedure + '程序）') if v.procedure else ''}　当前步骤：{v.step}",
        f"诉前调解案号：{t(v.pre_suit_number)}　调解平台编号：{t(v.odr_number)}　案由：{t(v.cause)}　标的额：{t(v.claim_amount)}",
        f"委派/委托：{t(v.referred_on)}　签收：{t(v.received_on)}　调解期满：{t(v.mediation_due)}",
        f"结果：{t(v.outcome_reason)}　结案方式：{t(v.closing_method)}　结案日：{t(v.concluded_on)}　协议生效：{t(v.agreement_effective_on)}",
        f"司法确认：申请 {t(v.confirmation_applied_on)} {t(v.confirmation_court)}，受理 {t(v.confirmation_accepted_on)}，"
        f"案号 {t(v.confirmation_number)}，裁定 {t(v.ruling)} {t(v.ruling_on)}",
        f"调解书：{t(v.decree_number)} {t(v.decree_on)}",
        f"转立案：{t(v.filed_on)} {t(v.filing_number)}（{t(v.trial_procedure)}），审限届满 {t(v.trial_due)}，审结 {t(v.trial_concluded_on)}",
        f"履行：{t(v.performance)}（期限 {t(v.performance_due)}）　申请执行：{t(v.enforcement_applied_on)} {t(v.enforcement_number)}",
    ]
    if v.confirmation_days_left is not None:
        lines.append(f"司法确认申请期限：{v.confirmation_due}（{days_left_text(v.confirmation_days_left)}，"
                     "协议生效后三十日内，人民调解法第三十三条）")
    if v.next_deadline:
        lines.append(f"下一期限：{next_deadline_text(v)}")
    if v.failure_report:
        lines.append(f"调解不成报告：{v.failure_report}")
    return "\n".join(lines)


def _text(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def has_referral(session: Session, case_id: int) -> bool:
    """Whether the case is in the 诉调对接 register (for views deciding if a change concerns them)."""
    return session.scalar(select(CourtReferral.id).where(CourtReferral.case_id == case_id)) is not None
