"""Every dialog fits a 1366×768 monitor with its buttons on screen, and no English Qt string is left
in what a user sees (Qt's own buttons, the calendar, the file dialog)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QDate, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.admin_org import CommitteeDialog, DeskDialog, DisputeTypeDialog, OrganisationDialog
from desktop.admin_settings import HolidayDialog, LimitsDialog
from desktop.agreement_dialog import AgreementDialog
from desktop.context import DeskContext
from desktop.dispatch_dialogs import DispatchDialog
from desktop.document_dialog import DocumentDialog
from desktop.intake_dialog import IntakeDialog
from desktop.ledger_export_dialog import LedgerExportDialog
from desktop.liaison_workspace import ReferralDialog
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from desktop.password_dialog import ChangePasswordDialog
from desktop.setup_wizard import SetupWizard
from desktop.supervision_dialogs import ExtensionDialog, SupervisionOrderDialog
from models.cases.entities import Case
from models.workflow.entities import CaseDeadline

#: 1366×768 less the taskbar (about 40 px) and the window frame (about 30 px).
SCREEN = QSize(1366, 768 - 70)
ENGLISH = re.compile(r"\b(OK|Cancel|Save|Close|Open|Yes|No|Apply|Reset|Discard|Help|Look in|File name|Files of type|"
                     r"January|February|March|April|May|June|July|August|September|October|November|December|"
                     r"Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")


def _ids(ctx: DeskContext) -> tuple[int, str, int]:
    with ctx.db.read() as s:
        case_id, number = s.execute(select(Case.id, Case.number).where(Case.stage == "调").order_by(Case.id)).first()
        deadline_id = s.scalars(select(CaseDeadline.id).order_by(CaseDeadline.id)).first()
    return case_id, number, deadline_id


def factories(ctx: DeskContext) -> dict[str, Callable[[], QDialog]]:
    case_id, number, deadline_id = _ids(ctx)
    return {
        "登记案件": lambda: IntakeDialog(ctx),
        "生成文书": lambda: DocumentDialog(ctx, case_id, number),
        "调解协议": lambda: AgreementDialog(ctx, case_id, number),
        "导出台账": lambda: LedgerExportDialog(ctx),
        "派单": lambda: DispatchDialog(ctx, case_id),
        "诉调对接": lambda: ReferralDialog(ctx, case_id),
        "延长期限": lambda: ExtensionDialog(ctx, deadline_id),
        "督办单": lambda: SupervisionOrderDialog(ctx, case_id),
        "修改密码": lambda: ChangePasswordDialog(lambda old, new: None),
        "登录": lambda: LoginDialog(lambda user, password: None),
        "首次使用向导": lambda: SetupWizard(ctx.db, ctx.dialogs),
        "组织机构": lambda: OrganisationDialog(ctx),
        "调解组织": lambda: CommitteeDialog(ctx, None, None),
        "窗口": lambda: DeskDialog(ctx, None, None),
        "纠纷类型": lambda: DisputeTypeDialog(ctx, []),
        "期限与颜色": lambda: LimitsDialog(ctx),
        "节假日": lambda: HolidayDialog(ctx),
    }


@pytest.fixture
def every_dialog(qtbot: QtBot, window: MainWindow) -> Iterator[dict[str, QDialog]]:
    built = {}
    for name, make in factories(window.ctx).items():
        dialog = make()
        qtbot.addWidget(dialog)
        built[name] = dialog
    yield built


def test_every_dialog_fits_1366x768_with_its_buttons_on_screen(every_dialog: dict[str, QDialog]) -> None:
    for name, dialog in every_dialog.items():
        minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert minimum.width() <= SCREEN.width() and minimum.height() <= SCREEN.height(), (name, minimum)
        dialog.resize(dialog.sizeHint().boundedTo(SCREEN).expandedTo(minimum))
        if dialog.layout() is not None:  # a QWizard lays itself out
            dialog.layout().activate()
        for box in dialog.findChildren(QDialogButtonBox):
            if box.window() is dialog and box.isVisibleTo(dialog):
                bottom = box.mapTo(dialog, box.rect().bottomLeft()).y()
                assert bottom <= dialog.height(), (name, bottom, dialog.height())


def _visible_texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle()]
    for child in widget.findChildren(QWidget):
        if isinstance(child, QAbstractButton | QLabel):
            texts.append(child.text())
        texts.append(child.toolTip())
    return [t for t in texts if t]


CJK = re.compile(r"[\u4e00-\u9fff]")


def _button_texts(widget: QWidget) -> list[str]:
    return [b.text() for box in widget.findChildren(QDialogButtonBox) for b in box.buttons()]


def test_no_dialog_shows_an_english_qt_string(every_dialog: dict[str, QDialog]) -> None:
    for name, dialog in every_dialog.items():
        english = [t for t in _visible_texts(dialog) if ENGLISH.search(t)]
        assert not english, (name, english)
        assert all(CJK.search(text) for text in _button_texts(dialog)), (name, _button_texts(dialog))


def test_qt_standard_dialogs_and_the_calendar_speak_chinese(qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "确定吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    files = QFileDialog(None, "打开")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    for widget in (box, buttons, files):
        english = [t for t in _visible_texts(widget) if ENGLISH.search(t)]
        assert not english, english
    assert {b.text() for b in buttons.buttons()} == {"确定", "保存", "关闭"}
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)", "取消"}
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setCurrentPage(2026, 11)
    assert calendar.locale().monthName(11) == "十一月"
    assert calendar.locale().dayName(1, calendar.locale().FormatType.ShortFormat) in {"周一", "一"}
    assert QDate(2026, 11, 30).toString(calendar.locale().dateFormat(calendar.locale().FormatType.LongFormat)) != \
        "Monday, November 30, 2026"
