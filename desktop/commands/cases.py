"""`mediation-desk cases list …` and `mediation-desk case show NUMBER` (the corrections under `case`
are in desktop/commands/case_edit.py)."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import replace

from desktop.commands import case_edit, case_moves
from desktop.commands.context import acting_user, add_db_option, database
from desktop.commands.output import print_json, print_table
from models.cases.queries import CaseFilter, case_detail, count_cases, find_desk_id, list_cases, parse_stage
from models.cases.repeats import case_repeats
from models.cases.voiding import VOID_MARK
from models.dto import CaseDetail
from models.security.masking import masked_party
from models.security.permissions import Permission, require
from models.workflow.case_workflow import case_workflow, describe_workflow
from models.workflow.deadline_service import case_deadlines


def register(sub: argparse._SubParsersAction) -> None:

    cases = sub.add_parser("cases", help="案件列表")
    cases_sub = cases.add_subparsers(dest="cases_command", metavar="操作", required=True)
    lst = cases_sub.add_parser("list", help="列出案件（按登记日期倒序）")
    add_db_option(lst)
    lst.add_argument("--stage", help="阶段：诊 调 裁 诉 closed archived")
    lst.add_argument("--desk", metavar="NAME", help="窗口名称")
    lst.add_argument("--search", metavar="TEXT", help="按案号、当事人姓名或拼音（全拼或首字母，如 zs）、电话或证件号搜索")
    lst.add_argument("--limit", type=int, default=50, help="最多显示条数（默认 50）")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.set_defaults(handler=run_list)
    case = sub.add_parser("case", help="单个案件")
    case_sub = case.add_subparsers(dest="case_command", metavar="操作", required=True)
    show = case_sub.add_parser("show", help="显示案件详情")
    add_db_option(show)
    show.add_argument("number", metavar="NUMBER", help="案件编号")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=run_show)
    case_edit.register_case_commands(case_sub)  # edit, party/agent changes, void
    case_moves.register_case_commands(case_sub)  # advance, leader, mine


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        flt = CaseFilter(
            stage=parse_stage(args.stage) if args.stage else None,
            desk_id=find_desk_id(session, args.desk) if args.desk else None,
            search=args.search,
        )
        total = count_cases(session, flt)
        page = list_cases(session, flt, limit=max(1, args.limit))
    if args.json:
        print_json({"total": total, "cases": list(page.rows)})
        return 0
    rows = [[r.number, f"{r.received_date}", f"{r.stage}（{VOID_MARK}）" if r.voided else r.stage, r.dispute_type, r.risk_colour or "", r.parties, r.desk]
            for r in page.rows]
    print_table(["案件编号", "登记日期", "阶段", "纠纷类型", "风险", "当事人", "窗口"], rows)
    print(f"共 {total} 件，显示 {len(rows)} 件")
    return 0


def masked(detail: CaseDetail) -> CaseDetail:
    """Personal numbers are masked in every default view (and the birth date withheld beside a
    masked ID); unmasking is an audited GUI action."""
    return replace(detail, parties=tuple(masked_party(p) for p in detail.parties))


def run_show(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        detail = masked(case_detail(session, number=args.number))
        deadlines = case_deadlines(session, detail.id)  # issue 4: deadlines with colour and legal basis
        workflow = describe_workflow(case_workflow(session, detail.id))
        repeats = case_repeats(session, detail.id)
    if args.json:
        print_json({**dataclasses.asdict(detail), "deadlines": deadlines})
        return 0
    print(f"{detail.number}　［{detail.stage}］　{detail.dispute_type}　{detail.committee}")
    print(f"登记：{detail.received_date}　来源：{detail.source_channel}　窗口：{detail.desk or '—'}　风险：{detail.risk_colour or '—'}")
    if detail.voided_at:
        print(f"{VOID_MARK}：{detail.void_reason or ''}（不计入台账和统计）")
    print(f"调解员：{detail.mediator or '—'}　协助调解员：{detail.co_mediators or '—'}　包案领导：{detail.leader or '—'}")
    print(f"简要情况：{detail.summary}")
    for p in detail.parties:
        print(f"  {p.side}　{p.name}　{p.sex or ''}　{p.phone or ''}")
        for a in p.agents:  # under the party they act for (numbers already masked)
            numbers = "　".join(x for x in (a.id_number or "", f"执业证号 {a.license_no}" if a.license_no else "") if x)
            print(f"    {a.kind}：{a.name}（系{p.side}{p.name}的{a.kind}）　{numbers}　{a.phone or ''}".rstrip())
    for hit in repeats:  # a warning, never a block
        print(f"重复纠纷提示：{hit.line()}")
    for line in workflow:
        print(line)
    if deadlines:
        print("期限：")
    for d in deadlines:
        whose = "当事人期间" if d.party_window else "办理期限"
        print(f"  {d.colour or '—'}　{d.name}（{whose}）　到期 {d.due_date}　{d.colour_reason}")
    print("流转记录：")
    for e in detail.events:
        when = f"{e.at.astimezone():%Y-%m-%d}" if e.day_only else f"{e.at.astimezone():%Y-%m-%d %H:%M}"
        moved = f"{e.from_stage} → {e.to_stage}" if e.from_stage else e.to_stage or "—"
        print(f"  {when}　{moved}　{e.action}　{e.user or ''}　{e.reason}")
    return 0
