"""Operator commands for accounts, the audit trail and backups:
`setup-admin`, `passwd --user NAME`, `user add/lock/unlock/list/handover`, `audit verify/anchor`, `backup -o FILE`,
`restore FILE`.

Who acts: `--user NAME` signs in as that user (see desktop.commands.context); only `backup` and
`audit verify` may run without it, on a local SQLite file, as the audited local operator.
`break-glass` lets the owner of the database reset a lost administrator password."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.commands.context import (
    acting_user,
    add_db_option,
    check_local_operator,
    database,
    database_owner,
    local_operator,
    read_secret,
)
from desktop.commands.output import print_table
from models import clock
from models.casefile.integrity import missing_files
from models.dto import Actor
from models.files.store import verify_store
from models.org import handover
from models.security import accounts, anchors, audit, backup, guards
from models.security.files import write_private
from models.security.permissions import Permission, require


def register(sub: argparse._SubParsersAction) -> None:
    _register_setup(sub)
    _register_passwd(sub)
    _register_user(sub)
    _register_audit(sub)
    _register_backup(sub)


def _command(parent: argparse._SubParsersAction, name: str, help_text: str, handler: object,
             *, acting: bool = True) -> argparse.ArgumentParser:

    parser = parent.add_parser(name, help=help_text)
    add_db_option(parser, sign_in=acting)
    if not acting:
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入逐行读取密码（不提示）")
    parser.set_defaults(handler=handler)
    return parser


def _register_setup(sub: argparse._SubParsersAction) -> None:
    setup = _command(sub, "setup-admin", "首次使用：创建三类管理员之一（仅在尚无该类管理员时；没有默认账户）",
                     run_setup, acting=False)
    setup.add_argument("--username", required=True, help="登录名")
    setup.add_argument("--name", required=True, help="姓名")
    setup.add_argument("--role", default="系统管理员", help="系统管理员（默认）、安全管理员或审计管理员")
    glass = _command(sub, "break-glass", "紧急重置管理员密码：仅限本机 SQLite 文件或服务器数据库的所有者，记入审计",
                     run_break_glass, acting=False)
    glass.add_argument("username", metavar="USERNAME", help="遗失密码的管理员登录名")


def _register_passwd(sub: argparse._SubParsersAction) -> None:
    passwd = _command(sub, "passwd", "修改自己的密码（--password-stdin 时逐行读取：原密码、新密码）", run_passwd,
                      acting=False)
    passwd.add_argument("--user", metavar="NAME", required=True, help="要修改密码的账户（即您自己的登录名）")


def _register_user(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="账户管理")
    user_sub = user.add_subparsers(dest="user_command", metavar="操作", required=True)
    add = _command(user_sub, "add", "新建账户（初始密码须在首次登录时修改）", run_user_add)
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--role", required=True, help="角色：调解员 诉调对接专员 书记员 网格员 包案领导 系统管理员 安全管理员 审计管理员")
    for name, text, handler in (("lock", "停用账户", run_user_lock), ("unlock", "启用账户并解除登录锁定", run_user_unlock)):
        _command(user_sub, name, text, handler).add_argument("username", metavar="USERNAME")
    _command(user_sub, "list", "列出账户", run_user_list)
    hand = _command(user_sub, "handover", "把某人名下全部在办案件移交给另一名在岗调解员（系统管理员；记入审计）",
                        run_user_handover)
    hand.add_argument("old", metavar="OLD", help="原承办人登录名（如离职人员）")
    hand.add_argument("new", metavar="NEW", help="接收案件的调解员登录名")


def _register_audit(sub: argparse._SubParsersAction) -> None:
    aud = sub.add_parser("audit", help="审计记录")
    aud_sub = aud.add_subparsers(dest="audit_command", metavar="操作", required=True)
    verify = _command(aud_sub, "verify", "校验审计链，报告第一处断裂", run_audit_verify)
    verify.add_argument("--anchor", metavar="FILE", type=Path, help="用之前导出的锚点文件核对（可发现末尾被删）")
    anchor = _command(aud_sub, "anchor", "导出审计链当前的锚点（请保存在数据库之外）", run_audit_anchor)
    anchor.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)


def _register_backup(sub: argparse._SubParsersAction) -> None:
    bak = _command(sub, "backup", "在线备份本机数据库（SQLite 备份接口，不影响正在使用）", run_backup)
    bak.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    res = _command(sub, "restore", "从备份恢复（先检查完整性，损坏的文件拒绝恢复；当前数据另存一份）", run_restore)
    res.add_argument("file", metavar="FILE", type=Path)


# --- helpers ---------------------------------------------------------------------------------

# --- handlers --------------------------------------------------------------------------------

def run_setup(args: argparse.Namespace) -> int:
    db = database(args, create=True)
    with db.read() as session:
        accounts.check_bootstrap(session, args.role)  # before asking for a password
    password = read_secret(args, "设置管理员密码：", confirm=True)
    with db.write.begin() as session:
        accounts.setup_first_admin(session, args.username, args.name, password, args.role)
    print(f"已创建{args.role} {args.username}。三类管理员（系统、安全、审计）各用一个账户，均以 setup-admin --role 创建。")
    return 0


def run_break_glass(args: argparse.Namespace) -> int:
    db = database(args)
    owner = database_owner(db)
    password = read_secret(args, f"{args.username} 的一次性新密码：", confirm=True)
    with db.write.begin() as session:
        accounts.break_glass_reset(session, args.username, password, owner)
    print(f"已紧急重置 {args.username} 的密码（一次性密码，首次登录须修改；已记入审计：break_glass，所有者 {owner}）")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    db = database(args)
    old = read_secret(args, f"{args.user} 的原密码：")
    new = read_secret(args, "新密码：", confirm=True)
    # signing in first counts a wrong original password toward lockout, as at the sign-in window
    signed = accounts.login(db.write, args.user, old)
    with db.write.begin() as session:
        accounts.change_password(session, signed.user_id, old, new)
    print(f"已修改 {args.user} 的密码，下次登录请使用新密码")
    return 0


def run_user_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    password = read_secret(args, f"{args.username} 的初始密码：", confirm=True)
    with db.write.begin() as session:
        accounts.add_user(session, actor, args.username, args.name, args.role, password)
    print(f"已创建账户 {args.username}（{args.role}），首次登录须修改密码")
    return 0


def run_user_lock(args: argparse.Namespace) -> int:
    return _change_account(args, accounts.lock_user, f"已停用账户 {args.username}")


def run_user_unlock(args: argparse.Namespace) -> int:
    return _change_account(args, accounts.unlock_user, f"已启用账户 {args.username}，登录锁定已解除")


def _change_account(args: argparse.Namespace, change: Callable[[Session, Actor, int], None], done: str) -> int:
    """Lock or unlock the named account as the signed-in administrator."""
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        change(session, actor, accounts.find_user(session, args.username).id)
    print(done)
    return 0


def run_user_list(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        accounts.require_account_admin(session, actor)
        rows = accounts.list_users(session)
    now = clock.now()
    print_table(["用户名", "姓名", "角色", "窗口", "状态", "最近登录"], [
        [r.username, r.display_name, r.role, r.desk, r.status(now),
         r.last_login_at.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M") if r.last_login_at else ""]
        for r in rows])
    return 0


def run_user_handover(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        old, new = accounts.find_user(session, args.old), accounts.find_user(session, args.new)
        moved = handover.hand_over_cases(session, actor, old.id, new.id)
    print(f"已将 {args.old} 名下 {len(moved)} 件在办案件移交给 {args.new}（已记入审计）："
          + "、".join(case.number for case in moved))
    return 0


def run_audit_verify(args: argparse.Namespace) -> int:
    db = database(args, guarded=False)  # verify reports missing guards instead of refusing
    given = audit.read_anchor(args.anchor) if args.anchor else None
    found, refused = anchors.load_anchors(db)
    with db.engine.connect() as conn:
        missing = guards.missing_guards(conn)
    if missing and not args.user:  # report without writing: the trail is unprotected
        check_local_operator(args, db, "audit verify")
        actor = Actor()
    else:
        actor = local_operator(args, db, "audit verify")
    with db.read() as session:
        require(session, actor, Permission.AUDIT_VERIFY)
        report = audit.verify_chain(session, given, tuple(p.anchor for p in found))
        changed_files = [problem.message for problem in verify_store(session)]
        changed_files += [problem.message for problem in missing_files(session)]
    for line in _anchor_lines(found, refused, given):
        print(line)
    if missing:
        print(f"审计保护触发器缺失或被停用：{'、'.join(missing)}（数据库曾被绕过程序改动）", file=sys.stderr)
    if not report.ok:
        print(f"审计链断裂：{report.problem}（已核对 {report.checked} 条）", file=sys.stderr)
    for message in changed_files:
        print(message, file=sys.stderr)
    if missing or not report.ok or changed_files:
        return 1
    with db.write.begin() as session:
        audit.record_event(session, actor, "audit_verify", "audit_log", None, ok=True, checked=report.checked,
                           anchors=len(found) + bool(given))
    print(f"审计链完整：共 {report.checked} 条" + ("，与锚点一致" if given or found else "，未找到锚点"))
    return 0


def _anchor_lines(found: list[anchors.PlacedAnchor], refused: list[str], given: audit.Anchor | None) -> list[str]:
    """What each anchor covers: the chain up to its sequence number, as it was at that moment."""
    lines = [f"锚点（{p.place}，{p.anchor.at[:19]}）覆盖第 1–{p.anchor.seq} 条" for p in found[-5:]]
    if len(found) > 5:
        lines.insert(0, f"共 {len(found)} 个自动锚点，均已核对；最近 5 个：")
    if given:
        lines.append(f"锚点文件覆盖第 1–{given.seq} 条")
    if refused:
        lines.append(f"不可能的锚点已拒绝（{'、'.join(refused)}）")
    return lines


def run_audit_anchor(args: argparse.Namespace) -> int:
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.AUDIT_ANCHOR)
        head = audit.chain_head(session)
    write_private(args.output, (head.to_json() + "\n").encode("utf-8"))
    with db.write.begin() as session:  # audited only once the file exists
        audit.record_event(session, actor, "audit_anchor", "audit_log", None, file=args.output.name, seq=head.seq)
    anchors.save_anchor(db, head, "导出")
    print(f"已导出锚点：{head.footer()} → {args.output}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    db = database(args)
    info = backup.backup_database(db, args.output, local_operator(args, db, "backup"))
    print(f"已备份到 {info.path}（{info.size // 1024} KB，审计记录 {info.audit_seq} 条，完整性检查通过）")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    db = database(args)
    safety = backup.restore_database(db, args.file, acting_user(args, db))
    print(f"已从 {args.file} 恢复；恢复前的数据另存为 {safety}")
    return 0
