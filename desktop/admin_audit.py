"""审计记录 — the audit administrator's reader: the trail newest first with filters, more rows on
demand, and a check of the whole hash chain. Nothing here can change a row (the database refuses
it); reading is itself recorded."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import DeskContext
from desktop.rows_table_model import RowsTableModel
from desktop.screen import fit_to_screen
from models.security.audit import ChainReport, verify_chain
from models.security.audit_queries import AuditFilter, AuditRow, read_trail
from models.security.permissions import Permission, require

COLUMN_WIDTHS = (60, 150, 130, 110, 60, 110)  # the last column (内容) takes the rest


class AuditDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("审计记录")
        fit_to_screen(self, 1200, 700)
        self.username = QLineEdit(objectName="username", placeholderText="用户名")
        self.entity = QLineEdit(objectName="entity", placeholderText="记录类别，如 cases、users")
        self.action = QLineEdit(objectName="action", placeholderText="动作，如 update、unmask、login")
        self.search_button = QPushButton("查询", objectName="search")
        self.more_button = QPushButton("更早的记录", objectName="more")
        self.verify_button = QPushButton("校验审计链", objectName="verify")
        self.model = RowsTableModel(("序号", "时间", "操作人", "类别", "编号", "动作", "内容"), self)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.rows: list[AuditRow] = []
        self._lay_out()
        self.search_button.clicked.connect(self.search)
        self.more_button.clicked.connect(self.more)
        self.verify_button.clicked.connect(self.verify)
        self.search()

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.username, self.entity, self.action, self.search_button):
            filters.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.message, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(close)

    def _filter(self) -> AuditFilter:
        return AuditFilter(self.username.text() or None, self.entity.text() or None, self.action.text() or None)

    def search(self) -> None:
        self.rows = []
        self.more()

    def more(self) -> None:
        before = self.rows[-1].seq if self.rows else None
        flt, actor = self._filter(), self.ctx.actor()
        outcome = self.ctx.runner.run(lambda s: read_trail(s, actor, flt, before_seq=before), quiet=True)
        if outcome.error is not None:
            self.message.setText(outcome.error.message)
            return
        self.rows += outcome.value or []
        self.model.set_rows([(str(r.seq), r.at.strftime("%Y-%m-%d %H:%M:%S"), r.user, r.entity, r.entity_id, r.action,
                              r.detail) for r in self.rows])
        self.message.setText(f"已显示 {len(self.rows)} 条")

    def verify(self) -> None:
        actor = self.ctx.actor()

        def check(session: Session) -> ChainReport:
            require(session, actor, Permission.AUDIT_VERIFY)
            return verify_chain(session)

        outcome = self.ctx.runner.run(check, quiet=True)
        if outcome.error is not None or outcome.value is None:
            self.message.setText(outcome.error.message if outcome.error else "")
            return
        report = outcome.value
        self.message.setText(f"审计链完整：共 {report.checked} 条" if report.ok
                             else f"审计链异常：{report.problem}（第 {report.first_bad_seq} 条）")
