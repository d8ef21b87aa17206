"""`mediation-desk session …` and `followup …`: mediation sessions (schedule one ahead, record one
held, list a case's, the day list 今日调解安排) and 回访 (record a visit, list a case's, the 待回访
list) — the same services as the case view's 调解记录 and 回访 dialogs."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.commands.context import acting_user, add_db_option, database, read_case
from desktop.commands.output import print_json, print_table
from forms.values import validate_amount
from models import clock
from models.cases.entities import Case
from models.cases.followups import METHODS, FollowUpInput, case_followups, followups_due, record_followup
from models.cases.queries import find_case_id
from models.cases.service import load_case
from models.cases.sessions import (
    SessionInput,
    SessionPartyInput,
    SessionView,
    add_session,
    case_sessions,
    session_view,
    sessions_on,
    update_session,
)
from models.cases.stages import PERFORMANCES, SATISFACTIONS
from models.deadlines import days_left_text
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import User
from models.security.permissions import Permission, require

Day = date.fromisoformat


def _names(text: str | None) -> list[str]:
    """'张三、李四' or '张三,李四' → ['张三', '李四']."""
    if not text:
        return []
    for sep in ("，", ",", "；", ";"):
        text = text.replace(sep, "、")
    return [n.strip() for n in text.split("、") if n.strip()]


def _at(text: str | None) -> datetime | None:
    """--at as typed; a bad one is refused in one Chinese line (not argparse's English)."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError:
        raise ValidationFailed(f"调解时间格式应为 YYYY-MM-DD HH:MM，收到：{text}") from None


def register(sub: argparse._SubParsersAction) -> None:
    def command(parent: Any, name: str, helptext: str, handler: Any) -> argparse.ArgumentParser:
        cmd = parent.add_parser(name, help=helptext)
        add_db_option(cmd)
        cmd.set_defaults(handler=handler)
        return cmd

    ses = sub.add_parser("session", help="调解记录：安排、记录、查看调解，今日调解安排")
    ses_sub = ses.add_subparsers(dest="session_command", metavar="操作", required=True)
    add = command(ses_sub, "add", "安排一次调解（不填结果）或记录一次已举行的调解", run_session_add)
    add.add_argument("case", metavar="案件编号")
    add.add_argument("--at", required=True, metavar="YYYY-MM-DD HH:MM", help="调解时间")
    _session_options(add, required=True)
    edit = command(ses_sub, "edit", "修改一次调解（如为已安排的调解填写结果）；未给出的项目保持不变", run_session_edit)
    edit.add_argument("session", type=int, metavar="调解记录编号")
    edit.add_argument("--at", metavar="YYYY-MM-DD HH:MM", help="调解时间")
    _session_options(edit, required=False)
    listing = command(ses_sub, "list", "该案件的调解（含已安排的）", run_session_list)
    listing.add_argument("case", metavar="案件编号")
    listing.add_argument("--json", action="store_true")
    today = command(ses_sub, "today", "今日调解安排（全部窗口，或 --my-desk 本窗口）", run_session_today)
    today.add_argument("--day", type=Day, metavar="YYYY-MM-DD", help="其他日期（默认今天）")
    today.add_argument("--my-desk", action="store_true", help="只列本人所在窗口的案件")
    today.add_argument("--json", action="store_true")
    _register_followup(sub, command)


def _session_options(cmd: argparse.ArgumentParser, *, required: bool) -> None:
    cmd.add_argument("--place", required=required, help="调解地点")
    cmd.add_argument("--mediators", metavar="登录名", help="调解员登录名，逗号或“、”分隔（默认：本人）")
    cmd.add_argument("--parties", metavar="姓名", help="到场当事人姓名，逗号或“、”分隔")
    cmd.add_argument("--agents", metavar="姓名", help="到场代理人姓名")
    cmd.add_argument("--others", help="其他参加人（文字）")
    cmd.add_argument("--statement", action="append", metavar="姓名：陈述", help="一名当事人的陈述（可多次）")
    cmd.add_argument("--proposal", help="调解员的调解意见")
    cmd.add_argument("--result", help="调解结果（不填即为已安排、尚未举行）")
    cmd.add_argument("--next", dest="next_step", help="下一步安排")


def _register_followup(sub: argparse._SubParsersAction, command: Any) -> None:
    fol = sub.add_parser("followup", help="回访：记录回访、查看、待回访")
    fol_sub = fol.add_subparsers(dest="followup_command", metavar="操作", required=True)
    add = command(fol_sub, "add", "记录一次回访（不满意或未履行将重新调解）", run_followup_add)
    add.add_argument("case", metavar="案件编号")
    add.add_argument("--on", type=Day, metavar="YYYY-MM-DD", help="回访日期（默认今天）")
    add.add_argument("--method", required=True, choices=METHODS, help="回访方式")
    add.add_argument("--parties", metavar="姓名", help="回访的当事人，逗号或“、”分隔（默认：全部当事人）")
    add.add_argument("--performance", required=True, choices=PERFORMANCES, help="履行情况")
    add.add_argument("--amount", help="部分履行时已履行的金额")
    add.add_argument("--satisfaction", required=True, choices=SATISFACTIONS, help="满意度")
    add.add_argument("--notes", default="", help="回访情况")
    listing = command(fol_sub, "list", "该案件的回访记录", run_followup_list)
    listing.add_argument("case", metavar="案件编号")
    listing.add_argument("--json", action="store_true")
    due = command(fol_sub, "due", "待回访：已到回访日期的办结案件", run_followup_due)
    due.add_argument("--all", action="store_true", help="也列出尚未到期的")
    due.add_argument("--mine", action="store_true", help="只列本人承办的案件")
    due.add_argument("--json", action="store_true")


# --- sessions -------------------------------------------------------------------------------------

def _user_ids(session: Session, logins: list[str]) -> tuple[int, ...]:
    ids = []
    for login in logins:
        found = session.scalar(select(User.id).where(User.username == login))
        if found is None:
            raise ValidationFailed(f"找不到调解员账户：{login}")
        ids.append(found)
    return tuple(ids)


def _party_ids(case: Case, names: list[str]) -> dict[str, int]:
    by_name = {p.name: p.id for p in case.parties}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValidationFailed(f"本案件没有这些当事人：{'、'.join(missing)}（当事人：{'、'.join(by_name)}）")
    return {n: by_name[n] for n in names}


def _agent_ids(case: Case, names: list[str]) -> tuple[int, ...]:
    by_name = {a.name: a.id for p in case.parties for a in p.agents}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValidationFailed(f"本案件没有这些代理人：{'、'.join(missing)}")
    return tuple(by_name[n] for n in names)


def _statements(case: Case, items: list[str] | None) -> dict[int, str]:
    found: dict[int, str] = {}
    for item in items or []:
        name, sep, text = item.replace(":", "：").partition("：")
        if not sep:
            raise ValidationFailed(f"--statement 应写成“姓名：陈述”，收到：{item}")
        found[_party_ids(case, [name.strip()])[name.strip()]] = text.strip()
    return found


def _input(session: Session, case: Case, args: argparse.Namespace, actor: Actor,
           base: SessionView | None = None) -> SessionInput:
    """The typed options over `base` (the session as stored, for edit); a name not in the case is refused."""
    at = _at(args.at)
    mediators = _user_ids(session, _names(args.mediators)) if args.mediators else (
        base.mediator_ids if base else tuple(i for i in (actor.user_id,) if i is not None))
    statements = _statements(case, args.statement)
    present = set(_party_ids(case, _names(args.parties)).values()) if args.parties is not None else (
        {p.party_id for p in base.parties if p.present} if base else set())
    earlier = {p.party_id: p.statement for p in base.parties} if base else {}
    spoken = {**earlier, **statements}
    parties = tuple(SessionPartyInput(p.id, p.id in present, spoken.get(p.id, ""))
                    for p in case.parties if p.id in present or spoken.get(p.id))
    return SessionInput(
        held_on=at.date() if at else base.held_on if base else clock.today(),
        start_time=_time(at) if at else base.start_time if base else time(9, 0),
        place=_pick(args.place, base.place if base else ""), mediator_ids=mediators, parties=parties,
        agent_ids=_agent_ids(case, _names(args.agents)) if args.agents is not None else (base.agent_ids if base else ()),
        others=_pick(args.others, base.others if base else ""),
        proposal=_pick(args.proposal, base.proposal if base else ""),
        result=_pick(args.result, base.result if base else ""),
        next_step=_pick(args.next_step, base.next_step if base else ""),
    )


def _time(at: datetime) -> time:
    return time(at.hour, at.minute)


def _pick(given: str | None, stored: str) -> str:
    return stored if given is None else given


def run_session_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)  # signs in before the write transaction (SQLite: one writer)
    with db.write.begin() as session:
        case = load_case(session, find_case_id(session, args.case))
        view = add_session(session, case.id, _input(session, case, args, actor), actor)
    print(f"已{'记录' if view.result else '安排'}调解 {view.id}：{view.case_number}　{view.when}　{view.place}")
    return 0


def run_session_edit(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        base = session_view(session, args.session)
        case = load_case(session, base.case_id)
        view = update_session(session, base.id, _input(session, case, args, actor, base), actor, base.version)
    print(f"已保存调解 {view.id}（{view.status}）：{view.case_number}　{view.when}　{view.place}")
    return 0


def run_session_list(args: argparse.Namespace) -> int:
    views = read_case(args, case_sessions)
    if args.json:
        print_json([{**_plain(v), "status": v.status} for v in views])
        return 0
    if not views:
        print("该案件尚无调解记录")
    for v in views:
        print(f"[{v.id}] {v.when}　{v.place}　{v.status}　调解员：{'、'.join(v.mediators) or '—'}")
        present = [p.name for p in v.parties if p.present] + list(v.agents) + _names(v.others)
        print(f"    到场：{'、'.join(present) or '—'}")
        for p in v.parties:
            if p.statement:
                print(f"    {p.name}陈述：{p.statement}")
        for label, text in (("调解意见", v.proposal), ("调解结果", v.result), ("下一步", v.next_step)):
            if text:
                print(f"    {label}：{text}")
    return 0


def _plain(view: Any) -> dict[str, Any]:
    return dataclasses.asdict(view)


def run_session_today(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    day = args.day or clock.today()
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        rows = sessions_on(session, day, desk_id=actor.desk_id if args.my_desk else None)
    if args.json:
        print_json(rows)
        return 0
    print(f"{day:%Y-%m-%d} 调解安排：共 {len(rows)} 场")
    if rows:
        print_table(["时间", "案件编号", "地点", "调解员", "当事人", "状态"],
                    [[f"{r.start_time:%H:%M}", r.case_number, r.place, r.mediators, r.parties, r.status] for r in rows])
    return 0


# --- follow-ups -----------------------------------------------------------------------------------

def _amount(text: str | None) -> Decimal | None:
    if text is None or not text.strip():
        return None
    result = validate_amount(text)
    if not result.ok:
        raise ValidationFailed(f"已履行金额：{result.message}")
    return result.value if isinstance(result.value, Decimal) else Decimal(str(result.value))


def run_followup_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        case = load_case(session, find_case_id(session, args.case))
        names = _names(args.parties)
        party_ids = tuple(_party_ids(case, names).values()) if names else tuple(p.id for p in case.parties)
        data = FollowUpInput(visited_on=args.on or clock.today(), method=args.method, party_ids=party_ids,
                             performance=args.performance, satisfaction=args.satisfaction,
                             performed_amount=_amount(args.amount), notes=args.notes)
        view = record_followup(session, case.id, data, actor)
        number = case.number
    print(f"已记录回访：{number}　{view.visited_on}　{view.method}　{'、'.join(view.parties)}　"
          f"{view.performance_text}　{view.satisfaction}" + ("　案件已重新进入调解" if view.reopened else ""))
    return 0


def run_followup_list(args: argparse.Namespace) -> int:
    views = read_case(args, case_followups)
    if args.json:
        print_json(views)
        return 0
    if not views:
        print("该案件尚无回访记录")
    for v in views:
        print(f"[{v.id}] {v.visited_on}　{v.method}　{'、'.join(v.parties)}　{v.performance_text}　{v.satisfaction}"
              f"　回访人：{v.visitor or '—'}" + (f"\n    {v.notes}" if v.notes else ""))
    return 0


def run_followup_due(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    today = clock.today()
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        rows = followups_due(session, today, mediator_id=actor.user_id if args.mine else None, include_later=args.all)
    if args.json:
        print_json([{**_plain(r), "days_left": r.days_left(today)} for r in rows])
        return 0
    print(f"待回访：共 {len(rows)} 件")
    if rows:
        print_table(["回访日期", "剩余", "案件编号", "调解员", "办结日期", "依据"],
                    [[f"{r.due_on}", days_left_text(r.days_left(today)), r.case_number, r.mediator or "—", f"{r.closed_on}", r.basis]
                     for r in rows])
    return 0

