"""Operator commands for accounts, the audit trail and backups:
`setup-admin`, `passwd --user NAME`, `user add/lock/unlock/list`, `audit verify/anchor`, `backup -o FILE`,
`restore FILE`.

Who acts: with `--user NAME` the command signs in as that user (password prompted, or the first
line of stdin with --password-stdin) and the services check that user's role; without it the
command runs as the local system operator (see models.security.permissions), and is still audited."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.commands.context import add_db_option, database
from desktop.commands.output import print_table
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.security import accounts, audit, backup
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
    add_db_option(parser)
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入逐行读取密码（不提示）")
    if acting:
        parser.add_argument("--user", metavar="NAME", help="以该用户身份执行（需输入其密码）；省略时为本机系统操作员")
    parser.set_defaults(handler=handler)
    return parser


def _register_setup(sub: argparse._SubParsersAction) -> None:
    setup = _command(sub, "setup-admin", "首次使用：创建第一个系统管理员（没有默认账户）", run_setup, acting=False)
    setup.add_argument("--username", required=True, help="登录名")
    setup.add_argument("--name", required=True, help="姓名")


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

def _secret(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("请再次输入：") != first:
        raise ValidationFailed("两次输入的密码不一致")
    return first


def _actor(args: argparse.Namespace, db: Database) -> Actor:
    if not getattr(args, "user", None):
        return Actor()
    signed = accounts.login(db.write, args.user, _secret(args, f"{args.user} 的密码："))
    return signed.actor()


# --- handlers --------------------------------------------------------------------------------

def run_setup(args: argparse.Namespace) -> int:
    db = database(args)
    password = _secret(args, "设置管理员密码：", confirm=True)
    with db.write.begin() as session:
        accounts.setup_first_admin(session, args.username, args.name, password)
    print(f"已创建系统管理员 {args.username}。请再用该账户创建安全管理员和审计管理员（三权分立，各用一个账户）。")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    db = database(args)
    old = _secret(args, f"{args.user} 的原密码：")
    new = _secret(args, "新密码：", confirm=True)
    # signing in first counts a wrong original password toward lockout, as at the sign-in window
    signed = accounts.login(db.write, args.user, old)
    with db.write.begin() as session:
        accounts.change_password(session, signed.user_id, old, new)
    print(f"已修改 {args.user} 的密码，下次登录请使用新密码")
    return 0


def run_user_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = _actor(args, db)
    password = _secret(args, f"{args.username} 的初始密码：", confirm=True)
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
    actor = _actor(args, db)
    with db.write.begin() as session:
        change(session, actor, accounts.find_user(session, args.username).id)
    print(done)
    return 0


def run_user_list(args: argparse.Namespace) -> int:
    db = database(args)
    actor = _actor(args, db)
    with db.read() as session:
        require(session, actor, Permission.USER_CREATE)
        rows = accounts.list_users(session)
    print_table(["用户名", "姓名", "角色", "状态", "可登录"], [
        [r.username, r.display_name, r.role, "启用" if r.active else "停用", "是" if r.has_password else "否"]
        for r in rows])
    return 0


def run_audit_verify(args: argparse.Namespace) -> int:
    db = database(args)
    actor = _actor(args, db)
    anchor = audit.read_anchor(args.anchor) if args.anchor else None
    with db.write.begin() as session:
        require(session, actor, Permission.AUDIT_VERIFY)
        report = audit.verify_chain(session, anchor)
        audit.record_event(session, actor, "audit_verify", "audit_log", None, ok=report.ok, checked=report.checked)
    if report.ok:
        print(f"审计链完整：共 {report.checked} 条" + ("，与锚点一致" if anchor else ""))
        return 0
    print(f"审计链断裂：{report.problem}（已核对 {report.checked} 条）", file=sys.stderr)
    return 1


def run_audit_anchor(args: argparse.Namespace) -> int:
    db = database(args)
    actor = _actor(args, db)
    with db.write.begin() as session:
        require(session, actor, Permission.AUDIT_ANCHOR)
        audit.record_event(session, actor, "audit_anchor", "audit_log", None, file=args.output.name)
        session.flush()
        head = audit.chain_head(session)
    args.output.write_text(head.to_json() + "\n", encoding="utf-8")
    print(f"已导出锚点：{head.footer()} → {args.output}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    db = database(args)
    info = backup.backup_database(db, args.output, _actor(args, db))
    print(f"已备份到 {info.path}（{info.size // 1024} KB，审计记录 {info.audit_seq} 条，完整性检查通过）")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    db = database(args)
    safety = backup.restore_database(db, args.file, _actor(args, db))
    print(f"已从 {args.file} 恢复；恢复前的数据另存为 {safety}")
    return 0
