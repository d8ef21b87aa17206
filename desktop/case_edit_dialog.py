"""修改案件: correct a registered case — its facts, claims, summary, type, amount, risk, complexity,
desk and head count — and its parties and agents, with the intake's own forms (SpecForm over
forms.specs.CASE_INTAKE, PartyEditor) and a required reason. Saved through the version column
(models.cases.editing.save_keeping_draft): a conflict keeps the user's input as a draft.

Personal numbers are not put into the form: a stored ID number or phone shows as its mask in the
field's placeholder, and leaving the field blank keeps it (typing a new one replaces it), so
opening the dialog reveals nothing a masked view would not."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.dispute_type_picker import DisputeTypePicker
from desktop.party_editor import PartyEditor
from desktop.screen import fit_to_screen
from desktop.spec_form import ERROR_STYLE, SpecForm
from forms.specs import CASE_INTAKE
from models.cases.corrections import PartyEdit, correct_case
from models.cases.editing import save_keeping_draft
from models.cases.entities import Case
from models.cases.queries import list_desks, list_dispute_types
from models.dto import AgentInput, PartyInput
from models.errors import DomainError, ValidationFailed
from models.security.audit import acting
from models.security.masking import shown

DRAFT_FORM = "case_correct"
SKIPPED = ("received_date", "source_channel")  # fixed at registration (the number's year hangs on it)
FIX_MARKED = "请更正标红的项目后再保存"
HIDDEN = ("id_number", "phone")  # never put into the form in full


class CaseEditDialog(QDialog):
    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setWindowTitle("修改案件")
        fit_to_screen(self, 1100, 820)
        with ctx.db.read() as session:
            case = session.get_one(Case, case_id)
            self.number, self.base_version = case.number, case.version
            self.fixed = {"received_date": case.received_date.isoformat(), "source_channel": case.source_channel}
            self.stored = {p.id: p for p in case.parties}
            self.stored_agents = {p.id: [(a.phone or "") for a in p.agents] for p in case.parties}
            types, desks = list_dispute_types(session), list_desks(session)
            case_values = _case_values(case)
            party_rows = [(p.id, p.side, p.kind, _party_values(p), [_agent_values(a) for a in p.agents])
                          for p in case.parties]
        self.case_form = SpecForm(CASE_INTAKE, skip=SKIPPED, columns=3,
                                  custom={"dispute_type_code": DisputeTypePicker(types)})
        self.desk = QComboBox(objectName="field_desk_id")
        self.desk.addItem("（未指定）", None)
        for desk_id, name in desks:
            self.desk.addItem(name, desk_id)
        self.reason = QLineEdit(objectName="field_reason", placeholderText="例如：身份证号码登记错误")
        self.reason_message = _message("error_reason")
        self.form_message = _message("formError")
        self.parties: list[PartyEditor] = []
        self.party_ids: dict[PartyEditor, int | None] = {}
        self.parties_box = QVBoxLayout()
        self._lay_out()
        for key, text in case_values.items():
            if key in self.case_form.inputs:
                self.case_form.set_value(key, text)
        self.desk.setCurrentIndex(max(0, self.desk.findData(case.desk_id)))
        for party_id, side, kind, values, agents in party_rows:
            self._add_existing(party_id, side, kind, values, agents)

    # --- layout --------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(QLabel(f"案件编号：{self.number}（受理日期、来源登记后不可修改）"))
        column.addWidget(self.case_form)
        desk_row = QHBoxLayout()
        desk_row.addWidget(QLabel("窗口"))
        desk_row.addWidget(self.desk, 1)
        column.addLayout(desk_row)
        column.addWidget(QLabel("当事人"))
        column.addLayout(self.parties_box)
        add = QPushButton("添加当事人", objectName="addParty")
        add.clicked.connect(lambda: self.add_party("第三方"))
        column.addWidget(add)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel("＊修改理由"))
        reason_row.addWidget(self.reason, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存修改", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancelButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self.reason_message)
        layout.addWidget(self.form_message)
        layout.addWidget(buttons)

    def add_party(self, side: str = "第三方") -> PartyEditor:
        editor = PartyEditor(side, self)
        editor.remove_requested.connect(self.remove_party)
        self.parties.append(editor)
        self.party_ids[editor] = None
        self.parties_box.addWidget(editor)
        self._renumber()
        return editor

    def _add_existing(self, party_id: int, side: str, kind: str, values: dict[str, str],
                      agents: list[dict[str, str]]) -> None:
        editor = self.add_party(side)
        self.party_ids[editor] = party_id
        editor.kind.setCurrentText(kind)
        form = editor.person if kind == "自然人" else editor.organisation
        for key, text in values.items():
            if key in form.inputs:
                form.set_value(key, text)
        for key in HIDDEN:
            hidden = getattr(self.stored[party_id], key)
            widget = form.inputs.get(key)
            if hidden and isinstance(widget, QLineEdit):
                widget.setPlaceholderText(f"{shown(key, hidden)}（不修改请留空）")
        for agent in agents:
            editor.add_agent(agent)

    def remove_party(self, editor: PartyEditor) -> None:
        self.parties.remove(editor)
        self.party_ids.pop(editor, None)
        self.parties_box.removeWidget(editor)
        editor.deleteLater()
        self._renumber()

    def _renumber(self) -> None:
        for number, editor in enumerate(self.parties, start=1):
            editor.set_number(number)

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check the forms, then save one correction; on a problem the dialog stays open, input kept."""
        case = self.case_form.validate(self.fixed)
        checked = [editor.validate() for editor in self.parties]
        reason = self.reason.text().strip()
        self.reason_message.setText("" if reason else "请填写修改理由")
        self.reason_message.setVisible(not reason)
        if not case.ok or not all(p.ok for p in checked) or not reason:
            return self._refused(FIX_MARKED)
        c = case.cleaned
        changes = {"summary": c["summary"], "facts": c["facts"] or "", "claims": c["claims"] or "",
                   "dispute_type_code": c["dispute_type_code"], "amount": c["amount"], "risk_colour": c["risk_colour"],
                   "complexity": c["complexity"] or "一般", "desk_id": self.desk.currentData(),
                   "people_involved": c["people_involved"] or len(self.parties)}
        parties = [PartyEdit(self.party_ids[e], self._kept(self.party_ids[e], PartyEditor.party_input(r.cleaned)))
                   for e, r in zip(self.parties, checked, strict=True)]
        return self._save(changes, parties, reason)

    def _kept(self, party_id: int | None, data: PartyInput) -> PartyInput:
        """A blank ID number or phone of a stored party keeps the stored one (it was never shown)."""
        if party_id is None:
            return data
        stored = self.stored[party_id]
        kept: dict[str, Any] = {}
        if not data.id_number and stored.id_number:
            kept.update(id_number=stored.id_number, id_type=data.id_type or stored.id_type, sex=None, birth_date=None)
        if not data.phone and stored.phone:
            kept["phone"] = stored.phone
        phones = self.stored_agents.get(party_id, [])
        agents = tuple(_agent_phone(a, phones[i] if i < len(phones) else "") for i, a in enumerate(data.agents))
        return PartyInput(**{**vars(data), **kept, "agents": agents})

    def _save(self, changes: dict[str, Any], parties: list[PartyEdit], reason: str) -> bool:
        actor = self.ctx.actor()

        def work(session: Any) -> int:
            acting(session, actor)
            return correct_case(session, self.case_id, self.base_version, changes=changes, parties=parties,
                                reason=reason, actor=actor)

        try:
            if self.ctx.drafts is not None:
                save_keeping_draft(self.ctx.db.write, self.ctx.drafts, user_id=self.ctx.user_id, form=DRAFT_FORM,
                                   payload=self.draft_payload(), save=work, record_id=self.case_id,
                                   base_version=self.base_version)
            else:
                with self.ctx.db.write.begin() as session:
                    work(session)
        except DomainError as exc:
            return self._show_error(exc)
        self.ctx.hub.case_changed.emit(self.case_id)
        self.accept()
        return True

    def _show_error(self, error: DomainError) -> bool:
        fields = error.fields if isinstance(error, ValidationFailed) else {}
        for key, text in fields.items():
            head, _, rest = key.partition(".")
            index, _, field = rest.partition(".")
            if head == "parties" and index.isdigit() and int(index) < len(self.parties):
                self.parties[int(index)].show_messages({field: text})
            else:
                self.case_form.show_message(key, text)
        return self._refused(error.message)

    def _refused(self, text: str) -> bool:
        self.form_message.setText(text)
        self.form_message.show()
        return False

    def draft_payload(self) -> dict[str, Any]:
        """What was typed (strings only; hidden numbers are never in it)."""
        parties = [{"party_id": self.party_ids[e], "side": e.side.currentText(), "kind": e.kind.currentText(),
                    "values": e.form.values(), "agents": e.agent_values()} for e in self.parties]
        return {"case": self.case_form.values(), "desk_id": self.desk.currentData(), "parties": parties,
                "reason": self.reason.text()}


def _case_values(case: Case) -> dict[str, str]:
    return {"dispute_type_code": case.dispute_type_code, "summary": case.summary, "facts": case.facts or "",
            "claims": case.claims or "", "amount": "" if case.amount is None else f"{case.amount}",
            "people_involved": str(case.people_involved), "risk_colour": case.risk_colour or "",
            "complexity": case.complexity}


def _party_values(p: Any) -> dict[str, str]:
    """The stored party as form text, without the personal numbers (and no birth date beside an ID)."""
    values = {"name": p.name, "sex": p.sex or "", "ethnicity": p.ethnicity or "", "occupation": p.occupation or "",
              "address": p.address or "", "id_type": p.id_type or "", "uscc": p.uscc or "",
              "legal_rep": p.legal_rep or "", "legal_rep_title": p.legal_rep_title or ""}
    if not p.id_number and p.birth_date:
        values["birth_date"] = p.birth_date.isoformat()
    return values


def _agent_values(a: Any) -> dict[str, str]:
    return {"kind": a.kind, "name": a.name, "unit": a.unit or "", "authority": a.authority or ""}


def _agent_phone(agent: AgentInput, stored_phone: str) -> AgentInput:
    return agent if agent.phone or not stored_phone else AgentInput(**{**vars(agent), "phone": stored_phone})


def _message(name: str) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label
