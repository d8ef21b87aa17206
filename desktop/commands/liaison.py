"""`mediation-desk liaison …`: the 诉调对接 register from the command line — list, show, register,
update, and one sub-command per step of the step table (签收 … 申请执行), with the same checks as the
liaison workspace because both call the same services."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.commands.context import acting_user, add_db_option, database, read_case, write_on_case
from desktop.commands.output import print_json, print_table
from models.liaison.service import (
    ENTRUSTED_PROCEDURES,
    REFERRAL_KINDS,
    REFERRAL_STEPS,
    ReferralInput,
    ReferralStep,
    ReferralView,
    describe_referral,
    list_register,
    next_deadline_text,
    record_step,
    referral_view,
    register_referral,
    update_referral,
)
from models.security.permissions import Permission, require


def register(sub: argparse._SubParsersAction) -> None:
    liaison = sub.add_parser("liaison", help="诉调对接台账：登记、修改、逐步记录（签收至申请执行）")
    commands = liaison.add_subparsers(dest="liaison_command", metavar="操作", required=True)
    reg = commands.add_parser("list", help="列出诉调对接台账（每案一行：当前步骤、下一期限）")
    add_db_option(reg)
    reg.add_argument("--year", type=int, help="委派/委托年度")
    reg.add_argument("--open", action="store_true", help="只列未结案的")
    reg.add_argument("--json", action="store_true", help="以 JSON 输出")
    reg.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="一件案件的诉调对接记录与期限")
    add_db_option(show)
    show.add_argument("case", metavar="案件编号")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=run_show)
    for name, helptext, handler, required in (("register", "登记诉调对接（委派/委托）", run_register, True),
                                               ("update", "修改登记信息（未给出的项保持不变）", run_update, False)):
        cmd = commands.add_parser(name, help=helptext)
        add_db_option(cmd)
        _referral_options(cmd, required)
        cmd.set_defaults(handler=handler)
    for step in REFERRAL_STEPS:
        cmd = commands.add_parser(step.key.replace("_", "-"), help=f"记录{step.label}")
        add_db_option(cmd)
        cmd.add_argument("case", metavar="案件编号")
        for f in step.fields:
            _step_option(cmd, f.name, f.label, f.kind, f.choices, f.required)
        cmd.set_defaults(handler=run_step, step=step)


def _step_option(cmd: argparse.ArgumentParser, name: str, label: str, kind: str, choices: tuple[str, ...],
                 required: bool) -> None:
    option = "--" + name.replace("_", "-")
    extra: dict[str, Any] = {"type": date.fromisoformat, "metavar": "YYYY-MM-DD"} if kind == "date" else {}
    if kind == "choice":
        extra["choices"] = choices
    cmd.add_argument(option, dest=name, required=required, help=label, **extra)


def _referral_options(cmd: argparse.ArgumentParser, required: bool) -> None:
    cmd.add_argument("case", metavar="案件编号")
    cmd.add_argument("--court", required=required, help="委派/委托法院")
    cmd.add_argument("--kind", choices=REFERRAL_KINDS, required=required, help="委派（立案前）或委托（立案后）")
    cmd.add_argument("--procedure", choices=ENTRUSTED_PROCEDURES, help="委托调解适用的程序")
    cmd.add_argument("--tribunal", help="派出法庭")
    cmd.add_argument("--number", dest="pre_suit_number", help="诉前调解案号（委托：民初/民终案号）")
    cmd.add_argument("--odr-number", dest="odr_number", help="调解平台编号")
    cmd.add_argument("--cause", help="立案案由")
    cmd.add_argument("--claim-amount", dest="claim_amount", type=Decimal, help="标的额（元）")
    cmd.add_argument("--referred-on", dest="referred_on", type=date.fromisoformat, required=required,
                     metavar="YYYY-MM-DD", help="委派/委托日期")
    cmd.add_argument("--received-on", dest="received_on", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="调解员签收日期")


REFERRAL_OPTIONS = ("court", "kind", "procedure", "tribunal", "pre_suit_number", "odr_number", "cause",
                    "claim_amount", "referred_on", "received_on")


def _input(args: argparse.Namespace, current: ReferralView | None = None) -> ReferralInput:
    """The options given, over the current values when updating."""
    base = {k: getattr(current, k) for k in REFERRAL_OPTIONS} if current else {"cause": ""}
    given = {k: getattr(args, k) for k in REFERRAL_OPTIONS if getattr(args, k) is not None}
    return ReferralInput(**base | given)


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    with db.read() as session:
        require(session, acting_user(args, db), Permission.CASE_VIEW)
        rows = list_register(session, year=args.year, open_only=args.open)
    if args.json:
        print_json(rows)
        return 0
    table = [[r.colour or "", r.pre_suit_number or "", r.case_number, r.kind, r.cause, f"{r.referred_on}", r.step,
              next_deadline_text(r)] for r in rows]
    print_table(["颜色", "诉前调解案号", "本中心编号", "方式", "案由", "委派/委托日", "当前步骤", "下一期限"], table,
                max_width=60)
    print(f"共 {len(rows)} 件")
    return 0


def run_show(args: argparse.Namespace) -> int:
    view = read_case(args, referral_view)
    if args.json:
        print_json(view)
        return 0
    print(describe_referral(view))
    return 0


def run_register(args: argparse.Namespace) -> int:
    view = write_on_case(args, lambda session, case_id, actor: register_referral(session, case_id, _input(args),
                                                                                  actor))
    print(f"已登记诉调对接：{view.case_number}　{view.kind}　{view.pre_suit_number or ''}")
    return 0


def run_update(args: argparse.Namespace) -> int:
    view = write_on_case(args, lambda session, case_id, actor: update_referral(
        session, case_id, _input(args, referral_view(session, case_id)), actor))
    print(f"已修改诉调对接登记：{view.case_number}")
    return 0


def run_step(args: argparse.Namespace) -> int:
    step: ReferralStep = args.step
    values = {f.name: getattr(args, f.name) for f in step.fields}
    view = write_on_case(args, lambda session, case_id, actor: record_step(session, case_id, step.key, values, actor))
    print(f"已记录{step.label}：{view.case_number}　当前步骤：{view.step}　下一期限：{next_deadline_text(view) or '无'}")
    return 0
