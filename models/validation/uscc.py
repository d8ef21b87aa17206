"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet with a MOD 31 check,
a registering-department code in position 1, and the embedded 组织机构代码 (GB 11714) in
positions 9-17, whose own check is reported as a warning only (legacy registrations vary).
"""

from __future__ import annotations

import re

from models.validation.normalize import normalize_code
from models.validation.result import Result, accept, reject

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# 登记管理部门码 → its 机构类别码 (second character). Y (其他) has no fixed sub-codes.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),
    "2": ("外交", "19"),
    "3": ("司法行政", "123459"),
    "4": ("文化", "19"),
    "5": ("民政", "1239"),
    "6": ("旅游", "129"),
    "7": ("宗教", "129"),
    "8": ("工会", "19"),
    "9": ("工商（市场监管）", "123"),
    "A": ("中央军委改革和编制办公室", "19"),
    "N": ("农业", "1239"),
    "Y": ("其他", ""),
}
_LEGACY_ORG_CODE = re.compile(r"[0-9A-Z]{8}-?[0-9X]")


def check_char(first17: str) -> str:
    """The 18th character for 17 leading characters from ALPHABET."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """GB 11714 check character for the 8-character body of a 组织机构代码."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _legacy_hint(code: str) -> str | None:
    if len(code) == 15 and code.isdigit():
        return "这是15位旧版工商注册号，不是统一社会信用代码；请填写18位代码（可在营业执照上查到）"
    if len(code) in (9, 10) and _LEGACY_ORG_CODE.fullmatch(code):
        return "这是旧版组织机构代码，不是统一社会信用代码；请填写18位代码"
    return None


def _alphabet_problem(code: str) -> str | None:
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            hint = "（代码不使用字母I、O、S、V、Z，可能应为数字1、0、5、2）" if char in "IOSVZ" else ""
            return f"第{position}位“{char}”不是统一社会信用代码允许的字符{hint}"
    return None


def _structure_problem(code: str) -> str | None:
    if code[0] not in DEPARTMENTS:
        return f"登记管理部门码（第1位）“{code[0]}”无效"
    if not code[2:8].isdigit():
        return "登记管理机关行政区划码（第3–8位）应为6位数字"
    return None


def _warnings(code: str) -> str:
    notes = []
    department, classes = DEPARTMENTS[code[0]]
    if classes and code[1] not in classes:
        notes.append(f"机构类别码（第2位）“{code[1]}”不在{department}部门的常见类别中")
    if code[16] not in "0123456789X" or org_check_char(code[8:16]) != code[16]:
        notes.append("内嵌的组织机构代码（第9–17位）校验不符")
    return "；".join(notes) + ("，请核对营业执照" if notes else "")


def validate_uscc(raw: str) -> Result:
    """Validate a 统一社会信用代码; value is the normalised 18-character code.

    Full-width characters, lowercase letters and spaces are normalised. A failing embedded
    organisation-code check or an unusual class code becomes a warning, not a rejection.
    """
    code = normalize_code(raw)
    if not code:
        return reject("请填写统一社会信用代码")
    legacy = _legacy_hint(code)
    if legacy:
        return reject(legacy)
    if len(code) != 18:
        return reject(f"统一社会信用代码应为18位，当前为{len(code)}位")
    problem = _alphabet_problem(code) or _structure_problem(code)
    if problem:
        return reject(problem)
    if check_char(code[:17]) != code[17]:
        return reject("校验位不正确：代码中可能有字符输错，请逐位核对")
    return accept(code, warning=_warnings(code))
