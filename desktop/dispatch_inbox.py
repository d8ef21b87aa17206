"""待我办理: the signed-in user's part of the open dispatches (the department's feedback, the grid
worker's verification, the centre's evaluation); double-click opens the dispatch to do it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.context import DeskContext
from desktop.deadline_views import make_table
from desktop.dispatch_dialogs import FeedbackDialog
from desktop.rows_table_model import RowsTableModel
from models.workflow.dispatch import InboxItem, dispatch_inbox

HEADERS = ("案件编号", "派单", "状态", "我的角色", "待办环节", "办理时限")


class DispatchInbox(QWidget):
    case_activated = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[InboxItem] = []
        self.model = RowsTableModel(HEADERS, self)
        self.table = make_table(self.model, "inboxTable")
        self.count = QLabel(objectName="inboxCount")
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table)
        self.table.doubleClicked.connect(self.open_item)
        ctx.hub.case_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        with self.ctx.db.read() as session:
            self.items = dispatch_inbox(session, self.ctx.actor())
        self.model.set_rows([(i.case_number, f"派单{i.dispatch_id}", i.status, i.my_part, i.next_step,
                              f"{i.deadline or '—'}") for i in self.items])
        self.count.setText(f"待我办理 {len(self.items)} 件")

    def open_item(self, index: QModelIndex) -> FeedbackDialog:
        item = self.items[index.row()]
        self.case_activated.emit(item.case_id)
        dialog = FeedbackDialog(self.ctx, item.dispatch_id, self)
        dialog.open()
        return dialog
