"""统一社会信用代码 validation: research vectors, vectors built with the research's reference code,
legacy numbers, warnings for the embedded 组织机构代码."""

from __future__ import annotations

import pytest

from forms.uscc import ALPHABET, WEIGHTS, check_char, org_check_char, validate_uscc

# Built with the research's reference functions (not with forms.uscc), so the check is independent.
GOOD_CODES = [
    "91440300708461136T",  # real-world, cited in the research
    "91620981MA7Y12343D",  # research's fictional 玉门 enterprise
    "51620981MJX123456E",  # 民政 / 社会团体
    "12620900013900120B",  # 机构编制 / 事业单位
    "93620981MA73ABCDX5",  # 农民专业合作社, org check digit X
    "N2620981MA7YQ00A4Q",  # 村级集体经济组织
    "31620000MD0123454K",  # 律师事务所
]


@pytest.mark.parametrize("code", GOOD_CODES)
def test_known_good_codes_pass_without_warning(code: str) -> None:
    result = validate_uscc(code)
    assert result.ok and result.value == code
    assert result.warning == ""


def test_weights_are_powers_of_three() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


def test_input_is_normalised() -> None:
    assert validate_uscc(" ９１６２０９８１ｍａ７ｙ １２３４３ｄ ").value == "91620981MA7Y12343D"


def test_question_and_answer_site_example_is_rejected() -> None:
    result = validate_uscc("91310115MA1G4L1WXK")
    assert not result.ok and "校验位不正确" in result.message
    assert check_char("91310115MA1G4L1WX") == "7"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写"),
        ("440301103318779", "15位旧版工商注册号"),
        ("70846113-6", "旧版组织机构代码"),
        ("708461136", "旧版组织机构代码"),
        ("9144030070846113", "应为18位"),
        ("91440300708461136TT", "当前为19位"),
        ("91440300708461I36T", "第15位“I”"),
        ("91440300708461O36T", "可能应为数字"),
        ("91440300708461#36T", "第15位“#”"),
        ("B1440300708461136T", "登记管理部门码"),
        ("91AB0300708461136T", "行政区划码"),
    ],
)
def test_rejections_say_what_is_wrong(raw: str, fragment: str) -> None:
    result = validate_uscc(raw)
    assert not result.ok and fragment in result.message


def test_bad_embedded_org_code_is_only_a_warning() -> None:
    first17 = "91620981MA7Y12340"  # org code check should be 3
    result = validate_uscc(first17 + check_char(first17))
    assert result.ok and "组织机构代码" in result.warning


def test_unusual_class_code_is_only_a_warning() -> None:
    first17 = "97620981MA7Y12343"
    result = validate_uscc(first17 + check_char(first17))
    assert result.ok and "机构类别码" in result.warning


def test_org_check_char_examples() -> None:
    assert org_check_char("70846113") == "6"
    assert org_check_char("MA7Y1234") == "3"
    assert org_check_char("MA73ABCD") == "X"
