"""Realistic fictional contexts for every document kind (previews, tests, benchmarks, docs/samples).

All names, ID numbers and phone numbers are invented (ID checksums are valid so validators pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast, overload

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
    RejectionNoticeContext,
    RightsNoticeContext,
    TerminationNoticeContext,
)
from templates.kinds import monthly_report

COMMITTEE = "玉门市社会治理服务中心人民调解委员会"


def parties() -> tuple[PartyContext, ...]:
    return (
        PartyContext(
            side="申请人",
            kind="person",
            name="张建国",
            sex="男",
            ethnicity="汉族",
            birth_date=date(1968, 5, 6),
            occupation="农民",
            address="甘肃省玉门市玉门镇代家滩村三组18号",
            phone="13893712345",
            id_number="620981196805061236",
        ),
        PartyContext(
            side="被申请人",
            kind="person",
            name="李秀英",
            sex="女",
            ethnicity="回族",
            birth_date=date(1975, 11, 2),
            occupation="个体工商户",
            address="甘肃省玉门市玉门镇代家滩村三组20号",
            phone="13919375678",
            id_number="620981197511022227",
            agents=(
                AgentContext(
                    name="王志强", authority="特别授权", work_unit="甘肃玉泽律师事务所律师", phone="0937-3221234"
                ),
            ),
        ),
    )


def case() -> CaseContext:
    return CaseContext(
        case_number="YM-2025-000123",
        committee_name=COMMITTEE,
        centre_name="玉门市社会治理服务中心",
        dispute_type="邻里纠纷",
        source="当事人申请",
        facts=(
            "申请人张建国与被申请人李秀英系同村邻居。2025年2月，被申请人翻修房屋时，将建筑垃圾堆放在"
            "两家之间的排水沟内，致使3月初降雨时申请人院内积水，西侧围墙部分倒塌，院内农具受损。"
        ),
        issues="双方对围墙修复费用的承担及建筑垃圾的清理期限存在争议。",
        received_date=date(2025, 3, 10),
        mediators=("赵红梅", "马俊"),
        recorder="孙丽",
        parties=parties(),
    )


def agreement() -> AgreementContext:
    return AgreementContext(
        case=case(),
        number="玉社调字〔2025〕12号",
        items=(
            "被申请人李秀英于2025年3月31日前清理排水沟内的全部建筑垃圾，恢复排水沟畅通。",
            "被申请人李秀英赔偿申请人张建国围墙修复费及农具损失共计{amount}。",
            "申请人张建国自行负责围墙的修复，双方今后互谅互让，和睦相处。",
        ),
        performance="被申请人以银行转账方式将赔偿款一次性支付至申请人账户",
        deadline="2025年3月31日前履行完毕",
        amount=Decimal("12000"),
        agreement_date=date(2025, 3, 18),
        responsibilities="被申请人堆放建筑垃圾堵塞排水沟，对损害的发生负主要责任；申请人未及时告知被申请人，负次要责任。",
        breach_clause="任何一方不履行本协议的，另一方可以向人民法院提起诉讼。",
    )


def oral_agreement() -> OralAgreementContext:
    return OralAgreementContext(
        case=case(),
        number="玉社调字〔2025〕13号",
        content=("被申请人当场向申请人赔礼道歉。", "被申请人于当日清理排水沟内的建筑垃圾。"),
        performance="当场履行",
        deadline="2025年3月12日",
        agreement_date=date(2025, 3, 12),
    )


def intake() -> IntakeContext:
    return IntakeContext(case=case(), accepted_date=date(2025, 3, 10), by_application=True, registrar="孙丽")


def mediation_record() -> MediationRecordContext:
    record = (
        "调解员：今天我们在这里调解张建国与李秀英之间的邻里纠纷，现告知双方当事人享有的权利和应履行的义务……双方是否听清楚？\n"
        "张建国：听清楚了。\n李秀英：听清楚了。\n"
        "调解员：请申请人陈述纠纷的经过及你的请求。\n"
        "张建国：今年二月她家翻修房子，把建筑垃圾堆在排水沟里，三月初下雨，我家院子全淹了，西墙倒了一截。我要求她赔偿修墙的钱。\n"
        "李秀英：垃圾是临时放的，我本来准备清走。墙倒了我有责任，但他要价太高。"
    )
    session = MediationSession(
        start=datetime(2025, 3, 18, 9, 30),
        place="玉门市社会治理服务中心第二调解室",
        record=record,
        subject="邻里排水纠纷",
        attendees=("代家滩村村委会委员 陈玉兰",),
        parties_present=("张建国", "李秀英"),
        statements_read=True,
    )
    return MediationRecordContext(case=case(), sessions=(session,))


def follow_up() -> FollowUpContext:
    return FollowUpContext(
        case=case(),
        agreement_number="玉社调字〔2025〕12号",
        visited_party="张建国",
        subject="邻里排水纠纷",
        visit_date=date(2025, 4, 15),
        visitor="赵红梅",
        findings=(
            "经电话及上门回访，被申请人已于2025年3月28日清理排水沟并通过银行转账支付赔偿款人民币壹万贰仟元整"
            "（¥12,000.00），协议已全部履行。申请人对调解结果表示满意，双方关系已恢复正常，无再次激化风险。"
        ),
    )


def confirmation_application() -> ConfirmationApplicationContext:
    return ConfirmationApplicationContext(
        case=case(),
        court_name="玉门市人民法院",
        agreement_number="玉社调字〔2025〕12号",
        agreement_date=date(2025, 3, 18),
        agreement_summary=(
            *agreement().items[:1],
            "被申请人李秀英赔偿申请人张建国围墙修复费及农具损失共计人民币壹万贰仟元整（¥12,000.00）。",
        ),
        application_date=date(2025, 3, 20),
    )


def dossier() -> DossierContext:
    titles = (
        "人民调解申请书",
        "人民调解当事人权利义务告知书",
        "当事人身份证明",
        "人民调解记录",
        "人民调解协议书",
        "收条或汇款单等履行凭证",
        "人民调解回访记录",
        "封底",
    )
    pages = ("1", "2-3", "4-5", "6-8", "9-10", "11", "12", "13")
    return DossierContext(
        committee_name=COMMITTEE,
        volume_name="张建国与李秀英邻里排水纠纷",
        volume_number="（2025）玉社人调字第12号",
        mediators=("赵红梅", "马俊"),
        mediation_start=date(2025, 3, 10),
        mediation_end=date(2025, 3, 18),
        filer="孙丽",
        filing_date=date(2025, 4, 20),
        retention="长期",
        entries=tuple(DossierEntry(t, p) for t, p in zip(titles, pages, strict=True)),
    )


def rights_notice() -> RightsNoticeContext:
    return RightsNoticeContext(case=case(), notice_date=date(2025, 3, 10))


def rejection_notice() -> RejectionNoticeContext:
    return RejectionNoticeContext(
        case=case(), notice_date=date(2025, 3, 11),
        reason="该纠纷已由人民法院依法受理，依照规定人民调解委员会不再受理",
        routes="请按人民法院的通知参加诉讼；人民法院征得双方同意后委派调解的，本委员会可以依法调解。",
    )


def termination_notice() -> TerminationNoticeContext:
    return TerminationNoticeContext(
        case=case(), notice_date=date(2025, 3, 25),
        reason="经多次调解，双方当事人对赔偿数额分歧较大，未能达成调解协议",
    )


_TYPES = ("邻里纠纷", "婚姻家庭纠纷", "土地承包纠纷", "劳动争议", "损害赔偿纠纷", "宅基地纠纷")
_SOURCES = ("当事人申请", "主动调解", "公安机关移送", "法院委派", "网格上报")
_STAGES = ("诊", "调", "裁", "诉")
_RESULTS = ("调解成功", "调解中", "调解不成，已告知诉讼途径", "已履行")
_SURNAMES = "张李王赵马孙陈杨刘周"


def ledger_row(index: int) -> LedgerRow:
    """A generated ledger row; every third case has a third party with no ID (its slot stays empty)."""
    start = date(2025, 1, 1) + timedelta(days=index % 300)
    a, b = _SURNAMES[index % 10], _SURNAMES[(index * 7 + 3) % 10]
    third = index % 3 == 0
    closed = index % 4 == 3
    return LedgerRow(
        case_number=f"玉社调字〔2025〕{index + 1}号",
        registered_on=start,
        source=_SOURCES[index % 5],
        parties=(f"{a}某{index % 97}", f"{b}某{index % 89}", *(("玉门市某物业服务有限公司",) if third else ())),
        id_numbers=(f"620981{1960 + index % 40}0{1 + index % 9}1{index % 10}{index % 1000:03d}{index % 10}", "",
                    *(("",) if third else ())),
        phones=(f"139{index % 10000:04d}{(index * 37) % 10000:04d}", f"186{(index * 13) % 10000:04d}{index % 10000:04d}",
                *(("09373321234",) if third else ())),
        dispute_type=_TYPES[index % 6],
        summary="因排水沟堵塞致院内积水、围墙倒塌，双方就赔偿数额及清理期限产生争议。"
        if index % 3
        else "宅基地界址不清引发争执。",
        amount=Decimal(1000 + index % 50 * 500) if index % 4 else None,
        risk_level=("蓝色（一般）", "黄色（较大）", "红色（重大）")[index % 3],
        stage="办结" if closed else _STAGES[index % 4],
        responsible=("人民调解窗口／赵红梅", "警调窗口／马俊", "孙丽")[index % 3],
        deadline=start + timedelta(days=30),
        result=_RESULTS[index % 4],
        level=("玉门镇", "代家滩村", "第一网格")[index % 3],
        agreement_form="书面协议" if closed else "",
        performance="已履行" if closed else "",
        confirmation="确认有效" if index % 8 == 3 else "",
        follow_up="满意" if closed else "",
        supervision="督办〔2025〕3号（黄，已回复）" if index % 5 == 1 else "",
        closed_on=start + timedelta(days=20) if closed else None,
        outcome="书面协议" if closed else "",
    )


class LazyRows:
    """A sequence of n generated ledger rows that never materialises them all."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> LedgerRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[LedgerRow]: ...

    def __getitem__(self, index: int | slice) -> LedgerRow | list[LedgerRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return ledger_row(index % self.count)


def ledger(rows: int = 60, unmasked: bool = False) -> LedgerContext:
    return LedgerContext(
        reporting_unit="玉门市社会治理服务中心",
        reporter="孙丽",
        report_date=date(2025, 4, 1),
        rows=cast(Sequence[LedgerRow], LazyRows(rows)),  # len and indexing are all a ledger reads
        filter_description="期间：2025年1月1日至2025年3月31日；窗口：全部；阶段：全部",
        unmasked=unmasked,
        chain_anchor="sha256:4f1c9a…e07b",
    )


SAMPLES = {
    "agreement": agreement,
    "oral-agreement": oral_agreement,
    "intake-form": intake,
    "mediation-record": mediation_record,
    "follow-up": follow_up,
    "confirmation-application": confirmation_application,
    "dossier": dossier,
    "ledger": ledger,
    "monthly-report": monthly_report.sample,
    "rights-notice": rights_notice,
    "rejection-notice": rejection_notice,
    "termination-notice": termination_notice,
}
