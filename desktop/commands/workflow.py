"""`mediation-desk deadlines …`, `calendar import|list`, `supervision thresholds|limits`: the
workflow's lists and settings from the command line (the register is in commands/liaison.py)."""

from __future__ import annotations

import argparse
from datetime import date

from desktop.commands.context import acting_user, add_db_option, database
from desktop.commands.output import print_json, print_table
from models import clock
from models.cases.queries import find_desk_id
from models.deadlines import DeadlineSettings, Period
from models.errors import DomainError, ValidationFailed
from models.org.entities import User
from models.security.permissions import Permission, require
from models.workflow.calendar_store import (
    GENERAL_LIMIT_UNITS,
    KIND_LABELS,
    calendar_rows,
    deadline_settings,
    import_calendar_csv,
    set_thresholds,
    thresholds,
)
from models.workflow.deadline_service import calendar_warnings, change_deadline_settings, resync_open_deadlines
from models.workflow.supervision import DeadlineFilter, due_summary, list_deadlines


def register(sub: argparse._SubParsersAction) -> None:

    dl = sub.add_parser("deadlines", help="期限与督办：即将到期、今日到期和超期事项")
    add_db_option(dl)
    dl.add_argument("--overdue", action="store_true", help="只列已超期的")
    dl.add_argument("--desk", metavar="NAME", help="窗口名称")
    dl.add_argument("--person", metavar="LOGIN", help="承办人登录名")
    dl.add_argument("--today", metavar="YYYY-MM-DD", type=date.fromisoformat, help="按某一天计算（默认今天）")
    dl.add_argument("--json", action="store_true", help="以 JSON 输出")
    dl.set_defaults(handler=run_deadlines)
    _register_calendar(sub, add_db_option)
    sup = sub.add_parser("supervision", help="督办设置")
    sup_sub = sup.add_subparsers(dest="supervision_command", metavar="操作", required=True)
    th = sup_sub.add_parser("thresholds", help="查看或修改三色督办阈值（天）")
    add_db_option(th)
    th.add_argument("--blue", type=int, help="到期前几天起显示蓝色")
    th.add_argument("--yellow", type=int, help="超期几天内显示黄色，超过即红色")
    th.set_defaults(handler=run_thresholds)
    _register_limits(sup_sub, add_db_option)


def _register_calendar(sub: argparse._SubParsersAction, add_db_option) -> None:
    cal = sub.add_parser("calendar", help="节假日与调休日历")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="操作", required=True)
    imp = cal_sub.add_parser("import", help="从 CSV 导入（表头 date,kind,name；覆盖文件所含年度）")
    add_db_option(imp)
    imp.add_argument("file", metavar="FILE", help="CSV 文件（UTF-8 或 GBK）")
    imp.set_defaults(handler=run_calendar_import)
    lst = cal_sub.add_parser("list", help="列出放假日和调休上班日")
    add_db_option(lst)
    lst.add_argument("--year", type=int, help="年度（默认全部）")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.set_defaults(handler=run_calendar_list)


def _register_limits(sup_sub: argparse._SubParsersAction, add_db_option) -> None:
    lim = sup_sub.add_parser("limits", help="查看或修改人民调解一般期限和化解时限")
    add_db_option(lim)
    lim.add_argument("--general", type=int, metavar="N", help="人民调解一般期限长度")
    lim.add_argument("--general-unit", choices=list(GENERAL_LIMIT_UNITS), help="一般期限单位（月/日/工作日）")
    lim.add_argument("--simple", type=int, metavar="N", help="简单纠纷化解时限（日）")
    lim.add_argument("--ordinary", type=int, metavar="N", help="一般纠纷化解时限（日）")
    lim.add_argument("--complex", type=int, metavar="N", help="复杂疑难纠纷化解时限（日）")
    lim.set_defaults(handler=run_limits)


def _person_id(session, login: str) -> int:
    from sqlalchemy import select

    found = session.scalar(select(User.id).where(User.username == login.strip()))
    if found is None:
        raise ValidationFailed(f"找不到用户：{login}")
    return int(found)


def run_deadlines(args: argparse.Namespace) -> int:
    today = args.today or clock.today()
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        flt = DeadlineFilter(
            overdue_only=args.overdue,
            desk_id=find_desk_id(session, args.desk) if args.desk else None,
            person_id=_person_id(session, args.person) if args.person else None,
        )
        rows = list_deadlines(session, today, flt)
        summary = due_summary(session, today, flt)
    if args.json:
        print_json({"today": today, "summary": summary.message, "calendar_warnings": calendar_warnings(rows),
                    "deadlines": rows})
        return 0
    table = [[r.colour or "", r.due_date.isoformat(), _left(r.days_left), r.case_number, r.name, r.desk or "",
              r.person or ""] for r in rows]
    print_table(["颜色", "到期日", "剩余", "案件编号", "期限", "窗口", "承办人"], table)
    print(summary.message)
    for warning in calendar_warnings(rows):
        print(f"注意：{warning}")
    return 0


def _left(days: int) -> str:
    return f"超期{-days}天" if days < 0 else ("今日到期" if days == 0 else f"{days}天")


def run_calendar_import(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        result = import_calendar_csv(session, args.file, actor)
        touched = resync_open_deadlines(session)
    years = "、".join(str(y) for y in result.years)
    print(f"已导入 {result.rows} 天（{years} 年，替换原有 {result.replaced} 天），重算了 {touched} 件案件的期限")
    return 0


def run_calendar_list(args: argparse.Namespace) -> int:
    with database(args).read() as session:
        rows = calendar_rows(session, args.year)
    if args.json:
        print_json([{"date": r.day, "kind": r.kind, "name": r.name} for r in rows])
        return 0
    print_table(["日期", "星期", "类型", "名称"],
                [[r.day.isoformat(), "一二三四五六日"[r.day.weekday()], KIND_LABELS[r.kind], r.name] for r in rows])
    print(f"共 {len(rows)} 天")
    return 0


def run_thresholds(args: argparse.Namespace) -> int:
    db = database(args)
    if args.blue is None and args.yellow is None:
        with db.read() as session:
            values = thresholds(session)
    else:
        actor = acting_user(args, db)
        with db.write.begin() as session:
            current = thresholds(session)
            values = set_thresholds(session, current.blue_days_before if args.blue is None else args.blue,
                                    current.yellow_days_overdue if args.yellow is None else args.yellow, actor)
    print(f"到期前 {values.blue_days_before} 天起显示蓝色；超期 {values.yellow_days_overdue} 天内黄色，超过即红色")
    return 0


def run_limits(args: argparse.Namespace) -> int:
    db = database(args)
    touched = None
    if all(v is None for v in (args.general, args.general_unit, args.simple, args.ordinary, args.complex)):
        with db.read() as session:
            values = deadline_settings(session)
    else:
        actor = acting_user(args, db)
        with db.write.begin() as session:
            touched = change_deadline_settings(session, _edited_limits(deadline_settings(session), args), actor)
            values = deadline_settings(session)
    table = [name + "：" + period.label() for name, period in values.complexity_limits]
    print(f"人民调解一般期限：{values.general_limit.label()}；化解时限 " + "，".join(table))
    if touched is not None:
        print(f"已保存，重算了 {touched} 件案件的期限")
    return 0


def _edited_limits(current: DeadlineSettings, args: argparse.Namespace) -> DeadlineSettings:
    """The current settings with the options given on the command line replacing their values."""
    general = current.general_limit
    limits = dict(current.complexity_limits)
    edits = {"简单": args.simple, "一般": args.ordinary, "复杂疑难": args.complex}
    try:  # Period itself refuses negative lengths; the store refuses zero and bad units
        general = Period(general.length if args.general is None else args.general,
                         args.general_unit or general.unit)
        limits |= {name: Period(n, "day") for name, n in edits.items() if n is not None}
    except DomainError as exc:
        raise ValidationFailed(f"期限设置无效：{exc.message}") from exc
    return DeadlineSettings(general, tuple(limits.items()))

