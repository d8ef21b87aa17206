"""`mediation-desk render KIND NUMBER`, `export ledger`, `agreement add NUMBER`, `documents NUMBER`
and `document get ID`: official documents from the command line. Every document written is
recorded in the register of issued documents (number, snapshot, SHA-256) and the file kept in the
store; `document get` writes a kept file again, byte for byte (audited, with the permission issuing
needed). A failure prints one Chinese line and leaves no file."""

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
from models.documents.issued import open_issued
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
    ledger_context,
    pdf_twin_of,
    record_issue,
    record_ledger_issue,
    render_for_issue,
    render_ledger,
    save_bytes,
)
from models.documents.settings import DocumentSettings, document_settings, set_document_settings
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
    render.add_argument("--court", metavar="NAME", help="司法确认申请书的受理法院（须为法律规定的法院，默认第一个）")
    render.add_argument("--accept-missing", action="store_true",
                        help="确认本机字体缺少的字符印为〓（未确认时列出这些字符并拒绝出具）")
    render.set_defaults(handler=run_render)
    settings = sub.add_parser("document-settings", help="查看或修改文书设置（双面印刷页码、所在地基层人民法院）")
    add_db_option(settings)
    settings.add_argument("--double-sided", choices=("yes", "no"), help="双面印刷：页码单页居右、双页居左")
    settings.add_argument("--court", metavar="NAME", help="调委会所在地基层人民法院全称")
    settings.set_defaults(handler=run_document_settings)
    _register_export(sub, add_db_option)
    _register_agreement(sub, add_db_option)
    issued = sub.add_parser("documents", help="列出案件已出具的文书")
    add_db_option(issued)
    issued.add_argument("number", metavar="NUMBER", help="案件编号")
    issued.set_defaults(handler=run_issued)
    _register_document(sub, add_db_option)


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


def _register_document(sub: argparse._SubParsersAction, add_db_option) -> None:
    document = sub.add_parser("document", help="已出具的文书（登记簿）")
    document_sub = document.add_subparsers(dest="document_command", metavar="操作", required=True)
    get = document_sub.add_parser("get", help="取出登记簿留存的文书文件（与出具时逐字节相同，记入审计日志）")
    add_db_option(get)
    get.add_argument("id", type=int, metavar="ID", help="登记簿编号（见 documents NUMBER）")
    get.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")
    get.add_argument("--pdf", action="store_true", help="Word 文书取其同时生成的 PDF 副本")
    get.set_defaults(handler=run_document_get)


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
    add.add_argument("--responsibilities", default="", metavar="TEXT", help="各方当事人的责任")
    add.add_argument("--breach", default="", metavar="TEXT", help="违约责任")
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
    if args.kind == "dossier":  # the whole 卷宗 as one PDF (models/casefile/dossier.py)
        return run_render_dossier(args, target, fmt)
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:  # the render holds no write lock
        rendered = render_for_issue(session, args.kind, find_case_id(session, args.number), fmt, actor,
                                    court=args.court, accept_missing=args.accept_missing)
    with db.write.begin() as session:
        view = record_issue(session, rendered, actor, args.corrects)
        save_bytes(target, rendered.data)  # inside the unit of work: a failed write records nothing
    print(f"已生成 {target}（{view.number}，登记簿第 {view.id} 号，SHA-256 {view.sha256[:16]}…）")
    return 0


def run_render_dossier(args: argparse.Namespace, target: Path, fmt: Format) -> int:
    from models.casefile.dossier import build_dossier, refuse_docx

    refuse_docx(fmt)
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        result = build_dossier(session, find_case_id(session, args.number), target, actor)
    print(f"已生成卷宗 {target}（共 {result.pages} 页，卷内目录 {len(result.entries)} 项，SHA-256 {result.sha256[:16]}…）")
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
        twin = pdf_twin_of("ledger", context, fmt)
    with db.write.begin() as session:
        view = record_ledger_issue(session, context, fmt, data, actor, pdf_twin=twin)
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
        responsibilities=args.responsibilities, breach_clause=args.breach,
    )
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        view = record_agreement(session, find_case_id(session, args.number), data, actor)
    print(f"已登记{'口头' if view.oral else '书面'}协议 {view.number}（{len(view.items)} 项）")
    return 0


def run_document_get(args: argparse.Namespace) -> int:
    target = check_writable(args.output)
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:  # the read is audited; a failed write audits nothing
        kept = open_issued(session, actor, args.id, as_pdf=args.pdf, purpose="导出")
        save_bytes(target, kept.data)
    print(f"已取出 {target}（{kept.title}，登记簿第 {kept.view.id} 号，{kept.file_format.upper()}，"
          f"SHA-256 {kept.sha256[:16]}…）")
    return 0


def run_issued(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        views = issued_documents(session, find_case_id(session, args.number))
    rows: Sequence[list[str]] = [
        [str(v.id), v.kind, v.number, v.file_format + ("+pdf" if v.pdf_twin_sha256 else ""),
         f"{v.issued_at:%Y-%m-%d %H:%M}", v.sha256[:16], str(v.corrects_id or "")] for v in views
    ]
    print_table(["编号", "类型", "文书编号", "格式", "出具时间", "SHA-256", "更正"], list(rows))
    print(f"共 {len(rows)} 份")
    return 0


def run_document_settings(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        current = document_settings(session)
        if args.double_sided is not None or args.court is not None:
            current = set_document_settings(session, DocumentSettings(
                double_sided=current.double_sided if args.double_sided is None else args.double_sided == "yes",
                basic_court=current.basic_court if args.court is None else args.court,
            ), actor)
    print(f"双面印刷页码：{'是' if current.double_sided else '否'}；所在地基层人民法院：{current.basic_court or '（按中心所在地推定）'}")
    return 0
