"""公民身份号码 (GB 11643-1999): 18-digit check (ISO 7064 MOD 11-2), real birth date, province
code, 15 → 18 conversion of first-generation numbers, and sex/birth date derived from the number.

Also covers numbers built on the same scheme: 港澳台居民居住证 (address codes 810000/820000/830000)
and the 2023 外国人永久居留身份证 (18 digits starting with 9).
"""

from __future__ import annotations

import re
from datetime import date

from models import clock
from models.validation.normalize import normalize_code
from models.validation.result import Result, accept, reject

WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK_CHARS = "10X98765432"
# fmt: off
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "71": "台湾", "81": "香港", "82": "澳门", "83": "台湾（居住证）",
}
# fmt: on
FOREIGN_RESIDENT_PREFIX = "9"  # 2023 外国人永久居留身份证; positions 2-3 are where it was issued
# GB 11643's own worked example was born in 1880, so the floor only catches typos like 0985.
EARLIEST_BIRTH_YEAR = 1850
_EIGHTEEN = re.compile(r"\d{17}[\dX]")
_FIFTEEN = re.compile(r"\d{15}")


def check_char(first17: str) -> str:
    """The 18th character for 17 leading digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def upgrade_fifteen(number15: str) -> str:
    """First-generation 15-digit number → 18 digits: insert 19 before YYMMDD, append the check."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_char(first17)


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on a given day (周岁), as written in party particulars."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def _birth_date_problem(digits8: str, today: date) -> str | None:
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return f"出生日期无效：第7–14位“{digits8}”不是真实存在的日期，请核对号码"
    if born > today:
        return f"出生日期无效：{born:%Y年%m月%d日}晚于今天，请核对号码"
    if born.year < EARLIEST_BIRTH_YEAR:
        return f"出生日期无效：{born.year}年过早，请核对号码"
    return None


def _region_problem(number: str) -> str | None:
    if number.startswith(FOREIGN_RESIDENT_PREFIX):
        province = number[1:3]
        where = "外国人永久居留身份证第2–3位"
    else:
        province = number[:2]
        where = "前两位"
    if province not in PROVINCES:
        return f"地区代码无效：{where}“{province}”不是有效的省级行政区代码"
    return None


def _shape_problem(number: str) -> str | None:
    if len(number) != 18:
        return f"身份证号码应为18位（旧版为15位），当前为{len(number)}位"
    if not _EIGHTEEN.fullmatch(number):
        return "身份证号码前17位应为数字，最后一位为数字或X"
    return None


def _describe(number: str, *, warning: str = "") -> Result:
    """Accept a number already known to be well-formed, deriving sex and birth date."""
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    sex = "男" if int(number[16]) % 2 else "女"
    return accept(number, warning=warning, sex=sex, birth_date=born)


def _validate_fifteen(number: str, today: date) -> Result:
    problem = _region_problem(number) or _birth_date_problem("19" + number[6:12], today)
    if problem:
        return reject(problem)
    upgraded = upgrade_fifteen(number)
    return _describe(upgraded, warning=f"已将15位旧号码转换为18位：{upgraded}")


def validate_id_card(raw: str, *, today: date | None = None) -> Result:
    """Validate a 居民身份证 number (18 digits, or 15 converted to 18).

    Full-width digits, lowercase x and spaces are normalised. On success value is the
    18-character number and sex ('男'/'女') and birth_date are filled in.
    """
    number = normalize_code(raw)
    today = today or clock.today()
    if not number:
        return reject("请填写身份证号码")
    if _FIFTEEN.fullmatch(number):
        return _validate_fifteen(number, today)
    problem = _shape_problem(number) or _region_problem(number) or _birth_date_problem(number[6:14], today)
    if problem:
        return reject(problem)
    if check_char(number[:17]) != number[17]:
        return reject("校验位不正确：号码中可能有数字输错，请逐位核对")
    return _describe(number)
