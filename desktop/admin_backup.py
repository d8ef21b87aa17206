"""备份与恢复 — the system administrator's screen for the desk's SQLite file: where the daily copies
are, a backup now, copying a copy to another disk (a USB stick, a network folder), and restoring
one after a warning. A centre on PostgreSQL is backed up on the server (pg_dump, see the guide);
the screen says so instead of offering buttons that cannot work there.

The checks (a copy must be an intact database of this app with an unbroken audit chain) and the
permissions live in models.security.backup; this screen only lists, asks and reports."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.rows_table_model import RowsTableModel
from desktop.screen import fit_to_screen
from desktop.startup_backup import backup_folder
from models import clock
from models.errors import DomainError
from models.security.backup import backup_database, check_backup, restore_database, sqlite_path

PG_NOTICE = ("本中心使用 PostgreSQL 服务器，数据库由服务器统一备份（pg_dump 定时备份并异地保存），"
             "不能在本窗口备份或恢复。操作步骤见《用户指南》管理员篇“备份与恢复演练”。")
RESTORE_WARNING = ("恢复会用所选备份替换当前数据库，备份之后录入的内容将不再显示（当前数据库另存为恢复前副本，不会丢失）。\n"
                   "请先关闭本机上其他打开本数据库的调解工作台窗口。恢复后本窗口将重新载入数据。")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    modified: datetime


def list_backups(folder: Path) -> list[BackupFile]:
    """The copies in `folder`, newest first."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.db") if p.is_file()]
    return sorted((BackupFile(p, p.stat().st_size, datetime.fromtimestamp(p.stat().st_mtime)) for p in files),
                  key=lambda f: f.path.name, reverse=True)


def copy_elsewhere(source: Path, target: Path) -> Path:
    """Copy a backup to another disk: a temporary file fsynced then renamed, so a pulled USB stick
    leaves no half copy under the real name; readable by the owner only."""
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copyfile(source, partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return target


class BackupDialog(QDialog):
    def __init__(self, ctx: DeskContext, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("备份与恢复")
        fit_to_screen(self, 760, 480)
        self.sqlite = ctx.db.engine.dialect.name == "sqlite"
        self.folder = backup_folder(data_dir, sqlite_path(ctx.db.engine)) if self.sqlite else None
        self.where = QLabel(objectName="backupFolder", wordWrap=True)
        self.model = RowsTableModel(("文件", "时间", "大小"), self)
        self.table = QTableView(objectName="backupTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.backup_button = QPushButton("立即备份", objectName="backupNow")
        self.copy_button = QPushButton("复制到其他位置…", objectName="copyBackup")
        self.restore_button = QPushButton("恢复所选备份…", objectName="restoreBackup")
        self.message = QLabel(objectName="message", wordWrap=True)
        self._lay_out()
        self.backup_button.clicked.connect(self.back_up_now)
        self.copy_button.clicked.connect(self.copy_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.reload()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.copy_button, self.restore_button):
            buttons.addWidget(button)
            button.setEnabled(self.sqlite)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)

    def reload(self) -> None:
        if self.folder is None:
            self.where.setText(PG_NOTICE)
            self.files: list[BackupFile] = []
            self.model.set_rows([])
            return
        self.where.setText(f"每日自动备份保存在：{self.folder}（启动后自动备份一次，保留最近几天）")
        self.files = list_backups(self.folder)
        self.model.set_rows([(f.path.name, f.modified.strftime("%Y-%m-%d %H:%M"), f"{f.size / 1_048_576:.1f} MB")
                             for f in self.files])

    def _selected(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText("请先在列表中选择一个备份")
            return None
        return self.files[rows[0].row()]

    def back_up_now(self) -> None:
        assert self.folder is not None
        target = self.folder / f"manual-{clock.local_now():%Y%m%d-%H%M%S}.db"
        try:
            made = backup_database(self.ctx.db, target, self.ctx.actor())
        except DomainError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已备份到 {made.path.name}（审计记录 {made.audit_seq} 条已校验）")
        self.reload()

    def copy_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        target = self.ctx.dialogs.ask_save_path("复制备份到其他位置", chosen.path.name, "db")
        if not target:
            return
        try:
            check_backup(chosen.path)
            copy_elsewhere(chosen.path, Path(target))
        except DomainError as exc:
            self.message.setText(exc.message)
            return
        except OSError as exc:
            self.message.setText(f"复制未完成，目标位置没有留下文件：{exc.strerror or exc}")
            return
        self.message.setText(f"已复制到 {target}")

    def restore_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        answer = self.ctx.dialogs.choose("恢复备份", f"{RESTORE_WARNING}\n\n要恢复的备份：{chosen.path.name}",
                                         ["恢复", "取消"], "取消")
        if answer != "恢复":
            return
        try:
            safety = restore_database(self.ctx.db, chosen.path, self.ctx.actor())
        except DomainError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已恢复 {chosen.path.name}；恢复前的数据库另存为 {safety.name}")
        self.ctx.hub.database_replaced.emit()
        self.reload()
