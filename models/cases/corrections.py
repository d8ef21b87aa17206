"""更正: correcting a registered case — its facts, claims, summary, type, amount, risk, complexity,
desk and head count — and its parties and agents (add, change, remove).

One service, `correct_case`, takes what the user now wants (changed fields, and optionally the
whole list of parties as the party editor returns it) and:
- refuses it unless the case is still at the version the user loaded (a conflict is kept as a
  draft by `editing.save_keeping_draft`), or when the case is voided;
- checks every value with the forms' own validators (models/validation/stored.py);
- refuses to remove the last 申请方 or 被申请方;
- writes one 更正 event in the case's history (masked numbers, old → new) and one audit event with
  the old and new values and the reason (the ORM hook audits each row change as well).
The CLI's `case edit` and `case party|agent …` and the GUI's 修改案件 dialog all call it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from models.cases import search
from models.cases.catalog import MASS_INCIDENT_THRESHOLD, PARTY_SIDES, RISK_COLOURS, DisputeType
from models.cases.editing import conflict
from models.cases.entities import Agent, Case, Party, StageEvent
from models.cases.voiding import refuse_if_voided
from models.deadlines import COMPLEXITIES
from models.dto import Actor, AgentInput, PartyInput
from models.errors import NotFound
from models.org.entities import Desk
from models.security.audit import record_event, safe_value
from models.security.masking import REVEALING, shown
from models.security.permissions import Permission, require_on_case
from models.validation import stored

CORRECTABLE: dict[str, str] = {
    "summary": "纠纷简要情况", "facts": "事实和理由", "claims": "当事人请求", "dispute_type_code": "纠纷类型",
    "amount": "涉及金额", "risk_colour": "风险等级", "complexity": "复杂程度", "desk_id": "窗口",
    "people_involved": "涉及人数",
}
PARTY_LABELS: dict[str, str] = {
    "side": "当事人类别", "kind": "种类", "name": "姓名或名称", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "occupation": "职业或职务", "address": "住所", "phone": "联系电话", "id_type": "证件类型", "id_number": "证件号码",
    "uscc": "统一社会信用代码", "legal_rep": "法定代表人或负责人", "legal_rep_title": "职务",
}
PARTY_COLUMNS = tuple(PARTY_LABELS)
AGENT_COLUMNS = ("kind", "name", "unit", "authority", "phone")
APPLICANT, RESPONDENT = "申请方", "被申请方"


@dataclass(frozen=True)
class PartyEdit:
    """One party as the user wants it: an existing row (party_id) or a new one (None)."""

    party_id: int | None
    data: PartyInput


@dataclass
class _Change:
    """What one correction did: history lines (masked) and audit rows (safe values)."""

    lines: list[str]
    audit: list[dict[str, Any]]

    def note(self, where: str, label: str, column: str, before: Any, after: Any) -> None:
        self.lines.append(f"{where}{label}：{_shown(column, before)} → {_shown(column, after)}")
        self.audit.append({"where": where, "field": column, "label": label,
                           "before": safe_value(column, _plain(before)), "after": safe_value(column, _plain(after))})


def correct_case(session: Session, case_id: int, base_version: int, *, reason: str, actor: Actor,
                 changes: Mapping[str, Any] | None = None, parties: Sequence[PartyEdit] | None = None) -> int:
    """Apply a correction to the case the user loaded at `base_version`; returns the new version."""
    problems = stored.Problems()
    why = stored.text(problems, "reason", reason, required=True)
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    require_on_case(session, actor, Permission.CASE_EDIT, case)
    if case.version != base_version:
        raise conflict(session, "cases", case_id, "案件")
    refuse_if_voided(case, "更正案件")
    wanted = _checked_fields(session, problems, case, changes or {})
    edits = None if parties is None else _checked_parties(problems, case, parties)
    problems.raise_if_any("更正内容有误：")
    change = _Change([], [])
    _apply_fields(case, wanted, change)
    if edits is not None:
        _apply_parties(session, case, edits, change)
    if not change.lines:
        problems.add("changes", "没有需要保存的修改")
        problems.raise_if_any()
    _record(session, case, change, why or "", actor)
    return _flush(session, case)


def _flush(session: Session, case: Case) -> int:
    flag_modified(case, "summary")  # a parties-only correction still moves the case's version
    try:
        session.flush()
    except StaleDataError as exc:  # another desk committed between our read and our UPDATE
        session.rollback()
        raise conflict(session, "cases", case.id, "案件") from exc
    search.index_case(session, case)
    return case.version


# ---- the case's own fields ----------------------------------------------------------------------


def _checked_fields(session: Session, problems: stored.Problems, case: Case, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        problems.add("changes", f"这些字段不能在此修改：{'、'.join(unknown)}")
    found: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("summary", "facts", "claims"):
            found[key] = stored.text(problems, key, value, required=key == "summary") or ""
        elif key == "amount":
            found[key] = stored.amount(problems, key, value)
        elif key == "people_involved":
            found[key] = stored.count(problems, key, value, label="涉及人数")
            if value is None:
                problems.add(key, "请填写涉及人数")
        elif key == "risk_colour":
            found[key] = stored.choice(problems, key, value, RISK_COLOURS, "风险等级")
        elif key == "complexity":
            found[key] = stored.choice(problems, key, value, COMPLEXITIES, "复杂程度") or case.complexity
        elif key == "dispute_type_code":
            if session.get(DisputeType, value or "") is None:
                problems.add(key, "纠纷类型无效，请从列表中选择")
            found[key] = value
        elif key == "desk_id":
            if value is not None and session.get(Desk, value) is None:
                problems.add(key, "窗口无效，请从列表中选择")
            found[key] = value
    return found


def _apply_fields(case: Case, wanted: Mapping[str, Any], change: _Change) -> None:
    for key, value in wanted.items():
        before = getattr(case, key)
        if _plain(before) == _plain(value):
            continue
        change.note("", CORRECTABLE[key], key, before, value)
        setattr(case, key, value)
        if key == "people_involved":
            case.mass_incident = value >= MASS_INCIDENT_THRESHOLD


# ---- parties and agents -------------------------------------------------------------------------


def _checked_parties(problems: stored.Problems, case: Case, edits: Sequence[PartyEdit]) -> list[PartyEdit]:
    known = {p.id for p in case.parties}
    checked = []
    for ordinal, edit in enumerate(edits):
        if edit.party_id is not None and edit.party_id not in known:
            problems.add(f"parties.{ordinal}", f"第{ordinal + 1}名当事人不属于本案件")
        checked.append(PartyEdit(edit.party_id, stored.party(problems, edit.data, ordinal, PARTY_SIDES)))
    if not checked:
        problems.add("parties", "至少需要一名当事人")
    for side in (APPLICANT, RESPONDENT):
        had = any(p.side == side for p in case.parties)
        if had and not any(e.data.side == side for e in checked):
            problems.add(f"parties.{side}", f"不能删除最后一名{side}当事人：请先添加另一名{side}当事人")
    return checked


def _apply_parties(session: Session, case: Case, edits: Sequence[PartyEdit], change: _Change) -> None:
    by_id = {p.id: p for p in case.parties}
    kept = {e.party_id for e in edits if e.party_id is not None}
    for party in [p for p in case.parties if p.id not in kept]:
        change.note("", "删除当事人", "name", f"{party.side} {party.name}", "—")
        case.parties.remove(party)  # delete-orphan: the audit trail keeps the removed row's snapshot
    for ordinal, edit in enumerate(edits):
        if edit.party_id is None:
            party = Party(ordinal=ordinal, **_party_columns(edit.data))
            party.agents = [Agent(**_agent_columns(a)) for a in edit.data.agents]
            case.parties.append(party)
            change.note("", "增加当事人", "name", "—", f"{party.side} {party.name}")
            continue
        party = by_id[edit.party_id]
        party.ordinal = ordinal
        where = f"当事人{party.name}的"
        for column, value in _party_columns(edit.data).items():
            if _plain(getattr(party, column)) != _plain(value):
                change.note(where, PARTY_LABELS[column], column, getattr(party, column), value)
                setattr(party, column, value)
        _apply_agents(party, edit.data.agents, change, f"当事人{party.name}的")


def _apply_agents(party: Party, agents: Sequence[AgentInput], change: _Change, where: str) -> None:
    """Agents in order: the first n rows are updated, extra ones added, surplus ones removed."""
    for index, data in enumerate(agents):
        columns = _agent_columns(data)
        if index >= len(party.agents):
            party.agents.append(Agent(**columns))
            change.note(where, "增加代理人", "name", "—", f"{data.name}（{data.kind}）")
            continue
        row = party.agents[index]
        for column, value in columns.items():
            if _plain(getattr(row, column)) != _plain(value):
                change.note(f"{where}代理人{row.name}的", _AGENT_LABELS[column], column, getattr(row, column), value)
                setattr(row, column, value)
    for row in list(party.agents[len(agents):]):
        change.note(where, "删除代理人", "name", f"{row.name}（{row.kind}）", "—")
        party.agents.remove(row)


_AGENT_LABELS = {"kind": "代理人类别", "name": "姓名", "unit": "工作单位", "authority": "代理权限", "phone": "联系电话"}


def _party_columns(data: PartyInput) -> dict[str, Any]:
    return {column: getattr(data, column) for column in PARTY_COLUMNS}


def _agent_columns(data: AgentInput) -> dict[str, Any]:
    return {column: getattr(data, column) for column in AGENT_COLUMNS}


def party_inputs(case: Case) -> list[PartyEdit]:
    """The case's parties as edits that change nothing (the CLI starts from these)."""
    found = []
    for p in case.parties:
        agents = tuple(AgentInput(**{c: getattr(a, c) for c in AGENT_COLUMNS}) for a in p.agents)
        found.append(PartyEdit(p.id, PartyInput(**{c: getattr(p, c) for c in PARTY_COLUMNS}, agents=agents)))
    return found


assert {f.name for f in fields(PartyInput)} == {*PARTY_COLUMNS, "agents"}  # every party field is corrected


# ---- history and audit --------------------------------------------------------------------------


def _record(session: Session, case: Case, change: _Change, why: str, actor: Actor) -> None:
    case.events.append(StageEvent(action="correct", from_stage=case.stage, to_stage=case.stage, user_id=actor.user_id,
                                  desk_id=actor.desk_id, reason="；".join(change.lines) + f"。理由：{why}"))
    record_event(session, actor, "correct", "cases", case.id, number=case.number, reason=why, changes=change.audit)


def _shown(column: str, value: Any) -> str:
    """A value as the history shows it: numbers masked, and a birth date never beside an ID."""
    if value is None or value == "":
        return "（空）"
    if column in REVEALING:
        return "（已更正，不显示）"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return shown(column, text) if column in ("id_number", "phone") else (text if len(text) <= 60 else text[:60] + "…")


def _plain(value: Any) -> Any:
    """Values compared and audited as plain data (a Decimal as its text, a date as ISO)."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    return value
