"""The dashboard as a leader uses it: the figures with their definitions on hover, a click on a
bar opening exactly the counted cases, saving as PNG."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.patches import Rectangle
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from desktop.analysis_dashboard import Dashboard
from desktop.assessment_dialog import WeightsDialog
from desktop.context import build_context
from desktop.main_window import MainWindow
from models.analysis.definitions import describe
from models.analysis.scope import Period, StatQuery
from models.analysis.stats import breakdown
from models.db import Database
from tests import analysis_fixtures


def _dashboard(qtbot: QtBot, db: Database) -> Dashboard:
    window = MainWindow(build_context(db))
    qtbot.addWidget(window)
    window.stats_action.trigger()
    board = window.dashboard
    assert board is not None
    board.month.setDate(QDate(2026, 11, 1))
    return board


def test_chart_click_opens_exactly_the_counted_cases(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.write.begin() as session:
        fx = analysis_fixtures.build(session)
    board = _dashboard(qtbot, db)
    types = board.charts[1]
    position = types.spec.labels.index("婚姻家庭纠纷")
    canvas = board.canvases[1]
    bar = canvas.figure.axes[0].patches[position]
    assert isinstance(bar, Rectangle)
    x, y = canvas.figure.axes[0].transData.transform((bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2))
    canvas.button_press_event(x, y, 1) if hasattr(canvas, "button_press_event") else _click(canvas, x, y)
    assert board.drill is not None and board.drill.case_ids == [fx.ids["c2"]]
    with db.read() as session:
        counted = {r.label: r.counts["received"] for r in breakdown(session, StatQuery(Period.month(2026, 11)), "type")}
    for i, label in enumerate(types.spec.labels):
        assert len(board.open_cases(1, i).case_ids) == counted[label]
    first = board.figures.item(0, 0)
    assert first.text() == "收案（件）" and first.toolTip() == describe("received")
    rate_row = [board.figures.item(r, 0).text() for r in range(board.figures.rowCount())].index("调解成功率（%）")
    assert "分母" in board.figures.item(rate_row, 1).toolTip()
    out = tmp_path / "board.png"
    assert board.save_png(str(out)) and out.stat().st_size > 10_000
    report = tmp_path / "月报.docx"
    assert board.save_report(str(report)) and report.read_bytes()[:2] == b"PK"
    errors: list[str] = []
    board.ctx.dialogs.error = lambda title, text: errors.append(text)  # type: ignore[method-assign]
    assert not board.save_report(str(tmp_path / "no-such-dir" / "x.pdf")) and "无法写入" in errors[0]


def _click(canvas: FigureCanvasBase, x: float, y: float) -> None:
    from matplotlib.backend_bases import MouseButton, MouseEvent

    event = MouseEvent("button_press_event", canvas, x, y, MouseButton.LEFT)  # type: ignore[arg-type]  # matplotlib stubs say int pixels; Qt passes floats too
    canvas.callbacks.process(event.name, event)  # what the event's private _process() does


def test_assessment_ranking_exports_and_weights_need_the_administrator(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from models.org.entities import User

    with db.write.begin() as session:
        analysis_fixtures.build(session)
        leader = User(username="ld", display_name="领导", role="包案领导")
        session.add(leader)
        session.flush()
        leader_id = leader.id
    board = _dashboard(qtbot, db)
    dialog = board.open_assessment()
    assert dialog.table.rowCount() == len(dialog.ranked) >= 1
    out = tmp_path / "rank.xlsx"
    dialog.export(str(out))
    assert load_workbook(out).active.cell(3, 2).value == dialog.ranked[0].name
    dialog.ctx.user_id = leader_id  # a leader may look, not change the weights
    errors: list[str] = []
    dialog.ctx.dialogs.error = lambda title, text: errors.append(text)  # type: ignore[method-assign]
    weights = WeightsDialog(dialog.ctx, dialog)
    weights.spins["handled"].setValue(50)
    assert not weights.save() and "无权修改考核权重" in errors[0]


def test_prevention_recorded_from_the_window_is_counted(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtCore import QDate as _QDate

    from models.analysis.stats import compute

    with db.write.begin() as session:
        fx = analysis_fixtures.build(session)
    window = MainWindow(build_context(db))
    qtbot.addWidget(window)
    window.selected_case_id = fx.ids["c3"]
    window.prevention_action.trigger()
    dialog = window.prevention
    assert dialog is not None
    dialog.kind.setCurrentText("防止群体性上访")
    dialog.persons.setValue(12)
    dialog.day.setDate(_QDate(2026, 11, 20))
    assert dialog.save()
    with db.read() as session:
        rows = {p.kind: (p.cases, p.persons) for p in compute(session, StatQuery(Period.month(2026, 11))).prevention}
    assert rows["防止群体性上访"] == (1, 12) and rows["防止民转刑"] == (1, 3)
