"""`mediation-desk` entry point: with no sub-command it opens the GUI; sub-commands serve
operators and tests. Known errors print one Chinese line and exit non-zero; Qt is imported only
when the GUI starts (`_start_gui`, the one door from the CLI to desktop.app), so the CLI works on a
machine without a display — an import contract in pyproject.toml keeps it so."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sqlalchemy.exc import DBAPIError

from desktop.commands.context import add_db_option
from models.errors import DomainError

# Each module registers its own sub-commands (register(subparsers)); add new features here.
COMMAND_MODULES = ("desktop.commands.cases", "desktop.commands.database", "desktop.commands.security",
                   "desktop.commands.workflow", "desktop.commands.documents", "desktop.commands.analysis",
                   "desktop.commands.liaison", "desktop.commands.casework", "desktop.commands.casefile",
                   "desktop.commands.sessions")

EXIT_DOMAIN_ERROR = 2
EXIT_DATABASE_ERROR = 3


def _shown(text: str, keep: str = "") -> str:
    """`text` with typed control characters (\\r, \\t…) escaped, so a refusal that echoes input keeps its lines."""
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one Chinese line and exit 2, like every other refusal (sub-parsers inherit it)."""

    def error(self, message: str) -> NoReturn:
        # a typed control character (\r, \n…) is shown escaped: the refusal stays one line
        self.exit(EXIT_DOMAIN_ERROR, f"错误：参数有误：{_shown(message)}（{self.prog} --help 查看用法）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="mediation-desk", description="调解工作台：矛盾纠纷调解案件管理")
    add_db_option(parser, sign_in=False)
    add_sign_in_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_sign_in_options(parser: argparse.ArgumentParser) -> None:
    # own dests: a sub-command's --user must never be mistaken for the window's (or vice versa)
    parser.add_argument("--user", dest="gui_user", metavar="NAME",
                        help="以该用户登录图形界面（与 --password-stdin 合用可免输入，供自动化和截图）")
    parser.add_argument("--password-stdin", dest="gui_password_stdin", action="store_true",
                        help="从标准输入读取一行作为 --user 的密码，不显示登录窗口")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is not None and (args.gui_user or args.gui_password_stdin):
        parser.error("--user / --password-stdin 请写在子命令之后（例如 mediation-desk backup --user NAME …）")
    if args.gui_password_stdin and not args.gui_user:
        parser.error("--password-stdin 需要同时给出 --user NAME")
    try:
        if handler is None:
            return _start_gui(args)
        return int(handler(args) or 0)
    except DomainError as exc:
        print(f"错误：{_shown(exc.message, keep=chr(10))}", file=sys.stderr)  # a listing keeps its line breaks
        return EXIT_DOMAIN_ERROR
    except BrokenPipeError:
        # the reader went away (`… | head`): stop quietly, as command-line tools do
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout must stay open until exit
        return 0
    except DBAPIError as exc:
        print(f"数据库错误：{str(exc.orig or exc).strip().splitlines()[0]}", file=sys.stderr)
        return EXIT_DATABASE_ERROR
    except OverflowError:  # an integer beyond what the database stores
        print("错误：数值超出允许范围", file=sys.stderr)
        return EXIT_DOMAIN_ERROR
    except OSError as exc:  # a file that is missing, a directory, unwritable, or a full disk
        where = f"：{exc.filename}" if exc.filename else ""
        print(f"错误：文件操作失败{where}（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_DOMAIN_ERROR


def _start_gui(args: argparse.Namespace) -> int:
    from desktop.app import run_gui  # Qt is loaded only here

    password = sys.stdin.readline().rstrip("\r\n") if args.gui_password_stdin else None
    return run_gui(getattr(args, "db", None), username=args.gui_user, password=password)


if __name__ == "__main__":
    sys.exit(main())
