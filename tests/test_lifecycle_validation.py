"""The core enforces its rules (issue 10, item 2): the outcome table decides where each outcome may
be recorded, and the services check every value they store with the forms' own validators, so a
call that bypasses the GUI gets the form's Chinese message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from forms.idcard import validate_id_card
from forms.phone import validate_phone
from forms.uscc import validate_uscc
from forms.values import validate_amount, validate_count, validate_past_date, validate_text
from models import clock
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.entities import Case
from models.cases.outcomes import BY_FIELD, OUTCOMES
from models.cases.service import record, register_case
from models.cases.stages import BY_ACTION, MEDIATION_OUTCOMES, CaseFacts, Stage, blockers
from models.db import Database
from models.dto import AgentInput, CaseDraft, PartyInput
from models.errors import TransitionRefused, ValidationFailed
from tests.support.factories import ACTOR, committee, draft

BAD_AMOUNTS = [Decimal("NaN"), Decimal("Infinity"), float("nan"), float("inf"), Decimal("-1"), -0.5,
               Decimal("12.345")]


TRACK_TYPES = {"劳动人事争议仲裁": "1001", "农村土地承包仲裁": "0701", "商事仲裁": "0401"}  # a type each track takes


def _draft(session: Session, extra: dict[str, object]) -> CaseDraft:
    """The factory's draft with the fields a test sets (parties and summary included)."""
    received = extra.pop("received", date(2025, 3, 5))
    return replace(draft(committee(session), received=received), **extra)  # type: ignore[arg-type]  # a test's values


def _case(db: Database, **extra: object) -> int:
    with db.write.begin() as s:
        return register_case(s, _draft(s, extra), ACTOR).id


def _refused(db: Database, **extra: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught, db.write.begin() as s:
        register_case(s, _draft(s, extra), ACTOR)
    return caught.value


# ---- the outcome table ------------------------------------------------------------------------------


def test_every_outcome_is_refused_at_every_stage_that_does_not_allow_it(db: Database) -> None:
    case_id = _case(db)
    checked = 0
    for outcome in OUTCOMES:
        for choice in outcome.choices:
            for stage in Stage:
                with db.write.begin() as s:
                    s.get(Case, case_id).stage = stage  # put the case where the check is made
                if stage in choice.stages:
                    with db.write.begin() as s:
                        record(s, case_id, outcome.field, choice.value, ACTOR)
                    continue
                with pytest.raises(TransitionRefused) as caught, db.write.begin() as s:
                    record(s, case_id, outcome.field, choice.value, ACTOR)
                assert f"当前处于“{stage}”阶段" in caught.value.message and choice.value in caught.value.message
                checked += 1
    assert checked == 100  # 21 values, each refused at the stages the table leaves out


def test_the_table_refuses_what_the_gui_used_to_be_the_only_guard_for(db: Database) -> None:
    case_id = _case(db)  # at 诊
    for field, value in (("arbitration_result", "裁决"), ("court_outcome", "判决"), ("followup_satisfaction", "满意")):
        with pytest.raises(TransitionRefused), db.write.begin() as s:
            record(s, case_id, field, value, ACTOR)
    with db.read() as s:
        case = s.get(Case, case_id)
        assert (case.arbitration_result, case.court_outcome, case.followup_satisfaction) == (None, None, None)


def test_the_table_lists_the_vocabulary_and_what_each_value_opens() -> None:
    assert BY_FIELD["mediation_outcome"].values == MEDIATION_OUTCOMES
    base: dict[str, Any] = {"applicants": 1, "respondents": 1, "dispute_type_code": "1001", "arbitration_track": "劳动人事争议仲裁",
            "employment_relation": True, "arbitration_agreement": True}
    for outcome in OUTCOMES:
        for choice in outcome.choices:
            for action in choice.unlocks:
                transition = BY_ACTION[action]
                facts = {**base, "dispute_type_code": TRACK_TYPES.get(choice.value, "1001")}
                without = CaseFacts(stage=transition.source, **{**facts, outcome.field: None})
                with_value = CaseFacts(stage=transition.source, **{**facts, outcome.field: choice.value})
                assert len(blockers(with_value, action, "理由")) < len(blockers(without, action, "理由")), (
                    outcome.field, choice.value, action)


def test_an_unknown_value_still_names_the_choices(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(ValidationFailed, match="可选：书面协议"), db.write.begin() as s:
        record(s, case_id, "mediation_outcome", "大概成了", ACTOR)


# ---- values stored by register_case -------------------------------------------------------------------


@pytest.mark.parametrize("amount", BAD_AMOUNTS, ids=str)
def test_nan_infinite_negative_and_third_decimal_amounts_get_the_forms_message(db: Database, amount: object) -> None:
    error = _refused(db, amount=amount)
    form = validate_amount(format(amount, "f"))
    assert not form.ok and form.message in error.message and error.fields["amount"] == form.message


def test_a_good_amount_is_stored_to_the_cent(db: Database) -> None:
    case_id = _case(db, amount=Decimal("12000.5"))
    with db.read() as s:
        assert s.get(Case, case_id).amount == Decimal("12000.50")


def test_invalid_id_numbers_get_the_forms_message(db: Database) -> None:
    for number in ("110105194912310021", "11010519491231002", "990105194912310021", "110105194913310029"):
        parties = (PartyInput(side="申请方", name="张三", id_number=number), PartyInput(side="被申请方", name="李四"))
        error = _refused(db, parties=parties)
        assert validate_id_card(number).message in error.message
        assert error.message.startswith("登记信息有误：第1名当事人：")


def test_ids_are_normalised_and_sex_and_birth_date_derived(db: Database) -> None:
    parties = (PartyInput(side="申请方", name="张三", id_number="１１０１０５ 19491231002x"),
               PartyInput(side="被申请方", name="李四"))
    case_id = _case(db, parties=parties)
    with db.read() as s:
        first = s.get(Case, case_id).parties[0]
        assert (first.id_number, first.sex, first.birth_date) == ("11010519491231002X", "女", date(1949, 12, 31))


def test_sex_contradicting_the_id_is_refused_as_the_form_does(db: Database) -> None:
    parties = (PartyInput(side="申请方", name="张三", sex="男", id_number="11010519491231002X"),
               PartyInput(side="被申请方", name="李四"))
    assert "性别与身份证号码不符" in _refused(db, parties=parties).message


def test_bad_phone_uscc_and_agent_are_refused_with_the_forms_messages(db: Database) -> None:
    parties = (
        PartyInput(side="申请方", name="张三", phone="12345",
                   agents=(AgentInput(kind="委托代理人", name="王五"),)),
        PartyInput(side="被申请方", kind="组织", name="玉门市某公司", uscc="91620981MA7XXXXXX1"),
    )
    error = _refused(db, parties=parties)
    assert validate_phone("12345").message in error.message
    assert validate_uscc("91620981MA7XXXXXX1").message in error.message
    assert "委托代理人须写明代理权限" in error.message


def test_counts_dates_and_text_lengths_follow_the_form(db: Database) -> None:
    assert validate_count("0", label="涉及人数").message in _refused(db, people_involved=0).message
    future = clock.today() + timedelta(days=1)
    assert validate_past_date(future.isoformat()).message in _refused(db, received=future).message
    long = "纠" * 201
    assert validate_text(long, label="纠纷简要情况", max_length=200).message in _refused(
        db, summary=long).message
    assert "请填写纠纷简要情况" in _refused(db, summary="  ").message


def test_the_intake_form_and_the_service_share_one_length_limit() -> None:
    from forms.specs import CASE_INTAKE

    assert not CASE_INTAKE.field("summary").validator("纠" * 201).ok
    assert CASE_INTAKE.field("summary").validator("纠" * 200).ok


# ---- agreements ---------------------------------------------------------------------------------------


def _at_mediation(db: Database) -> int:
    case_id = _case(db)
    with db.write.begin() as s:
        s.get(Case, case_id).stage = Stage.MEDIATE
    return case_id


def test_an_agreement_signed_before_the_case_was_received_is_refused(db: Database) -> None:
    case_id = _at_mediation(db)  # received 2025-03-05
    data = AgreementInput(items=("双方和解",), signed_on=date(2025, 3, 4))
    with pytest.raises(ValidationFailed, match="签订日期不能早于受理日期（2025年03月05日）"), db.write.begin() as s:
        record_agreement(s, case_id, data, ACTOR)
    with db.write.begin() as s:
        record_agreement(s, case_id, replace(data, signed_on=date(2025, 3, 5)), ACTOR)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("-100"), float("inf")], ids=str)
def test_an_agreement_amount_gets_the_forms_message(db: Database, amount: object) -> None:
    case_id = _at_mediation(db)
    data = AgreementInput(items=("付款",), signed_on=date(2025, 3, 10), amount=amount)  # type: ignore[arg-type]  # bad on purpose
    with pytest.raises(ValidationFailed) as caught, db.write.begin() as s:
        record_agreement(s, case_id, data, ACTOR)
    assert validate_amount(format(amount, "f")).message in caught.value.message
