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
from desktop.case_actions import CaseActions
from desktop.case_edit_dialog import CaseEditDialog
from desktop.case_file_view import CaseFileView
from desktop.case_workflow_view import CaseWorkflowView
from desktop.context import DeskContext
from desktop.issued_documents_view import IssuedDocumentsView
from desktop.rows_table_model import RowsTableModel
from desktop.session_views import CaseFollowUpsView, CaseSessionsView
from models.cases.outcomes import OUTCOMES, Outcome
from models.cases.queries import case_detail
from models.cases.repeats import RepeatHit, case_repeats
from models.cases.stages import Transition, transitions_from
from models.cases.voiding import VOID_MARK
from models.dto import AgentView, CaseDetail, EventView, PartyView
from models.security.masking import shown
from models.security.permissions import Permission, action_permission, case_refusals, reveal_id_number

PARTY_HEADERS = ("身份", "类别", "姓名/名称", "性别", "联系电话", "证件号码", "住所")
EVENT_HEADERS = ("时间", "阶段", "操作", "经办人", "窗口", "理由/说明")
HEADER_FIELDS = (
    ("调解组织", "committee"), ("窗口", "desk"), ("来源", "source_channel"), ("纠纷类型", "dispute_type"),
    ("风险", "risk_colour"), ("复杂程度", "complexity"), ("涉及金额", "amount"), ("涉及人数", "people_involved"),
    ("受理日期", "received_date"), ("首问责任人", "first_handler"), ("调解员", "mediator"),
    ("协助调解员", "co_mediators"), ("包案领导", "leader"),
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


def agent_row(a: AgentView, p: PartyView) -> tuple[str, ...]:
    """An agent on the line under the party they act for: whose agent, ID masked, 执业证号 for a lawyer."""
    numbers = "　".join(x for x in (shown("id_number", a.id_number), f"执业证号 {a.license_no}" if a.license_no else "") if x)
    return (f"　└ {a.kind}", "代理人", f"{a.name}（系{p.name}的{a.kind}）", "", shown("phone", a.phone), numbers,
            a.unit or "")


def party_rows(parties: tuple[PartyView, ...]) -> tuple[list[tuple[str, ...]], list[int]]:
    """The party table's rows (each party, then its agents) and, per row, the index of its party."""
    rows: list[tuple[str, ...]] = []
    owners: list[int] = []
    for i, p in enumerate(parties):
        for row in (party_row(p), *(agent_row(a, p) for a in p.agents)):
            rows.append(row)
            owners.append(i)
    return rows, owners


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
        self.related = QLabel(objectName="relatedCases", wordWrap=True, styleSheet="color: #b35c00;")
        self.related.linkActivated.connect(lambda link: self.show_case(int(link.removeprefix("case:"))))
        layout.addWidget(self.related)
        layout.addWidget(self._parties_box(), 2)
        self.tabs = QTabWidget(objectName="caseTabs")
        self.tabs.addTab(_table(self.events), "流转记录")
        self.workflow = CaseWorkflowView(self.ctx)
        self.tabs.addTab(self.workflow, "期限与办理")
        self.case_file = CaseFileView(self.ctx)  # 卷宗材料 (issue 15)
        self.tabs.addTab(self.case_file, "卷宗材料")
        self.issued = IssuedDocumentsView(self.ctx)
        self.tabs.addTab(self.issued, "已出具文书")
        self.sessions_view, self.follow_ups_view = CaseSessionsView(self.ctx), CaseFollowUpsView(self.ctx)
        self.tabs.addTab(self.sessions_view, "调解记录")
        self.tabs.addTab(self.follow_ups_view, "回访记录")
        layout.addWidget(self.tabs, 3)
        layout.addWidget(self._boxed("阶段操作", self._button_row(), flat=True))
        layout.addWidget(self._boxed("记录办理结果", self._record_row(), flat=True))
        layout.addWidget(self._boxed("协议与文书", self._document_row(), flat=True))
        layout.addWidget(self._boxed("更正与作废", self._correction_row(), flat=True))

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
        for outcome in OUTCOMES:
            button = QPushButton(outcome.label, objectName=f"record_{outcome.field}")
            button.clicked.connect(lambda _=False, o=outcome: self._record(o))
            self.record_buttons[outcome.field] = button
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

    def _correction_row(self) -> QWidget:
        """修改案件… (facts, parties, agents; with a reason) and 作废… (registered in error)."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit_button = QPushButton("修改案件…", objectName="editCase")
        self.edit_button.clicked.connect(self.open_edit)
        self.void_button = QPushButton("作废…", objectName="voidCase")
        self.void_button.clicked.connect(self._void)
        layout.addWidget(self.edit_button)
        layout.addWidget(self.void_button)
        layout.addStretch(1)
        return row

    # --- showing a case ------------------------------------------------------------------------
    def show_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.detail = None
        self.refusals: dict[Permission, str | None] = {}
        self.repeats: list[RepeatHit] = []
        if case_id is not None:
            with self.ctx.db.read() as session:
                self.detail = case_detail(session, case_id=case_id)
                self.refusals = case_refusals(session, self.ctx.actor(), case_id)
                self.repeats = case_repeats(session, case_id)
        self._render(self.detail)

    def _render(self, d: CaseDetail | None) -> None:
        mark = f"　【{VOID_MARK}：{d.void_reason or ''}】" if d and d.voided_at else ""
        self.title.setText(f"{d.number}　［{d.stage}］{mark}" if d else "请在左侧列表中选择案件")
        for _label, key in HEADER_FIELDS:
            self.values[key].setText(_text(getattr(d, key)) if d else "")
        self.summary.setText(f"简要情况：{d.summary}" if d else "")
        links = "；".join(f'<a href="case:{h.case_id}">{h.number}</a>（{"；".join(h.reasons)}）'
                         for h in (self.repeats if d else []))
        self.related.setText(f"重复纠纷提示：当事人近12个月内另有案件 {links}" if links else "")
        self.related.setVisible(bool(links))
        rows, self.row_party = party_rows(d.parties) if d else ([], [])
        self.parties.set_rows(rows)
        self.events.set_rows([event_row(e) for e in d.events] if d else [])
        self.workflow.show_case(d.id if d else None)
        self.case_file.show_case(d.id if d else None)
        self.issued.show_case(d.id if d else None)
        for records in (self.sessions_view, self.follow_ups_view):
            records.show_case(d.id if d else None, d.stage if d else "")
        self._render_actions(d)
        self._permit(self.agreement_button, d is not None, Permission.CASE_RECORD)
        self.document_button.setEnabled(d is not None)
        live = d is not None and d.voided_at is None
        self.edit_button.setEnabled(live)
        self.void_button.setEnabled(live)

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
        for outcome in OUTCOMES:
            self._permit(self.record_buttons[outcome.field],
                         d is not None and d.voided_at is None and d.stage in outcome.stages, Permission.CASE_RECORD)

    def _permit(self, button: QPushButton, enabled: bool, permission: Permission) -> None:
        """Enable `button` only when the user may do `permission` on this case (the same answer the
        service gives: models.security.permissions.case_refusal); say why when not."""
        refused = self.refusals.get(permission)
        button.setEnabled(enabled and refused is None)
        if refused:
            button.setToolTip(refused)

    def _action_button(self, transition: Transition, allowed: bool) -> QPushButton:
        text = transition.label + ("…" if transition.needs_reason or transition.action == "refer_mediation" else "")
        button = QPushButton(text, objectName=f"action_{transition.action}")
        if not allowed:
            button.setStyleSheet(f"color: {BLOCKED_COLOUR};")
            button.setToolTip("条件尚未满足，点击查看原因")
        self._permit(button, True, action_permission(transition.action))
        button.clicked.connect(lambda _=False, t=transition: self._advance(t))
        return button

    # --- user actions --------------------------------------------------------------------------
    def _advance(self, transition: Transition) -> None:
        if self.case_id is not None:
            self.case_actions.advance(self.case_id, transition)

    def _record(self, outcome: Outcome) -> None:
        if self.case_id is not None and self.detail is not None:
            self.case_actions.record(self.case_id, outcome, self.detail.stage, getattr(self.detail, outcome.field))

    def open_edit(self) -> CaseEditDialog | None:
        """修改案件: the intake's forms over this case, saved as one correction with a reason."""
        if self.detail is None:
            return None
        dialog = CaseEditDialog(self.ctx, self.detail.id, self)
        dialog.open()
        return dialog

    def _void(self) -> None:
        if self.detail is not None:
            self.case_actions.void(self.detail.id, self.detail.number)

    def _reveal_id_number(self) -> None:
        """The full ID number of the selected party, for a reason that goes to the audit trail."""
        rows = self.parties_view.selectionModel().selectedRows()
        if self.detail is None or not rows:
            self.ctx.dialogs.inform("查看完整证件号", "请先在当事人表中选择一名当事人")
            return
        party = self.detail.parties[self.row_party[rows[0].row()]]
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
