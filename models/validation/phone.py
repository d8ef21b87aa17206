"""Mainland phone numbers as people write them: mobiles with +86/0086 and dashes, landlines with an
area code in any bracket style and an optional extension, 400/800 numbers and service hotlines.

Normalised forms: mobile "13812345678", landline "0937-1234567" (extension "0937-1234567转801"),
hotline "400-123-4567", service number "12345".
"""

from __future__ import annotations

import re

from models.validation.normalize import compact
from models.validation.result import Result, accept, reject

# fmt: off
SERVICE_NUMBERS = frozenset({
    "110", "119", "120", "122", "12345", "12348", "12315", "12333", "12309", "12351", "12388", "12355",
})
# fmt: on
_EXTENSION = re.compile(r"(?:转|分机|EXT\.?|X|#)(\d{1,6})$", re.IGNORECASE)
# "0937-1234567-801": a third dash-separated part after a complete landline is an extension.
_DASHED_EXTENSION = re.compile(r"^(\(?0\d{2,3}\)?-?[1-9]\d{6,7})-(\d{1,6})$")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|\(\+?86\))")
_SEPARATORS = re.compile(r"[-‐‑–—―()\[\]【】.·/]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Real local numbers start with 2-9, but placeholder-style numbers such as 0937-1234567 are
# written on forms and must not be refused; only a leading 0 is certainly a mistake.
_LOCAL = re.compile(r"[1-9]\d{6,7}")
_BARE_LOCAL = re.compile(r"[2-9]\d{6,7}")
_HOTLINE = re.compile(r"[48]00\d{7}")


def _split_extension(text: str) -> tuple[str, str]:
    match = _EXTENSION.search(text)
    if match is not None:
        return text[: match.start()], match.group(1)
    dashed = _DASHED_EXTENSION.match(text)
    if dashed is not None:
        return dashed.group(1), dashed.group(2)
    return text, ""


def _area_code_length(digits: str) -> int:
    """010 and 020-029 are the only three-digit area codes; all others (03xx-09xx) have four."""
    return 3 if digits[1] in "12" else 4


def _landline(digits: str, extension: str) -> Result:
    area_length = _area_code_length(digits)
    area, local = digits[:area_length], digits[area_length:]
    if not _LOCAL.fullmatch(local):
        return reject(f"固定电话号码应为区号加7–8位号码，例如0937-1234567（区号{area}后为“{local}”）")
    suffix = f"转{extension}" if extension else ""
    return accept(f"{area}-{local}{suffix}")


def _without_area_code(digits: str, default_area_code: str | None, extension: str) -> Result:
    if default_area_code:
        return _landline(default_area_code + digits, extension)
    return reject("固定电话请加区号，例如0937-1234567")


def _mobile(digits: str) -> Result:
    if _MOBILE.fullmatch(digits):
        return accept(digits)
    if len(digits) == 11:
        return reject("手机号码第2位应为3–9，请核对")
    return reject(f"手机号码应为11位，当前为{len(digits)}位")


def _classify(digits: str, extension: str, default_area_code: str | None) -> Result:
    if digits.startswith("0") and len(digits) >= 3:
        return _landline(digits, extension)
    if extension:
        return reject("只有固定电话可以带分机号")
    if _HOTLINE.fullmatch(digits):
        return accept(f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    if digits.startswith("1"):
        return _mobile(digits)
    if _BARE_LOCAL.fullmatch(digits):
        return _without_area_code(digits, default_area_code, extension)
    return reject("无法识别的电话号码：手机号码为11位，固定电话为区号加7–8位号码")


def validate_phone(raw: str, *, allow_service: bool = False, default_area_code: str | None = None) -> Result:
    """Validate a mobile or landline number and return its normalised form.

    allow_service accepts hotlines such as 12345/12348; default_area_code (e.g. "0937") is
    prefixed to a 7-8 digit local number typed without one.
    """
    text = compact(raw)
    if not text:
        return reject("请填写联系电话")
    national = _COUNTRY_PREFIX.sub("", text)
    body, extension = _split_extension(national)
    digits = _SEPARATORS.sub("", body)
    if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]  # "86 138…" written without the plus sign
    if national != text and digits[:1] not in ("0", "1"):
        digits = "0" + digits  # +86 937 1234567: international form drops the trunk 0
    if not digits.isascii() or not digits.isdigit():
        return reject("电话号码只能包含数字、空格、短横线和括号")
    if digits in SERVICE_NUMBERS:
        return accept(digits) if allow_service else reject("请填写本人联系电话，不能填写公共服务热线")
    return _classify(digits, extension, default_area_code)


def validate_mobile(raw: str) -> Result:
    """Like validate_phone but only a mainland mobile number is accepted (e.g. for SMS)."""
    result = validate_phone(raw)
    if result.ok and not _MOBILE.fullmatch(result.value):
        return reject("请填写11位手机号码")
    return result
