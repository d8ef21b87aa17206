"""The main window 调解工作台: filters and a 登记案件 button on the toolbar, the case list and the
selected case's detail side by side, and the count of listed cases in the status bar. It keeps
its selection (by case id) across reloads caused by filters, sorting and case_changed events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from desktop.case_detail import CaseDetailView
from desktop.case_table_model import CASE_ID_ROLE, COLUMNS, CaseTableModel
from desktop.context import DeskContext
from desktop.filter_bar import FilterBar
from desktop.intake_dialog import IntakeDialog
from desktop.screen import fit_to_screen
from models.cases.desk_queries import case_position
from models.errors import DomainError

COLUMN_WIDTHS = (150, 90, 50, 44, 120, 170, 130)


if TYPE_CHECKING:
    from desktop.analysis_dashboard import Dashboard
    from desktop.background import Start
    from desktop.case_list_export import CaseListExport
    from desktop.ledger_export_dialog import LedgerExportDialog
    from desktop.ledger_import_dialog import LedgerImportDialog
    from desktop.prevention_dialog import PreventionDialog
    from desktop.workflow_panels import WorkflowPanels


class MainWindow(QMainWindow):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("调解工作台")
        fit_to_screen(self, 1400, 860)
        self.model = CaseTableModel(ctx.db, self)
        self.filters = FilterBar(ctx.db, self, user_id=ctx.user_id)
        self.table = self._case_table()
        self.detail = CaseDetailView(ctx, self)
        self.intake: IntakeDialog | None = None
        self.selected_case_id: int | None = None
        self.workflow: WorkflowPanels | None = None  # installed by the composition root (desktop/app.py)
        self._lay_out()
        self._connect()
        self._after_reload()
        self.select_row(0)

    @staticmethod
    def _scrollable(widget: QWidget) -> QScrollArea:
        """The detail pane scrolls rather than forcing the window taller than a small screen."""
        area = QScrollArea(objectName="detailScroll", widgetResizable=True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        return area

    # --- layout --------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        bar = QToolBar("案件", self, movable=False, objectName="mainToolbar")
        self.register_action = QAction("登记案件", self, objectName="registerAction", shortcut=QKeySequence.StandardKey.New)
        find = QAction("搜索", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.filters.search.setFocus())
        self.addAction(find)
        bar.addAction(self.register_action)
        self.ledger_action = QAction("导出台账…", self, objectName="exportLedgerAction")  # issue 3
        self.ledger_action.triggered.connect(self.open_ledger_export)
        bar.addAction(self.ledger_action)
        self.excel_action = QAction("导出为 Excel…", self, objectName="exportCaseListAction")  # issue 12
        self.excel_action.setToolTip("按当前筛选和排序导出案件列表")
        self.excel_action.triggered.connect(lambda: self.export_case_list())
        bar.addAction(self.excel_action)
        self.stats_action = QAction("统计分析…", self, objectName="statsAction")  # issue 14
        self.stats_action.triggered.connect(self.open_dashboard)
        bar.addAction(self.stats_action)
        self.import_action = QAction("导入台账…", self, objectName="importLedgerAction")  # issue 14
        self.import_action.triggered.connect(self.open_ledger_import)
        bar.addAction(self.import_action)
        self.prevention_action = QAction("防激化…", self, objectName="preventionAction")  # issue 14
        self.prevention_action.triggered.connect(self.open_prevention)
        bar.addAction(self.prevention_action)
        bar.addSeparator()
        bar.addWidget(self.filters)
        self.addToolBar(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self, objectName="mainSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self._scrollable(self.detail))
        splitter.setSizes([700, 700])
        self.setCentralWidget(splitter)
        self.count_label = QLabel(objectName="countLabel")
        self.statusBar().addPermanentWidget(self.count_label)

    def _case_table(self) -> QTableView:
        view = QTableView(objectName="caseTable")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(24)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_indicator_on_sortable)
        return view

    def _connect(self) -> None:
        self.register_action.triggered.connect(self.open_intake)
        self.filters.filter_changed.connect(self.model.set_filter)
        self.filters.desk_changed.connect(self._desk_chosen)
        self.model.modelReset.connect(self._after_reload)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.ctx.hub.case_changed.connect(self._case_changed)
        self.ctx.hub.settings_changed.connect(self.model.reload)  # deadlines recounted: colours may change
        self.ctx.hub.database_replaced.connect(self._database_replaced)

    # --- list and selection --------------------------------------------------------------------
    def _after_reload(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 件")
        if self.selected_case_id is not None:
            self.select_case(self.selected_case_id, quiet=True)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def select_case(self, case_id: int, *, quiet: bool = False) -> bool:
        """Select the case wherever it sits in the current list; False when the filters hide it."""
        with self.ctx.db.read() as session:
            row = case_position(session, self.model.filter, case_id, sort=self.model.sort_key,
                                descending=self.model.descending)
        if row is None:
            if not quiet:
                self.statusBar().showMessage("该案件不在当前筛选结果中，清除筛选条件后可见", 8000)
            self.detail.show_case(case_id)
            return False
        self.select_row(row)
        return True

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        case_id = self.model.data(indexes[0], CASE_ID_ROLE)
        if case_id is not None and case_id != self.detail.case_id:
            self.selected_case_id = case_id
            self.detail.show_case(case_id)

    def _case_changed(self, case_id: int) -> None:
        self.model.reload()  # the case may have entered or left the filtered list, or moved in it

    def _database_replaced(self) -> None:
        """After a restore the rows on screen may not exist any more: reload, show no stale case."""
        self.selected_case_id = None
        self.detail.show_case(None)
        self.model.reload()

    def _keep_indicator_on_sortable(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort_key is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder
                                    if self.model.descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)

    def _desk_chosen(self, desk_id: int | None) -> None:
        self.ctx.desk_id = desk_id  # actions taken now are recorded at this desk

    # --- intake --------------------------------------------------------------------------------
    def open_intake(self) -> IntakeDialog:
        """Open 登记案件 (window-modal, non-blocking); the new case is selected when saved."""
        self.intake = IntakeDialog(self.ctx, self)
        self.intake.registered.connect(self._registered)
        self.intake.open()
        return self.intake

    def _registered(self, case_id: int) -> None:
        self.selected_case_id = case_id
        self.select_case(case_id)

    # --- ledger export (issue 3) ----------------------------------------------------------------
    def open_ledger_export(self) -> LedgerExportDialog:
        """Open 导出台账 (window-modal, non-blocking); the export itself runs off the GUI thread."""
        from desktop.ledger_export_dialog import LedgerExportDialog  # renderers load on first use (start-up time)

        self.ledger_export = LedgerExportDialog(self.ctx, self)
        self.ledger_export.open()
        return self.ledger_export

    def export_case_list(self, start: Start | None = None) -> CaseListExport:
        """导出为 Excel: the list as filtered and sorted now, written off the GUI thread."""
        from desktop.case_list_export import CaseListExport  # openpyxl loads on first use (start-up time)

        self.case_list_export = CaseListExport(self.ctx, self, start)
        self.case_list_export.run(self.model.filter, self.model.sort_key, self.model.descending)
        return self.case_list_export

    def open_dashboard(self) -> Dashboard | None:
        """统计分析 (issue 14); matplotlib loads on first use. Refused roles get the usual message."""
        from desktop.analysis_dashboard import Dashboard

        try:
            self.dashboard = Dashboard(self.ctx, self)
        except DomainError as exc:
            self.ctx.dialogs.error("统计分析", exc.message)
            return None
        self.dashboard.show()
        return self.dashboard

    def open_prevention(self) -> PreventionDialog | None:
        """登记防激化 on the selected case."""
        from desktop.prevention_dialog import PreventionDialog

        if self.selected_case_id is None:
            self.ctx.dialogs.inform("登记防激化", "请先在列表中选择一个案件")
            return None
        number = self.detail.detail.number if self.detail.detail else ""
        self.prevention = PreventionDialog(self.ctx, self.selected_case_id, number, self)
        self.prevention.open()
        return self.prevention

    def open_ledger_import(self) -> LedgerImportDialog:
        from desktop.ledger_import_dialog import LedgerImportDialog

        self.ledger_import = LedgerImportDialog(self.ctx, self)
        self.ledger_import.finished.connect(self._ledger_import_finished)
        self.ledger_import.open()
        return self.ledger_import

    def _ledger_import_finished(self, _code: int) -> None:
        if self.ledger_import.imported:
            self.model.reload()
