"""Declarative form specs: the fields of a party, an organisation, an agent and a case intake as
data (key, Chinese label, required, validator, placeholder, help), plus cross-field rules, and
validate_form(), which returns typed cleaned values and one Chinese message per failing field so
a GUI or CLI can show messages inline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from models.cases.catalog import (
    DISPUTE_TYPES,
    MASS_INCIDENT_THRESHOLD,
    PARTY_SIDES,
    RISK_COLOURS,
    SOURCE_CHANNELS,
)
from models.deadlines import COMPLEXITIES
from models.validation.fields import AGENT_AUTHORITIES as AGENT_AUTHORITIES
from models.validation.fields import AGENT_KINDS as AGENT_KINDS
from models.validation.fields import AUTHORITY_REQUIRED, text_limit
from models.validation.fields import CHECKSUM_ID_TYPES as CHECKSUM_ID_TYPES
from models.validation.fields import ID_TYPES as ID_TYPES
from models.validation.fields import SEXES as SEXES
from models.validation.fields import validate_agent_id as validate_agent_id
from models.validation.fields import validate_document_number as validate_document_number
from models.validation.fields import validate_license_no as validate_license_no
from models.validation.idcard import validate_id_card
from models.validation.normalize import compact
from models.validation.phone import validate_phone
from models.validation.result import Result, accept, reject
from models.validation.uscc import validate_uscc
from models.validation.values import (
    validate_amount,
    validate_choice,
    validate_count,
    validate_ethnicity,
    validate_name,
    validate_past_date,
    validate_text,
)

Validator = Callable[[str], Result]

SIDES = PARTY_SIDES


@dataclass(frozen=True)
class FieldSpec:
    """One input on a form. choices (if any) are what a combo box offers; multiline asks for a
    text area. validator is only called on non-blank input; blank is None or "请填写…"."""

    key: str
    label: str
    validator: Validator
    required: bool = False
    placeholder: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    multiline: bool = False


@dataclass
class FormDraft:
    """Working state handed to cross-field rules while a form is validated."""

    raw: Mapping[str, str]
    cleaned: dict[str, Any]
    errors: dict[str, str]
    warnings: dict[str, str]


FormRule = Callable[[FormDraft], None]


@dataclass(frozen=True)
class FormSpec:
    """A titled list of fields plus rules that relate fields to each other."""

    title: str
    fields: tuple[FieldSpec, ...]
    rules: tuple[FormRule, ...] = ()

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self.fields)

    def field(self, key: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.key == key)


@dataclass(frozen=True)
class FormResult:
    """cleaned has every field key (None when left blank) plus derived values; errors and
    warnings map a field key to its Chinese message."""

    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- validation driver -------------------------------------------------------------------------


def _validate_field(spec: FieldSpec, raw: str, draft: FormDraft) -> None:
    if not compact(raw):
        draft.cleaned[spec.key] = None
        if spec.required:
            verb = "选择" if spec.choices else "填写"
            draft.errors[spec.key] = f"请{verb}{spec.label}"
        return
    result = spec.validator(raw)
    draft.cleaned[spec.key] = result.value if result.ok else None
    if not result.ok:
        draft.errors[spec.key] = result.message
    elif result.warning:
        draft.warnings[spec.key] = result.warning


def validate_form(spec: FormSpec | Iterable[FieldSpec], values: Mapping[str, str | None]) -> FormResult:
    """Validate typed strings against a form spec; never raises on string input."""
    fields = spec.fields if isinstance(spec, FormSpec) else tuple(spec)
    raw = {item.key: values.get(item.key) or "" for item in fields}
    draft = FormDraft(raw=raw, cleaned={}, errors={}, warnings={})
    for item in fields:
        _validate_field(item, raw[item.key], draft)
    for rule in spec.rules if isinstance(spec, FormSpec) else ():
        rule(draft)
    return FormResult(cleaned=draft.cleaned, errors=draft.errors, warnings=draft.warnings)


# ---- field validators with form-specific settings -----------------------------------------------


def _choice(choices: tuple[str, ...], label: str) -> Validator:
    return lambda raw: validate_choice(raw, choices, label=label)


def _text(key: str, *, multiline: bool = False) -> Validator:
    """A free-text field with the label and limit the services also check (models/validation/fields.py)."""
    label, max_length = text_limit(key)
    return lambda raw: validate_text(raw, label=label, max_length=max_length, multiline=multiline)


DISPUTE_TYPE_NAMES = {name: code for code, name, _parent in DISPUTE_TYPES}
DISPUTE_TYPE_CODES = {code for code, _name, _parent in DISPUTE_TYPES}


def _code_with_name(text: str) -> str | None:
    """'0401民间借贷纠纷' (code then name, as a combo box may show it) → '0401'."""
    for code, name, _parent in DISPUTE_TYPES:
        if text == code + name:
            return code
    return None


def validate_dispute_type(raw: str) -> Result:
    """A dispute-type code ('0401') or its name ('民间借贷纠纷') → the code."""
    text = compact(raw)
    code = text if text in DISPUTE_TYPE_CODES else DISPUTE_TYPE_NAMES.get(text) or _code_with_name(text)
    if code is None:
        return reject("纠纷类型无效，请从列表中选择")
    return accept(code)


# ---- cross-field rules -------------------------------------------------------------------------


def _check_derived(draft: FormDraft, key: str, label: str, derived: Any, shown: str) -> None:
    if key in draft.errors:
        return
    typed = draft.cleaned.get(key)
    if typed is None:
        draft.cleaned[key] = derived
    elif typed != derived:
        draft.errors[key] = f"{label}与身份证号码不符（号码显示为{shown}），请核对"


def id_document_rule(draft: FormDraft) -> None:
    """ID-card-like numbers get the GB 11643 checks; a valid one fills in or checks sex and birth date."""
    raw_number = draft.raw.get("id_number", "")
    if not compact(raw_number) or "id_type" in draft.errors:
        return
    id_type = draft.cleaned.get("id_type") or "居民身份证"
    draft.cleaned["id_type"] = id_type
    if id_type not in CHECKSUM_ID_TYPES:
        return
    result = validate_id_card(raw_number)
    draft.warnings.pop("id_number", None)
    if not result.ok:
        draft.cleaned["id_number"] = None
        draft.errors["id_number"] = result.message
        return
    draft.errors.pop("id_number", None)
    draft.cleaned["id_number"] = result.value
    if result.warning:
        draft.warnings["id_number"] = result.warning
    if result.sex and result.birth_date:  # always set for a valid ID
        _check_derived(draft, "sex", "性别", result.sex, result.sex)
        _check_derived(draft, "birth_date", "出生日期", result.birth_date, f"{result.birth_date:%Y年%m月%d日}")


def _constant(key: str, value: str) -> FormRule:
    def rule(draft: FormDraft) -> None:
        draft.cleaned[key] = value

    return rule


def agent_authority_rule(draft: FormDraft) -> None:
    """A 委托代理人 acts under a power of attorney whose scope must be stated."""
    if draft.cleaned.get("kind") == "委托代理人" and draft.cleaned.get("authority") is None:
        draft.errors.setdefault("authority", AUTHORITY_REQUIRED)


def mass_incident_rule(draft: FormDraft) -> None:
    """Tell the intake clerk when the head count makes this a 群体性纠纷."""
    people = draft.cleaned.get("people_involved")
    if isinstance(people, int) and people >= MASS_INCIDENT_THRESHOLD:
        draft.warnings.setdefault(
            "people_involved", f"涉及{people}人，达到{MASS_INCIDENT_THRESHOLD}人，按群体性纠纷处理"
        )


# ---- the forms ---------------------------------------------------------------------------------

SIDE = FieldSpec("side", "当事人类别", _choice(SIDES, "当事人类别"), required=True, choices=SIDES)
PHONE = FieldSpec("phone", "联系电话", validate_phone, placeholder="13812345678 或 0937-1234567")
ADDRESS = FieldSpec("address", "住所", _text("address"), placeholder="省市县乡（镇）村（社区）门牌号")

PERSON_PARTY = FormSpec(
    "自然人当事人",
    (
        SIDE,
        FieldSpec("name", "姓名", validate_name, required=True),
        FieldSpec(
            "id_type", "证件类型", _choice(ID_TYPES, "证件类型"), choices=ID_TYPES, help="不选时按居民身份证处理"
        ),
        FieldSpec(
            "id_number",
            "证件号码",
            validate_document_number,
            placeholder="18位身份证号码",
            help="填写18位身份证号码后，性别和出生日期自动生成；15位旧号码自动转换",
        ),
        FieldSpec("sex", "性别", _choice(SEXES, "性别"), choices=SEXES),
        FieldSpec("birth_date", "出生日期", validate_past_date, placeholder="1985-06-15"),
        FieldSpec("ethnicity", "民族", validate_ethnicity, placeholder="汉族"),
        FieldSpec("occupation", "职业或职务", _text("occupation")),
        ADDRESS,
        PHONE,
    ),
    rules=(id_document_rule, _constant("kind", "自然人")),
)

ORGANISATION_PARTY = FormSpec(
    "法人或其他组织当事人",
    (
        SIDE,
        FieldSpec("name", "单位名称", _text("org_name"), required=True),
        FieldSpec("uscc", "统一社会信用代码", validate_uscc, placeholder="18位代码，见营业执照"),
        FieldSpec("address", "住所地", _text("org_address")),
        FieldSpec("legal_rep", "法定代表人或负责人", lambda raw: validate_name(raw, label="法定代表人或负责人")),
        FieldSpec("legal_rep_title", "职务", _text("legal_rep_title")),
        PHONE,
    ),
    rules=(_constant("kind", "组织"),),
)

AGENT = FormSpec(
    "代理人",
    (
        FieldSpec("kind", "代理人类别", _choice(AGENT_KINDS, "代理人类别"), required=True, choices=AGENT_KINDS),
        FieldSpec("name", "姓名", validate_name, required=True),
        FieldSpec("id_number", "身份证号码", validate_agent_id, placeholder="18位身份证号码"),
        FieldSpec("license_no", "律师执业证号", validate_license_no, help="律师代理时填写（17位）"),
        FieldSpec("unit", "工作单位", _text("agent_unit"), help="律师请填写律师事务所"),
        FieldSpec(
            "authority",
            "代理权限",
            _choice(AGENT_AUTHORITIES, "代理权限"),
            choices=AGENT_AUTHORITIES,
            help="特别授权可代为承认、放弃、变更请求和达成调解协议",
        ),
        PHONE,
    ),
    rules=(agent_authority_rule,),
)

CASE_INTAKE = FormSpec(
    "纠纷受理登记",
    (
        FieldSpec("received_date", "受理日期", validate_past_date, required=True, placeholder="2024-03-05"),
        FieldSpec(
            "source_channel", "纠纷来源", _choice(SOURCE_CHANNELS, "纠纷来源"), required=True, choices=SOURCE_CHANNELS
        ),
        FieldSpec(
            "dispute_type_code",
            "纠纷类型",
            validate_dispute_type,
            required=True,
            choices=tuple(f"{code} {name}" for code, name, _parent in DISPUTE_TYPES),
        ),
        FieldSpec("summary", "纠纷简要情况", _text("summary", multiline=True), required=True, multiline=True),
        FieldSpec("facts", "事实和理由", _text("facts", multiline=True), multiline=True),
        FieldSpec("claims", "当事人请求", _text("claims", multiline=True), multiline=True),
        FieldSpec("amount", "涉及金额（元）", validate_amount, placeholder="12000 或 1.2万"),
        FieldSpec("people_involved", "涉及人数", validate_count, placeholder="1"),
        FieldSpec("risk_colour", "风险等级", _choice(RISK_COLOURS, "风险等级"), choices=RISK_COLOURS),
        FieldSpec("complexity", "复杂程度", _choice(COMPLEXITIES, "复杂程度"), choices=COMPLEXITIES),
    ),
    rules=(mass_incident_rule,),
)

FORMS: dict[str, FormSpec] = {
    "person": PERSON_PARTY,
    "organisation": ORGANISATION_PARTY,
    "agent": AGENT,
    "case_intake": CASE_INTAKE,
}
