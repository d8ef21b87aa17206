"""Phone numbers: the ways people write them, and the normalised forms stored."""

from __future__ import annotations

import pytest

from forms.phone import validate_mobile, validate_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("0937-1234567", "0937-1234567"),
        ("09371234567", "0937-1234567"),
        ("(0937)1234567", "0937-1234567"),
        ("（0937）1234567", "0937-1234567"),
        ("0937 6123456", "0937-6123456"),
        ("0937—6123456", "0937-6123456"),
        ("010-12345678", "010-12345678"),
        ("02912345678", "029-12345678"),
        ("+86 937 6123456", "0937-6123456"),
        ("0937-6123456转801", "0937-6123456转801"),
        ("0937-6123456 分机 801", "0937-6123456转801"),
        ("0937-6123456-801", "0937-6123456转801"),
        ("029-88888888ext12", "029-88888888转12"),
        ("400-123-4567", "400-123-4567"),
        ("8001234567", "800-123-4567"),
    ],
)
def test_accepted_and_normalised(raw: str, expected: str) -> None:
    result = validate_phone(raw)
    assert result.ok, result.message
    assert result.value == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写联系电话"),
        ("12812345678", "第2位应为3–9"),
        ("1381234567", "应为11位"),
        ("138123456789", "应为11位"),
        ("6123456", "请加区号"),
        ("0937-123", "区号加7–8位"),
        ("0937-0123456", "区号加7–8位"),
        ("13812345678转1", "分机"),
        ("call me", "只能包含数字"),
        ("12345", "公共服务热线"),
        ("0", "无法识别"),
    ],
)
def test_rejections_say_what_is_wrong(raw: str, fragment: str) -> None:
    result = validate_phone(raw)
    assert not result.ok and fragment in result.message


def test_service_numbers_when_allowed() -> None:
    assert validate_phone("12345", allow_service=True).value == "12345"
    assert validate_phone("１２３４８", allow_service=True).value == "12348"


def test_default_area_code_completes_a_local_number() -> None:
    assert validate_phone("6123456", default_area_code="0937").value == "0937-6123456"


def test_mobile_only() -> None:
    assert validate_mobile("+86 13812345678").value == "13812345678"
    assert "手机" in validate_mobile("0937-6123456").message
    assert not validate_mobile("").ok
