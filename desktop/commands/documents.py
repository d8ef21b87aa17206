"""`mediation-desk render KIND NUMBER`, `export ledger`, `agreement add NUMBER` and `documents NUMBER`:
official documents from the command line. Every document written is recorded in the register of
issued documents (number, snapshot, SHA-256); a failure prints one Chinese line and leaves no file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop.commands.context import acting_user, add_db_option, database
from desktop.commands.output import print_table
from forms.values import validate_amount, validate_date
from models import clock
from models.cases.agreements import AgreementInput, issued_documents, record_agreement
from models.cases.queries import find_desk_id, parse_stage
from models.cases.service import find_case_id
from models.documents.service import (
    CASE_KINDS,
    FORMATS,
    LEDGER_FORMATS,
    LedgerFilter,
    authorize_unmask,
    check_format,
    check_kind,
    check_writable,
    find_org_unit_id,
    issue,
    ledger_context,
    record_ledger_issue,
    render_ledger,
    save_bytes,
)
from models.errors import ValidationFailed
from models.security.permissions import Permission, require
from templates.render import Format


def register(sub: argparse._SubParsersAction) -> None:

    render = sub.add_parser("render", help="生成案件文书（PDF 或 DOCX），并登记到出具文书登记簿")
    add_db_option(render)
    render.add_argument("kind", metavar="KIND", help="文书类型：" + "、".join(CASE_KINDS))
    render.add_argument("number", metavar="NUMBER", help="案件编号")
    _output_options(render)
    render.add_argument("--corrects", type=int, metavar="ID", help="更正此前出具的文书（登记簿编号）")
    render.set_defaults(handler=run_render)
    _register_export(sub, add_db_option)
    _register_agreement(sub, add_db_option)
    issued = sub.add_parser("documents", help="列出案件已出具的文书")
    add_db_option(issued)
    issued.add_argument("number", metavar="NUMBER", help="案件编号")
    issued.set_defaults(handler=run_issued)


def _output_options(parser: argparse.ArgumentParser, formats: str = "pdf|docx") -> None:
    parser.add_argument("--format", metavar=formats, help=f"{formats.replace('|', '、')}（默认按输出文件扩展名，否则 pdf）")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")


def _register_export(sub: argparse._SubParsersAction, add_db_option) -> None:
    export = sub.add_parser("export", help="导出台账")
    export_sub = export.add_subparsers(dest="export_command", metavar="内容", required=True)
    ledger = export_sub.add_parser("ledger", help="矛盾纠纷排查调处台账（证件号、电话默认脱敏）")
    add_db_option(ledger)
    ledger.add_argument("--from", dest="date_from", metavar="DATE", help="受理日期起（含）")
    ledger.add_argument("--to", dest="date_to", metavar="DATE", help="受理日期止（含）")
    ledger.add_argument("--desk", metavar="NAME", help="窗口名称")
    ledger.add_argument("--level", metavar="UNIT", help="层级单位（乡镇、村或网格；可写“玉门镇/代家滩村”）")
    ledger.add_argument("--stage", help="阶段：诊 调 裁 诉 closed archived")
    ledger.add_argument("--type", dest="type_code", metavar="CODE", help="纠纷类型代码（大类含其子类）")
    ledger.add_argument("--reporter", default="", metavar="NAME", help="填报人")
    ledger.add_argument("--unit", metavar="NAME", help="填报单位（默认为台账所覆盖的单位：所选层级、窗口或中心）")
    ledger.add_argument("--unmasked", action="store_true", help="打印完整证件号和电话（须有权限并填写理由，记入审计日志）")
    ledger.add_argument("--reason", default="", help="导出完整号码的理由")
    ledger.add_argument("--paper", choices=("A4", "A3"), default="A4",
                        help="PDF/DOCX 纸张：A4 横向（常用列，化解情况合并）或 A3 横向（每项一列）")
    _output_options(ledger, "pdf|docx|xlsx")
    ledger.set_defaults(handler=run_export_ledger)


def _register_agreement(sub: argparse._SubParsersAction, add_db_option) -> None:
    agreement = sub.add_parser("agreement", help="调解协议")
    agreement_sub = agreement.add_subparsers(dest="agreement_command", metavar="操作", required=True)
    add = agreement_sub.add_parser("add", help="登记达成的调解协议（同时记录调解结果）")
    add_db_option(add)
    add.add_argument("number", metavar="NUMBER", help="案件编号")
    add.add_argument("--item", action="append", required=True, metavar="TEXT",
                     help="协议条款，可重复；写 {amount} 处打印大小写金额")
    add.add_argument("--amount", metavar="X", help="协议金额，如 12000、1.2万")
    add.add_argument("--performance", default="", metavar="TEXT", help="履行方式")
    add.add_argument("--deadline", metavar="DATE", help="履行期限")
    add.add_argument("--signed", metavar="DATE", help="签订日期（默认今天）")
    add.add_argument("--oral", action="store_true", help="口头协议")
    add.add_argument("--no-confirmation-notice", action="store_true", help="不打印司法确认告知")
    add.set_defaults(handler=run_agreement_add)


# --- parsing ------------------------------------------------------------------------------------

def parse_date(raw: str | None, label: str) -> date | None:
    if raw is None:
        return None
    result = validate_date(raw)
    if not result.ok:
        raise ValidationFailed(f"{label}：{result.message}")
    return result.value


def output_target(args: argparse.Namespace, *, ledger: bool = False) -> tuple[Path, Format]:
    """The output path (checked writable before any work) and the format."""
    target = check_writable(args.output)
    suffix = target.suffix.lower().lstrip(".")
    fmt = args.format or (suffix if suffix in (LEDGER_FORMATS if ledger else FORMATS) else "pdf")
    return target, check_format(fmt, ledger=ledger)


def ledger_filter(session, args: argparse.Namespace) -> LedgerFilter:
    return LedgerFilter(
        date_from=parse_date(args.date_from, "--from 受理日期起"), date_to=parse_date(args.date_to, "--to 受理日期止"),
        desk_id=find_desk_id(session, args.desk) if args.desk else None,
        org_unit_id=find_org_unit_id(session, args.level) if args.level else None,
        dispute_type_code=args.type_code, stage=parse_stage(args.stage) if args.stage else None,
    )


# --- handlers -----------------------------------------------------------------------------------

def run_render(args: argparse.Namespace) -> int:
    check_kind(args.kind)
    target, fmt = output_target(args)
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        case_id = find_case_id(session, args.number)
        data, view = issue(session, args.kind, case_id, fmt, actor, args.corrects)
        save_bytes(target, data)  # inside the unit of work: a failed write records nothing
    print(f"已生成 {target}（{view.number}，登记簿第 {view.id} 号，SHA-256 {view.sha256[:16]}…）")
    return 0


def run_export_ledger(args: argparse.Namespace) -> int:
    target, fmt = output_target(args, ledger=True)
    db = database(args)
    actor, grant = acting_user(args, db), None
    with db.write.begin() as session:  # short: resolve names and audit an unmasked export
        require(session, actor, Permission.CASE_VIEW)
        flt = ledger_filter(session, args)
        if args.unmasked:
            grant = authorize_unmask(session, actor, flt, args.reason)
    with db.read() as session:  # the long render reads in its own snapshot, holding no write lock
        context = ledger_context(session, flt, args.reporter, unmask=grant, reporting_unit=args.unit,
                                 paper=args.paper)
        data = render_ledger(context, fmt)
    with db.write.begin() as session:
        view = record_ledger_issue(session, context, fmt, data, actor)
        save_bytes(target, data)
    print(f"已导出 {target}：{len(context.rows)} 件（登记簿第 {view.id} 号）")
    return 0


def run_agreement_add(args: argparse.Namespace) -> int:
    amount = None
    if args.amount is not None:
        checked = validate_amount(args.amount)
        if not checked.ok:
            raise ValidationFailed(f"--amount 协议金额：{checked.message}")
        amount = checked.value
    data = AgreementInput(
        items=tuple(args.item), signed_on=parse_date(args.signed, "--signed 签订日期") or clock.today(),
        performance=args.performance, performance_deadline=parse_date(args.deadline, "--deadline 履行期限"),
        amount=amount, oral=args.oral, confirmation_notice=not args.no_confirmation_notice,
    )
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        view = record_agreement(session, find_case_id(session, args.number), data, actor)
    print(f"已登记{'口头' if view.oral else '书面'}协议 {view.number}（{len(view.items)} 项）")
    return 0


def run_issued(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        views = issued_documents(session, find_case_id(session, args.number))
    rows: Sequence[list[str]] = [
        [str(v.id), v.kind, v.number, v.file_format, f"{v.issued_at:%Y-%m-%d %H:%M}", v.sha256[:16],
         str(v.corrects_id or "")] for v in views
    ]
    print_table(["编号", "类型", "文书编号", "格式", "出具时间", "SHA-256", "更正"], list(rows))
    print(f"共 {len(rows)} 份")
    return 0
