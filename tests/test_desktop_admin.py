"""The administration screens as the system administrator uses them: the 管理 menu shows only his
screens, a numbering change is previewed and seen in the next case's number, a refused pattern
keeps what was typed, a holiday added moves a deadline, and limits/colours are stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop import admin_menu
from desktop.admin_audit import AuditDialog
from desktop.admin_backup import BackupDialog
from desktop.admin_org import CommitteeDialog, OrganisationDialog
from desktop.admin_settings import HolidayDialog, LimitsDialog
from desktop.app import build_main_window
from desktop.main_window import MainWindow
from models import clock
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import Database
from models.dto import Actor
from models.org.entities import Committee, Role
from models.workflow.calendar_store import thresholds
from models.workflow.deadline_service import case_deadlines
from tests.support.desktop import RecordingDialogs
from tests.support.factories import draft, refer
from tests.support.security import make_users


@pytest.fixture
def admin_window(qtbot: QtBot, demo_db: Database, fast_hasher: None) -> Iterator[MainWindow]:
    admin_id = make_users(demo_db)[Role.SYSTEM_ADMIN].user_id  # a real account, password already changed
    window = build_main_window(demo_db, RecordingDialogs(), admin_id)
    qtbot.addWidget(window)
    admin_menu.install(window, window.ctx, Role.SYSTEM_ADMIN, Path("/nonexistent"))
    yield window


def _menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_each_role_sees_only_its_own_admin_screens(qtbot: QtBot, demo_db: Database) -> None:
    mediator = build_main_window(demo_db, RecordingDialogs())
    qtbot.addWidget(mediator)
    assert admin_menu.install(mediator, mediator.ctx, Role.MEDIATOR, Path()) == [] and "管理" not in _menu_texts(mediator)
    assert [a.objectName() for a in admin_menu.install(mediator, mediator.ctx, Role.AUDIT_ADMIN, Path())] == ["auditAction"]
    actions = admin_menu.install(mediator, mediator.ctx, Role.SYSTEM_ADMIN, Path())
    assert [a.objectName() for a in actions] == ["usersAction", "orgAction", "limitsAction", "holidayAction",
                                                 "backupAction"]


def test_a_numbering_change_is_previewed_then_used_by_the_next_case(qtbot: QtBot, admin_window: MainWindow) -> None:
    ctx = admin_window.ctx
    with ctx.db.read() as s:
        committee = s.scalars(select(Committee).order_by(Committee.id)).first()
        assert committee is not None
    dialog = OrganisationDialog(ctx, admin_window)
    qtbot.addWidget(dialog)
    tab = dialog.committees
    row = next(i for i, r in enumerate(tab.rows) if r.id == committee.id)
    editor = CommitteeDialog(ctx, committee.id, tab.rows[row].data, dialog)
    qtbot.addWidget(editor)
    editor.case_pattern.setText("{代字}〔{YYYY}〕{n}号")
    editor.agreement_pattern.setText("{代字}〔{YYYY}〕{n}号")
    assert editor.preview.text().startswith("格式有误")
    editor.submit()
    assert "重号" in editor.error.text() and editor.case_pattern.text() == "{代字}〔{YYYY}〕{n}号"  # nothing lost
    editor.agreement_pattern.setText("{代字}协〔{YYYY}〕{n}号")
    expected = editor.preview.text().removeprefix("案件 ").split("；")[0]
    assert expected.startswith(f"{committee.code}〔2026〕")  # the pinned clock's year
    editor.submit()
    assert editor.result() == editor.DialogCode.Accepted
    with ctx.db.write.begin() as s:
        case = register_case(s, draft(committee.id, received=date(2026, 11, 20)), Actor())
        number = s.get_one(Case, case.id).number
    assert number == expected


def test_a_holiday_added_in_the_year_view_moves_an_open_deadline(qtbot: QtBot, admin_window: MainWindow) -> None:
    ctx = admin_window.ctx
    with ctx.db.write.begin() as s:
        committee_id = s.scalars(select(Committee.id).order_by(Committee.id)).first()
        with clock.pinned(date(2026, 12, 14)):  # registered on the day it was received (no future dates)
            case_id = register_case(s, draft(committee_id, received=date(2026, 12, 14)), Actor()).id
            refer(s, case_id, Actor())
        due = next(d for d in case_deadlines(s, case_id) if d.rule_code == "tm_general").due_date
    dialog = HolidayDialog(ctx, admin_window)
    qtbot.addWidget(dialog)
    dialog.year.setValue(due.year)
    assert "未导入" in dialog.coverage.text()
    dialog.months[due.month - 1].clicked.emit(QDate(due.year, due.month, due.day))
    assert dialog.day.text() == due.isoformat()
    dialog.kind.setCurrentIndex(dialog.kind.findData("holiday"))
    dialog.name.setText("测试假日")
    dialog.save_button.click()
    assert "重算了" in dialog.message.text()
    with ctx.db.read() as s:
        moved = next(d for d in case_deadlines(s, case_id) if d.rule_code == "tm_general").due_date
    assert moved > due and "已导入" in dialog.coverage.text()


def test_a_calendar_csv_is_imported_from_the_year_view(qtbot: QtBot, admin_window: MainWindow, tmp_path: Path) -> None:
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind,name\n2027-02-08,holiday,春节\n2027-02-20,workday,春节调休\n", encoding="utf-8")
    dialogs = admin_window.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    dialogs.answers.append(str(csv))
    dialog = HolidayDialog(admin_window.ctx, admin_window)
    qtbot.addWidget(dialog)
    dialog.import_button.click()
    assert dialog.year.value() == 2027 and "已导入 2 天" in dialog.message.text()
    assert "已导入" in dialog.coverage.text()


def test_limits_and_colours_are_saved_from_their_screen(qtbot: QtBot, admin_window: MainWindow) -> None:
    dialog = LimitsDialog(admin_window.ctx, admin_window)
    qtbot.addWidget(dialog)
    dialog.blue.setValue(5)
    dialog.yellow.setValue(2)
    dialog.submit()
    assert dialog.error.text() == ""
    with admin_window.ctx.db.read() as s:
        stored = thresholds(s)
    assert (stored.blue_days_before, stored.yellow_days_overdue) == (5, 2)


def test_backup_now_copy_elsewhere_and_restore(qtbot: QtBot, admin_window: MainWindow, tmp_path: Path) -> None:
    ctx = admin_window.ctx
    dialogs = ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    dialog = BackupDialog(ctx, tmp_path / "data", admin_window)
    qtbot.addWidget(dialog)
    assert "每日自动备份保存在" in dialog.where.text() and dialog.model.rowCount() == 0
    dialog.back_up_now()
    assert "已备份到 manual-" in dialog.message.text() and dialog.model.rowCount() == 1
    dialog.table.selectRow(0)
    stick = tmp_path / "usb" / "copy.db"
    stick.parent.mkdir()
    dialogs.answers.append(str(stick))
    dialog.copy_selected()
    assert stick.read_bytes() == dialog.files[0].path.read_bytes() and oct(stick.stat().st_mode & 0o777) == "0o600"
    assert not list(stick.parent.glob("*.partial"))
    with ctx.db.write.begin() as s:
        committee_id = s.scalars(select(Committee.id).order_by(Committee.id)).first()
        later = register_case(s, draft(committee_id, received=date(2026, 11, 20)), Actor()).id
    dialogs.answers.append("取消")
    dialog.restore_selected()
    with ctx.db.read() as s:
        assert s.get(Case, later) is not None  # cancelled: nothing replaced
    dialogs.answers.append("恢复")
    dialog.restore_selected()
    assert "已恢复" in dialog.message.text()
    with ctx.db.read() as s:
        assert s.get(Case, later) is None  # the case registered after the backup is gone with the restore


def test_the_audit_administrator_reads_and_verifies_the_trail(qtbot: QtBot, demo_db: Database,
                                                              fast_hasher: None) -> None:
    actors = make_users(demo_db)
    auditor = build_main_window(demo_db, RecordingDialogs(), actors[Role.AUDIT_ADMIN].user_id)
    qtbot.addWidget(auditor)
    dialog = AuditDialog(auditor.ctx, auditor)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 0 and dialog.message.text().startswith("已显示")
    dialog.action.setText("insert")
    dialog.entity.setText("users")
    dialog.search()
    assert {dialog.model.rows[r][5] for r in range(dialog.model.rowCount())} == {"insert"}
    dialog.verify()
    assert dialog.message.text().startswith("审计链完整")
    admin = build_main_window(demo_db, RecordingDialogs(), actors[Role.SYSTEM_ADMIN].user_id)
    qtbot.addWidget(admin)
    refused = AuditDialog(admin.ctx, admin)
    qtbot.addWidget(refused)
    assert refused.model.rowCount() == 0 and "无权查看审计记录" in refused.message.text()
