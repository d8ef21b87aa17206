"""`mediation-desk stats …` and `prevention add`: the statistics (with 环比/同比, breakdowns, the
official 统计报表 and 零报告, the definitions of every rate) and 防激化 records from the command line."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable

from sqlalchemy.orm import Session

from desktop.commands.context import acting_user, database
from desktop.commands.documents import _output_options, output_target, parse_date
from desktop.commands.output import print_json, print_table
from forms.ledger_import import import_ledger, load_mapping
from models.analysis.assessment import (
    INDICATORS,
    SUBJECTS,
    indicator_text,
    ranking,
    ranking_xlsx,
    set_weights,
    weights,
)
from models.analysis.definitions import definitions_markdown
from models.analysis.entities import PREVENTION_KINDS
from models.analysis.prevention import record_prevention
from models.analysis.report import monthly_report
from models.analysis.scope import Period, Scope, StatQuery
from models.analysis.service import ZERO_REPORT, OfficialRow, figure_lines, official_report, percent, statistics
from models.analysis.stats import GROUP_LABELS, GROUPS, Stats
from models.cases.queries import find_desk_id
from models.cases.service import find_case_id
from models.documents.service import check_writable, find_org_unit_id
from models.errors import ValidationFailed
from templates.render import write_atomically


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.cli import add_db_option

    stats = sub.add_parser("stats", help="统计分析：收案、受理、调解成功、比率、防激化，含环比和同比")
    add_db_option(stats)
    stats.add_argument("--from", dest="date_from", metavar="DATE", help="受理日期起（含），如 2026-11-01")
    stats.add_argument("--to", dest="date_to", metavar="DATE", help="受理日期止（含）")
    stats.add_argument("--desk", metavar="NAME", help="只统计该窗口")
    stats.add_argument("--level", metavar="UNIT", help="只统计该层级单位及其下级（如 玉门镇 或 玉门镇/代家滩村）")
    stats.add_argument("--by", action="append", choices=list(GROUPS), default=[],
                       help="分组：type 类型、source 来源、outcome 去向、level 化解层级、desk 窗口、mediator 调解员（可重复）")
    stats.add_argument("--official", action="store_true", help="按人民调解工作统计报表格式输出（无事项时为零报告）")
    stats.add_argument("--definitions", action="store_true", help="输出每个数字和比率的统计口径（Markdown）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.set_defaults(handler=run_stats)
    report = sub.add_parser("report", help="分析报告")
    report_sub = report.add_subparsers(dest="report_command", metavar="内容", required=True)
    monthly = report_sub.add_parser("monthly", help="矛盾纠纷月度分析报告（PDF 或 DOCX）")
    add_db_option(monthly)
    monthly.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，如 2026-11")
    monthly.add_argument("--unit", metavar="NAME", help="报告单位（默认第一个调解组织）")
    _output_options(monthly)
    monthly.set_defaults(handler=run_report_monthly)
    _register_assess(sub, add_db_option)
    imp = sub.add_parser("import", help="导入")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="内容", required=True)
    ledger = imp_sub.add_parser("ledger", help="从 Excel 导入历史台账（全部成功才写入；重复导入不会新增）")
    add_db_option(ledger)
    ledger.add_argument("file", metavar="FILE.xlsx", help="台账文件（第一行为表头）")
    ledger.add_argument("--mapping", metavar="FILE", help="列对应 JSON（{\"字段\": \"表头\"}）；默认按表头自动识别")
    ledger.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ledger.set_defaults(handler=run_import_ledger)
    prevention = sub.add_parser("prevention", help="防激化记录")
    prevention_sub = prevention.add_subparsers(dest="prevention_command", metavar="操作", required=True)
    add = prevention_sub.add_parser("add", help="为案件登记一项防激化成效")
    add_db_option(add)
    add.add_argument("number", metavar="NUMBER", help="案件编号")
    add.add_argument("kind", choices=PREVENTION_KINDS, metavar="KIND", help="、".join(PREVENTION_KINDS))
    add.add_argument("--persons", type=int, required=True, metavar="N", help="涉及人数")
    add.add_argument("--date", metavar="DATE", help="记录日期（默认今天）")
    add.add_argument("--note", default="", help="说明")
    add.set_defaults(handler=run_prevention_add)


def _register_assess(sub: argparse._SubParsersAction, add_db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    assess = sub.add_parser("assess", help="考核：窗口、调解员、网格员、派单部门的排名与权重")
    assess_sub = assess.add_subparsers(dest="assess_command", metavar="操作", required=True)
    rank = assess_sub.add_parser("rank", help="按权重打分排名（可导出 XLSX）")
    add_db_option(rank)
    rank.add_argument("--from", dest="date_from", metavar="DATE", help="期间起（含）")
    rank.add_argument("--to", dest="date_to", metavar="DATE", help="期间止（含）")
    rank.add_argument("--desk", metavar="NAME", help="只考核该窗口的案件")
    rank.add_argument("--by", choices=list(SUBJECTS), default="desk",
                      help="考核对象：desk 窗口、mediator 调解员、grid 网格员、department 派单部门")
    rank.add_argument("--xlsx", metavar="FILE", help="导出排名到 XLSX 文件")
    rank.add_argument("--json", action="store_true", help="以 JSON 输出")
    rank.set_defaults(handler=run_assess_rank)
    weights_cmd = assess_sub.add_parser("weights", help="查看或修改本中心的考核权重（系统管理员）")
    add_db_option(weights_cmd)
    weights_cmd.add_argument("--set", action="append", default=[], metavar="指标=权重",
                             help="如 on_time_rate=30（可重复）；指标：" + "、".join(f"{i.key} {i.label}" for i in INDICATORS))
    weights_cmd.set_defaults(handler=run_assess_weights)


def _query(args: argparse.Namespace, session: Session) -> StatQuery:
    if not args.date_from or not args.date_to:
        raise ValidationFailed("请用 --from 和 --to 给出统计期间（受理日期，含首尾）")
    start, end = parse_date(args.date_from, "起始日期"), parse_date(args.date_to, "截止日期")
    assert start is not None and end is not None  # both given (checked above)
    period = Period(start, end)
    desk = find_desk_id(session, args.desk) if args.desk else None
    unit = find_org_unit_id(session, args.level) if getattr(args, "level", None) else None
    return StatQuery(period, Scope(desk_id=desk, org_unit_id=unit))


def run_stats(args: argparse.Namespace) -> int:
    if args.definitions:
        print(definitions_markdown())
        return 0
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        query = _query(args, session)
        if args.official:
            return _print_official(*official_report(session, actor, query), args.json)
        cmp = statistics(session, actor, query, tuple(dict.fromkeys(args.by)))
    if args.json:
        print_json({
            "period": [query.period.start, query.period.end],
            "figures": cmp.current.figures, "rates": cmp.current.rates,
            "环比": {"period": [cmp.previous.period.start, cmp.previous.period.end], "figures": cmp.previous.figures},
            "同比": {"period": [cmp.year_before.period.start, cmp.year_before.period.end], "figures": cmp.year_before.figures},
            "prevention": [dataclasses.asdict(p) for p in cmp.current.prevention],
            "breakdowns": {by: [dataclasses.asdict(r) for r in rows] for by, rows in cmp.breakdowns.items()},
        })
        return 0
    print(f"统计期间：{query.period.label()}（环比 {cmp.previous.period.label()}，同比 {cmp.year_before.period.label()}）")
    print_table(["项目", "本期", "环比", "同比"], [list(line) for line in figure_lines(cmp)])
    print()
    print_table(["防激化", "件", "人"], [[p.kind, str(p.cases), str(p.persons)] for p in cmp.current.prevention])
    for by, rows in cmp.breakdowns.items():
        print()
        print_table([GROUP_LABELS[by], "收案", "受理", "调解终结", "调解成功", "成功率（%）"],
                    [[r.label, *(str(v) for v in r.counts.values()), percent(r.success_rate())] for r in rows])
    return 0


def _print_official(stats: Stats, rows: list[OfficialRow], as_json: bool) -> int:
    if as_json:
        print_json({"zero_report": stats.is_zero, "rows": [dataclasses.asdict(r) for r in rows]})
        return 0
    print(f"人民调解工作统计报表（{stats.period.label()}）")
    if stats.is_zero:
        print(ZERO_REPORT)
    print_table(["项目", "单位", "数量"], [[r.item, r.unit, r.value] for r in rows])
    return 0


def run_report_monthly(args: argparse.Namespace) -> int:
    month = Period.parse_month(args.month)
    target, fmt = output_target(args)
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        data = monthly_report(session, actor, month, fmt, args.unit)
    write_atomically(target, data)
    print(f"已生成：{target}（{month.label()}，{len(data):,} 字节）")
    return 0


def run_assess_rank(args: argparse.Namespace) -> int:
    target = check_writable(args.xlsx) if args.xlsx else None
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        query = _query(args, session)
        ranked = ranking(session, actor, query, args.by)
    title = f"{SUBJECTS[args.by]}考核排名（{query.period.label()}）"
    if target is not None:
        write_atomically(target, ranking_xlsx(ranked, title))
        print(f"已导出：{target}（{len(ranked)} 行）")
    if args.json:
        print_json([dataclasses.asdict(r) for r in ranked])
    elif target is None:
        print(title)
        print_table(["名次", SUBJECTS[args.by], *(i.label for i in INDICATORS), "得分"],
                    [[str(r.rank), r.name, *(indicator_text(i, r.values[i.key]) for i in INDICATORS), f"{r.score:.1f}"]
                     for r in ranked])
    return 0


def run_assess_weights(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    changes = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValidationFailed(f"请写成 指标=权重：{item}")
        changes[key.strip()] = value
    with (db.write.begin() if changes else db.read()) as session:
        found = set_weights(session, actor, changes) if changes else weights(session)
    print_table(["指标", "名称", "权重"], [[i.key, i.label, f"{float(found[i.key]):g}"] for i in INDICATORS])
    return 0


def run_import_ledger(args: argparse.Namespace) -> int:
    mapping = load_mapping(args.mapping) if args.mapping else None
    db = database(args)
    summary = import_ledger(db, acting_user(args, db), args.file, mapping, dry_run=args.dry_run)
    print(summary.text())
    return 0


def run_prevention_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    on = parse_date(args.date, "记录日期")
    with db.write.begin() as session:
        case_id = find_case_id(session, args.number)
        record_prevention(session, case_id, args.kind, args.persons, actor, args.note, on)
    print(f"已登记：{args.number} {args.kind} {args.persons} 人")
    return 0
