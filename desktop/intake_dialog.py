"""登记案件: the case fields from forms.specs.CASE_INTAKE (dispute type picked in two levels),
the committee, and any number of parties. Every message appears next to its field and the dialog
stays open with everything typed kept; on success the case is registered as one unit of work and
`registered` carries its id so the main window can select it. Each party may have agents
(添加代理人 in its editor); they are saved with it and kept in drafts.

Typed input is autosaved as a draft (ctx.drafts) every few seconds and whenever a save fails, so a
crash, a lost connection or a refused save loses nothing; a registered case or 取消 discards it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.dispute_type_picker import DisputeTypePicker
from desktop.keyboard import chain_tab_order, enter_moves_on
from desktop.party_editor import PartyEditor
from desktop.screen import fit_to_screen
from desktop.spec_form import ERROR_STYLE, SpecForm, date_input
from forms.specs import CASE_INTAKE, FormResult
from models import clock
from models.cases.queries import list_committees, list_dispute_types
from models.cases.repeats import repeat_disputes
from models.cases.service import register_case
from models.dto import CaseDraft, CaseRef
from models.errors import DomainError, ValidationFailed

FIX_MARKED = "请更正标红的项目后再保存"
DRAFT_FORM = "intake"  # the form name under which intake drafts are stored
AUTOSAVE_MS = 3000
KEEP_DRAFT, DISCARD, KEEP_EDITING = "保留为草稿并关闭", "不保留，直接关闭", "继续填写"
CLOSE_CHOICES = [KEEP_DRAFT, DISCARD, KEEP_EDITING]


class IntakeDialog(QDialog):
    registered = Signal(int)  # the new case's id

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("登记案件")
        fit_to_screen(self, 1100, 820)
        self.created: CaseRef | None = None
        with ctx.db.read() as session:
            committees, types = list_committees(session), list_dispute_types(session)
        self.committee = QComboBox(objectName="field_committee_id")
        for committee_id, name in committees:
            self.committee.addItem(name, committee_id)
        self.committee_message = _message_label("error_committee_id")
        custom = {"received_date": date_input(clock.today()), "dispute_type_code": DisputeTypePicker(types)}
        self.case_form = SpecForm(CASE_INTAKE, columns=3, custom=custom)
        self.case_form.set_value("source_channel", "来访")
        self.case_form.set_value("complexity", "一般")
        self.case_form.edited.connect(self.case_form.check_field)
        self.parties: list[PartyEditor] = []
        self.parties_box = QVBoxLayout()
        self.parties_message = _message_label("error_parties")
        self.form_message = _message_label("formError")
        self.repeat_alert = _message_label("repeatAlert")
        self._lay_out()
        self.add_party("申请方")
        self.add_party("被申请方")
        self._last_draft = self._pristine = self.draft_payload()  # an untouched form is not worth a draft
        self._autosave = QTimer(self, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        if ctx.drafts is not None:
            self._autosave.start()

    # --- layout --------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        committee_row = QHBoxLayout()
        committee_row.addWidget(QLabel("＊调解组织"))
        committee_row.addWidget(self.committee, 1)
        committee_row.addWidget(self.committee_message)
        column.addLayout(committee_row)
        column.addWidget(self.case_form)
        column.addWidget(_heading("当事人"))
        column.addWidget(self.parties_message)
        column.addLayout(self.parties_box)
        self.add_party_button = add = QPushButton("添加当事人", objectName="addParty")
        add.clicked.connect(lambda: self.add_party("第三方" if len(self.parties) >= 2 else "被申请方"))
        add_row = QHBoxLayout()
        add_row.addWidget(add)
        add_row.addStretch(1)
        column.addLayout(add_row)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancelButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.form_message)
        layout.addWidget(self.repeat_alert)
        layout.addWidget(buttons)

    def add_party(self, side: str = "申请方") -> PartyEditor:
        editor = PartyEditor(side, self)
        editor.remove_requested.connect(self.remove_party)
        editor.agents_changed.connect(self.chain_tab_order)
        self.parties.append(editor)
        self.parties_box.addWidget(editor)
        self._renumber()
        self.chain_tab_order()
        return editor

    def remove_party(self, editor: PartyEditor) -> None:
        self.parties.remove(editor)
        self.parties_box.removeWidget(editor)
        editor.deleteLater()
        self._renumber()
        self.chain_tab_order()

    def _renumber(self) -> None:
        for number, editor in enumerate(self.parties, start=1):
            editor.set_number(number)

    # --- keyboard ------------------------------------------------------------------------------
    def chain_tab_order(self) -> list[QWidget]:
        """Tab in reading order: committee, case fields, each party, then the buttons."""
        parties = [w for editor in self.parties for w in editor.focus_widgets()]
        return chain_tab_order([self.committee, *self.case_form.focus_widgets(), *parties, self.add_party_button,
                                self.save_button, self.cancel_button])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate everything, then register; on any problem the dialog stays open, values kept."""
        case = self.case_form.validate()
        parties = [editor.validate() for editor in self.parties]
        self.parties_message.setVisible(not self.parties)
        self.parties_message.setText("至少需要一名当事人" if not self.parties else "")
        if not case.ok or not all(p.ok for p in parties) or not self.parties:
            self.form_message.setText(FIX_MARKED)
            self.form_message.show()
            self.keep_draft("未通过校验")
            return False
        draft = self._draft(case, parties)
        if not self._repeat_acknowledged(draft):
            self.keep_draft("重复纠纷待确认")
            return False
        outcome = self.ctx.runner.run(lambda s: register_case(s, draft, self.ctx.actor()),
                                      changed_case=lambda ref: ref.id, title="登记案件", quiet=True)
        if outcome.error is not None:
            self.keep_draft("保存未成功")
            self._show_service_error(outcome.error)
            return False
        self.created = outcome.value
        assert self.created is not None
        self.discard_draft()
        self.registered.emit(self.created.id)
        self.accept()
        return True

    def _repeat_acknowledged(self, draft: CaseDraft) -> bool:
        """Warn (never block) when a party had a case in the last 12 months: the earlier cases are
        listed here and linked from the new case's detail view; the user decides."""
        with self.ctx.db.read() as session:
            hits = repeat_disputes(session, draft.parties, today=clock.today())
        self.repeat_alert.setVisible(bool(hits))
        self.repeat_alert.setText("重复纠纷提示：" + "；".join(h.number for h in hits) if hits else "")
        if not hits:
            return True
        lines = "\n".join(f"• {h.line()}" for h in hits[:10]) + (f"\n……共 {len(hits)} 件" if len(hits) > 10 else "")
        return self.ctx.dialogs.confirm("重复纠纷提示", f"当事人近12个月内已有案件：\n{lines}\n\n仍要登记此案件吗？")

    def _draft(self, case: FormResult, parties: list[FormResult]) -> CaseDraft:
        c = case.cleaned
        return CaseDraft(
            committee_id=self.committee.currentData(), source_channel=c["source_channel"],
            dispute_type_code=c["dispute_type_code"], summary=c["summary"], received_date=c["received_date"],
            parties=tuple(PartyEditor.party_input(p.cleaned) for p in parties), desk_id=self.ctx.desk_id,
            facts=c["facts"] or "", claims=c["claims"] or "", risk_colour=c["risk_colour"],
            complexity=c["complexity"] or "一般", amount=c["amount"], people_involved=c["people_involved"],
        )

    def _show_service_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationFailed) else {}
        if not fields:
            self.ctx.runner.show_error(error, "登记案件")
            return
        for key, text in fields.items():
            self._show_field_message(key, text)
        self.form_message.setText(FIX_MARKED)
        self.form_message.show()

    def _show_field_message(self, key: str, text: str) -> None:
        head, _, rest = key.partition(".")
        if head == "parties" and rest:
            index, _, field = rest.partition(".")
            self.parties[int(index)].show_messages({field: text})
        elif head == "parties":
            self.parties_message.setText(text)
            self.parties_message.show()
        elif key == "committee_id":
            self.committee_message.setText(text)
            self.committee_message.show()
        else:
            self.case_form.show_message(key, text)


    # --- drafts ---------------------------------------------------------------------------------
    def draft_payload(self) -> dict[str, Any]:
        """Everything typed, as strings (both kinds of every party, so switching kind loses nothing)."""
        parties = [{"side": e.side.currentText(), "kind": e.kind.currentText(), "person": e.person.values(),
                    "organisation": e.organisation.values(), "agents": e.agent_values()} for e in self.parties]
        return {"committee_id": self.committee.currentData(), "case": self.case_form.values(), "parties": parties}

    def restore_draft(self, payload: dict[str, Any]) -> None:
        """Fill the form from a draft (after a crash, a lost connection or a refused save)."""
        found = self.committee.findData(payload.get("committee_id"))
        if found >= 0:
            self.committee.setCurrentIndex(found)
        _fill(self.case_form, payload.get("case", {}))
        for editor in list(self.parties):
            self.remove_party(editor)
        for party in payload.get("parties", []):
            editor = self.add_party(party.get("side", "申请方"))
            editor.kind.setCurrentText(party.get("kind", "自然人"))
            _fill(editor.person, party.get("person", {}))
            _fill(editor.organisation, party.get("organisation", {}))
            for agent in party.get("agents", []):
                editor.add_agent(agent)
        self._last_draft = self.draft_payload()

    def autosave(self) -> None:
        """Write a draft when something changed since the last one (runs on a timer)."""
        if self.ctx.drafts is not None and self.draft_payload() != self._last_draft:
            self.keep_draft("自动保存")

    def keep_draft(self, reason: str) -> None:
        if self.ctx.drafts is None:
            return
        self._last_draft = self.draft_payload()
        try:
            self.ctx.drafts.save(self.ctx.user_id, DRAFT_FORM, self._last_draft, reason=reason)
        except OSError as exc:  # a full or read-only disk must not stop the clerk from working
            self.form_message.setText(f"草稿未能保存：{exc.strerror or exc}")
            self.form_message.show()

    def discard_draft(self) -> None:
        self._autosave.stop()
        if self.ctx.drafts is not None:
            self.ctx.drafts.discard(self.ctx.user_id, DRAFT_FORM)

    def reject(self) -> None:
        """取消 or Esc: an untouched form just closes; with something typed the user is asked, and
        may keep it as a draft (offered again at the next sign-in) or give it up."""
        if self.draft_payload() != self._pristine:
            answer = self.ctx.dialogs.choose("关闭登记案件", "已填写的内容尚未保存。", CLOSE_CHOICES, CLOSE_CHOICES[0])
            if answer is None or answer == KEEP_EDITING:
                return
            if answer == KEEP_DRAFT:
                self._autosave.stop()
                self.keep_draft("关闭时保留")
                super().reject()
                return
        self.discard_draft()
        super().reject()


def _fill(form: SpecForm, values: dict[str, str]) -> None:
    for key, text in values.items():
        if key in form.inputs:
            form.set_value(key, text)


def _message_label(name: str) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label

