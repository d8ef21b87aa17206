"""Puts the workflow views of issue 4 into the main window: a dock with the 督办 list, the
deadline calendar and the 诉调对接 register (double-click opens the case), and a 办理 menu whose
actions work on the selected case: 派单, 处置反馈/核查, 延期, 督办, 诉调登记."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDockWidget, QTabWidget

from desktop.deadline_views import DeadlineCalendarView, SupervisionPanel, days_text, show_startup_summary
from desktop.dispatch_dialogs import DispatchDialog, FeedbackDialog
from desktop.dispatch_inbox import DispatchInbox
from desktop.liaison_workspace import LiaisonWorkspace, ReferralDialog
from desktop.supervision_dialogs import ExtensionDialog, SupervisionOrderDialog
from desktop.supervision_orders import SupervisionOrdersPanel
from desktop.workflow_dialogs import ArbitrationDialog, ConsultationDialog, LevelMoveDialog, ReferralStepDialog
from models.workflow.deadline_service import case_deadlines
from models.workflow.dispatch import case_dispatches

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


DOCK_HEIGHT = 230  # a handful of rows: the case list and detail keep most of the window


class WorkflowPanels:
    """Owns the dock and the 办理 actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window, self.ctx = window, window.ctx
        self.tabs = QTabWidget(objectName="workflowTabs")
        self.supervision = SupervisionPanel(self.ctx)
        self.calendar = DeadlineCalendarView(self.ctx)
        self.liaison = LiaisonWorkspace(self.ctx)
        self.orders = SupervisionOrdersPanel(self.ctx)
        self.inbox = DispatchInbox(self.ctx)
        for widget, title in ((self.inbox, "待我办理"), (self.supervision, "督办提醒"), (self.calendar, "期限日历"), (self.liaison, "诉调对接登记簿"),
                              (self.orders, "督办单")):
            self.tabs.addTab(widget, title)
            widget.case_activated.connect(window.select_case)
        self.dock = QDockWidget("督办与期限", window, objectName="workflowDock")
        self.dock.setWidget(self.tabs)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()  # the case list keeps the room until the user asks for the workspace
        self.actions = self._menu()

    def _menu(self) -> dict[str, QAction]:
        menu = self.window.menuBar().addMenu("办理")
        actions = {
            "workspace": self.dock.toggleViewAction(),
            "dispatch": QAction("派单（双派单）…", self.window, objectName="dispatchAction"),
            "feedback": QAction("处置反馈 / 核查…", self.window, objectName="feedbackAction"),
            "extend": QAction("期限延长…", self.window, objectName="extendAction"),
            "supervise": QAction("下达督办单…", self.window, objectName="superviseAction"),
            "referral": QAction("诉调对接登记…", self.window, objectName="referralAction"),
            "referral_step": QAction("诉调对接·记录办理步骤…", self.window, objectName="referralStepAction"),
            "level": QAction("上提 / 下沉…", self.window, objectName="levelMoveAction"),
            "consult": QAction("会诊记录…", self.window, objectName="consultationAction"),
            "arbitration": QAction("仲裁申请与记录…", self.window, objectName="arbitrationAction"),
        }
        actions["workspace"].setText("督办与期限工作区")
        actions["dispatch"].triggered.connect(lambda: self._for_case(DispatchDialog))
        actions["supervise"].triggered.connect(lambda: self._for_case(SupervisionOrderDialog))
        actions["referral"].triggered.connect(lambda: self._for_case(ReferralDialog))
        for key, dialog in (("referral_step", ReferralStepDialog), ("level", LevelMoveDialog),
                            ("consult", ConsultationDialog), ("arbitration", ArbitrationDialog)):
            actions[key].triggered.connect(lambda _=False, d=dialog: self._for_case(d))
        actions["feedback"].triggered.connect(self.open_feedback)
        actions["extend"].triggered.connect(self.open_extension)
        for action in actions.values():
            menu.addAction(action)
        return actions

    def show_due_on_start(self) -> None:
        """At start-up, without a blocking box: open the 督办 tab with the list and put the
        summary in the status bar when something is due today or overdue."""

        def show(_title: str, text: str) -> None:
            self.dock.show()
            # after the dock is laid out, or Qt keeps its size hint
            QTimer.singleShot(0, lambda: self.window.resizeDocks([self.dock], [DOCK_HEIGHT], Qt.Orientation.Vertical))
            self.tabs.setCurrentWidget(self.supervision)
            self.window.statusBar().showMessage(text.splitlines()[0], 60_000)
            self.supervision.setToolTip(text)

        show_startup_summary(self.ctx, show=show)

    def _case_id(self) -> int | None:
        case_id = self.window.selected_case_id
        if case_id is None:
            self.ctx.dialogs.inform("请先选择案件", "请先在案件列表中选择一件案件。")
        return case_id

    def _for_case(self, dialog_class: Callable[..., QDialog]) -> QDialog | None:
        case_id = self._case_id()
        if case_id is None:
            return None
        dialog = dialog_class(self.ctx, case_id, self.window)
        dialog.open()
        return dialog

    def open_feedback(self) -> QDialog | None:
        case_id = self._case_id()
        if case_id is None:
            return None
        with self.ctx.db.read() as session:
            open_ones = [d for d in case_dispatches(session, case_id) if d.allowed_actions]
        labels = [f"派单{d.id}（{d.status}，{d.dispatched_on}）" for d in open_ones]
        chosen = self._pick("处置反馈 / 核查", "该案件没有待办的派单。", labels, open_ones)
        return self._open(FeedbackDialog, chosen.id) if chosen else None

    def open_extension(self) -> QDialog | None:
        case_id = self._case_id()
        if case_id is None:
            return None
        with self.ctx.db.read() as session:
            running = [d for d in case_deadlines(session, case_id) if d.completed_on is None and not d.lapsed]
        labels = [f"{d.name}　到期 {d.due_date}（{days_text(d.days_left)}）" for d in running]
        chosen = self._pick("期限延长", "该案件没有进行中的期限。", labels, running)
        return self._open(ExtensionDialog, chosen.id) if chosen else None

    def _pick(self, title: str, none_text: str, labels: Sequence[str], items: Sequence[Any]) -> Any:
        if not items:
            self.ctx.dialogs.inform(title, none_text)
            return None
        if len(items) == 1:
            return items[0]
        label = self.ctx.dialogs.choose(title, "请选择：", labels)
        return items[labels.index(label)] if label in labels else None

    def _open(self, dialog_class: Callable[..., QDialog], key: int) -> QDialog:
        dialog = dialog_class(self.ctx, key, self.window)
        dialog.open()
        return dialog


def install(window: MainWindow) -> WorkflowPanels:
    return WorkflowPanels(window)
