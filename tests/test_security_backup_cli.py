"""Backups and the security CLI: online backup, restore that refuses damaged files, daily rotation,
and the operator commands (setup-admin, user, audit verify/anchor) with one Chinese line on error."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli import main
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import Database
from models.dto import Actor
from models.org.entities import Role
from models.security import accounts
from models.security.backup import BackupRefused, backup_database, check_backup, daily_backup, restore_database
from tests.support.factories import committee, draft
from tests.support.security import PASSWORD, make_users

pytestmark = pytest.mark.usefixtures("fast_hasher")


def _cases(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def test_backup_and_restore_round_trip(demo_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    info = backup_database(demo_db, target, Actor())
    assert info.audit_seq > 0 and check_backup(target).seq == info.audit_seq
    before = _cases(demo_db)
    with demo_db.write.begin() as s:
        register_case(s, draft(committee(s, "新增")), Actor())
    assert _cases(demo_db) == before + 1
    safety = restore_database(demo_db, target, Actor())
    assert _cases(demo_db) == before and safety.exists()


@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip", "other_db"])
def test_restore_refuses_a_damaged_file(demo_db: Database, tmp_path: Path, damage: str) -> None:
    target = tmp_path / "b.db"
    backup_database(demo_db, target, Actor())
    data = bytearray(target.read_bytes())
    if damage == "garbage":
        data = bytearray(b"not a database" * 100)
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        for offset in range(len(data) // 2, len(data) // 2 + 4096):  # a page in the middle
            data[offset] ^= 0xFF
    target.write_bytes(bytes(data))
    if damage == "other_db":
        target.unlink()
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE t(x)")
    before = _cases(demo_db)
    with pytest.raises(BackupRefused):
        restore_database(demo_db, target, Actor())
    assert _cases(demo_db) == before


def test_daily_backup_runs_once_a_day_and_keeps_the_newest(demo_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    start = date(2026, 1, 1)
    for day in range(5):
        assert daily_backup(demo_db, folder, keep=3, today=start + timedelta(days=day)) is not None
    assert daily_backup(demo_db, folder, keep=3, today=start + timedelta(days=4)) is None
    assert sorted(p.name for p in folder.glob("*.db")) == ["daily-20260103.db", "daily-20260104.db", "daily-20260105.db"]


def test_postgresql_backup_is_refused_with_a_clear_message(db: Database, tmp_path: Path) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL only")
    with pytest.raises(BackupRefused, match="pg_dump"):
        backup_database(db, tmp_path / "x.db", Actor())


def _run(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_accounts_audit_and_backup(capsys, monkeypatch, db_url: str, tmp_path: Path) -> None:
    run = lambda *a, stdin="": _run(capsys, monkeypatch, "--db", db_url, *a, stdin=stdin)  # noqa: E731
    assert run("setup-admin", "--username", "root", "--name", "管理员", "--password-stdin", stdin="Admin-Pass-123\n")[0] == 0
    code, _, err = run("setup-admin", "--username", "again", "--name", "再来", "--password-stdin", stdin="Admin-Pass-123\n")
    assert code == 2 and err.count("\n") == 1 and "已完成初始化" in err
    as_root = ("--user", "root", "--password-stdin")
    code, _, err = run("user", "add", "auditor", "--name", "审计员", "--role", "审计管理员", *as_root,
                       stdin="Admin-Pass-123\nWatch-Tower-77\n")
    assert code == 2 and "初始化时创建" in err  # 三权分立: administrators are created only at bootstrap
    assert run("setup-admin", "--username", "auditor", "--name", "审计员", "--role", "审计管理员", "--password-stdin",
               stdin="Watch-Tower-77\n")[0] == 0
    code, out, _ = run("user", "list", *as_root, stdin="Admin-Pass-123\n")
    assert code == 0 and "auditor" in out and "审计管理员" in out
    code, _, err = run("audit", "verify", *as_root, stdin="Admin-Pass-123\n")
    assert code == 2 and "无权校验审计链" in err  # 三权分立: the system admin cannot audit
    code, _, err = run("user", "list", "--user", "root", "--password-stdin", stdin="wrong\n")
    assert code == 2 and "登录失败" in err
    anchor = tmp_path / "anchor.json"
    assert run("audit", "anchor", "-o", str(anchor), "--user", "auditor", "--password-stdin", stdin="Watch-Tower-77\n")[0] == 0
    code, out, _ = run("audit", "verify", "--anchor", str(anchor), "--user", "auditor", "--password-stdin",
                       stdin="Watch-Tower-77\n")
    assert code == 0 and "与锚点一致" in out
    code, out, _ = run("backup", "-o", str(tmp_path / "b.db"))
    assert code == 0 and "完整性检查通过" in out
    (tmp_path / "bad.db").write_bytes(b"x" * 5000)
    code, _, err = run("restore", str(tmp_path / "bad.db"))
    assert code == 2 and "须以本人账户执行" in err
    code, _, err = run("restore", str(tmp_path / "bad.db"), *as_root, stdin="Admin-Pass-123\n")
    assert code == 2 and "损坏" in err and err.count("\n") == 1
    code, _, err = run("audit", "verify", "--anchor", str(tmp_path / "missing.json"))
    assert code == 2 and "锚点" in err


def test_cli_audit_verify_reports_the_first_broken_link(capsys, monkeypatch, demo_db: Database) -> None:
    from tests.support.security import audit_guards_off

    url = demo_db.engine.url.render_as_string(hide_password=False)
    with demo_db.write.begin() as s, audit_guards_off(s):
        s.execute(__import__("sqlalchemy").text("UPDATE audit_log SET detail = '{}' WHERE seq = 42"))
    code, _, err = _run(capsys, monkeypatch, "--db", url, "audit", "verify")
    assert code == 1 and "第 42 条记录内容被篡改" in err


def test_user_lock_and_unlock_from_the_cli(cli, db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db.is_sqlite:
        pytest.skip("the CLI path is the same on PostgreSQL: run once, on SQLite")
    make_users(db)
    security_admin = f"user{list(Role).index(Role.SECURITY_ADMIN)}"
    for command, active in (("lock", False), ("unlock", True)):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        code, _, err = cli("--db", db_url, "user", command, "user0", "--user", security_admin, "--password-stdin")
        assert code == 0, err
        with db.read() as s:
            assert accounts.find_user(s, "user0").active is active
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, _, err = cli("--db", db_url, "user", "lock", "user0", "--user", "user0", "--password-stdin")
    assert code != 0 and err.count("\n") == 1
