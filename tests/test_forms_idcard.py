"""公民身份号码 validation: the research's test vectors, each distinct rejection, normalisation."""

from __future__ import annotations

from datetime import date

import pytest

from forms.idcard import age_on, check_char, upgrade_fifteen, validate_id_card

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("raw", "sex", "born"),
    [
        ("11010519491231002X", "女", date(1949, 12, 31)),  # GB 11643's classic example
        ("440524188001010014", "男", date(1880, 1, 1)),  # also from the standard
        ("620981198506151236", "男", date(1985, 6, 15)),  # fictional 玉门 number
    ],
)
def test_known_good_numbers_give_sex_and_birth_date(raw: str, sex: str, born: date) -> None:
    result = validate_id_card(raw, today=TODAY)
    assert result.ok and result.value == raw
    assert (result.sex, result.birth_date) == (sex, born)
    assert result.message == ""


def test_fifteen_digit_number_is_converted_with_a_warning() -> None:
    result = validate_id_card("130503670401001", today=TODAY)
    assert result.ok and result.value == "130503196704010016"
    assert "130503196704010016" in result.warning
    assert (result.sex, result.birth_date) == ("男", date(1967, 4, 1))
    assert upgrade_fifteen("130503670401001") == "130503196704010016"


@pytest.mark.parametrize(
    "raw",
    [
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002x",
        " 110105 19491231 002x ",
        "110105\u300019491231002X",
        "1101051949\u200b1231002X",
        "110105-19491231002X".replace("-", "\t"),
    ],
)
def test_full_width_lowercase_and_spaces_are_normalised(raw: str) -> None:
    assert validate_id_card(raw, today=TODAY).value == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写身份证号码"),
        ("1101051949123100", "应为18位"),
        ("1101051949123100211", "当前为19位"),
        ("11010519491231002Y", "前17位应为数字"),
        ("1101051949123100X2", "前17位应为数字"),
        ("11010519491231002A", "前17位应为数字"),
        ("11010519491231002-", "前17位应为数字"),
        ("620981200102290010", "出生日期无效"),  # 2001-02-29 does not exist; checksum is valid
        ("620981202501010010", "出生日期无效"),  # after TODAY
        ("620981180001010010", "出生日期无效"),  # implausibly early
        ("991234198506151236", "地区代码无效"),
        ("001234198506151236", "地区代码无效"),
        ("620981198506151237", "校验位不正确"),
        ("11010519491231002x1", "应为18位"),
        ("990503670401001", "地区代码无效"),  # 15-digit with a bad province
        ("130503670229001", "出生日期无效"),  # 1967-02-29
    ],
)
def test_rejections_say_what_is_wrong(raw: str, fragment: str) -> None:
    result = validate_id_card(raw, today=TODAY)
    assert not result.ok and result.value is None
    assert fragment in result.message


def test_bad_date_is_reported_before_the_checksum() -> None:
    # The research's vector has a valid checksum; make sure that is true so the date check is what fails.
    assert check_char("62098120010229001") == "0"


@pytest.mark.parametrize("region", ["810000", "820000", "830000", "710000"])
def test_hong_kong_macau_taiwan_residence_permit_codes_are_accepted(region: str) -> None:
    first17 = region + "19900101123"
    assert validate_id_card(first17 + check_char(first17), today=TODAY).ok


def test_foreign_permanent_resident_number_starting_with_9() -> None:
    first17 = "962840" + "19800101" + "123"  # issued in 甘肃 (62), nationality 840
    result = validate_id_card(first17 + check_char(first17), today=TODAY)
    assert result.ok and result.birth_date == date(1980, 1, 1)


def test_check_char_matches_research_reference_implementation() -> None:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for first17 in ("11010519491231002", "44052418800101001", "62098119850615123", "00000000000000000"):
        expected = "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
        assert check_char(first17) == expected


def test_sex_follows_the_seventeenth_digit() -> None:
    for digit, sex in (("1", "男"), ("2", "女"), ("9", "男"), ("0", "女")):
        first17 = "6209811985061512" + digit
        assert validate_id_card(first17 + check_char(first17), today=TODAY).sex == sex


def test_today_defaults_to_the_real_date() -> None:
    assert validate_id_card("620981198506151236").ok


def test_age_in_whole_years() -> None:
    born = date(1985, 6, 15)
    assert age_on(born, date(2024, 6, 14)) == 38
    assert age_on(born, date(2024, 6, 15)) == 39
    assert age_on(date(2000, 2, 29), date(2021, 2, 28)) == 20
