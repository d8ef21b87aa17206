"""`mediation-desk db upgrade` and `mediation-desk demo`."""

from __future__ import annotations

import argparse

from desktop.commands.context import add_db_option, check_local_operator, database, local_operator
from models.db import current_revisions, describe, head_revisions, upgrade_database
from models.demo.cases import DEMO_PASSWORD, check_demo_target, seed_demo, set_demo_passwords
from models.org.reference import ensure_reference_data


def register(sub: argparse._SubParsersAction) -> None:

    db = sub.add_parser("db", help="数据库维护")
    db_sub = db.add_subparsers(dest="db_command", metavar="操作", required=True)
    up = db_sub.add_parser("upgrade", help="把数据库结构升级到最新版本（升级前自动备份 SQLite 文件）")
    add_db_option(up)
    up.set_defaults(handler=run_upgrade)
    demo = sub.add_parser("demo", help="写入演示数据（玉门模式的中心、窗口、调委会和 300 余件案件；可重复运行）")
    add_db_option(demo)
    demo.set_defaults(handler=run_demo)


def run_upgrade(args: argparse.Namespace) -> int:
    db = database(args, upgrade=False, create=True)
    check_local_operator(args, db, "db upgrade")
    before = current_revisions(db.engine)
    backup = upgrade_database(db.engine)
    with db.write.begin() as session:
        ensure_reference_data(session)
    local_operator(args, db, "db upgrade")  # after the upgrade: the audit table may be new
    after = head_revisions()
    if before == after:
        print(f"数据库已是最新版本（{describe(after)}）")
    else:
        print(f"数据库已从 {describe(before)} 升级到 {describe(after)}")
    if backup:
        print(f"升级前备份：{backup}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    db = database(args, create=True)
    with db.write.begin() as session:
        check_demo_target(session)
        result = seed_demo(session)
        accounts = set_demo_passwords(session)
    print(("已写入演示数据" if result.created else "演示数据已存在，未重复写入") + f"，共 {result.cases} 件案件")
    if accounts:
        names = "、".join(f"{username}（{role}）" for username, role in accounts)
        print(f"【演示】可登录的演示账户：{names}，密码均为 {DEMO_PASSWORD}")
        print("【演示】此密码公开，仅供演示；切勿在正式数据库上运行 demo。首次启动仍须创建系统管理员（无默认管理员密码）。")
    return 0
