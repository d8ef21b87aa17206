"""`mediation-desk` entry point: with no sub-command it opens the GUI; sub-commands serve
operators and tests. Known errors print one Chinese line and exit non-zero; Qt is imported only
when the GUI starts, so the CLI works on a machine without a display."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError

from models.errors import DomainError

# Each module registers its own sub-commands (register(subparsers)); add new features here.
COMMAND_MODULES = ("desktop.commands.cases", "desktop.commands.database", "desktop.commands.security",
                   "desktop.commands.workflow")

EXIT_DOMAIN_ERROR = 2
EXIT_DATABASE_ERROR = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediation-desk", description="调解工作台：矛盾纠纷调解案件管理")
    add_db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS,
        help="数据库地址（SQLAlchemy URL），默认用户数据目录中的 SQLite 文件；也可用环境变量 MEDIATION_DB_URL",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from desktop.app import run_gui  # Qt is loaded only here

            return run_gui(getattr(args, "db", None))
        return int(handler(args) or 0)
    except DomainError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_DOMAIN_ERROR
    except DBAPIError as exc:
        print(f"数据库错误：{str(exc.orig or exc).strip().splitlines()[0]}", file=sys.stderr)
        return EXIT_DATABASE_ERROR


if __name__ == "__main__":
    sys.exit(main())
