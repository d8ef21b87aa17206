"""`mediation-desk case edit|party|agent|void|record …`: corrections of a registered case (its own
fields, its parties and their agents), 作废 with a reason, and recording an outcome from the outcome
table. The typed values go through the forms' validators here and again in the services, so the
messages are the forms' own; every correction needs --reason and shows in `case show`."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from desktop.commands.context import acting_user, add_db_option, database
from forms.result import Result
from forms.specs import validate_dispute_type
from forms.values import validate_amount, validate_count, validate_past_date
from models.cases.corrections import PartyEdit, correct_case, party_inputs
from models.cases.outcomes import OUTCOMES, outcome_for
from models.cases.queries import find_case_id, find_desk_id
from models.cases.service import load_case, record
from models.cases.voiding import void_case
from models.dto import AgentInput, PartyInput
from models.errors import ValidationFailed

PARTY_OPTIONS = (  # option, PartyInput field, help
    ("--side", "side", "申请方 / 被申请方 / 第三方"), ("--kind", "kind", "自然人 / 组织"), ("--name", "name", "姓名或单位名称"),
    ("--sex", "sex", "男 / 女"), ("--ethnicity", "ethnicity", "民族"), ("--birth-date", "birth_date", "出生日期 YYYY-MM-DD"),
    ("--occupation", "occupation", "职业或职务"), ("--address", "address", "住所"), ("--phone", "phone", "联系电话"),
    ("--id-type", "id_type", "证件类型"), ("--id-number", "id_number", "证件号码"), ("--uscc", "uscc", "统一社会信用代码"),
    ("--legal-rep", "legal_rep", "法定代表人或负责人"), ("--legal-rep-title", "legal_rep_title", "职务"),
)
AGENT_OPTIONS = (("--kind", "kind", "委托代理人 / 法定代理人"), ("--name", "name", "姓名"), ("--unit", "unit", "工作单位"),
                 ("--authority", "authority", "一般代理 / 特别授权"), ("--phone", "phone", "联系电话"))


def register_case_commands(case_sub: argparse._SubParsersAction) -> None:
    """Add the correction commands under `case` (desktop/commands/cases.py makes that parser)."""
    edit = _command(case_sub, "edit", "更正案件信息（须填理由）", run_edit)
    for option, helptext in (("--summary", "纠纷简要情况"), ("--facts", "事实和理由"), ("--claims", "当事人请求"),
                             ("--type", "纠纷类型（代码或名称）"), ("--amount", "涉及金额（元），空字符串表示清除"),
                             ("--risk", "风险等级 红/黄/蓝，空字符串表示清除"), ("--complexity", "复杂程度"),
                             ("--desk", "窗口名称"), ("--people", "涉及人数")):
        edit.add_argument(option, help=helptext)
    _reason(edit)
    party = case_sub.add_parser("party", help="更正当事人：增加、修改、删除")
    party_sub = party.add_subparsers(dest="party_command", metavar="操作", required=True)
    _options(_reason(_command(party_sub, "add", "增加当事人", run_party_add)), PARTY_OPTIONS)
    _options(_reason(_ordinal(_command(party_sub, "edit", "修改第N名当事人", run_party_edit))), PARTY_OPTIONS)
    _reason(_ordinal(_command(party_sub, "remove", "删除第N名当事人（不能删除最后一名申请方或被申请方）", run_party_remove)))
    agent = case_sub.add_parser("agent", help="更正代理人：增加、修改、删除")
    agent_sub = agent.add_subparsers(dest="agent_command", metavar="操作", required=True)
    _options(_reason(_ordinal(_command(agent_sub, "add", "为第N名当事人增加代理人", run_agent_add))), AGENT_OPTIONS)
    _options(_reason(_agent(_ordinal(_command(agent_sub, "edit", "修改第N名当事人的第M名代理人", run_agent_edit)))),
             AGENT_OPTIONS)
    _reason(_agent(_ordinal(_command(agent_sub, "remove", "删除第N名当事人的第M名代理人", run_agent_remove))))
    _reason(_command(case_sub, "void", "作废误登记的案件（保留案号，不计入台账和统计）", run_void))
    rec = _command(case_sub, "record", "记录办理结果（调解结果、仲裁类别/结果、法院结果、回访满意度）", run_record)
    rec.add_argument("field", metavar="项目", choices=[o.field for o in OUTCOMES] + [o.label for o in OUTCOMES],
                     help="、".join(f"{o.label}（{'/'.join(o.values)}）" for o in OUTCOMES))
    rec.add_argument("value", metavar="结果")
    rec.add_argument("--note", default="", help="说明（调解结果）")


def _command(parent: Any, name: str, helptext: str, handler: Any) -> argparse.ArgumentParser:
    cmd = parent.add_parser(name, help=helptext)
    add_db_option(cmd)
    cmd.add_argument("number", metavar="NUMBER", help="案件编号")
    cmd.set_defaults(handler=handler)
    return cmd


def _reason(cmd: argparse.ArgumentParser) -> argparse.ArgumentParser:
    cmd.add_argument("--reason", required=True, help="理由（记入流转记录和审计日志）")
    return cmd


def _ordinal(cmd: argparse.ArgumentParser) -> argparse.ArgumentParser:
    cmd.add_argument("party", metavar="N", type=int, help="当事人序号（从1起，同 case show 的顺序）")
    return cmd


def _agent(cmd: argparse.ArgumentParser) -> argparse.ArgumentParser:
    cmd.add_argument("agent", metavar="M", type=int, help="代理人序号（从1起）")
    return cmd


def _options(cmd: argparse.ArgumentParser, options: tuple[tuple[str, str, str], ...]) -> None:
    for option, dest, helptext in options:
        cmd.add_argument(option, dest=f"v_{dest}", help=helptext)


# ---- case fields ---------------------------------------------------------------------------------


def _typed(result: Result, key: str) -> Any:
    if not result.ok:
        raise ValidationFailed(result.message, {key: result.message})
    return result.value


def _changes(session: Any, args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in (("summary", args.summary), ("facts", args.facts), ("claims", args.claims)):
        if value is not None:
            changes[key] = value
    if args.type is not None:
        changes["dispute_type_code"] = _typed(validate_dispute_type(args.type), "dispute_type_code")
    if args.amount is not None:
        changes["amount"] = _typed(validate_amount(args.amount), "amount") if args.amount.strip() else None
    if args.risk is not None:
        changes["risk_colour"] = args.risk.strip() or None
    if args.complexity is not None:
        changes["complexity"] = args.complexity
    if args.desk is not None:
        changes["desk_id"] = find_desk_id(session, args.desk)
    if args.people is not None:
        changes["people_involved"] = _typed(validate_count(args.people), "people_involved")
    return changes


def run_edit(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)  # signs in before the write transaction (SQLite: one writer)
    with db.write.begin() as session:
        case = load_case(session, find_case_id(session, args.number))
        changes = _changes(session, args)
        if not changes:
            raise ValidationFailed("请至少指定一项要更正的内容（如 --summary、--amount）")
        version = correct_case(session, case.id, case.version, changes=changes, reason=args.reason, actor=actor)
    print(f"已更正 {case.number}（版本 {version}）")
    return 0


# ---- parties and agents --------------------------------------------------------------------------


def _given(args: argparse.Namespace, options: tuple[tuple[str, str, str], ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for _option, dest, _help in options:
        value = getattr(args, f"v_{dest}", None)
        if value is None:
            continue
        if dest == "birth_date":
            found[dest] = _typed(validate_past_date(value), dest) if value.strip() else None
        else:
            found[dest] = value.strip() or None
    return found


def _pick(items: list[Any], index: int, what: str) -> int:
    if not 1 <= index <= len(items):
        raise ValidationFailed(f"没有第{index}名{what}（共{len(items)}名）")
    return index - 1


def _correct_parties(args: argparse.Namespace, change: Any, done: str) -> int:
    """Load the parties as they are, let `change` alter the list, and save it as one correction."""
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        case = load_case(session, find_case_id(session, args.number))
        parties = party_inputs(case)
        change(parties)
        version = correct_case(session, case.id, case.version, parties=parties, reason=args.reason, actor=actor)
    print(f"{done}：{case.number}（版本 {version}）")
    return 0


def run_party_add(args: argparse.Namespace) -> int:
    given = _given(args, PARTY_OPTIONS)
    if not given.get("side") or not given.get("name"):
        raise ValidationFailed("增加当事人须填写 --side 和 --name")
    data = PartyInput(**given)
    return _correct_parties(args, lambda parties: parties.append(PartyEdit(None, data)), "已增加当事人")


def run_party_edit(args: argparse.Namespace) -> int:
    given = _given(args, PARTY_OPTIONS)
    if not given:
        raise ValidationFailed("请至少指定一项要修改的当事人信息（如 --id-number、--phone）")

    def change(parties: list[PartyEdit]) -> None:
        index = _pick(parties, args.party, "当事人")
        old = parties[index].data
        if "id_number" in given:  # sex and birth date follow a new ID unless given too
            given.setdefault("sex", None)
            given.setdefault("birth_date", None)
        parties[index] = PartyEdit(parties[index].party_id, replace(old, **given))

    return _correct_parties(args, change, "已修改当事人")


def run_party_remove(args: argparse.Namespace) -> int:
    return _correct_parties(args, lambda parties: parties.pop(_pick(parties, args.party, "当事人")), "已删除当事人")


def _with_agents(parties: list[PartyEdit], ordinal: int, change: Any) -> None:
    index = _pick(parties, ordinal, "当事人")
    edit = parties[index]
    agents = list(edit.data.agents)
    change(agents)
    parties[index] = PartyEdit(edit.party_id, replace(edit.data, agents=tuple(agents)))


def run_agent_add(args: argparse.Namespace) -> int:
    given = _given(args, AGENT_OPTIONS)
    if not given.get("kind") or not given.get("name"):
        raise ValidationFailed("增加代理人须填写 --kind 和 --name")
    data = AgentInput(**given)
    return _correct_parties(args, lambda p: _with_agents(p, args.party, lambda a: a.append(data)), "已增加代理人")


def run_agent_edit(args: argparse.Namespace) -> int:
    given = _given(args, AGENT_OPTIONS)
    if not given:
        raise ValidationFailed("请至少指定一项要修改的代理人信息")

    def change(agents: list[AgentInput]) -> None:
        index = _pick(agents, args.agent, "代理人")
        agents[index] = replace(agents[index], **given)

    return _correct_parties(args, lambda p: _with_agents(p, args.party, change), "已修改代理人")


def run_agent_remove(args: argparse.Namespace) -> int:
    return _correct_parties(
        args, lambda p: _with_agents(p, args.party, lambda a: a.pop(_pick(a, args.agent, "代理人"))), "已删除代理人")


# ---- void and record -------------------------------------------------------------------------------


def run_void(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        ref = void_case(session, find_case_id(session, args.number), args.reason, actor)
    print(f"已作废：{ref.number}（保留案号，不计入台账和统计）")
    return 0


def run_record(args: argparse.Namespace) -> int:
    outcome = outcome_for(args.field)
    assert outcome is not None  # argparse offered only the table's fields and labels
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        record(session, find_case_id(session, args.number), outcome.field, args.value.strip(), actor, args.note)
    print(f"已记录{outcome.label}：{args.value.strip()}")
    return 0
