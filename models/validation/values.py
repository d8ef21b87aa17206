"""Validators for everyday values on the forms: dates, money amounts, head counts, personal names,
ethnicity (the 56 民族), free text and fixed choices. Each returns a Result and never raises."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation, localcontext

from models import clock
from models.validation.normalize import NAME_DOT, clean_multiline, clean_name, clean_text, compact
from models.validation.result import Result, accept, reject

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # 一万亿: beyond any real dispute, and a typo guard
_DATE_SEPARATED = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_AMOUNT_PREFIX = re.compile(r"^(?:人民币|RMB|CNY)?[¥$]?", re.IGNORECASE)
_AMOUNT_SUFFIX = re.compile(r"(?P<unit>万|亿)?(?:元|圆)?(?:整|正)?$")
_AMOUNT_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+")
_UNIT_MULTIPLIERS = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_COUNT_SUFFIX = re.compile(r"(?:人|名|户|个|位)$")
NAME_PUNCTUATION = frozenset({NAME_DOT, " ", "-", "'", "."})
# fmt: off
ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
# fmt: on
ETHNICITY_ALIASES = {"维族": "维吾尔族", "蒙族": "蒙古族"}


# ---- dates -------------------------------------------------------------------------------------


def _parse_date_parts(text: str) -> tuple[int, int, int] | None:
    match = _DATE_SEPARATED.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def _bounds_problem(value: date, earliest: date | None, latest: date | None) -> str | None:
    if earliest is not None and value < earliest:
        return f"日期不能早于{earliest:%Y年%m月%d日}"
    if latest is not None and value > latest:
        return f"日期不能晚于{latest:%Y年%m月%d日}"
    return None


def validate_date(raw: str, *, earliest: date | None = None, latest: date | None = None) -> Result:
    """2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 (full-width digits too) → date."""
    text = compact(raw)
    if not text:
        return reject("请填写日期")
    parts = _parse_date_parts(text)
    if parts is None:
        return reject("日期格式无法识别，请按“2024-03-05”或“2024年3月5日”填写")
    try:
        value = date(*parts)
    except ValueError:
        return reject(f"日期无效：{parts[0]}年{parts[1]}月{parts[2]}日不存在")
    problem = _bounds_problem(value, earliest, latest)
    return reject(problem) if problem else accept(value)


def validate_past_date(raw: str, *, today: date | None = None) -> Result:
    """A date that has already happened (received date, birth date): not after today."""
    return validate_date(raw, earliest=date(1900, 1, 1), latest=today or clock.today())


# ---- money -------------------------------------------------------------------------------------


def _amount_parts(text: str) -> tuple[str, str] | None:
    """Split '¥1.2万元' into ('1.2', '万'); None when the shape is not a number."""
    body = _AMOUNT_PREFIX.sub("", text, count=1)
    suffix = _AMOUNT_SUFFIX.search(body)
    unit = (suffix.group("unit") or "") if suffix else ""
    number = body[: suffix.start()] if suffix else body
    return (number, unit) if _AMOUNT_NUMBER.fullmatch(number) else None


def _amount_value(number: str, unit: str) -> Decimal | None:
    if len(number) > 40:
        return None  # no real amount is this long; keeps the exact arithmetic below cheap
    with localcontext() as context:
        context.prec = 80  # exact: the default 28 digits would round away a stray third decimal
        try:
            return Decimal(number.replace(",", "")) * _UNIT_MULTIPLIERS[unit]
        except InvalidOperation:
            return None


def validate_amount(raw: str, *, maximum: Decimal = MAX_AMOUNT) -> Result:
    """'12000', '12,000.00', '１２０００', '¥12,000', '12000元', '1.2万' → Decimal to the cent."""
    text = compact(raw)
    if not text:
        return reject("请填写金额")
    if text.startswith(("-", "−")) or "¥-" in text:
        return reject("金额不能为负数")
    parts = _amount_parts(text)
    value = _amount_value(*parts) if parts else None
    if value is None:
        return reject("金额格式无法识别，请填写数字，例如12000或12,000.00或1.2万")
    if value >= maximum:
        return reject("金额过大，请核对是否多输了数字")
    if value != value.quantize(CENT):
        return reject("金额最多保留两位小数（精确到分）")
    return accept(value.quantize(CENT))


# ---- counts ------------------------------------------------------------------------------------


def validate_count(raw: str, *, minimum: int = 1, maximum: int = 100_000, label: str = "人数") -> Result:
    """A whole number of people or households: '３', '12人' → int within [minimum, maximum]."""
    text = _COUNT_SUFFIX.sub("", compact(raw))
    if not text:
        return reject(f"请填写{label}")
    if not (text.isascii() and text.isdigit()):
        return reject(f"{label}应为整数")
    if len(text) > len(str(maximum)) or not minimum <= int(text) <= maximum:
        return reject(f"{label}应在{minimum}到{maximum}之间")
    return accept(int(text))


# ---- names and text ----------------------------------------------------------------------------


def _name_char_allowed(char: str) -> bool:
    # Letters and marks of any script (incl. supplementary-plane CJK), 〇 (Nl), and
    # private-use code points that older systems used for rare name characters.
    category = unicodedata.category(char)
    return char in NAME_PUNCTUATION or category[0] in "LM" or category in ("Nl", "Co")


def validate_name(raw: str, *, label: str = "姓名", max_length: int = 50) -> Result:
    """A person's name: any script incl. rare CJK, '·' between parts, no digits or symbols."""
    name = clean_name(raw)
    if not name:
        return reject(f"请填写{label}")
    if len(name) > max_length:
        return reject(f"{label}不能超过{max_length}个字")
    bad = next((c for c in name if not _name_char_allowed(c)), None)
    if bad is not None:
        return reject(f"{label}中含有不允许的字符“{bad}”")
    if all(c in NAME_PUNCTUATION for c in name):
        return reject(f"{label}中至少应有一个文字")
    return accept(name)


def validate_text(raw: str, *, label: str = "内容", max_length: int = 200, multiline: bool = False) -> Result:
    """Required free text: invisible characters removed, whitespace tidied, length capped."""
    text = clean_multiline(raw) if multiline else clean_text(raw)
    if not text:
        return reject(f"请填写{label}")
    if len(text) > max_length:
        return reject(f"{label}不能超过{max_length}个字（当前{len(text)}个字）")
    return accept(text)


def validate_choice(raw: str, choices: Iterable[str], *, label: str = "选项") -> Result:
    """One of a fixed list (sex, side, risk colour …), compared after tidying whitespace."""
    options = tuple(choices)
    text = clean_text(raw).replace(" ", "")
    if not text:
        return reject(f"请选择{label}")
    if text not in options:
        return reject(f"{label}应为以下之一：{'、'.join(options)}")
    return accept(text)


def validate_ethnicity(raw: str) -> Result:
    """One of the 56 民族; '汉' is completed to '汉族' and 维族/蒙族 expanded."""
    text = clean_text(raw).replace(" ", "")
    if not text:
        return reject("请填写民族")
    candidate = ETHNICITY_ALIASES.get(text, text if text.endswith("族") else text + "族")
    if candidate not in ETHNICITIES:
        return reject(f"“{text}”不是56个民族之一，请填写如“汉族”“回族”")
    return accept(candidate)
