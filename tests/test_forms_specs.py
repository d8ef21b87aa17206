"""Form specs: per-field messages, derived sex/birth date, cross-field rules, typed cleaned values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from forms.specs import (
    AGENT,
    CASE_INTAKE,
    FORMS,
    ORGANISATION_PARTY,
    PERSON_PARTY,
    FieldSpec,
    validate_dispute_type,
    validate_document_number,
    validate_form,
)
from forms.values import validate_name


def test_person_with_id_gets_derived_sex_and_birth_date() -> None:
    result = validate_form(PERSON_PARTY, {"side": "申请方", "name": "张三", "id_number": "620981198506151236"})
    assert result.ok, result.errors
    assert result.cleaned["sex"] == "男"
    assert result.cleaned["birth_date"] == date(1985, 6, 15)
    assert result.cleaned["id_type"] == "居民身份证"
    assert result.cleaned["kind"] == "自然人"


def test_typed_sex_contradicting_the_id_is_reported_on_the_sex_field() -> None:
    values = {"side": "申请方", "name": "张三", "id_number": "11010519491231002x", "sex": "男"}
    result = validate_form(PERSON_PARTY, values)
    assert result.cleaned["id_number"] == "11010519491231002X"
    assert "性别与身份证号码不符" in result.errors["sex"] and "女" in result.errors["sex"]


def test_typed_birth_date_contradicting_the_id() -> None:
    values = {"side": "申请方", "name": "张三", "id_number": "620981198506151236", "birth_date": "1985-06-16"}
    assert "1985年06月15日" in validate_form(PERSON_PARTY, values).errors["birth_date"]


def test_consistent_typed_values_are_kept() -> None:
    values = {
        "side": "被申请方",
        "name": "张三",
        "id_number": "620981198506151236",
        "sex": "男",
        "birth_date": "1985年6月15日",
        "phone": "138 1234 5678",
        "ethnicity": "汉",
    }
    result = validate_form(PERSON_PARTY, values)
    assert result.ok and result.cleaned["phone"] == "13812345678" and result.cleaned["ethnicity"] == "汉族"


def test_invalid_id_gives_the_id_message_and_derives_nothing() -> None:
    result = validate_form(PERSON_PARTY, {"side": "申请方", "name": "张三", "id_number": "620981200102290010"})
    assert "出生日期无效" in result.errors["id_number"]
    assert result.cleaned["sex"] is None and result.cleaned["id_number"] is None


def test_fifteen_digit_id_is_converted_with_a_warning() -> None:
    result = validate_form(PERSON_PARTY, {"side": "申请方", "name": "张三", "id_number": "130503670401001"})
    assert result.ok and result.cleaned["id_number"] == "130503196704010016"
    assert "15位" in result.warnings["id_number"]


def test_passport_skips_the_checksum() -> None:
    values = {"side": "申请方", "name": "John Smith", "id_type": "护照", "id_number": "e1234 5678"}
    result = validate_form(PERSON_PARTY, values)
    assert result.ok and result.cleaned["id_number"] == "E12345678" and result.cleaned["sex"] is None


def test_required_fields_and_missing_keys() -> None:
    result = validate_form(PERSON_PARTY, {"name": "   "})
    assert result.errors == {"side": "请选择当事人类别", "name": "请填写姓名"}
    assert set(result.cleaned) >= {spec.key for spec in PERSON_PARTY}


def test_organisation_party() -> None:
    values = {
        "side": "被申请方",
        "name": "玉门市恒通建筑工程有限公司",
        "uscc": "91620981ma7y12343d",
        "legal_rep": "王五",
        "phone": "0937-6123456",
    }
    result = validate_form(ORGANISATION_PARTY, values)
    assert result.ok and result.cleaned["uscc"] == "91620981MA7Y12343D" and result.cleaned["kind"] == "组织"
    bad = validate_form(ORGANISATION_PARTY, {**values, "uscc": "91620981MA7Y12343E"})
    assert "校验位不正确" in bad.errors["uscc"]


def test_agent_needs_authority_when_appointed() -> None:
    assert "代理权限" in validate_form(AGENT, {"kind": "委托代理人", "name": "李四"}).errors["authority"]
    assert validate_form(AGENT, {"kind": "法定代理人", "name": "李四"}).ok
    assert validate_form(AGENT, {"kind": "委托代理人", "name": "李四", "authority": "特别授权"}).ok


def test_case_intake_is_typed() -> None:
    values = {
        "received_date": "2024年3月5日",
        "source_channel": "来访",
        "dispute_type_code": "民间借贷纠纷",
        "summary": " 借款未还 ",
        "amount": "1.2万",
        "people_involved": "6人",
        "risk_colour": "黄",
    }
    result = validate_form(CASE_INTAKE, values)
    assert result.ok, result.errors
    assert result.cleaned["received_date"] == date(2024, 3, 5)
    assert result.cleaned["amount"] == Decimal("12000.00")
    assert result.cleaned["people_involved"] == 6 and "群体性" in result.warnings["people_involved"]
    assert result.cleaned["dispute_type_code"] == "0401" and result.cleaned["summary"] == "借款未还"


def test_case_intake_rejects_future_received_date() -> None:
    result = validate_form(CASE_INTAKE, {"received_date": "2999-01-01"})
    assert "不能晚于" in result.errors["received_date"]
    assert {"source_channel", "dispute_type_code", "summary"} <= set(result.errors)


def test_dispute_type_by_code_name_or_both() -> None:
    assert validate_dispute_type("0401").value == "0401"
    assert validate_dispute_type("0401 民间借贷纠纷").value == "0401"
    assert "纠纷类型无效" in validate_dispute_type("吵架").message


def test_plain_field_list_works_without_rules() -> None:
    fields = [FieldSpec("who", "姓名", validate_name, required=True)]
    assert validate_form(fields, {"who": "赵六"}).cleaned == {"who": "赵六"}


def test_document_number_rules() -> None:
    assert validate_document_number("h1234567(8)").value == "H1234567(8)"
    assert "长度" in validate_document_number("ab").message
    assert "字母" in validate_document_number("护照123").message


def test_every_field_has_a_chinese_label_and_unique_key() -> None:
    for form in FORMS.values():
        keys = [spec.key for spec in form]
        assert len(keys) == len(set(keys))
        assert all(any("\u4e00" <= c <= "\u9fff" for c in spec.label) for spec in form)
        assert form.field(keys[0]).key == keys[0]
