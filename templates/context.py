"""Context dataclasses: the contract between models/ (which fills them) and the document builders.

Everything here is plain, frozen data — strings, dates, Decimals and tuples — so templates/ needs
neither the database nor Qt. Empty strings mean "unknown"; builders print blanks for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

PartyKind = Literal["person", "org"]


@dataclass(frozen=True)
class AgentContext:
    """委托代理人 or 法定代理人 of a party."""

    name: str
    kind: str = "委托代理人"  # 委托代理人 / 法定代理人
    authority: str = ""  # 一般代理 / 特别授权 (委托代理人 only)
    work_unit: str = ""
    phone: str = ""
    relation: str = ""  # e.g. 父子 for a 法定代理人
    id_number: str = ""  # masked like a party's unless the document is issued with full numbers
    license_no: str = ""  # 律师执业证号 (a lawyer agent)


@dataclass(frozen=True)
class PartyContext:
    """One party (当事人). `kind` 'person' uses the person fields, 'org' the organisation ones."""

    side: str  # 申请人 / 被申请人 / 第三人 / 当事人
    kind: PartyKind
    name: str
    sex: str = ""  # 男 / 女
    ethnicity: str = ""  # 汉族 …
    birth_date: date | None = None
    age: int | None = None  # used when birth_date is unknown
    occupation: str = ""  # 职业或职务
    work_unit: str = ""  # 工作单位
    address: str = ""  # 住址 (person) / 住所 (org)
    phone: str = ""
    id_type: str = "居民身份证"
    id_number: str = ""
    uscc: str = ""  # 统一社会信用代码 (org)
    legal_rep: str = ""  # 法定代表人 / 主要负责人 (org)
    legal_rep_title: str = ""  # 职务
    service_address: str = ""  # 送达地址 (司法确认申请书); defaults to address
    agents: tuple[AgentContext, ...] = ()


@dataclass(frozen=True)
class CaseContext:
    """What every document of one case shares."""

    case_number: str  # 一案一码
    committee_name: str  # e.g. 玉门市社会治理服务中心人民调解委员会
    centre_name: str = ""  # the centre / organisation the committee belongs to
    dispute_type: str = ""  # 纠纷类型
    source: str = ""  # 案件来源
    facts: str = ""  # 纠纷主要事实 / 简要情况
    issues: str = ""  # 争议事项
    received_date: date | None = None  # 受理日期
    mediators: tuple[str, ...] = ()
    recorder: str = ""
    parties: tuple[PartyContext, ...] = ()


@dataclass(frozen=True)
class AgreementContext:
    """人民调解协议书 (人民调解法 第二十九条).

    `items`, `performance` and `deadline` may contain the token ``{amount}``; it is replaced by the
    amount in words and figures (人民币壹万贰仟元整（¥12,000.00）).
    """

    case: CaseContext
    number: str  # 协议编号, e.g. 玉社调字〔2025〕12号
    items: tuple[str, ...]  # 协议内容, one clause per item
    performance: str = ""  # 履行方式
    deadline: str = ""  # 履行时限
    amount: Decimal | None = None  # 协议金额; printed on its own line when given
    agreement_date: date | None = None
    responsibilities: str = ""  # 各方当事人的责任
    breach_clause: str = ""  # 违约责任 (optional)
    judicial_confirmation_notice: bool = True

    @property
    def copies(self) -> int:
        """当事人各执一份，调委会留存一份."""
        return len(self.case.parties) + 1


@dataclass(frozen=True)
class OralAgreementContext:
    """人民调解口头协议登记表."""

    case: CaseContext
    number: str
    content: tuple[str, ...]  # 协议内容
    performance: str = ""
    deadline: str = ""
    amount: Decimal | None = None
    agreement_date: date | None = None  # 达成日期 (口头协议自达成之日起生效)
    party_signatures: bool = True  # some localities omit the 当事人签名 line


@dataclass(frozen=True)
class IntakeContext:
    """人民调解受理登记表."""

    case: CaseContext
    accepted_date: date | None = None
    by_application: bool = True  # 依当事人申请 (True) / 人民调解委员会主动调解 (False)
    registrar: str = ""  # 登记人
    note: str = ""  # 备注 (an extra line)


@dataclass(frozen=True)
class MediationSession:
    """One sitting of a 人民调解记录."""

    start: datetime | None
    place: str
    record: str  # 记录正文 (问答 or narrative); newlines start paragraphs
    subject: str = ""  # 事由
    attendees: tuple[str, ...] = ()  # 参加人 (invited helpers)
    parties_present: tuple[str, ...] = ()  # 当事人 present
    mediators: tuple[str, ...] = ()
    recorder: str = ""
    # The parties' statements were taken down: only then does the record certify it was read back.
    statements_read: bool = False


@dataclass(frozen=True)
class MediationRecordContext:
    """人民调解记录: one page group per session."""

    case: CaseContext
    sessions: tuple[MediationSession, ...]


@dataclass(frozen=True)
class FollowUpContext:
    """人民调解回访记录."""

    case: CaseContext
    agreement_number: str
    visited_party: str  # 当事人 (the person visited)
    subject: str  # 回访事由 (the dispute name)
    visit_date: date | None
    findings: str  # 回访情况
    visitor: str  # 回访人
    record_date: date | None = None


@dataclass(frozen=True)
class ConfirmationApplicationContext:
    """司法确认申请书 (joint application by all parties, within 30 days of the agreement)."""

    case: CaseContext
    court_name: str  # e.g. 玉门市人民法院
    agreement_number: str
    agreement_date: date | None
    agreement_summary: tuple[str, ...] = ()  # the agreement's items, restated
    attachments: tuple[str, ...] = ("人民调解协议书", "当事人身份证明")
    application_date: date | None = None


@dataclass(frozen=True)
class DossierEntry:
    """One line of the 卷内目录."""

    title: str  # 文书名称
    pages: str = ""  # 页号, e.g. "1-2"
    remark: str = ""


@dataclass(frozen=True)
class DossierContext:
    """卷宗 cover + 卷内目录."""

    committee_name: str
    volume_name: str  # 卷名
    volume_number: str  # 卷号
    mediators: tuple[str, ...] = ()
    mediation_start: date | None = None
    mediation_end: date | None = None
    filer: str = ""  # 立卷人
    filing_date: date | None = None  # 立卷日期
    retention: str = ""  # 保管期限
    remark: str = ""
    entries: tuple[DossierEntry, ...] = ()


@dataclass(frozen=True)
class LedgerRow:
    """One case on the 矛盾纠纷排查调处台账 (序号 is added by the builder).

    `parties`, `id_numbers` and `phones` are aligned: the i-th ID and phone belong to the i-th
    party, "" where that party has none (shorter tuples are padded at the end)."""

    case_number: str
    registered_on: date | None = None  # 登记(排查)日期
    source: str = ""  # 来源渠道
    parties: tuple[str, ...] = ()  # 当事人 names
    id_numbers: tuple[str, ...] = ()  # 证件号码 (masked unless unmasked=True)
    phones: tuple[str, ...] = ()  # 联系电话 (masked unless unmasked=True)
    dispute_type: str = ""
    summary: str = ""  # 纠纷简要情况
    amount: Decimal | None = None  # 涉及金额
    risk_level: str = ""  # 风险等级
    stage: str = ""  # 当前阶段
    responsible: str = ""  # 责任单位/责任人
    deadline: date | None = None  # 化解时限 (the open one, else the last one: closed cases too)
    result: str = ""  # 化解情况/结果
    level: str = ""  # 层级 (the unit the case belongs to)
    agreement_form: str = ""  # 协议形式: 书面协议 / 口头协议
    performance: str = ""  # 履行情况
    confirmation: str = ""  # 司法确认
    follow_up: str = ""  # 回访 (satisfaction)
    supervision: str = ""  # 交办督办情况
    closed_on: date | None = None  # 办结日期
    remark: str = ""  # 备注
    outcome: str = ""  # the 调解结果 category the totals count (书面协议, 调解不成 …); "" = none yet


@dataclass(frozen=True)
class LedgerTotals:
    """合计 printed after the ledger: cases, amount, and counts by stage and by result."""

    cases: int
    amount: Decimal
    by_stage: tuple[tuple[str, int], ...]
    by_result: tuple[tuple[str, int], ...]
    widest_amount: Decimal | None = None  # sizes the amount column so no amount breaks


@dataclass(frozen=True)
class LedgerContext:
    """矛盾纠纷排查调处台账. `rows` may be any sequence (a lazy one keeps 50k rows cheap);
    `totals` None = counted from the rows (a database ledger passes SQL aggregates instead)."""

    reporting_unit: str  # 填报单位
    reporter: str  # 填报人
    report_date: date | None
    rows: Sequence[LedgerRow] = field(default_factory=tuple)
    filter_description: str = ""  # e.g. 期间：2025年1月1日至2025年3月31日；窗口：全部
    unmasked: bool = False  # print ID/phone numbers in full (audited by the caller)
    chain_anchor: str = ""  # optional integrity footer, printed after the table
    totals: LedgerTotals | None = None
    paper: str = "A4"  # A4 landscape: the printed column set; A3 landscape: every field its own column
    title: str = "矛盾纠纷排查调处台账"


@dataclass(frozen=True)
class RightsNoticeContext:
    """人民调解当事人权利义务告知书 (人民调解法 第二十三、二十四条), given to the parties at intake."""

    case: CaseContext
    notice_date: date | None = None


@dataclass(frozen=True)
class RejectionNoticeContext:
    """不予受理告知书: why the committee does not accept the dispute and which other routes the
    party has (DOMAIN.md §3; 人民调解工作若干规定 第二十二条)."""

    case: CaseContext
    reason: str  # 不予受理的理由
    routes: str = ""  # the other routes told to the party; empty = the wording's default
    notice_date: date | None = None


@dataclass(frozen=True)
class TerminationNoticeContext:
    """终止调解告知书: mediation ended without agreement; the parties are told their other routes
    (人民调解法 第二十六条)."""

    case: CaseContext
    reason: str  # e.g. 经调解，双方当事人未能达成调解协议
    routes: str = ""
    notice_date: date | None = None
