"""统计分析 dashboard: a month and desk chooser, the figures with 环比/同比 (each rate's definition
on hover), and four charts (trend, types, desks, outcomes) drawn by matplotlib on Qt canvases from
the same chart specs the monthly report prints. A click on a bar, slice or trend point opens the
list of exactly the cases it counts; the view can be saved as PNG."""

from __future__ import annotations

from typing import Any

from matplotlib.backend_bases import PickEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.assessment_dialog import AssessmentDialog
from desktop.context import DeskContext
from models import clock
from models.analysis.charts import DashboardChart, dashboard_charts
from models.analysis.definitions import FIGURES, RATES, describe
from models.analysis.report import monthly_report
from models.analysis.scope import Period, Scope, StatQuery
from models.analysis.service import figure_lines, statistics
from models.analysis.stats import CountedCase, case_ids, counted_cases_list, month_case_ids
from models.cases.queries import list_desks
from models.errors import DomainError
from templates import charts
from templates.render import Format, write_atomically


class CaseListDialog(QDialog):
    """The cases behind one bar or slice."""

    def __init__(self, title: str, rows: list[CountedCase], parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="drillDialog")
        self.setWindowTitle(f"{title}（{len(rows)} 件）")
        self.resize(760, 420)
        self.table = QTableWidget(len(rows), 5, objectName="drillTable")
        self.table.setHorizontalHeaderLabels(["案件编号", "受理日期", "纠纷类型", "阶段", "简要情况"])
        for r, row in enumerate(rows):
            for c, text in enumerate((row.number, row.received_date.isoformat(), row.dispute_type, row.stage, row.summary)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.case_ids = [row.id for row in rows]
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)


class Dashboard(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="dashboard")
        self.ctx = ctx
        self.setWindowTitle("统计分析")
        self.resize(1340, 740)
        self.month = QDateEdit(objectName="monthEdit", displayFormat="yyyy年M月", calendarPopup=False)
        today = clock.today()
        self.month.setDate(QDate(today.year, today.month, 1))
        self.desk = QComboBox(objectName="deskCombo")
        self.desk.addItem("全中心", None)
        with ctx.db.read() as session:
            for desk_id, name in list_desks(session):
                self.desk.addItem(name, desk_id)
        self.figures = QTableWidget(0, 4, objectName="figureTable")
        self.figures.setHorizontalHeaderLabels(["项目", "本期", "环比", "同比"])
        self.canvases: list[FigureCanvasQTAgg] = []
        self.charts: list[DashboardChart] = []
        self.drill: CaseListDialog | None = None
        self._lay_out()
        self.month.dateChanged.connect(self.refresh)
        self.desk.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        save = QPushButton("保存为 PNG…", objectName="savePng")
        save.clicked.connect(self.ask_save_png)
        report = QPushButton("生成月报…", objectName="monthlyReport")
        report.clicked.connect(self.ask_report)
        assess = QPushButton("考核排名…", objectName="openAssessment")
        assess.clicked.connect(self.open_assessment)
        for widget in (QLabel("月份"), self.month, QLabel("范围"), self.desk):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(report)
        top.addWidget(assess)
        top.addWidget(save)
        grid = QGridLayout()
        for i in range(4):
            canvas = FigureCanvasQTAgg(Figure(figsize=(5, 3)))
            canvas.mpl_connect("pick_event", lambda event, index=i: self._picked(index, event))
            self.canvases.append(canvas)
            grid.addWidget(canvas, i // 2, i % 2)
        body = QHBoxLayout()
        self.figures.setMinimumWidth(380)
        body.addWidget(self.figures)
        body.addLayout(grid, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def query(self) -> StatQuery:
        day = self.month.date()
        return StatQuery(Period.month(day.year(), day.month()), Scope(desk_id=self.desk.currentData()))

    def refresh(self) -> None:
        query = self.query()
        with self.ctx.db.read() as session:
            cmp = statistics(session, self.ctx.actor(), query)
            self.charts = dashboard_charts(session, query)
        self._fill_figures(figure_lines(cmp))
        for canvas, chart in zip(self.canvases, self.charts, strict=True):
            for artist in charts.draw(canvas.figure, chart.spec):
                artist.set_picker(True)
            canvas.draw_idle()

    def _fill_figures(self, lines: list[tuple[str, str, str, str]]) -> None:
        keys = [f.key for f in FIGURES] + [r.key for r in RATES]
        self.figures.setRowCount(len(lines))
        for r, (line, key) in enumerate(zip(lines, keys, strict=True)):
            for c, text in enumerate(line):
                item = QTableWidgetItem(text)
                item.setToolTip(describe(key))
                self.figures.setItem(r, c, item)
        self.figures.resizeColumnsToContents()

    def _picked(self, index: int, event: PickEvent) -> None:
        chart = self.charts[index]
        if chart.by is None:
            ind: Any = getattr(event, "ind", ())  # a line's pick carries the hit points' indices (an array)
            point = int(ind[0]) if len(ind) else 0
            self.open_cases(index, point)
            return
        artists = [a for a in event.canvas.figure.axes[0].patches]
        if event.artist in artists:
            self.open_cases(index, artists.index(event.artist) % len(chart.spec.keys))

    def open_cases(self, chart_index: int, position: int) -> CaseListDialog:
        """Open the list behind bar/slice/point `position` of chart `chart_index` (what a click does)."""
        chart, query = self.charts[chart_index], self.query()
        key, label = chart.spec.keys[position], chart.spec.labels[position]
        with self.ctx.db.read() as session:
            ids = (month_case_ids(session, query, key) if chart.by is None
                   else case_ids(session, query, chart.by, key, chart.measure))
            rows = counted_cases_list(session, ids)
        self.drill = CaseListDialog(f"{chart.spec.title}：{label}", rows, self)
        self.drill.show()
        return self.drill

    def open_assessment(self) -> AssessmentDialog:
        self.assessment = AssessmentDialog(self.ctx, self.query(), self)
        self.assessment.show()
        return self.assessment

    def ask_report(self) -> None:
        month = self.query().period
        path = self.ctx.dialogs.ask_save_path("生成月度分析报告", f"矛盾纠纷月度分析报告{month.label()}.pdf", "pdf")
        if path:
            self.save_report(path)

    def save_report(self, path: str) -> bool:
        """The month's report (PDF, or DOCX by the file's extension) for the whole centre."""
        fmt: Format = "docx" if path.lower().endswith(".docx") else "pdf"
        try:
            with self.ctx.db.read() as session:
                data = monthly_report(session, self.ctx.actor(), self.query().period, fmt)
            write_atomically(path, data)
        except DomainError as exc:
            self.ctx.dialogs.error("月报未生成", exc.message)
            return False
        except OSError as exc:
            self.ctx.dialogs.error("月报未生成", f"无法写入文件：{path}（{exc.strerror or exc}）")
            return False
        return True

    def ask_save_png(self) -> None:
        path = self.ctx.dialogs.ask_save_path("保存为 PNG", "统计分析.png", "png")
        if path:
            self.save_png(path)

    def save_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")
