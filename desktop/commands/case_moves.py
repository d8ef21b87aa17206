"""`mediation-desk case advance|leader|mine`: a stage move (诊→调 names the mediator and
co-mediators), naming the 包案领导, and 我的案件 — the same services and rules as the case view."""

from __future__ import annotations

import argparse

from desktop.commands.context import acting_user, add_db_option, database
from desktop.commands.output import print_json, print_table
from models.cases.mediators import find_user_id, name_leader
from models.cases.mine import my_cases
from models.cases.queries import find_case_id
from models.cases.service import advance_stage
from models.cases.stages import BY_ACTION
from models.errors import ValidationFailed
from models.org.entities import Role
from models.security.permissions import Permission, require


def register_case_commands(case_sub: argparse._SubParsersAction) -> None:
    """Adds to `mediation-desk case …` (the group desktop/commands/cases.py creates)."""
    actions = "、".join(f"{t.action}={t.label}" for t in BY_ACTION.values())
    advance = case_sub.add_parser("advance", help="阶段流转（诊→调须指定调解员）")
    add_db_option(advance)
    advance.add_argument("number", metavar="NUMBER", help="案件编号")
    advance.add_argument("action", choices=list(BY_ACTION), metavar="ACTION", help=actions)
    advance.add_argument("--reason", default="", help="理由（不予受理、咨询办结、重新调解等须填）")
    advance.add_argument("--mediator", metavar="USERNAME", help="调解员登录名（诊→调必填，须为本中心调解员）")
    advance.add_argument("--co-mediator", action="append", default=[], metavar="USERNAME",
                         help="协助调解员登录名（可多次给出）")
    advance.set_defaults(handler=run_advance)
    leader = case_sub.add_parser("leader", help="指定包案领导（红色风险案件流转前必须）")
    add_db_option(leader)
    leader.add_argument("number", metavar="NUMBER", help="案件编号")
    leader.add_argument("--leader", required=True, metavar="USERNAME", help="包案领导登录名")
    leader.set_defaults(handler=run_leader)
    mine = case_sub.add_parser("mine", help="我的案件：分配给我、由我登记、等待我办理")
    add_db_option(mine)
    mine.add_argument("--json", action="store_true", help="以 JSON 输出")
    mine.set_defaults(handler=run_mine)


def run_advance(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)  # signs in before the write transaction (SQLite: one writer)
    if args.co_mediator and not args.mediator:
        raise ValidationFailed("指定协助调解员时须同时用 --mediator 指定调解员")
    with db.write.begin() as session:
        mediator = find_user_id(session, args.mediator, Role.MEDIATOR) if args.mediator else None
        co = tuple(find_user_id(session, u, Role.MEDIATOR) for u in args.co_mediator)
        ref = advance_stage(session, find_case_id(session, args.number), args.action, actor, args.reason,
                            mediator_id=mediator, co_mediator_ids=co)
    print(f"{ref.number}：{BY_ACTION[args.action].label}，现处于“{ref.stage}”阶段")
    return 0


def run_leader(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        name = name_leader(session, find_case_id(session, args.number), find_user_id(session, args.leader, Role.LEADER),
                           actor)
    print(f"{args.number}：包案领导 {name}")
    return 0


def run_mine(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    if actor.user_id is None:
        raise ValidationFailed("“我的案件”须以本人账户执行：--user 登录名")
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        found = my_cases(session, actor.user_id)
    if args.json:
        print_json(found)
        return 0
    print_table(["案件编号", "阶段", "为何是我的", "简要情况"],
                [[c.number, c.stage, "、".join(c.why), c.summary] for c in found], max_width=60)
    print(f"共 {len(found)} 件，其中待我办理 {sum(1 for c in found if '待我办理' in c.why)} 件")
    return 0
