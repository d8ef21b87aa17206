"""Court case numbers (案号) under the SPC's 2016 rules: “（2024）甘0981民诉前调123号”.

Pure and Qt-free so forms/ can re-export it. Accepts ASCII or full-width brackets and digits and
stray spaces; `normalise` gives the official full-width spelling stored in the database.
Structure: （收案年度）+ 法院代字 (province 代字 + 2 or 4 digits) + 类型代字 + 序号 + 号 (research §6.4; see docs/ARCHITECTURE.md, "Sources").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.errors import ValidationFailed

# 高院代字 of the 31 provinces plus 兵团; 最高法 numbers carry no digits and are not expected here.
PROVINCE_CODES = frozenset("京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵")

# 类型代字 the liaison meets, longest first so “民诉前调” wins over a shorter prefix.
CASE_TYPES: dict[str, str] = {
    "民诉前调": "诉前调解",
    "诉前调确": "诉前调解后申请司法确认",
    "诉前调书": "诉前调解后出具调解书",
    "民初": "民事一审",
    "民终": "民事二审",
    "民特": "民事特别程序（含2022年前的司法确认）",
    "民申": "民事申请再审审查",
    "民再": "民事再审",
    "执恢": "恢复执行",
    "执保": "财产保全执行",
    "执异": "执行异议",
    "执": "首次执行",
}
_TYPES_PATTERN = "|".join(sorted(CASE_TYPES, key=len, reverse=True))
_NUMBER = re.compile(rf"^\((\d{{4}})\)([^\d\s])(\d{{2}}|\d{{4}})({_TYPES_PATTERN})(\d{{1,6}})号$")
_TO_ASCII = str.maketrans("（）０１２３４５６７８９〔〕［］", "()0123456789()()")
_EARLIEST_YEAR = 2016  # the numbering rules took effect on 2016-01-01


@dataclass(frozen=True)
class CourtNumber:
    year: int
    province: str
    court_digits: str
    case_type: str
    serial: int

    @property
    def court_code(self) -> str:
        """法院代字, e.g. 甘0981 (玉门市人民法院) or 甘09 (酒泉中院)."""
        return f"{self.province}{self.court_digits}"

    @property
    def text(self) -> str:
        """The official spelling with full-width brackets."""
        return f"（{self.year}）{self.court_code}{self.case_type}{self.serial}号"

    @property
    def type_name(self) -> str:
        return CASE_TYPES[self.case_type]


def parse_court_number(raw: str, *, expected_types: tuple[str, ...] = (), max_year: int | None = None) -> CourtNumber:
    """Parse and validate; raises ValidationFailed with a Chinese message naming what is wrong."""
    compact = re.sub(r"\s+", "", raw or "").translate(_TO_ASCII)
    if not compact:
        raise ValidationFailed("请填写案号")
    match = _NUMBER.match(compact)
    if match is None:
        raise ValidationFailed(f"案号格式不正确：{raw}（应如“（2024）甘0981民诉前调123号”）")
    year, province, digits, case_type, serial = match.groups()
    problems = _problems(int(year), province, case_type, int(serial), expected_types, max_year)
    if problems:
        raise ValidationFailed(f"案号有误：{raw}（" + "；".join(problems) + "）")
    return CourtNumber(int(year), province, digits, case_type, int(serial))


def _problems(
    year: int, province: str, case_type: str, serial: int, expected: tuple[str, ...], max_year: int | None
) -> list[str]:
    found: list[str] = []
    if province not in PROVINCE_CODES:
        found.append(f"“{province}”不是高级人民法院代字")
    if year < _EARLIEST_YEAR or (max_year is not None and year > max_year):
        found.append(f"年度 {year} 不合理")
    if serial == 0:
        found.append("案件序号不能为 0")
    if expected and case_type not in expected:
        found.append(f"类型代字应为“{'”或“'.join(expected)}”，实际为“{case_type}”")
    return found


def normalise_court_number(raw: str | None, *, expected_types: tuple[str, ...] = ()) -> str | None:
    """Official spelling of `raw`, None for an empty value; raises ValidationFailed when invalid."""
    if raw is None or not raw.strip():
        return None
    return parse_court_number(raw, expected_types=expected_types).text
