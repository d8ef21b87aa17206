"""`mediation-desk casefile …`: a case's 卷宗 from the command line — add a file, list the files,
the archive checklist, record an agreement's signed copy, and the retention purge (list, then
carry out what the administrator approves). `render dossier NUMBER -o FILE` (documents.py)
assembles the whole 卷宗 as one PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from desktop.commands.context import acting_user, add_db_option, database
from desktop.commands.documents import parse_date
from desktop.commands.output import print_table
from models.casefile.attachments import add_attachment, list_attachments
from models.casefile.categories import CATEGORIES
from models.casefile.checklist import case_ending, checklist
from models.casefile.retention import purge, purge_candidates
from models.casefile.signing import COMMITTEE, MEDIATOR, PARTY, SignatureInput, mark_signed
from models.cases.agreements import Agreement
from models.cases.entities import Party
from models.cases.service import find_case_id, load_case
from models.errors import NotFound, ValidationFailed
from models.security.permissions import Permission, require


def register(sub: argparse._SubParsersAction) -> None:
    casefile = sub.add_parser("casefile", help="卷宗材料：添加、列表、归档检查、协议签字本、过期清理")
    commands = casefile.add_subparsers(dest="casefile_command", metavar="操作", required=True)
    add = _command(commands, "add", "向案件卷宗添加材料（图片、PDF 或 DOCX，按内容识别类型）", run_add)
    add.add_argument("file", metavar="FILE", help="材料文件")
    add.add_argument("--category", required=True, help="材料类别：" + "、".join(CATEGORIES))
    add.add_argument("--description", default="", help="说明")
    add.add_argument("--party", metavar="NAME", help="材料涉及的当事人姓名")
    _command(commands, "list", "列出案件的卷宗材料", run_list)
    _command(commands, "checklist", "归档检查：按结案方式列出必备材料及缺项", run_checklist)
    sign = _command(commands, "sign", "登记已出具协议书的签字本（签字日期、扫描件），最后签字日为生效日", run_sign)
    sign.add_argument("--scan", required=True, metavar="FILE", help="签字本扫描件")
    sign.add_argument("--signed", action="append", default=[], metavar="NAME=YYYY-MM-DD",
                      help="当事人签字日期（每名当事人一次）")
    sign.add_argument("--mediator", required=True, metavar="YYYY-MM-DD", help="调解员签字日期")
    sign.add_argument("--committee", required=True, metavar="YYYY-MM-DD", help="调解委员会盖章日期")
    clean = commands.add_parser("purge", help="列出超过保管期限的材料；--approve 编号 执行经审批的清理（系统管理员）")
    add_db_option(clean)
    clean.add_argument("--approve", type=int, nargs="+", metavar="ID", help="清理这些材料（编号见列表）")
    clean.add_argument("--reason", default="", help="审批意见或依据（执行清理时必填）")
    clean.set_defaults(handler=run_purge)


def _command(parent: argparse._SubParsersAction, name: str, help_text: str, handler: object) -> argparse.ArgumentParser:
    parser = parent.add_parser(name, help=help_text)
    add_db_option(parser)
    parser.add_argument("number", metavar="NUMBER", help="案件编号")
    parser.set_defaults(handler=handler)
    return parser


def _read(path: str) -> tuple[str, bytes]:
    file = Path(path)
    if not file.is_file():
        raise ValidationFailed(f"文件不存在或不是文件：{path}")
    return file.name, file.read_bytes()


def run_add(args: argparse.Namespace) -> int:
    name, data = _read(args.file)
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        case_id = find_case_id(session, args.number)
        party_id = _party_id(session, case_id, args.party) if args.party else None
        view = add_attachment(session, case_id, filename=name, data=data, category=args.category, actor=actor,
                              description=args.description, party_id=party_id)
    print(f"已添加 {view.filename}（{view.category}，{view.pages} 页，材料编号 {view.id}，SHA-256 {view.sha256[:16]}…）")
    return 0


def _party_id(session, case_id: int, name: str) -> int:
    found = session.scalars(select(Party.id).where(Party.case_id == case_id, Party.name == name.strip())).all()
    if len(found) != 1:
        raise NotFound(f"本案没有名为“{name}”的当事人" if not found else f"本案有多名“{name}”，请在图形界面中选择")
    return found[0]


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        views = list_attachments(session, find_case_id(session, args.number), actor)
    rows = [[str(v.id), v.category, v.filename, v.description, v.party, v.media_type, str(v.pages), f"{v.size:,}"]
            for v in views]
    print_table(["编号", "类别", "文件名", "说明", "当事人", "类型", "页数", "字节"], rows)
    print(f"共 {len(views)} 件")
    return 0


def run_checklist(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        case = load_case(session, find_case_id(session, args.number))
        ending, items = case_ending(session, case), checklist(session, case)
    print(f"结案方式：{ending}")
    for label, present in items:
        print(f"{'✓' if present else '✗ 缺少'}　{label}")
    missing = [label for label, present in items if not present]
    print("卷宗齐全，可以归档" if not missing else f"尚缺 {len(missing)} 项，不能归档")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    name, data = _read(args.scan)
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        case_id = find_case_id(session, args.number)
        agreement_id = session.scalar(select(Agreement.id).where(Agreement.case_id == case_id, Agreement.oral.is_(False))
                                      .order_by(Agreement.id.desc()))
        if agreement_id is None:
            raise NotFound(f"案件 {args.number} 没有书面调解协议")
        signatures = [_party_signature(session, case_id, raw) for raw in args.signed]
        signatures += [SignatureInput(MEDIATOR, _day(args.mediator, "调解员签字日期")),
                       SignatureInput(COMMITTEE, _day(args.committee, "调解委员会盖章日期"))]
        view = mark_signed(session, agreement_id, signatures, scan_name=name, scan=data, actor=actor)
    print(f"已登记协议 {view.agreement_number} 的签字本，生效日期 {view.effective_on.isoformat()}（司法确认申请期限自此起算）")
    return 0


def _day(raw: str, label: str):
    day = parse_date(raw, label)
    assert day is not None
    return day


def _party_signature(session, case_id: int, raw: str) -> SignatureInput:
    name, sep, day = raw.partition("=")
    if not sep:
        raise ValidationFailed(f"--signed 的格式应为 姓名=YYYY-MM-DD：{raw}")
    return SignatureInput(PARTY, _day(day, f"{name}的签字日期"), party_id=_party_id(session, case_id, name))


def run_purge(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    if args.approve:
        with db.write.begin() as session:
            report = purge(session, actor, list(args.approve), args.reason)
        print(f"已清理 {report.removed} 件材料，删除存储文件 {report.files_deleted} 个（{report.bytes_freed:,} 字节），已记入审计日志")
        return 0
    with db.read() as session:
        due = purge_candidates(session, actor)
    print_table(["编号", "案件编号", "类别", "说明", "结案日期", "保管期满"],
                [[str(c.attachment_id), c.case_number, c.category, c.description, c.closed_on.isoformat(),
                  c.expires_on.isoformat()] for c in due])
    print(f"共 {len(due)} 件超过保管期限；审批后执行：mediation-desk casefile purge --approve 编号… --reason 审批意见")
    return 0
