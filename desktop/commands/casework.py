"""`mediation-desk level|consult|arbitration|supervise|dispatch …`: escalation (上提/下沉) and 会诊,
arbitration applications and their dates, 督办单 issued and answered, and 双派单 with each user's
待我办理 — the same services as the case view."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.commands.context import acting_user, add_db_option, database, read_case, write_as, write_on_case
from desktop.commands.output import print_json, print_table
from models.cases.arbitration_tracks import TRACK_RULES
from models.cases.stages import ARBITRATION_RESULTS
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import User
from models.security.permissions import Permission, require
from models.workflow.arbitration import ArbitrationView, case_arbitrations, open_arbitration, update_arbitration
from models.workflow.dispatch import (
    DispatchView,
    TargetInput,
    case_dispatches,
    dispatch_choices,
    dispatch_inbox,
    evaluate_dispatch,
    move_dispatch,
    open_dispatch,
)
from models.workflow.escalation import find_unit_id, level_targets, move_level, record_consultation
from models.workflow.supervision import (
    LEVEL_NAMES,
    SUPERVISION_LEVELS,
    find_order_id,
    issue_supervision,
    list_supervisions,
    reply_supervision,
)

Day = date.fromisoformat


def register(sub: argparse._SubParsersAction) -> None:
    def command(parent: Any, name: str, helptext: str, handler: Any, case: bool = True) -> argparse.ArgumentParser:
        cmd = parent.add_parser(name, help=helptext)
        add_db_option(cmd)
        if case:
            cmd.add_argument("case", metavar="案件编号")
        cmd.set_defaults(handler=handler)
        return cmd

    level = sub.add_parser("level", help="案件层级：上提或下沉（网格→村→乡镇→县）")
    level_sub = level.add_subparsers(dest="level_command", metavar="操作", required=True)
    command(level_sub, "targets", "可上提或下沉到的单位", run_level_targets)
    move = command(level_sub, "move", "上提或下沉到某单位（须填理由）", run_level_move)
    move.add_argument("--to", required=True, metavar="单位名称")
    move.add_argument("--reason", required=True, help="理由")
    consult = command(sub, "consult", "记录会诊（至少两个参加部门）", run_consult)
    consult.add_argument("--held-on", type=Day, metavar="YYYY-MM-DD", required=True)
    consult.add_argument("--host", required=True, help="主持人")
    consult.add_argument("--departments", required=True, help="参加部门，用“、”或逗号分隔")
    consult.add_argument("--topic", required=True, help="会诊议题")
    consult.add_argument("--conclusion", default="", help="会诊结论")
    _register_arbitration(sub, command)
    _register_supervision(sub, command)
    _register_dispatch(sub, command)


def _register_dispatch(sub: argparse._SubParsersAction, command: Any) -> None:
    dsp = sub.add_parser("dispatch", help="双派单：派单、待我办理、反馈/核查/评价")
    dsp_sub = dsp.add_subparsers(dest="dispatch_command", metavar="操作", required=True)
    inbox = command(dsp_sub, "inbox", "待我办理的派单", run_dispatch_inbox, case=False)
    inbox.add_argument("--json", action="store_true")
    show = command(dsp_sub, "show", "该案件的派单、环节与时限", run_dispatch_show)
    show.add_argument("--json", action="store_true")
    send = command(dsp_sub, "send", "派单（主办部门账户、属地网格员账户）", run_dispatch_send)
    send.add_argument("--lead", required=True, metavar="登录名", help="主办部门联络员账户")
    send.add_argument("--helper", metavar="登录名", help="协办部门联络员账户")
    send.add_argument("--grid", required=True, metavar="登录名", help="属地网格员账户")
    send.add_argument("--note", default="", help="派单要求")
    move = command(dsp_sub, "move", "办理一个环节：feedback / verify_pass / verify_fail / archive / cancel",
                   run_dispatch_move, case=False)
    move.add_argument("dispatch", type=int, metavar="派单编号")
    move.add_argument("action", choices=["feedback", "verify_pass", "verify_fail", "archive", "cancel"])
    move.add_argument("--text", default="", help="处置情况或核查意见")
    evaluate = command(dsp_sub, "evaluate", "回访评价（满意 / 基本满意 / 不满意）", run_dispatch_evaluate, case=False)
    evaluate.add_argument("dispatch", type=int, metavar="派单编号")
    evaluate.add_argument("satisfaction", choices=["满意", "基本满意", "不满意"])
    evaluate.add_argument("--text", default="", help="回访记录（不满意须填）")


def _assignee(session: Any, login: str, pool: list[Any], what: str) -> Any:
    user_id = session.scalar(select(User.id).where(User.username == login.strip()))
    found = next((a for a in pool if a.user_id == user_id), None)
    if found is None:
        raise ValidationFailed(f"{login} 不是{what}账户")
    return found


def run_dispatch_send(args: argparse.Namespace) -> int:
    def send(session: Session, case_id: int, actor: Actor) -> DispatchView:
        departments, grids = dispatch_choices(session)
        chosen = [("主办", _assignee(session, args.lead, departments, "部门联络员"))]
        if args.helper:
            chosen.append(("协办", _assignee(session, args.helper, departments, "部门联络员")))
        chosen.append(("属地监督", _assignee(session, args.grid, grids, "网格员")))
        targets = [TargetInput(role, a.unit_name, desk_id=a.desk_id, user_id=a.user_id) for role, a in chosen]
        return open_dispatch(session, case_id, targets, actor, args.note)
    view = write_on_case(args, send)
    print(f"已派单 {view.id}：" + "；".join(f"{t.role} {t.unit_name}（{t.person}，时限 {t.deadline}）" for t in view.targets))
    return 0


def run_dispatch_inbox(args: argparse.Namespace) -> int:
    db = database(args)
    with db.read() as session:
        actor = acting_user(args, db)
        require(session, actor, Permission.DISPATCH_WORK)
        items = dispatch_inbox(session, actor)
    if args.json:
        print_json(items)
        return 0
    print_table(["案件编号", "派单", "状态", "我的角色", "待办环节", "办理时限"],
                [[i.case_number, str(i.dispatch_id), i.status, i.my_part, i.next_step, f"{i.deadline or ''}"]
                 for i in items], max_width=60)
    print(f"待我办理 {len(items)} 件")
    return 0


def run_dispatch_show(args: argparse.Namespace) -> int:
    views = read_case(args, case_dispatches)
    if args.json:
        print_json(views)
        return 0
    for v in views:
        print(f"派单{v.id}　{v.status}　退回重办 {v.redo_count} 次")
        for t in v.targets:
            print(f"  {t.role}　{t.unit_name}　{t.person or ''}　时限 {t.deadline or '—'}")
        for h in v.history:
            print(f"  {h.at.astimezone():%Y-%m-%d %H:%M}　{h.step}　{h.action}　{h.to_status}　{h.user or ''}　{h.text}")
    return 0


def run_dispatch_move(args: argparse.Namespace) -> int:
    view = write_as(args, lambda session, actor: move_dispatch(session, args.dispatch, args.action, actor, args.text))
    print(f"派单{view.id}：{view.status}" + "".join(f"；{t.role}时限 {t.deadline}" for t in view.targets if t.deadline))
    return 0


def run_dispatch_evaluate(args: argparse.Namespace) -> int:
    view = write_as(args, lambda session, actor: evaluate_dispatch(session, args.dispatch, args.satisfaction, actor,
                                                                    args.text))
    print(f"派单{view.id}：{view.status}")
    return 0


def _register_arbitration(sub: argparse._SubParsersAction, command: Any) -> None:
    arb = sub.add_parser("arbitration", help="仲裁：申请（类别、仲裁委、协议、劳动关系）与各日期")
    arb_sub = arb.add_subparsers(dest="arbitration_command", metavar="操作", required=True)
    show = command(arb_sub, "show", "该案件的仲裁记录与时限", run_arbitration_show)
    show.add_argument("--json", action="store_true")
    apply = command(arb_sub, "apply", "记录仲裁申请（先行检查该类别的受理条件）", run_arbitration_apply)
    apply.add_argument("--track", required=True, choices=list(TRACK_RULES))
    apply.add_argument("--commission", required=True, help="仲裁委员会")
    apply.add_argument("--agreement", action="store_true", help="有书面仲裁协议（商事仲裁必须）")
    apply.add_argument("--employment", action="store_true", help="存在劳动/人事关系（劳动仲裁必须）")
    apply.add_argument("--knew-on", type=Day, metavar="YYYY-MM-DD", help="知道权利受侵害之日")
    apply.add_argument("--applied-on", type=Day, metavar="YYYY-MM-DD", help="申请日期")
    rec = command(arb_sub, "record", "记录受理、裁决/调解书、送达等日期（最近一条仲裁记录）", run_arbitration_record)
    for name, helptext in (("applied-on", "申请日期"), ("accepted-on", "受理日期"), ("award-on", "裁决/调解书日期"),
                           ("award-served-on", "送达日期"), ("sued-on", "不服裁决起诉日期")):
        rec.add_argument(f"--{name}", type=Day, metavar="YYYY-MM-DD", help=helptext)
    rec.add_argument("--case-number", help="仲裁案号")
    rec.add_argument("--result", choices=ARBITRATION_RESULTS, help="结果")


def _register_supervision(sub: argparse._SubParsersAction, command: Any) -> None:
    sup = sub.add_parser("supervise", help="督办单：下达、回复、列表")
    sup_sub = sup.add_subparsers(dest="supervise_command", metavar="操作", required=True)
    issue = command(sup_sub, "issue", "下达督办单", run_supervise_issue)
    issue.add_argument("--level", required=True, choices=SUPERVISION_LEVELS,
                       help="、".join(f"{k}={v}" for k, v in LEVEL_NAMES.items()))
    issue.add_argument("--requirement", required=True, help="督办要求")
    issue.add_argument("--reply-due", type=Day, required=True, metavar="YYYY-MM-DD", help="回告期限")
    reply = command(sup_sub, "reply", "回复督办单", run_supervise_reply, case=False)
    reply.add_argument("order", metavar="督办单号")
    reply.add_argument("--reply", required=True, help="回告内容")
    lst = command(sup_sub, "list", "列出督办单（待回复、已回复、回复超期）", run_supervise_list, case=False)
    lst.add_argument("--open", action="store_true", help="只列待回复的")
    lst.add_argument("--json", action="store_true")


def run_level_targets(args: argparse.Namespace) -> int:
    targets = read_case(args, level_targets)
    print_table(["方向", "单位", "层级"], [[t.direction, t.name, t.level] for t in targets])
    return 0


def run_level_move(args: argparse.Namespace) -> int:
    moved = write_on_case(args, lambda session, case_id, actor: move_level(
        session, case_id, find_unit_id(session, args.to), args.reason, actor))
    print(f"已{moved.direction}：{moved.from_unit or '—'} → {moved.to_unit}（{moved.to_level}）")
    return 0


def run_consult(args: argparse.Namespace) -> int:
    departments = args.departments.replace("，", "、").replace(",", "、").split("、")
    view = write_on_case(args, lambda session, case_id, actor: record_consultation(
        session, case_id, args.held_on, args.host, departments, args.topic, actor, args.conclusion))
    print(f"已记录会诊：{view.held_on}　{'、'.join(view.departments)}")
    return 0


def run_arbitration_show(args: argparse.Namespace) -> int:
    records = read_case(args, case_arbitrations)
    if args.json:
        print_json(records)
        return 0
    for r in records:
        print(f"{r.track}·{r.commission}　协议：{'有' if r.has_agreement else '无'}　申请 {r.applied_on or '—'}　"
              f"受理 {r.accepted_on or '—'} {r.case_number or ''}　裁决 {r.award_on or '—'}　送达 {r.award_served_on or '—'}")
        for c in r.clocks:
            print(f"  {c.name}：到期 {c.due_date}　{c.colour_reason}")
    return 0


def run_arbitration_apply(args: argparse.Namespace) -> int:
    view = write_on_case(args, lambda session, case_id, actor: open_arbitration(
        session, case_id, args.track, args.commission, actor, has_agreement=args.agreement,
        employment_relation=args.employment, knew_on=args.knew_on, applied_on=args.applied_on))
    print(f"已记录仲裁申请：{view.track}·{view.commission}")
    return 0


def run_arbitration_record(args: argparse.Namespace) -> int:
    names = ("applied_on", "accepted_on", "award_on", "award_served_on", "sued_on", "case_number", "result")
    given = {k: getattr(args, k) for k in names if getattr(args, k) is not None}

    def update_latest(session: Session, case_id: int, actor: Actor) -> ArbitrationView:
        records = case_arbitrations(session, case_id)
        if not records:
            raise NotFound("该案件尚无仲裁申请记录，请先用 arbitration apply 记录")
        return update_arbitration(session, records[-1].id, actor, **given)
    view = write_on_case(args, update_latest)
    for c in view.clocks:
        print(f"{c.name}：到期 {c.due_date}　{c.colour_reason}")
    return 0


def run_supervise_issue(args: argparse.Namespace) -> int:
    view = write_on_case(args, lambda session, case_id, actor: issue_supervision(
        session, case_id, args.level, args.requirement, args.reply_due, actor))
    print(f"已下达 {view.number}（{view.level}），限 {view.reply_due} 前回复")
    return 0


def run_supervise_reply(args: argparse.Namespace) -> int:
    view = write_as(args, lambda session, actor: reply_supervision(session, find_order_id(session, args.order),
                                                                    args.reply, actor))
    print(f"已回复 {view.number}：{view.replied_on}")
    return 0


def run_supervise_list(args: argparse.Namespace) -> int:
    db = database(args)
    with db.read() as session:
        require(session, acting_user(args, db), Permission.CASE_VIEW)
        orders = list_supervisions(session, open_only=args.open)
    if args.json:
        print_json(orders)
        return 0
    state = lambda o: "已回复" if o.reply else ("回复超期" if o.overdue_reply else "待回复")  # noqa: E731
    print_table(["督办单号", "级别", "案件编号", "下达日", "回告期限", "状态", "督办要求"],
                [[o.number, o.level, o.case_number, f"{o.issued_on}", f"{o.reply_due}", state(o), o.requirement]
                 for o in orders], max_width=80)
    print(f"共 {len(orders)} 件")
    return 0
