"""The 督办单 list: every order issued, filtered by state (待回复 / 已回复 / 回复超期), with the reply
recorded from here; a double-click opens the case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.context import DeskContext
from desktop.deadline_views import colour_brush, make_table
from desktop.rows_table_model import RowsTableModel
from models.workflow.supervision import SupervisionView, list_supervisions, reply_supervision

HEADERS = ("督办单号", "级别", "案件编号", "下达日", "下达人", "回告期限", "状态", "督办要求", "回复日", "回复")
STATES = ("全部", "待回复", "回复超期", "已回复")


def order_state(o: SupervisionView) -> str:
    return "已回复" if o.reply else ("回复超期" if o.overdue_reply else "待回复")


class OrdersModel(RowsTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.views: list[SupervisionView] = []

    def set_views(self, views: list[SupervisionView]) -> None:
        self.views = views
        self.set_rows([(o.number, o.level, o.case_number, f"{o.issued_on}", o.issued_by, f"{o.reply_due}",
                        order_state(o), o.requirement, f"{o.replied_on or ''}", o.reply or "") for o in views])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # type: ignore[override]  # Qt only ever passes a QModelIndex here
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole and index.column() == 1:
            return colour_brush(self.views[index.row()].level)
        return super().data(index, role)


class SupervisionOrdersPanel(QWidget):
    case_activated = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = QComboBox(objectName="orderState")
        self.state.addItems(STATES)
        self.reply_button = QPushButton("回复督办单…", objectName="replyOrder")
        self.model = OrdersModel(self)
        self.table = make_table(self.model, "orderTable")
        bar = QHBoxLayout()
        bar.addWidget(self.state)
        bar.addStretch(1)
        bar.addWidget(self.reply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.state.currentIndexChanged.connect(self.refresh)
        self.reply_button.clicked.connect(self.reply_selected)
        self.table.doubleClicked.connect(lambda i: self.case_activated.emit(self.model.views[i.row()].case_id))
        ctx.hub.case_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        wanted = self.state.currentText()
        with self.ctx.db.read() as session:
            views = list_supervisions(session)
        self.model.set_views([o for o in views if wanted == "全部" or order_state(o) == wanted])

    def reply_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.ctx.dialogs.inform("回复督办单", "请先在列表中选择一张督办单")
            return
        order = self.model.views[rows[0].row()]
        if order.reply:
            self.ctx.dialogs.inform("回复督办单", f"{order.number} 已于 {order.replied_on} 回复")
            return
        text = self.ctx.dialogs.ask_text("回复督办单", f"{order.number}：{order.requirement}\n请填写回告内容：")
        if text is None:
            return
        self.ctx.runner.run(lambda s: reply_supervision(s, order.id, text, self.ctx.actor()),
                            changed_case=lambda v: v.case_id)
