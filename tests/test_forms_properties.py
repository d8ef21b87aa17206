"""Property tests: validators never raise and always explain a rejection; valid IDs and codes
survive the ways people mangle them; amounts spelled out parse back to the same number."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.idcard import PROVINCES, check_char, validate_id_card
from forms.phone import validate_phone
from forms.result import Result
from forms.specs import FORMS, validate_form
from forms.uscc import ALPHABET, DEPARTMENTS, validate_uscc
from forms.uscc import check_char as uscc_check_char
from forms.values import (
    validate_amount,
    validate_count,
    validate_date,
    validate_ethnicity,
    validate_name,
    validate_text,
)
from models import clock
from templates.money import CAPITAL_DIGITS, amount_in_words, chinese_numeral

VALIDATORS = (
    validate_id_card,
    validate_uscc,
    validate_phone,
    validate_date,
    validate_amount,
    validate_count,
    validate_name,
    validate_ethnicity,
    validate_text,
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# Text that looks like the real inputs: digits in both widths, x, separators, Chinese units.
FIELDISH = st.text(alphabet="0123456789０１２３４５６７８９xXｘ -—()（）+.,，年月日元万¥ \u3000转", max_size=25)


def _assert_explained(result: Result) -> None:
    assert isinstance(result, Result)
    if not result.ok:
        assert result.value is None and CJK.search(result.message)


@settings(max_examples=300)
@given(st.one_of(st.text(), FIELDISH))
def test_validators_never_raise_and_explain_rejections(raw: str) -> None:
    for validator in VALIDATORS:
        _assert_explained(validator(raw))


@settings(max_examples=100)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "side",
                "name",
                "id_number",
                "sex",
                "birth_date",
                "uscc",
                "kind",
                "authority",
                "amount",
                "received_date",
                "people_involved",
            ]
        ),
        st.one_of(st.text(max_size=20), FIELDISH),
    )
)
def test_forms_never_raise(values: dict[str, str]) -> None:
    for form in FORMS.values():
        result = validate_form(form, values)
        assert all(CJK.search(message) for message in result.errors.values())


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    rest = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=clock.today() - timedelta(days=1)))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{province}{rest}{born:%Y%m%d}{sequence}"
    return first17 + check_char(first17)


def _mangle(number: str, data: st.DataObject) -> str:
    """Full-width some characters, lowercase x, and sprinkle spaces as people do."""
    out = []
    for char in number:
        if data.draw(st.booleans()):
            char = chr(ord(char) + 0xFEE0)  # full-width form
        if char in "XＸ" and data.draw(st.booleans()):
            char = char.lower()
        out.append(char + data.draw(st.sampled_from(["", "", " ", "\u3000", "\t"])))
    return data.draw(st.sampled_from(["", " "])) + "".join(out)


@given(valid_ids(), st.data())
def test_valid_ids_round_trip_through_mangling(number: str, data: st.DataObject) -> None:
    result = validate_id_card(_mangle(number, data))
    assert result.ok, result.message
    assert result.value == number
    assert result.sex == ("男" if int(number[16]) % 2 else "女")


@given(valid_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_single_digit_typos_are_caught(number: str, position: int, shift: int) -> None:
    digit = int(number[position])
    typo = number[:position] + str((digit + shift) % 10) + number[position + 1 :]
    assert not validate_id_card(typo).ok  # MOD 11-2 detects every single-digit substitution


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from(sorted(DEPARTMENTS)))
    region = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    body = draw(st.text(alphabet=ALPHABET, min_size=9, max_size=9))
    first17 = department + region + body
    return first17 + uscc_check_char(first17)


@given(valid_usccs(), st.data())
def test_valid_usccs_round_trip_through_mangling(code: str, data: st.DataObject) -> None:
    mangled = _mangle(code, data)
    if data.draw(st.booleans()):
        mangled = mangled.lower()
    result = validate_uscc(mangled)
    assert result.ok, result.message
    assert result.value == code


UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_group(words: str) -> int:
    """One 4-digit group such as 贰仟零伍; 零 carries no value."""
    total = digit = 0
    for char in words.replace("零", ""):
        if char in UNITS:
            total += digit * UNITS[char]
            digit = 0
        else:
            digit = CAPITAL_DIGITS.index(char)
    return total + digit


def _parse_below_yi(words: str) -> int:
    high, _, low = words.rpartition("万")
    return _parse_group(high) * 10**4 + _parse_group(low)


def _parse_whole(words: str) -> int:
    high, _, low = words.rpartition("亿")  # 万亿: the 万 lives in the part before 亿
    return _parse_below_yi(high) * 10**8 + _parse_below_yi(low)


def _parse_capital(words: str) -> Decimal:
    """Inverse of amount_in_words, written independently for the test."""
    assert words.endswith(("整", "角", "分"))
    whole_words, has_yuan, fraction_words = words.removesuffix("整").partition("元")
    if not has_yuan:  # only 角/分
        whole_words, fraction_words = "", whole_words
    cents = 0
    for match in re.finditer(r"([壹贰叁肆伍陆柒捌玖])([角分])", fraction_words):
        cents += CAPITAL_DIGITS.index(match.group(1)) * (10 if match.group(2) == "角" else 1)
    return Decimal(_parse_whole(whole_words)) + Decimal(cents) / 100


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_amount_in_words_parses_back(whole: int, cents: int) -> None:
    amount = Decimal(whole) + Decimal(cents) / 100
    words = amount_in_words(amount)
    assert _parse_capital(words) == amount
    assert words == "零元整" or ("零零" not in words and not words.startswith("零"))


@given(st.integers(min_value=0, max_value=10**8))
def test_chinese_numeral_never_raises(count: int) -> None:
    words = chinese_numeral(count)
    assert words and "零零" not in words


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_amount_validator_accepts_its_own_display(amount: Decimal) -> None:
    assert validate_amount(f"¥{amount:,.2f}").value == amount
