"""The 管理 menu: each administrator sees only the screens of their own role (三权分立) — the
system administrator the organisation, limits and calendar; the security administrator the
安全策略; both account administrators 账户管理 (each with only their own buttons enabled). Installed by the composition root
after sign-in; the services refuse the same actions to anyone else, the menu only hides them.
From 1 November the system administrator also sees a banner until next year's holidays are in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow

from desktop.admin_audit import AuditDialog
from desktop.admin_backup import BackupDialog
from desktop.admin_org import OrganisationDialog
from desktop.admin_policy import PolicyDialog
from desktop.admin_settings import HolidayDialog, LimitsDialog
from desktop.admin_users import UsersDialog
from desktop.context import DeskContext
from models import clock
from models.security.accounts import ACCOUNT_PERMISSIONS
from models.security.permissions import Permission, permissions_of
from models.workflow.calendar_store import next_year_reminder

#: (menu text, object name, permissions of which one is needed, dialog factory(ctx, window, data folder))
SCREENS: tuple[tuple[str, str, tuple[Permission, ...], Callable[[DeskContext, QMainWindow, Path], QDialog]], ...] = (
    ("账户管理…", "usersAction", ACCOUNT_PERMISSIONS, lambda ctx, w, data: UsersDialog(ctx, w)),
    ("安全策略…", "policyAction", (Permission.POLICY_EDIT,), lambda ctx, w, data: PolicyDialog(ctx, w)),
    ("组织机构…", "orgAction", (Permission.ORG_EDIT,), lambda ctx, w, data: OrganisationDialog(ctx, w)),
    ("期限与颜色…", "limitsAction", (Permission.SETTINGS_EDIT,), lambda ctx, w, data: LimitsDialog(ctx, w)),
    ("节假日…", "holidayAction", (Permission.SETTINGS_EDIT,), lambda ctx, w, data: HolidayDialog(ctx, w)),
    ("备份与恢复…", "backupAction", (Permission.RESTORE,), lambda ctx, w, data: BackupDialog(ctx, data, w)),
    ("审计记录…", "auditAction", (Permission.AUDIT_VIEW,), lambda ctx, w, data: AuditDialog(ctx, w)),
)


def install(window: QMainWindow, ctx: DeskContext, role: str, data_dir: Path) -> list[QAction]:
    """Add 管理 with the screens `role` may use (none: no menu); returns the actions added.
    `data_dir` is the desk's data folder (where the daily backups are)."""
    allowed = permissions_of(role)
    actions = []
    for text, name, needed, factory in SCREENS:
        if not allowed.intersection(needed):
            continue
        action = QAction(text, window, objectName=name)
        action.triggered.connect(lambda _=False, f=factory: _open(f(ctx, window, data_dir)))
        actions.append(action)
    if actions:
        menu = window.menuBar().addMenu("管理")
        menu.addActions(actions)
    if Permission.SETTINGS_EDIT in allowed:
        _calendar_banner(window, ctx)
        ctx.hub.settings_changed.connect(lambda: _calendar_banner(window, ctx))
    return actions


def _open(dialog: QDialog) -> None:
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def _calendar_banner(window: QMainWindow, ctx: DeskContext) -> None:
    """Show (or clear) the next-year calendar reminder in the status bar's permanent area."""
    with ctx.db.read() as session:
        text = next_year_reminder(session, clock.today())
    banner = window.findChild(QLabel, "calendarBanner")
    if banner is None:
        banner = QLabel(objectName="calendarBanner", wordWrap=True)
        banner.setStyleSheet("color: #9c5700; font-weight: bold")
        window.statusBar().insertPermanentWidget(0, banner, 1)  # permanent: a status message must not hide it
    banner.setText(text or "")
    banner.setVisible(bool(text))
