"""The settings the forms and the services share for one stored field: its Chinese label and length
limit, the identity-document types and agent choices. forms/specs.py builds its inputs from these,
and models/validation/stored.py checks a service's values against the very same numbers, so a limit
is changed in one place."""

from __future__ import annotations

from models.validation.idcard import validate_id_card
from models.validation.normalize import normalize_code
from models.validation.result import Result, accept, reject

# key → (label, max length): the free-text fields of the intake, party and agent forms. The summary
# is capped by its column (cases.summary is VARCHAR(200): a longer text would fail on PostgreSQL).
TEXT_LIMITS: dict[str, tuple[str, int]] = {
    "summary": ("纠纷简要情况", 200),
    "facts": ("事实和理由", 10_000),
    "claims": ("当事人请求", 5_000),
    "occupation": ("职业或职务", 50),
    "address": ("住所", 200),
    "org_name": ("单位名称", 100),
    "org_address": ("住所地", 200),
    "legal_rep_title": ("职务", 50),
    "agent_unit": ("工作单位", 100),
    "reason": ("理由", 500),
    "note": ("说明", 500),
}
MULTILINE_TEXT = frozenset({"summary", "facts", "claims", "reason", "note"})

SEXES = ("男", "女")
PARTY_KINDS = ("自然人", "组织")
# Documents whose numbers follow GB 11643 and so get the checksum, date and region checks.
CHECKSUM_ID_TYPES = ("居民身份证", "临时居民身份证", "港澳台居民居住证", "外国人永久居留身份证")
ID_TYPES = (*CHECKSUM_ID_TYPES, "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他")
AGENT_KINDS = ("委托代理人", "法定代理人")
AGENT_AUTHORITIES = ("一般代理", "特别授权")
AUTHORITY_REQUIRED = "委托代理人须写明代理权限（一般代理或特别授权）"


def text_limit(key: str) -> tuple[str, int]:
    """(label, max length) of a free-text field."""
    return TEXT_LIMITS[key]


def validate_document_number(raw: str) -> Result:
    """Numbers of documents without a public checksum (passport, 通行证): letters, digits, dashes."""
    number = normalize_code(raw)
    if not 3 <= len(number) <= 30:
        return reject("证件号码长度应为3–30个字符")
    if not all(c.isascii() and (c.isalnum() or c in "-()") for c in number):
        return reject("证件号码只能包含字母、数字和短横线")
    return accept(number)


def validate_license_no(raw: str) -> Result:
    """律师执业证号: 17 digits (full-width digits and spaces accepted and normalised)."""
    number = normalize_code(raw)
    if len(number) != 17 or not number.isdigit():
        return reject("律师执业证号应为17位数字")
    return accept(number)


def validate_agent_id(raw: str) -> Result:
    """An agent's 居民身份证 number, with the GB 11643 checks a party's gets."""
    result = validate_id_card(raw)
    return result if not result.ok else accept(result.value)
