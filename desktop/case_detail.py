"""The detail pane of one case: header fields, the parties (phone and ID masked), the stage
timeline, and a button for every move the stage table allows plus the facts that can be
recorded. It reloads itself when the event hub says its case changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.agreement_dialog import AgreementDialog
from desktop.case_actions import RECORDABLE_FACTS, CaseActions, RecordableFact
from desktop.case_workflow_view import CaseWorkflowView
from desktop.context import DeskContext
from desktop.rows_table_model import RowsTableModel
from desktop.session_views import CaseFollowUpsView, CaseSessionsView
from models.cases.queries import case_detail
from models.cases.stages import Transition, transitions_from
from models.dto import CaseDetail, EventView, PartyView
from models.security.masking import shown
from models.security.permissions import reveal_id_number

PARTY_HEADERS = ("身份", "类别", "姓名/名称", "性别", "联系电话", "证件号码", "住所")
EVENT_HEADERS = ("时间", "阶段", "操作", "经办人", "窗口", "理由/说明")
HEADER_FIELDS = (
    ("调解组织", "committee"), ("窗口", "desk"), ("来源", "source_channel"), ("纠纷类型", "dispute_type"),
    ("风险", "risk_colour"), ("复杂程度", "complexity"), ("涉及金额", "amount"), ("涉及人数", "people_involved"),
    ("受理日期", "received_date"), ("首问责任人", "first_handler"), ("调解员", "mediator"),
    ("调解结果", "mediation_outcome"), ("仲裁类别", "arbitration_track"), ("仲裁结果", "arbitration_result"),
    ("法院结果", "court_outcome"), ("回访满意度", "followup_satisfaction"),
)
HEADER_COLUMNS = 4  # label/value pairs per line
BLOCKED_COLOUR = "#b35c00"  # a move whose guards do not hold yet: still clickable, to learn why


def party_row(p: PartyView) -> tuple[str, ...]:
    """A party as list text; phone and ID number are masked (full numbers need 查看完整证件号)."""
    number = p.uscc or "" if p.kind == "组织" else shown("id_number", p.id_number)
    phone = shown("phone", p.phone)
    return (p.side, p.kind, p.name, p.sex or "", phone, number, p.address or "")


def event_row(e: EventView) -> tuple[str, ...]:
    stages = f"{e.from_stage} → {e.to_stage}" if e.from_stage and e.from_stage != e.to_stage else e.to_stage
    return (event_time(e), stages, e.action, e.user or "", e.desk or "", e.reason)


def event_time(e: EventView) -> str:
    return f"{e.at.astimezone():%Y-%m-%d}" if e.day_only else f"{e.at.astimezone():%Y-%m-%d %H:%M}"


def _text(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def _table(model: RowsTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(False)
    return view


if TYPE_CHECKING:
    from desktop.document_dialog import DocumentDialog


class CaseDetailView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_actions = ctx, CaseActions(ctx)
        self.case_id: int | None = None
        self.detail: CaseDetail | None = None
        self.parties = RowsTableModel(PARTY_HEADERS, self)
        self.events = RowsTableModel(EVENT_HEADERS, self)
        self.action_buttons: dict[str, QPushButton] = {}
        self.record_buttons: dict[str, QPushButton] = {}
        self._build()
        ctx.hub.case_changed.connect(self._on_case_changed)
        self.show_case(None)

    # --- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("caseTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.title)
        layout.addLayout(self._header_grid())
        self.summary = QLabel(wordWrap=True)
        layout.addWidget(self.summary)
        layout.addWidget(self._parties_box(), 2)
        self.tabs = QTabWidget(objectName="caseTabs")
        self.tabs.addTab(_table(self.events), "流转记录")
        self.workflow = CaseWorkflowView(self.ctx)
        self.tabs.addTab(self.workflow, "期限与办理")
        self.sessions_view, self.follow_ups_view = CaseSessionsView(self.ctx), CaseFollowUpsView(self.ctx)
        self.tabs.addTab(self.sessions_view, "调解记录")
        self.tabs.addTab(self.follow_ups_view, "回访记录")
        layout.addWidget(self.tabs, 3)
        layout.addWidget(self._boxed("阶段操作", self._button_row(), flat=True))
        layout.addWidget(self._boxed("记录办理结果", self._record_row(), flat=True))
        layout.addWidget(self._boxed("协议与文书", self._document_row(), flat=True))

    def _header_grid(self) -> QGridLayout:
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for i, (label, key) in enumerate(HEADER_FIELDS):
            row, col = divmod(i, HEADER_COLUMNS)
            grid.addWidget(QLabel(f"{label}："), row, col * 2)
            self.values[key] = QLabel(objectName=f"value_{key}")
            grid.addWidget(self.values[key], row, col * 2 + 1)
        for col in range(HEADER_COLUMNS):
            grid.setColumnStretch(col * 2 + 1, 1)
        return grid

    def _parties_box(self) -> QGroupBox:
        self.parties_view = _table(self.parties)
        reveal = QPushButton("查看完整证件号…", objectName="revealIdNumber")
        reveal.setToolTip("须填写理由，查看记录写入审计日志")
        reveal.clicked.connect(self._reveal_id_number)
        box = QGroupBox("当事人")
        layout = QVBoxLayout(box)
        layout.addWidget(self.parties_view)
        layout.addWidget(reveal, 0, Qt.AlignmentFlag.AlignRight)
        return box

    @staticmethod
    def _boxed(title: str, inner: QWidget, flat: bool = False) -> QGroupBox:
        box = QGroupBox(title, flat=flat)
        QVBoxLayout(box).addWidget(inner)
        return box

    def _button_row(self) -> QWidget:
        self.action_row = QWidget()
        self.action_layout = layout = QHBoxLayout(self.action_row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.no_action = QLabel("本阶段没有可办理的流转")
        layout.addWidget(self.no_action)
        layout.addStretch(1)
        self.blocked_hint = QLabel("橙色：条件尚未满足，点击可查看原因", styleSheet=f"color: {BLOCKED_COLOUR};")
        layout.addWidget(self.blocked_hint)
        return self.action_row

    def _record_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for fact in RECORDABLE_FACTS:
            button = QPushButton(fact.label, objectName=f"record_{fact.field}")
            button.clicked.connect(lambda _=False, f=fact: self._record(f))
            self.record_buttons[fact.field] = button
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    def _document_row(self) -> QWidget:
        """登记调解协议… and 生成文书… (issue 3)."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.agreement_button = QPushButton("登记调解协议…", objectName="recordAgreement")
        self.agreement_button.clicked.connect(self.open_agreement)
        self.document_button = QPushButton("生成文书…", objectName="generateDocument")
        self.document_button.clicked.connect(self.open_documents)
        layout.addWidget(self.agreement_button)
        layout.addWidget(self.document_button)
        layout.addStretch(1)
        return row

    # --- showing a case ------------------------------------------------------------------------
    def show_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.detail = None
        if case_id is not None:
            with self.ctx.db.read() as session:
                self.detail = case_detail(session, case_id=case_id)
        self._render(self.detail)

    def _render(self, d: CaseDetail | None) -> None:
        self.title.setText(f"{d.number}　［{d.stage}］" if d else "请在左侧列表中选择案件")
        for _label, key in HEADER_FIELDS:
            self.values[key].setText(_text(getattr(d, key)) if d else "")
        self.summary.setText(f"简要情况：{d.summary}" if d else "")
        self.parties.set_rows([party_row(p) for p in d.parties] if d else [])
        self.events.set_rows([event_row(e) for e in d.events] if d else [])
        self.workflow.show_case(d.id if d else None)
        for records in (self.sessions_view, self.follow_ups_view):
            records.show_case(d.id if d else None, d.stage if d else "")
        self._render_actions(d)
        self.agreement_button.setEnabled(d is not None)
        self.document_button.setEnabled(d is not None)

    def _render_actions(self, d: CaseDetail | None) -> None:
        layout = self.action_layout
        for button in self.action_buttons.values():
            layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons.clear()
        allowed = {action for action, _label in d.allowed_actions} if d else set()
        for position, transition in enumerate(transitions_from(d.stage) if d else []):
            self.action_buttons[transition.action] = self._action_button(transition, transition.action in allowed)
            layout.insertWidget(position, self.action_buttons[transition.action])
        self.no_action.setVisible(bool(d) and not self.action_buttons)
        self.blocked_hint.setVisible(any(t not in allowed for t in self.action_buttons))
        for fact in RECORDABLE_FACTS:
            self.record_buttons[fact.field].setEnabled(d is not None and d.stage in fact.stages)

    def _action_button(self, transition: Transition, allowed: bool) -> QPushButton:
        text = transition.label + ("…" if transition.needs_reason else "")
        button = QPushButton(text, objectName=f"action_{transition.action}")
        if not allowed:
            button.setStyleSheet(f"color: {BLOCKED_COLOUR};")
            button.setToolTip("条件尚未满足，点击查看原因")
        button.clicked.connect(lambda _=False, t=transition: self._advance(t))
        return button

    # --- user actions --------------------------------------------------------------------------
    def _advance(self, transition: Transition) -> None:
        if self.case_id is not None:
            self.case_actions.advance(self.case_id, transition)

    def _record(self, fact: RecordableFact) -> None:
        if self.case_id is not None and self.detail is not None:
            self.case_actions.record(self.case_id, fact, getattr(self.detail, fact.field))

    def _reveal_id_number(self) -> None:
        """The full ID number of the selected party, for a reason that goes to the audit trail."""
        rows = self.parties_view.selectionModel().selectedRows()
        if self.detail is None or not rows:
            self.ctx.dialogs.inform("查看完整证件号", "请先在当事人表中选择一名当事人")
            return
        party = self.detail.parties[rows[0].row()]
        reason = self.ctx.dialogs.ask_text("查看完整证件号", f"查看“{party.name}”的完整证件号，请填写理由（记入审计日志）：")
        if not reason or not reason.strip():
            return
        outcome = self.ctx.runner.run(lambda s: reveal_id_number(s, self.ctx.actor(), party.id, reason))
        if outcome.ok:
            self.ctx.dialogs.inform("完整证件号", f"{party.name}：{outcome.value or '（未登记证件号）'}")

    def open_documents(self) -> DocumentDialog | None:
        if self.detail is None:
            return None
        # Imported here: the renderers (reportlab, python-docx) cost ~0.3 s at start-up otherwise.
        from desktop.document_dialog import DocumentDialog

        dialog = DocumentDialog(self.ctx, self.detail.id, self.detail.number, self)
        dialog.open()
        return dialog

    def open_agreement(self) -> AgreementDialog | None:
        if self.detail is None:
            return None
        dialog = AgreementDialog(self.ctx, self.detail.id, self.detail.number, self)
        dialog.open()
        return dialog

    def _on_case_changed(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.show_case(case_id)
