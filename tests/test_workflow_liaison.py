"""诉调对接 register (court numbers, outcomes, 司法确认 countdown and ruling, 转立案 with 审限,
performance and enforcement) and the arbitration tracks with their preconditions and clocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.errors import TransitionRefused, ValidationFailed
from models.liaison.court_numbers import normalise_court_number, parse_court_number
from models.liaison.service import (
    ReferralInput,
    apply_confirmation,
    list_register,
    record_confirmation_accepted,
    record_enforcement,
    record_performance,
    record_receipt,
    record_referral_outcome,
    record_ruling,
    register_referral,
    transfer_to_filing,
)
from models.org.entities import Committee
from models.workflow.arbitration import open_arbitration, track_blockers, update_arbitration
from tests.support.factories import ACTOR, committee, draft, refer

# ---- court numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "court", "kind", "serial"), [
    ("（2024）甘0981民诉前调123号", "甘0981", "民诉前调", 123),
    ("(2024)甘0981民诉前调123号", "甘0981", "民诉前调", 123),
    (" （２０２４） 甘０９８１ 民诉前调 １２３ 号 ", "甘0981", "民诉前调", 123),
    ("(2021)川0104民诉前调801号", "川0104", "民诉前调", 801),
    ("(2024)粤0604诉前调确1716号", "粤0604", "诉前调确", 1716),
    ("（2024）甘09民终56号", "甘09", "民终", 56),
    ("（2025）甘0981执恢12号", "甘0981", "执恢", 12),
    ("（2025）甘0981执12号", "甘0981", "执", 12),
])
def test_valid_court_numbers_parse_to_the_official_spelling(raw: str, court: str, kind: str, serial: int) -> None:
    parsed = parse_court_number(raw)
    assert (parsed.court_code, parsed.case_type, parsed.serial) == (court, kind, serial)
    assert parsed.text.startswith("（") and parsed.text.endswith(f"{kind}{serial}号")


@pytest.mark.parametrize(("raw", "why"), [
    ("2024甘0981民诉前调123号", "格式不正确"),
    ("（2024）甘0981民诉前调123", "格式不正确"),
    ("（2024）甘981民诉前调123号", "格式不正确"),  # 3 digits: neither 中院 nor 基层
    ("（2024）美0981民诉前调123号", "高级人民法院代字"),
    ("（2012）甘0981民诉前调1号", "年度 2012"),
    ("（2024）甘0981民诉前调0号", "序号不能为 0"),
    ("（2024）甘0981刑初12号", "格式不正确"),
])
def test_invalid_court_numbers_say_what_is_wrong(raw: str, why: str) -> None:
    with pytest.raises(ValidationFailed, match=why):
        parse_court_number(raw)


def test_a_field_accepts_only_its_own_case_type() -> None:
    with pytest.raises(ValidationFailed, match="类型代字应为“民初”"):
        normalise_court_number("（2024）甘0981民诉前调5号", expected_types=("民初",))
    assert normalise_court_number("  ", expected_types=("民初",)) is None


@given(year=st.integers(2016, 2099), digits=st.sampled_from(["09", "0981", "0102"]),
       kind=st.sampled_from(["民诉前调", "诉前调确", "诉前调书", "民初", "执"]), serial=st.integers(1, 999999),
       ascii_brackets=st.booleans())
def test_parsing_the_official_spelling_round_trips(year: int, digits: str, kind: str, serial: int,
                                                   ascii_brackets: bool) -> None:
    text = f"（{year}）甘{digits}{kind}{serial}号"
    raw = text.replace("（", "(").replace("）", ")") if ascii_brackets else text
    assert parse_court_number(raw).text == text


# ---- the register --------------------------------------------------------------------------


def _referred(s: Session, received: date = date(2024, 4, 1), kind: str = "委派", **extra: object) -> int:
    cid = s.scalar(select(Committee.id)) or committee(s)
    case_id = register_case(s, draft(cid, source="法院委派", received=received), ACTOR).id
    number = "(2024)甘0981民诉前调88号" if kind == "委派" else "（2024）甘0981民初301号"
    register_referral(s, case_id, ReferralInput(
        court="玉门市人民法院", tribunal="花海人民法庭", kind=kind, referred_on=received, pre_suit_number=number,
        odr_number="62098120240401000088", cause="民间借贷纠纷", claim_amount=Decimal("48000"), **extra,  # type: ignore[arg-type]  # **extra: the fields a test sets
    ), ACTOR)
    return case_id


def test_register_normalises_numbers_and_the_clock_starts_at_receipt(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _referred(s)
        row = list_register(s, today=date(2024, 4, 2))[0]
        assert row.pre_suit_number == "（2024）甘0981民诉前调88号" and row.mediation_due is None
        row = record_receipt(s, case_id, date(2024, 4, 3), ACTOR)
        with pytest.raises(ValidationFailed, match="已登记在另一案件"):
            _referred(s)
        row = list_register(s, today=date(2024, 4, 3))[0]
    assert row.mediation_due == date(2024, 5, 6)  # +30 = 05-03 in the 劳动节 holiday → Mon 05-06


def test_entrusted_case_needs_its_procedure_and_uses_the_shorter_clock(db: Database) -> None:
    with db.write.begin() as s:
        with pytest.raises(ValidationFailed, match="普通程序或简易程序"):
            _referred(s, kind="委托")
        _referred(s, kind="委托", procedure="简易", received_on=date(2024, 4, 1))
        assert list_register(s, today=date(2024, 4, 1))[0].mediation_due == date(2024, 4, 8)  # 7 days


def test_success_goes_to_judicial_confirmation_with_a_30_day_countdown(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _referred(s, received_on=date(2024, 4, 1))
        with pytest.raises(TransitionRefused, match="协议生效日期"):
            record_referral_outcome(s, case_id, "达成协议", "申请司法确认", date(2024, 4, 20), ACTOR)
        with pytest.raises(TransitionRefused, match="只能撤回或转立案"):
            record_referral_outcome(s, case_id, "分歧较大", "申请司法确认", date(2024, 4, 20), ACTOR, "报告")
        record_referral_outcome(s, case_id, "达成协议", "申请司法确认", date(2024, 4, 20), ACTOR,
                                agreement_effective_on=date(2024, 4, 20))
        row = list_register(s, today=date(2024, 4, 21))[0]
        assert row.confirmation_due == date(2024, 5, 20) and row.mediation_due is None
        with pytest.raises(TransitionRefused, match="已超过申请期限"):
            apply_confirmation(s, case_id, date(2024, 5, 21), ACTOR)
        apply_confirmation(s, case_id, date(2024, 5, 6), ACTOR)
        record_confirmation_accepted(s, case_id, date(2024, 5, 7), "(2024)甘0981诉前调确31号", ACTOR)
        row = record_ruling(s, case_id, "确认有效", date(2024, 5, 15), ACTOR)
        assert row.confirmation_number == "（2024）甘0981诉前调确31号" and row.ruling == "确认有效"
        record_performance(s, case_id, "未履行", date(2024, 6, 30), ACTOR)
        assert list_register(s, today=date(2024, 7, 1))[0].colour is None  # 申请执行: 2 years away
        row = record_enforcement(s, case_id, date(2024, 7, 10), "（2024）甘0981执556号", ACTOR)
        assert row.enforcement_number == "（2024）甘0981执556号"


def test_failure_needs_a_report_then_transfer_to_filing_starts_the_trial_period(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _referred(s, date(2024, 1, 31), received_on=date(2024, 1, 31))
        with pytest.raises(TransitionRefused, match="调解不成报告"):
            record_referral_outcome(s, case_id, "分歧较大", "转立案", date(2024, 2, 29), ACTOR)
        record_referral_outcome(s, case_id, "分歧较大", "转立案", date(2024, 2, 29), ACTOR,
                                "双方对借款本金认定分歧较大；无争议事实：借款48000元已交付")
        with pytest.raises(ValidationFailed, match="类型代字应为“民初”"):
            transfer_to_filing(s, case_id, date(2024, 3, 4), "（2024）甘0981民诉前调9号", "简易", ACTOR)
        transfer_to_filing(s, case_id, date(2024, 3, 4), "(2024)甘0981民初1201号", "简易", ACTOR)
        row = list_register(s, today=date(2024, 3, 5))[0]
    assert row.filing_number == "（2024）甘0981民初1201号"
    assert row.trial_due == date(2024, 6, 4)  # 简易 3 months (民诉法 Art. 164)


# ---- arbitration ---------------------------------------------------------------------------


@pytest.mark.parametrize(("track", "code", "agreement", "why"), [
    ("商事仲裁", "0402", False, "书面仲裁协议"),
    ("商事仲裁", "0103", True, "赡养"),
    ("劳动人事争议仲裁", "1001", False, "劳动关系"),
    ("商事仲裁", "0102", True, "继承"),
    ("商事仲裁", "0104", True, "不能仲裁"),
    ("农村土地承包仲裁", "08", False, "征收集体所有的土地"),
    ("外星仲裁", "0402", True, "未知的仲裁类别"),
])
def test_track_preconditions(track: str, code: str, agreement: bool, why: str) -> None:
    assert any(why in b for b in track_blockers(track, code, agreement))


@pytest.mark.parametrize(("track", "code", "agreement"), [
    ("商事仲裁", "0402", True), ("农村土地承包仲裁", "0701", False), ("劳动人事争议仲裁", "1001", False),
])
def test_tracks_open_when_their_preconditions_hold(track: str, code: str, agreement: bool) -> None:
    assert track_blockers(track, code, agreement, employment_relation=True) == []


def test_labour_track_clocks_and_the_stage_guard(db: Database) -> None:
    with db.write.begin() as s:
        case_id = register_case(s, replace(draft(committee(s)), dispute_type_code="1001"), ACTOR).id
        refer(s, case_id, ACTOR)
        record(s, case_id, "mediation_outcome", "调解不成", ACTOR)
        view = open_arbitration(s, case_id, "劳动人事争议仲裁", "玉门市劳动人事争议仲裁委员会", ACTOR,
                                knew_on=date(2024, 2, 29), applied_on=date(2024, 3, 5), employment_relation=True)
        assert advance_stage(s, case_id, "to_arbitration", ACTOR, "引导申请劳动仲裁").stage == "裁"
        view = update_arbitration(s, view.id, ACTOR, accepted_on=date(2024, 3, 8), case_number="玉劳人仲案字〔2024〕15号")
        clocks = {c.rule_code: c for c in view.clocks}
        assert clocks["labour_apply"].due_date == date(2025, 2, 28)  # 1 year from a leap day
        assert clocks["labour_apply"].completed_on == date(2024, 3, 5)
        assert clocks["labour_award"].due_date == date(2024, 4, 22)  # 45 days = 04-22 (Mon)
        view = update_arbitration(s, view.id, ACTOR, award_on=date(2024, 4, 18), award_served_on=date(2024, 4, 19),
                                  result="裁决")
        clocks = {c.rule_code: c for c in view.clocks}
    assert clocks["labour_award"].completed_on == date(2024, 4, 18)
    assert clocks["labour_sue"].due_date == date(2024, 5, 6)  # 15 days = 05-04, in the 劳动节 holiday → 05-06
    assert not view.fee_charged


def test_commercial_track_without_agreement_is_refused_and_free_flag(db: Database) -> None:
    with db.write.begin() as s:
        case_id = register_case(s, replace(draft(committee(s)), dispute_type_code="0402"), ACTOR).id
        with pytest.raises(TransitionRefused, match="书面仲裁协议"):
            open_arbitration(s, case_id, "商事仲裁", "酒泉仲裁委员会", ACTOR)
        view = open_arbitration(s, case_id, "商事仲裁", "酒泉仲裁委员会", ACTOR, has_agreement=True)
    assert view.fee_charged and view.clocks == ()


def _failed_mediation(s: Session, code: str, committee_id: int | None = None) -> int:
    case_id = register_case(s, replace(draft(committee_id or committee(s)), dispute_type_code=code), ACTOR).id
    refer(s, case_id, ACTOR)
    record(s, case_id, "mediation_outcome", "调解不成", ACTOR)
    return case_id


@pytest.mark.parametrize(("code", "track", "why"), [
    ("0103", "商事仲裁", "赡养"), ("0402", "商事仲裁", "书面仲裁协议"), ("08", "农村土地承包仲裁", "征收集体所有的土地"),
    ("1001", "劳动人事争议仲裁", "劳动关系"),
])
def test_every_move_into_arbitration_checks_the_track(db: Database, code: str, track: str, why: str) -> None:
    """Choosing the track is not enough: 调解不成转仲裁 and 直接转仲裁 are refused with what is missing."""
    with db.write.begin() as s:
        centre = committee(s)
        case_id = _failed_mediation(s, code, centre)
        record(s, case_id, "arbitration_track", track, ACTOR)
        with pytest.raises(TransitionRefused, match=why):
            advance_stage(s, case_id, "to_arbitration", ACTOR, "引导申请仲裁")
        direct = register_case(s, replace(draft(centre), dispute_type_code=code), ACTOR).id
        record(s, direct, "arbitration_track", track, ACTOR)
        with pytest.raises(TransitionRefused, match=why):
            advance_stage(s, direct, "direct_arbitration", ACTOR)


def test_commercial_arbitration_goes_once_the_agreement_is_recorded(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _failed_mediation(s, "0402")
        open_arbitration(s, case_id, "商事仲裁", "酒泉仲裁委员会", ACTOR, has_agreement=True)
        assert advance_stage(s, case_id, "to_arbitration", ACTOR, "有仲裁条款").stage == "裁"
