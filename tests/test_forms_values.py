"""Dates, amounts, counts, names, ethnicity, free text, choices and the normalisation helpers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from forms.normalize import clean_multiline, clean_name, clean_text, compact, normalize_code
from forms.values import (
    ETHNICITIES,
    validate_amount,
    validate_choice,
    validate_count,
    validate_date,
    validate_ethnicity,
    validate_name,
    validate_past_date,
    validate_text,
)


def test_normalisation_helpers() -> None:
    assert compact("１２ ３\u3000４\u200b５\t") == "12345"
    assert normalize_code("ａｂｃ x") == "ABCX"
    assert clean_text("  张三\u3000 说：\n好 ") == "张三 说： 好"
    assert clean_multiline(" 第一行 \n\n  第二行\u200b  \n") == "第一行\n\n第二行"
    assert clean_name("阿卜杜拉 • 买买提") == "阿卜杜拉·买买提"
    assert clean_name("J. Smith") == "J. Smith"


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05",
        "2024/3/5",
        "2024.3.5",
        "20240305",
        "2024年3月5日",
        "２０２４年３月５日",
        " 2024 - 03 - 05 ",
        "2024-3-05",
    ],
)
def test_dates_in_every_common_spelling(raw: str) -> None:
    assert validate_date(raw).value == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写日期"),
        ("2023-02-29", "2023年2月29日不存在"),
        ("2024-13-01", "不存在"),
        ("2024-00-10", "不存在"),
        ("0000-01-01", "不存在"),
        ("24-3-5", "格式无法识别"),
        ("2024年3月", "格式无法识别"),
        ("昨天", "格式无法识别"),
    ],
)
def test_bad_dates(raw: str, fragment: str) -> None:
    result = validate_date(raw)
    assert not result.ok and fragment in result.message


def test_date_bounds() -> None:
    bounds = {"earliest": date(2024, 1, 1), "latest": date(2024, 12, 31)}
    assert validate_date("2024-01-01", **bounds).ok and validate_date("2024-12-31", **bounds).ok
    assert "不能早于2024年01月01日" in validate_date("2023-12-31", **bounds).message
    assert "不能晚于" in validate_date("2025-01-01", **bounds).message
    assert not validate_past_date("2024-06-02", today=date(2024, 6, 1)).ok
    assert validate_past_date("2024-06-01", today=date(2024, 6, 1)).ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12000", "12000.00"),
        ("12,000.00", "12000.00"),
        ("１２０００", "12000.00"),
        ("１２，０００．５", "12000.50"),
        ("¥12,000", "12000.00"),
        ("￥12000", "12000.00"),
        ("12000元", "12000.00"),
        ("人民币12000元整", "12000.00"),
        ("1.2万", "12000.00"),
        ("1.2万元", "12000.00"),
        ("3.5亿", "350000000.00"),
        ("1.23456万", "12345.60"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        (".5", "0.50"),
        ("12 000", "12000.00"),
    ],
)
def test_amounts(raw: str, expected: str) -> None:
    result = validate_amount(raw)
    assert result.ok, result.message
    assert result.value == Decimal(expected) and str(result.value) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写金额"),
        ("-100", "不能为负数"),
        ("¥-100", "不能为负数"),
        ("12.345", "两位小数"),
        ("1.000000000000000000000000000000001", "两位小数"),
        ("1,2000", "格式无法识别"),
        ("1e5", "格式无法识别"),
        ("NaN", "格式无法识别"),
        ("一万", "格式无法识别"),
        ("1000000000000", "金额过大"),
        ("9" * 60, "格式无法识别"),
    ],
)
def test_bad_amounts(raw: str, fragment: str) -> None:
    result = validate_amount(raw)
    assert not result.ok and fragment in result.message


def test_counts() -> None:
    assert validate_count("12人").value == 12
    assert validate_count("３").value == 3
    assert "1到100000之间" in validate_count("0").message
    assert "整数" in validate_count("3.5").message
    assert "之间" in validate_count("9" * 50).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        (" 王\u3000五 ", "王五"),
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),
        ("𠀀明", "𠀀明"),  # CJK Extension B, outside the BMP
        ("李〇", "李〇"),
        ("John Smith", "John Smith"),
        ("张\u200b三", "张三"),
    ],
)
def test_names(raw: str, expected: str) -> None:
    assert validate_name(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [("", "请填写姓名"), ("张3", "“3”"), ("张三!", "“!”"), ("·", "至少应有一个文字"), ("张" * 51, "不能超过50")],
)
def test_bad_names(raw: str, fragment: str) -> None:
    result = validate_name(raw)
    assert not result.ok and fragment in result.message


def test_fifty_six_ethnicities() -> None:
    assert len(ETHNICITIES) == len(set(ETHNICITIES)) == 56
    assert validate_ethnicity("汉").value == "汉族"
    assert validate_ethnicity(" 回族 ").value == "回族"
    assert validate_ethnicity("维族").value == "维吾尔族"
    assert "56个民族" in validate_ethnicity("火星族").message


def test_text_and_choice() -> None:
    assert validate_text("  借款\u3000纠纷 ", label="摘要").value == "借款 纠纷"
    assert validate_text("甲\n乙", multiline=True).value == "甲\n乙"
    assert "不能超过5个字" in validate_text("一二三四五六", max_length=5).message
    assert validate_choice(" 男 ", ("男", "女"), label="性别").value == "男"
    assert "男、女" in validate_choice("未知", ("男", "女"), label="性别").message
