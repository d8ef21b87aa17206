"""The main window over the demo database: counts, filters, selection, and stage moves with
their blockers shown through the dialog wrapper."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.case_table_model import CASE_ID_ROLE
from desktop.main_window import MainWindow
from models.cases.desk_queries import action_blockers
from models.cases.mediators import mediator_choices
from models.cases.queries import CaseFilter, case_detail, count_cases, list_cases, list_desks
from models.dto import CaseDetail
from tests.support.desktop import RecordingDialogs, commit_text, dialogs, window

__all__ = ["dialogs", "window"]  # fixtures used by name below


def choose(combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def count(window: MainWindow, flt: CaseFilter) -> int:
    with window.ctx.db.read() as s:
        return count_cases(s, flt)


def first_case(window: MainWindow, want: Callable[[CaseDetail], bool]) -> CaseDetail:
    """The first demo case whose detail satisfies `want` (a predicate)."""
    with window.ctx.db.read() as s:
        for row in list_cases(s, CaseFilter(), limit=1000).rows:
            detail = case_detail(s, case_id=row.id)
            if want(detail):
                return detail
    raise AssertionError("no such demo case")


def show(window: MainWindow, case_id: int) -> None:
    assert window.select_case(case_id)
    assert window.detail.case_id == case_id


def test_window_opens_with_every_case_and_the_first_selected(window: MainWindow) -> None:
    assert window.windowTitle() == "调解工作台"
    assert window.count_label.text() == "共 320 件"
    first_id = window.model.data(window.model.index(0, 0), CASE_ID_ROLE)
    assert window.detail.case_id == first_id
    assert window.detail.title.text().startswith(window.model.data(window.model.index(0, 0)))


def test_stage_desk_and_search_filters_match_count_cases(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.filters
    choose(bar.stage, "调")
    assert window.model.rowCount() == count(window, CaseFilter(stage="调")) < 320
    assert window.count_label.text() == f"共 {window.model.rowCount()} 件"
    with window.ctx.db.read() as s:
        desk_id, desk_name = list_desks(s)[0]
    choose(bar.desk, desk_name)
    assert window.ctx.desk_id == desk_id
    assert window.model.rowCount() == count(window, CaseFilter(stage="调", desk_id=desk_id))
    choose(bar.stage, "全部阶段")
    choose(bar.desk, "全部窗口")
    commit_text(bar.search, "张")
    qtbot.waitUntil(lambda: window.model.filter.search == "张", timeout=2000)
    expected = count(window, CaseFilter(search="张"))
    assert 0 < window.model.rowCount() == expected < 320
    assert window.count_label.text() == f"共 {expected} 件"


def test_refused_move_shows_every_blocker(window: MainWindow, dialogs: RecordingDialogs) -> None:
    case = first_case(window, lambda d: d.stage == "调" and d.mediation_outcome is None)
    show(window, case.id)
    button = window.detail.findChild(QPushButton, "action_to_arbitration")
    button.click()
    assert "调解结果不是“调解不成”" in dialogs.texts and "尚未选择仲裁类别" in dialogs.texts
    assert window.detail.detail.stage == "调"


def test_allowed_move_updates_detail_timeline_and_list(window: MainWindow, dialogs: RecordingDialogs) -> None:
    case = first_case(window, lambda d: d.stage == "诊" and ("refer_mediation", "受理并转入调解") in d.allowed_actions)
    show(window, case.id)
    events_before = window.detail.events.rowCount()
    with window.ctx.db.read() as s:
        chosen = mediator_choices(s)[0].label
    dialogs.answers = [chosen, ""]  # the mediator, no co-mediator (诊→调 asks for them)
    window.detail.findChild(QPushButton, "action_refer_mediation").click()
    assert window.detail.detail.stage == "调"
    assert window.detail.events.rowCount() == events_before + 1
    assert window.detail.events.rows[-1][1] == "诊 → 调"
    row = window.table.currentIndex().row()
    assert window.model.data(window.model.index(row, 0), CASE_ID_ROLE) == case.id
    assert window.model.data(window.model.index(row, 2)) == "调"


def test_move_needing_a_reason_asks_for_it(window: MainWindow, dialogs: RecordingDialogs) -> None:
    case = first_case(window, lambda d: d.stage == "诊")
    show(window, case.id)
    dialogs.answers = [None]  # cancelled: nothing happens
    window.detail.findChild(QPushButton, "action_reject").click()
    assert window.detail.detail.stage == "诊"
    dialogs.answers = ["不属于人民调解受理范围", "确定"]  # the reason, then the confirmation (irreversible)
    window.detail.findChild(QPushButton, "action_reject").click()
    assert window.detail.detail.stage == "办结"
    assert window.detail.events.rows[-1][5] == "不属于人民调解受理范围"


def test_recording_an_outcome_unblocks_closing(window: MainWindow, dialogs: RecordingDialogs) -> None:
    def only_outcome_missing(case_id: int) -> bool:  # e.g. not also an open dispatch
        with window.ctx.db.read() as s:
            return action_blockers(s, case_id, "close_mediation") == ["尚未记录调解结果"]

    case = first_case(window, lambda d: d.stage == "调" and only_outcome_missing(d.id))
    show(window, case.id)
    dialogs.answers = ["书面协议", "双方当场签字"]
    window.detail.record_buttons["mediation_outcome"].click()
    assert window.detail.values["mediation_outcome"].text() == "书面协议"
    assert "close_mediation" in {a for a, _ in window.detail.detail.allowed_actions}
    dialogs.answers = ["确定"]  # 调解结案 cannot be undone: confirmed
    window.detail.findChild(QPushButton, "action_close_mediation").click()
    assert window.detail.detail.stage == "办结", dialogs.texts


def test_parties_show_masked_numbers(window: MainWindow) -> None:
    case = first_case(window, lambda d: any(p.phone and p.id_number for p in d.parties))
    show(window, case.id)
    party = next(p for p in case.parties if p.phone and p.id_number)
    row = next(r for r in window.detail.parties.rows if r[2] == party.name)
    assert party.phone not in row and party.id_number not in row
    assert row[4] == f"{party.phone[:3]}****{party.phone[-4:]}"
    assert row[5].startswith(party.id_number[:6]) and row[5].endswith(party.id_number[-4:]) and "*" in row[5]


def test_clicking_an_unsortable_header_keeps_the_sort(window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    header.setSortIndicator(5, Qt.SortOrder.AscendingOrder)  # 当事人: not sortable
    assert header.sortIndicatorSection() == 1 and window.model.sort_key == "received"
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert window.model.sort_key == "number"


def test_search_box_is_debounced(qtbot: QtBot, window: MainWindow) -> None:
    box = window.findChild(QLineEdit, "searchBox")
    commit_text(box, "王")
    assert window.model.filter.search is None  # not yet: waits for the typing to pause
    qtbot.waitUntil(lambda: window.model.filter.search == "王", timeout=2000)


def test_full_id_number_needs_a_selected_party_and_a_reason(window: MainWindow, dialogs: RecordingDialogs) -> None:
    case = first_case(window, lambda d: bool(d.parties[0].id_number))
    show(window, case.id)
    reveal = window.detail.findChild(QPushButton, "revealIdNumber")
    reveal.click()
    assert dialogs.shown[-1] == ("查看完整证件号", "请先在当事人表中选择一名当事人")
    window.detail.parties_view.selectRow(0)
    dialogs.answers = [""]  # no reason: nothing revealed
    reveal.click()
    assert len(dialogs.shown) == 1
    dialogs.answers = ["核对当事人身份"]
    reveal.click()
    assert dialogs.shown[-1] == ("完整证件号", f"{case.parties[0].name}：{case.parties[0].id_number}")
