"""Rows of an old 台账 (Excel) turned into case drafts with the form validators: the column mapping
(guessed from the headers, or given), one checked row at a time, and each bad row named with its
reason. ID numbers that are masked (110105********002X) or invalid are not errors: old ledgers are
full of them, so they are kept aside as flagged legacy values and never become a party's ID."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from forms.idcard import validate_id_card
from forms.normalize import clean_text
from forms.phone import validate_phone
from forms.values import validate_amount, validate_date, validate_name, validate_text
from models.analysis.legacy import LegacyCaseInput
from models.cases.catalog import SOURCE_CHANNELS
from models.cases.stages import MEDIATION_OUTCOMES

DEFAULT_SOURCE = "主动排查"  # an old ledger is the record of the centre's own 排查

# field -> (label, required, header names seen in real ledgers; research §4.1)
FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "received_date": ("受理日期", True, ("受理日期", "登记日期", "排查日期", "登记(排查)日期", "日期")),
    "applicant": ("申请方", True, ("申请人", "申请方", "甲方姓名", "甲方", "当事人甲", "反映人")),
    "respondent": ("被申请方", True, ("被申请人", "被申请方", "乙方姓名", "乙方", "当事人乙")),
    "dispute_type": ("纠纷类型", True, ("纠纷类型", "问题类型", "案件分类", "类型")),
    "summary": ("纠纷简要情况", True, ("纠纷简要情况", "纠纷简况", "矛盾纠纷简要情况", "简要情况", "诉求内容")),
    "source": ("来源渠道", False, ("来源渠道", "来源", "案件来源")),
    "applicant_phone": ("申请方电话", False, ("申请人电话", "甲方电话", "联系电话", "电话")),
    "applicant_id": ("申请方证件号", False, ("申请人身份证号", "甲方身份证号", "身份证号", "证件号码", "身份证号码")),
    "respondent_phone": ("被申请方电话", False, ("被申请人电话", "乙方电话")),
    "respondent_id": ("被申请方证件号", False, ("被申请人身份证号", "乙方身份证号")),
    "amount": ("涉及金额", False, ("涉及金额", "金额", "标的额")),
    "legacy_number": ("原案件编号", False, ("案件编号", "原编号", "卷宗号", "关联调解卷宗号", "编号")),
    "outcome": ("调解结果", False, ("调解结果", "化解结果", "结果")),
}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the Excel row number (1 = the header)
    reason: str

    def text(self) -> str:
        return f"第 {self.row} 行：{self.reason}"


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """field -> header, for every field whose usual header name appears (first match wins)."""
    present = [clean_text(str(h or "")) for h in headers]
    found: dict[str, str] = {}
    for field, (_label, _required, names) in FIELDS.items():
        hit = next((h for name in names for h in present if h == name and h not in found.values()), None)
        if hit:
            found[field] = hit
    return found


def mapping_problems(mapping: Mapping[str, str], headers: Iterable[str]) -> list[str]:
    present = {clean_text(str(h or "")) for h in headers}
    problems = [f"未知的字段：{f}" for f in mapping if f not in FIELDS]
    problems += [f"表头中没有“{h}”列（{FIELDS[f][0]}）" for f, h in mapping.items() if f in FIELDS and h not in present]
    problems += [f"缺少必填列：{label}" for f, (label, required, _) in FIELDS.items() if required and f not in mapping]
    return problems


class RowChecker:
    """Checks rows one at a time; `types` maps a type name, code or legacy alias to a code."""

    def __init__(self, headers: list[str], mapping: Mapping[str, str], types: Mapping[str, str]) -> None:
        index = {clean_text(str(h or "")): i for i, h in enumerate(headers)}
        self.columns = {field: index[header] for field, header in mapping.items()}
        self.types = types

    def check(self, number: int, values: tuple[Any, ...]) -> LegacyCaseInput | RowProblem:
        raw = {f: _text(values[i]) if i < len(values) else "" for f, i in self.columns.items()}
        problems: list[str] = []
        got = {f: self._field(f, raw.get(f, ""), problems) for f in FIELDS}
        if problems:
            return RowProblem(number, "；".join(problems))
        ids = [(got["applicant_id"]), (got["respondent_id"])]
        return LegacyCaseInput(
            row=number, received_date=got["received_date"], applicant=got["applicant"], respondent=got["respondent"],
            dispute_type_code=got["dispute_type"], summary=got["summary"], source=got["source"] or DEFAULT_SOURCE,
            applicant_phone=got["applicant_phone"], respondent_phone=got["respondent_phone"],
            applicant_id=ids[0][0], respondent_id=ids[1][0], legacy_ids=tuple(v for _, v in ids if v),
            amount=got["amount"], legacy_number=got["legacy_number"] or None, outcome=got["outcome"] or None,
        )

    def _field(self, field: str, text: str, problems: list[str]) -> Any:
        label, required, _ = FIELDS[field]
        if not text:
            if required:
                problems.append(f"{label}为空")
            return (None, None) if field.endswith("_id") else None
        if field.endswith("_id"):
            result = validate_id_card(text)
            return (result.value, None) if result.ok else (None, text)  # masked/invalid: kept aside, flagged
        result = self._validate(field, text)
        if result is None:
            problems.append(f"{label}无效：{text}")
            return None
        if not result.ok:
            problems.append(f"{label}：{result.message}")
        return result.value

    def _validate(self, field: str, text: str) -> Any:
        if field == "received_date":
            return validate_date(text)
        if field in ("applicant", "respondent"):
            return validate_name(text, label=FIELDS[field][0], max_length=100)
        if field == "summary":
            return validate_text(text, label="纠纷简要情况", max_length=200)
        if field.endswith("_phone"):
            return validate_phone(text)
        if field == "amount":
            return validate_amount(text)
        if field == "legacy_number":
            return validate_text(text, label="原案件编号", max_length=80)
        choices = {"dispute_type": self.types, "source": {s: s for s in SOURCE_CHANNELS},
                   "outcome": {o: o for o in MEDIATION_OUTCOMES}}[field]
        return _Found(choices[text]) if text in choices else None


@dataclass(frozen=True)
class _Found:
    value: str
    ok: bool = True
    message: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def check_rows(rows: Iterator[tuple[Any, ...]], checker: RowChecker) -> Iterator[LegacyCaseInput | RowProblem]:
    """Rows after the header, numbered as Excel numbers them; blank rows are skipped."""
    for number, values in enumerate(rows, start=2):
        if any(v not in (None, "") for v in values):
            yield checker.check(number, values)
