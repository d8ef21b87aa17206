"""安排/记录调解 and 记录回访: the dialogs behind the case view's 调解记录 and 回访记录 tabs.

Each dialog collects what the user typed into the service's input, lets the service check it (the
same checks as the CLI), and shows a refusal inline without clearing anything typed."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QWidget,
)

from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.screen import fit_to_screen
from desktop.spec_form import date_input, date_of
from forms.values import validate_amount
from models import clock
from models.cases.followups import METHODS, FollowUpInput, FollowUpView, record_followup
from models.cases.queries import case_detail
from models.cases.sessions import (
    SessionInput,
    SessionPartyInput,
    SessionView,
    add_session,
    agent_choices,
    mediator_choices,
    session_view,
    update_session,
)
from models.cases.stages import PARTLY_PERFORMED, PERFORMANCES, SATISFACTIONS
from models.dto import CaseDetail

CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
ID_ROLE = Qt.ItemDataRole.UserRole


def _text_area(placeholder: str = "", height: int = 56) -> QPlainTextEdit:
    area = QPlainTextEdit(placeholderText=placeholder, tabChangesFocus=True)
    area.setFixedHeight(height)
    return area


def _checklist(name: str, items: list[tuple[int, str]], checked: set[int]) -> QListWidget:
    widget = QListWidget(objectName=name)
    for key, label in items:
        item = QListWidgetItem(label)
        item.setData(ID_ROLE, key)
        item.setCheckState(CHECKED if key in checked else UNCHECKED)
        widget.addItem(item)
    widget.setFixedHeight(min(110, 24 * max(2, len(items)) + 6))
    return widget


def checked_ids(widget: QListWidget) -> tuple[int, ...]:
    items = (widget.item(row) for row in range(widget.count()))
    return tuple(int(i.data(ID_ROLE)) for i in items if i.checkState() == CHECKED)


def set_checked(widget: QListWidget, ids: set[int]) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        item.setCheckState(CHECKED if item.data(ID_ROLE) in ids else UNCHECKED)


class SessionDialog(FormDialog):
    """安排调解 (no result: a scheduled session) or 记录调解 (with its result); edits an existing one
    when `session_id` is given."""

    saved = Signal(int)  # the session id

    def __init__(self, ctx: DeskContext, case_id: int, session_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        with ctx.db.read() as s:
            self.detail: CaseDetail = case_detail(s, case_id=case_id)
            self.base: SessionView | None = session_view(s, session_id) if session_id is not None else None
            mediators = mediator_choices(s)
            self.agent_choices = agent_choices(s, case_id)
        title = "修改调解记录" if self.base else "安排或记录调解"
        super().__init__(f"{title} — {self.detail.number}", parent,
                         intro="不填“调解结果”即为已安排、尚未举行的调解；举行后再打开填写结果。")
        fit_to_screen(self, 760, 760)
        self.ctx, self.case_id = ctx, case_id
        self.result_view: SessionView | None = None
        self._build(mediators)
        if self.base is not None:
            self._fill(self.base)

    def _build(self, mediators: list[tuple[int, str]]) -> None:
        me = {self.ctx.user_id} if self.ctx.user_id in {m for m, _ in mediators} else set()
        self.held_on = date_input(clock.today(), objectName="field_held_on")
        self.start_time = QTimeEdit(QTime(9, 0), objectName="field_start_time", displayFormat="HH:mm")
        self.place = QLineEdit(objectName="field_place", placeholderText="如：第二调解室")
        self.mediators = _checklist("field_mediators", mediators, me)
        self.parties = self._party_table()
        self.agents = _checklist("field_agents", self.agent_choices, set())
        self.others = QLineEdit(objectName="field_others", placeholderText="其他参加人，如：村委会委员陈玉兰")
        self.proposal = _text_area("调解员提出的调解意见或方案")
        self.proposal.setObjectName("field_proposal")
        self.result_text = _text_area("调解结果；尚未举行请留空")
        self.result_text.setObjectName("field_result")
        self.next_step = QLineEdit(objectName="field_next_step", placeholderText="如：一周后再次调解；起草协议书")
        for label, widget in (("＊调解日期", self.held_on), ("＊时间", self.start_time), ("＊地点", self.place),
                              ("＊调解员", self.mediators), ("当事人（到场、陈述）", self.parties),
                              ("到场代理人", self.agents), ("其他参加人", self.others), ("调解意见", self.proposal),
                              ("调解结果", self.result_text), ("下一步安排", self.next_step)):
            self.form.addRow(label, widget)

    def _party_table(self) -> QTableWidget:
        table = QTableWidget(len(self.detail.parties), 2, objectName="field_parties")
        table.setHorizontalHeaderLabels(["到场", "陈述（双击填写）"])
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        for row, party in enumerate(self.detail.parties):
            item = QTableWidgetItem(f"{party.side} {party.name}")
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(UNCHECKED)
            item.setData(ID_ROLE, party.id)
            table.setItem(row, 0, item)
            table.setItem(row, 1, QTableWidgetItem(""))
        table.setFixedHeight(min(160, 30 * (len(self.detail.parties) + 1) + 6))
        return table

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.parties.item(row, column)
        assert item is not None  # every cell is made in _party_table
        return item

    def _fill(self, v: SessionView) -> None:
        self.held_on.setDate(QDate(v.held_on.year, v.held_on.month, v.held_on.day))
        self.start_time.setTime(QTime(v.start_time.hour, v.start_time.minute))
        self.place.setText(v.place)
        set_checked(self.mediators, set(v.mediator_ids))
        set_checked(self.agents, set(v.agent_ids))
        by_party = {p.party_id: p for p in v.parties}
        for row in range(self.parties.rowCount()):
            found = by_party.get(int(self._cell(row, 0).data(ID_ROLE)))
            self._cell(row, 0).setCheckState(CHECKED if found and found.present else UNCHECKED)
            self._cell(row, 1).setText(found.statement if found else "")
        self.others.setText(v.others)
        self.proposal.setPlainText(v.proposal)
        self.result_text.setPlainText(v.result)
        self.next_step.setText(v.next_step)

    def set_party(self, row: int, present: bool, statement: str = "") -> None:
        """Tick a party as present and write their statement (also what a test does)."""
        self._cell(row, 0).setCheckState(CHECKED if present else UNCHECKED)
        self._cell(row, 1).setText(statement)

    def collect(self) -> SessionInput:
        parties = []
        for row in range(self.parties.rowCount()):
            present = self._cell(row, 0).checkState() == CHECKED
            statement = self._cell(row, 1).text()
            if present or statement.strip():
                parties.append(SessionPartyInput(int(self._cell(row, 0).data(ID_ROLE)), present, statement))
        at = self.start_time.time()
        return SessionInput(
            held_on=date_of(self.held_on), start_time=time(at.hour(), at.minute()), place=self.place.text(),
            mediator_ids=checked_ids(self.mediators), parties=tuple(parties), agent_ids=checked_ids(self.agents),
            others=self.others.text(), proposal=self.proposal.toPlainText(), result=self.result_text.toPlainText(),
            next_step=self.next_step.text(),
        )

    def submit(self) -> None:
        data, actor, base = self.collect(), self.ctx.actor(), self.base
        if base is None:
            outcome = self.ctx.runner.run(lambda s: add_session(s, self.case_id, data, actor),
                                          changed_case=lambda _v: self.case_id, quiet=True)
        else:
            outcome = self.ctx.runner.run(lambda s: update_session(s, base.id, data, actor, base.version),
                                          changed_case=lambda _v: self.case_id, quiet=True)
        if not outcome.ok or outcome.value is None:
            self.fail(outcome.error.message if outcome.error else "保存失败")
            return
        self.result_view = outcome.value
        self.saved.emit(outcome.value.id)
        self.accept()


class FollowUpDialog(FormDialog):
    """记录回访: 不满意 or 未履行 sends the case back to mediation (the dialog says so before saving)."""

    saved = Signal(int)

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        with ctx.db.read() as s:
            self.detail: CaseDetail = case_detail(s, case_id=case_id)
        super().__init__(f"记录回访 — {self.detail.number}", parent,
                         intro="回访“不满意”或“未履行”的案件将重新进入调解。")
        fit_to_screen(self, 560, 560)
        self.ctx, self.case_id = ctx, case_id
        self.result_view: FollowUpView | None = None
        self.visited_on = date_input(clock.today(), objectName="field_visited_on")
        self.method = self._combo("field_method", METHODS)
        self.parties = _checklist("field_visited", [(p.id, f"{p.side} {p.name}") for p in self.detail.parties],
                                  {p.id for p in self.detail.parties})
        self.performance = self._combo("field_performance", PERFORMANCES)
        self.amount = QLineEdit(objectName="field_performed_amount", placeholderText="部分履行时填写已履行金额，如 4000")
        self.satisfaction = self._combo("field_satisfaction", SATISFACTIONS)
        self.notes = _text_area("回访情况", 80)
        self.notes.setObjectName("field_notes")
        for label, widget in (("＊回访日期", self.visited_on), ("＊回访方式", self.method), ("＊回访当事人", self.parties),
                              ("＊履行情况", self.performance), ("已履行金额", self.amount),
                              ("＊满意度", self.satisfaction), ("回访情况", self.notes)):
            self.form.addRow(label, widget)
        self.performance.currentTextChanged.connect(lambda text: self.amount.setEnabled(text == PARTLY_PERFORMED))
        self.amount.setEnabled(False)

    @staticmethod
    def _combo(name: str, choices: tuple[str, ...]) -> QComboBox:
        combo = QComboBox(objectName=name)
        combo.addItems(list(choices))
        return combo

    def collect(self) -> FollowUpInput | None:
        amount: Decimal | None = None
        if self.performance.currentText() == PARTLY_PERFORMED and self.amount.text().strip():
            checked = validate_amount(self.amount.text())
            if not checked.ok:
                self.fail(f"已履行金额：{checked.message}")
                return None
            amount = checked.value if isinstance(checked.value, Decimal) else Decimal(str(checked.value))
        return FollowUpInput(
            visited_on=date_of(self.visited_on), method=self.method.currentText(), party_ids=checked_ids(self.parties),
            performance=self.performance.currentText(), satisfaction=self.satisfaction.currentText(),
            performed_amount=amount, notes=self.notes.toPlainText(),
        )

    def submit(self) -> None:
        data, actor = self.collect(), self.ctx.actor()
        if data is None:
            return
        outcome = self.ctx.runner.run(lambda s: record_followup(s, self.case_id, data, actor),
                                      changed_case=lambda _v: self.case_id, quiet=True)
        if not outcome.ok or outcome.value is None:
            self.fail(outcome.error.message if outcome.error else "保存失败")
            return
        self.result_view = outcome.value
        self.saved.emit(outcome.value.id)
        self.accept()
