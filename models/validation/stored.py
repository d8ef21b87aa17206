"""The checks a service runs on every value it stores, so a call that bypasses the forms (the CLI, a
script, a test) is held to the same rules and gets the same Chinese message.

Each typed value is turned back into the text a user would have typed and run through the form's
own validator: a NaN amount, an infinite one, a negative one, a third decimal, an ID with a wrong
check digit or a date outside the form's bounds is refused with exactly the form's words. A
`Problems` collects every message of one call, so the user learns all that is wrong at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from models import clock
from models.dto import AgentInput, PartyInput
from models.errors import ValidationFailed
from models.validation.fields import (
    AGENT_AUTHORITIES,
    AGENT_KINDS,
    AUTHORITY_REQUIRED,
    CHECKSUM_ID_TYPES,
    ID_TYPES,
    MULTILINE_TEXT,
    PARTY_KINDS,
    SEXES,
    TEXT_LIMITS,
    validate_document_number,
)
from models.validation.idcard import validate_id_card
from models.validation.phone import validate_phone
from models.validation.result import Result
from models.validation.uscc import validate_uscc
from models.validation.values import (
    validate_amount,
    validate_choice,
    validate_count,
    validate_date,
    validate_ethnicity,
    validate_name,
    validate_text,
)

EARLIEST_DAY = date(1900, 1, 1)  # the forms' floor for every past date (validate_past_date)


class Problems:
    """Messages of one call by field key; `raise_if_any` turns them into one ValidationFailed."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, key: str, message: str) -> None:
        self.fields.setdefault(key, message)

    def take(self, key: str, result: Result, prefix: str = "") -> Any:
        """The cleaned value when `result` is ok, else None with its message noted."""
        if not result.ok:
            self.add(key, prefix + result.message)
            return None
        return result.value

    def raise_if_any(self, heading: str = "") -> None:
        if self.fields:
            raise ValidationFailed(heading + "；".join(self.fields.values()), dict(self.fields))


def text(problems: Problems, key: str, value: str | None, *, required: bool = False, field: str | None = None,
         prefix: str = "") -> str | None:
    """Free text within the form's limit; blank is None (or the form's 请填写… when required)."""
    label, limit = TEXT_LIMITS[key]
    result = validate_text(value or "", label=label, max_length=limit, multiline=key in MULTILINE_TEXT)
    if not result.ok and not (value or "").strip() and not required:
        return None
    return problems.take(field or key, result, prefix)  # type: ignore[no-any-return]  # a str when ok


def amount(problems: Problems, key: str, value: Decimal | float | int | None, prefix: str = "") -> Decimal | None:
    """Finite, not negative, at most two decimals, below the form's maximum (validate_amount)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        problems.add(key, prefix + "金额格式无法识别，请填写数字，例如12000或12,000.00或1.2万")
        return None
    typed = format(value, "f")  # NaN → "NaN", inf → "inf": the form refuses both as it would typed text
    return problems.take(key, validate_amount(typed), prefix)  # type: ignore[no-any-return]  # validate_amount's value is a Decimal


def count(problems: Problems, key: str, value: int | None, label: str = "人数") -> int | None:
    """A whole number ≥ 1 (validate_count, the form's 涉及人数)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(key, f"{label}应为整数")
        return None
    return problems.take(key, validate_count(str(value), label=label))  # type: ignore[no-any-return]  # an int when ok


def day(problems: Problems, key: str, value: date | None, label: str, *, earliest: date | None = EARLIEST_DAY,
        latest: date | None = None, prefix: str = "") -> date | None:
    """A date within the form's bounds (by default the past-date bounds: 1900 to today)."""
    if value is None:
        return None
    if not isinstance(value, date):
        problems.add(key, f"{prefix}{label}：日期格式无法识别，请按“2024-03-05”或“2024年3月5日”填写")
        return None
    latest = clock.today() if latest is None else latest
    result = validate_date(value.isoformat(), earliest=earliest, latest=latest)
    return problems.take(key, result, f"{prefix}{label}：")  # type: ignore[no-any-return]  # a date when ok


def not_before_receipt(problems: Problems, key: str, value: date | None, received: date, label: str) -> None:
    """Agreement, session and signing dates cannot precede the day the case was received."""
    if value is not None and value < received:
        problems.add(key, f"{label}不能早于受理日期（{received:%Y年%m月%d日}）")


def choice(problems: Problems, key: str, value: str | None, choices: tuple[str, ...], label: str,
           prefix: str = "") -> str | None:
    if value is None or not value.strip():
        return None
    return problems.take(key, validate_choice(value, choices, label=label), prefix)  # type: ignore[no-any-return]  # a str when ok


def phone(problems: Problems, key: str, value: str | None, prefix: str = "") -> str | None:
    if value is None or not value.strip():
        return None
    return problems.take(key, validate_phone(value), prefix)  # type: ignore[no-any-return]  # a str when ok


# ---- parties and agents ---------------------------------------------------------------------------


def party(problems: Problems, data: PartyInput, ordinal: int, sides: tuple[str, ...]) -> PartyInput:
    """The party as the form would have stored it: every field checked, codes normalised, sex and
    birth date derived from (and checked against) an 18-digit ID."""
    prefix = f"第{ordinal + 1}名当事人："
    key = f"parties.{ordinal}."
    side = problems.take(key + "side", validate_choice(data.side or "", sides, label="当事人类别"), prefix)
    kind = problems.take(key + "kind", validate_choice(data.kind or "", PARTY_KINDS, label="当事人种类"), prefix)
    common: dict[str, Any] = {"side": side or data.side, "kind": kind or data.kind,
                              "phone": phone(problems, key + "phone", data.phone, prefix)}
    fields = _organisation(problems, data, key, prefix) if kind == "组织" else _person(problems, data, key, prefix)
    agents = tuple(agent(problems, a, f"{key}agents.{i}.", f"{prefix}第{i + 1}名代理人：")
                   for i, a in enumerate(data.agents))
    return replace(data, **common, **fields, agents=agents)


def _person(problems: Problems, data: PartyInput, key: str, prefix: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": problems.take(key + "name", validate_name(data.name or ""), prefix) or data.name,
        "sex": choice(problems, key + "sex", data.sex, SEXES, "性别", prefix),
        "birth_date": day(problems, key + "birth_date", data.birth_date, "出生日期", prefix=prefix),
        "ethnicity": (problems.take(key + "ethnicity", validate_ethnicity(data.ethnicity), prefix)
                      if data.ethnicity and data.ethnicity.strip() else None),
        "occupation": text(problems, "occupation", data.occupation, field=key + "occupation", prefix=prefix),
        "address": text(problems, "address", data.address, field=key + "address", prefix=prefix),
        "uscc": None, "legal_rep": None, "legal_rep_title": None,
    }
    found.update(_identity(problems, data, key, prefix, found))
    return found


def _identity(problems: Problems, data: PartyInput, key: str, prefix: str, found: dict[str, Any]) -> dict[str, Any]:
    """id_type / id_number as the form's id_document_rule treats them."""
    raw = (data.id_number or "").strip()
    if not raw:
        return {"id_type": choice(problems, key + "id_type", data.id_type, ID_TYPES, "证件类型", prefix),
                "id_number": None}
    id_type = choice(problems, key + "id_type", data.id_type, ID_TYPES, "证件类型", prefix) or "居民身份证"
    if id_type not in CHECKSUM_ID_TYPES:
        return {"id_type": id_type,
                "id_number": problems.take(key + "id_number", validate_document_number(raw), prefix)}
    result = validate_id_card(raw)
    number = problems.take(key + "id_number", result, prefix)
    derived: dict[str, Any] = {"id_type": id_type, "id_number": number}
    if result.ok and result.sex and result.birth_date:
        derived["sex"] = _derived(problems, key + "sex", found["sex"], result.sex, "性别", result.sex, prefix)
        derived["birth_date"] = _derived(problems, key + "birth_date", found["birth_date"], result.birth_date,
                                         "出生日期", f"{result.birth_date:%Y年%m月%d日}", prefix)
    return derived


def _derived(problems: Problems, key: str, typed: Any, derived: Any, label: str, shown: str, prefix: str) -> Any:
    if typed is not None and typed != derived:
        problems.add(key, f"{prefix}{label}与身份证号码不符（号码显示为{shown}），请核对")
    return derived


def _organisation(problems: Problems, data: PartyInput, key: str, prefix: str) -> dict[str, Any]:
    name = text(problems, "org_name", data.name, required=True, field=key + "name", prefix=prefix)
    uscc = (problems.take(key + "uscc", validate_uscc(data.uscc), prefix)
            if data.uscc and data.uscc.strip() else None)
    legal_rep = (problems.take(key + "legal_rep", validate_name(data.legal_rep, label="法定代表人或负责人"), prefix)
                 if data.legal_rep and data.legal_rep.strip() else None)
    return {
        "name": name or data.name, "uscc": uscc, "legal_rep": legal_rep,
        "address": text(problems, "org_address", data.address, field=key + "address", prefix=prefix),
        "legal_rep_title": text(problems, "legal_rep_title", data.legal_rep_title, field=key + "legal_rep_title",
                                prefix=prefix),
        "sex": None, "birth_date": None, "ethnicity": None, "occupation": None, "id_type": None, "id_number": None,
    }


def agent(problems: Problems, data: AgentInput, key: str, prefix: str) -> AgentInput:
    """An agent as the AGENT form would store it (a 委托代理人 states the 代理权限)."""
    kind = problems.take(key + "kind", validate_choice(data.kind or "", AGENT_KINDS, label="代理人类别"), prefix)
    authority = choice(problems, key + "authority", data.authority, AGENT_AUTHORITIES, "代理权限", prefix)
    if kind == "委托代理人" and authority is None and key + "authority" not in problems.fields:
        problems.add(key + "authority", prefix + AUTHORITY_REQUIRED)
    return replace(
        data, kind=kind or data.kind, authority=authority,
        name=problems.take(key + "name", validate_name(data.name or ""), prefix) or data.name,
        unit=text(problems, "agent_unit", data.unit, field=key + "unit", prefix=prefix),
        phone=phone(problems, key + "phone", data.phone, prefix),
    )
