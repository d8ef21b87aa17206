"""The CLI contract: demo seeding, listing, showing, upgrading, and one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.org.entities import Role
from tests.conftest import Cli
from tests.support.cli_signin import CLI_PASSWORD, ensure_cli_user

M = Role.MEDIATOR

ROOT = Path(__file__).resolve().parents[1]




def test_demo_is_idempotent_and_spans_every_stage(cli: Cli, cli_as: Cli, db_url: str) -> None:
    code, out, _ = cli("--db", db_url, "demo")
    assert code == 0 and "共 320 件" in out
    code, out, _ = cli("demo", "--db", db_url)
    assert code == 0 and "已存在" in out and "共 320 件" in out
    for stage in ("诊", "调", "裁", "诉", "closed", "archived"):
        code, out, _ = cli_as(M, "--db", db_url, "cases", "list", "--stage", stage, "--json")
        assert code == 0 and json.loads(out)["total"] > 0


def test_list_json_filters_and_show(cli_as: Cli, demo_url: str) -> None:
    code, out, _ = cli_as(M, "--db", demo_url, "cases", "list", "--desk", "人民法院诉调对接中心", "--json")
    listed = json.loads(out)
    assert code == 0 and listed["total"] > 0
    assert {c["desk"] for c in listed["cases"]} == {"人民法院诉调对接中心"}
    number = listed["cases"][0]["number"]
    code, out, _ = cli_as(M, "--db", demo_url, "case", "show", number, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["number"] == number and shown["parties"]
    # the first event recorded at the centre is 登记 (court dates before it, e.g. 法院委派, are day-only)
    assert next(e for e in shown["events"] if not e["day_only"])["action"] == "登记"
    surname = shown["parties"][0]["name"][0]
    code, out, _ = cli_as(M, "--db", demo_url, "cases", "list", "--search", surname, "--json")
    assert number in out or json.loads(out)["total"] > 0
    code, out, _ = cli_as(M, "--db", demo_url, "case", "show", number)
    assert code == 0 and number in out and "流转记录" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["case", "show", "没有这个案号"], "找不到案件"),
        (["cases", "list", "--stage", "完"], "未知的阶段"),
        (["cases", "list", "--desk", "火星窗口"], "找不到窗口"),
    ],
)
def test_bad_input_prints_one_line(cli_as: Cli, demo_url: str, args: list[str], needle: str) -> None:
    code, out, err = cli_as(M, "--db", demo_url, *args)
    assert code != 0 and out == ""
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_database_urls(cli: Cli, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"\x00garbage" * 512)
    for url, needle in ((f"sqlite:///{corrupt}", "损坏"), ("mysql+nodriver://x/y", "数据库地址无效")):
        code, _, err = cli("--db", url, "cases", "list")
        assert code != 0 and needle in err and err.count("\n") == 1


def test_db_upgrade(cli: Cli, db_url: str) -> None:
    code, out, _ = cli("--db", db_url, "db", "upgrade")
    assert code == 0 and "升级到" in out
    code, out, _ = cli("--db", db_url, "db", "upgrade")
    assert code == 0 and "已是最新" in out


def test_installed_entry_point_and_env_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    env = {"MEDIATION_DB_URL": url, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "case", "show", "X"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2 and "数据库文件不存在" in done.stderr
    assert not (tmp_path / "env.db").exists()  # a read command never creates a database


def test_a_command_never_loads_qt(tmp_path: Path) -> None:
    """The import contract checks the code; this checks a real run (no display needed), signed in."""
    url = f"sqlite:///{tmp_path / 'q.db'}"
    username = ensure_cli_user(url, M)
    probe = ("import sys; from desktop.cli import main; "
             f"code = main(['--db', '{url}', 'cases', 'list', '--user', '{username}', '--password-stdin']); "
             "print(code, any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          input=f"{CLI_PASSWORD}\n")
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr
