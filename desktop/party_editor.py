"""One party on the intake form: side and kind (自然人/组织) on top, then the person's or the
organisation's fields from forms.specs. Both forms are kept, so switching the kind loses nothing;
a valid ID number fills in sex and birth date as it is typed. Below them, any number of agents
(委托代理人 with 代理权限, or 法定代理人), each a removable sub-form built from forms.specs.AGENT."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.spec_form import SpecForm
from forms.idcard import validate_id_card
from forms.specs import AGENT, ORGANISATION_PARTY, PERSON_PARTY, SIDES, FormResult
from models.dto import AgentInput, PartyInput

KINDS = ("自然人", "组织")
PARTY_INPUT_KEYS = {f.name for f in dataclass_fields(PartyInput)}
AGENT_INPUT_KEYS = {f.name for f in dataclass_fields(AgentInput)}
DEFAULT_AGENT_KIND = "委托代理人"  # by far the usual case; a 法定代理人 is chosen explicitly


class AgentEditor(QFrame):
    """One agent of a party: the AGENT fields, checked as each is left, and a remove button."""

    remove_requested = Signal(object)  # this editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="agentEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(objectName="agentHeading")
        self.form = SpecForm(AGENT, columns=3)
        self.form.set_value("kind", DEFAULT_AGENT_KIND)
        self.remove_button = QPushButton("删除此代理人", objectName="removeAgent")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form)
        self.form.edited.connect(self.form.check_field)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def set_number(self, number: int) -> None:
        self.heading.setText(f"代理人 {number}")

    def validate(self) -> FormResult:
        return self.form.validate()

    @staticmethod
    def agent_input(cleaned: Mapping[str, Any]) -> AgentInput:
        return AgentInput(**{k: v for k, v in cleaned.items() if k in AGENT_INPUT_KEYS})


class PartyEditor(QGroupBox):
    remove_requested = Signal(object)  # this editor
    agents_changed = Signal()  # an agent sub-form was added or removed (the Tab chain changes)

    def __init__(self, side: str = "申请方", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = QComboBox(objectName="partySide")
        self.side.addItems(SIDES)
        self.side.setCurrentText(side)
        self.kind = QComboBox(objectName="partyKind")
        self.kind.addItems(KINDS)
        self.person = SpecForm(PERSON_PARTY, skip={"side"}, columns=3)
        self.organisation = SpecForm(ORGANISATION_PARTY, skip={"side"}, columns=3)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.person)
        self.stack.addWidget(self.organisation)
        self.remove_button = QPushButton("删除此当事人", objectName="removeParty")
        self.agents: list[AgentEditor] = []
        self.agents_box = QVBoxLayout()
        self.add_agent_button = QPushButton("添加代理人", objectName="addAgent")
        self._lay_out()
        self.add_agent_button.clicked.connect(lambda: self.add_agent())
        self.kind.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        id_number = self.person.inputs["id_number"]
        assert isinstance(id_number, QLineEdit)  # the spec's id_number field is a text field
        id_number.textChanged.connect(self._derive_from_id)
        for form in (self.person, self.organisation):
            form.edited.connect(lambda key, f=form: f.check_field(key, self._side()))

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for label, widget in (("当事人类别", self.side), ("主体类型", self.kind)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack)
        layout.addLayout(self.agents_box)
        agent_row = QHBoxLayout()
        agent_row.addWidget(self.add_agent_button)
        agent_row.addStretch(1)
        layout.addLayout(agent_row)

    def set_number(self, number: int) -> None:
        self.setTitle(f"当事人 {number}")

    def focus_widgets(self) -> list[QWidget]:
        """This party's fields in reading order: side, kind, remove, the form (Tab skips the hidden
        one of 自然人 / 单位), each agent, 添加代理人."""
        agents = [w for agent in self.agents for w in (*agent.form.focus_widgets(), agent.remove_button)]
        return [self.side, self.kind, self.remove_button, *self.person.focus_widgets(),
                *self.organisation.focus_widgets(), *agents, self.add_agent_button]

    @property
    def form(self) -> SpecForm:
        return self.person if self.kind.currentText() == "自然人" else self.organisation

    def _side(self) -> dict[str, str]:
        return {"side": self.side.currentText()}

    def _derive_from_id(self, text: str) -> None:
        """A valid 18-digit number tells sex and birth date: fill them in for the clerk."""
        result = validate_id_card(text)
        if result.ok and result.sex and result.birth_date:
            self.person.set_value("sex", result.sex)
            self.person.set_value("birth_date", result.birth_date.isoformat())

    # --- agents --------------------------------------------------------------------------------
    def add_agent(self, values: Mapping[str, str] | None = None) -> AgentEditor:
        """A new agent sub-form, filled from `values` (a draft) when given."""
        agent = AgentEditor(self)
        for key, text in (values or {}).items():
            if key in agent.form.inputs:
                agent.form.set_value(key, text)
        agent.remove_requested.connect(self.remove_agent)
        self.agents.append(agent)
        self.agents_box.addWidget(agent)
        self._renumber_agents()
        self.agents_changed.emit()
        return agent

    def remove_agent(self, agent: AgentEditor) -> None:
        self.agents.remove(agent)
        self.agents_box.removeWidget(agent)
        agent.deleteLater()
        self._renumber_agents()
        self.agents_changed.emit()

    def _renumber_agents(self) -> None:
        for number, agent in enumerate(self.agents, start=1):
            agent.set_number(number)

    def agent_values(self) -> list[dict[str, str]]:
        """What was typed into each agent sub-form, as strings (for drafts)."""
        return [agent.form.values() for agent in self.agents]

    # --- validation ----------------------------------------------------------------------------
    def validate(self) -> FormResult:
        """Check the party and every agent, showing all messages; agent errors are keyed
        'agents.<i>.<field>' and, when all is well, cleaned['agents'] holds the AgentInputs."""
        result = self.form.validate(self._side())
        agent_results = [agent.validate() for agent in self.agents]
        for index, agent_result in enumerate(agent_results):
            for key, text in agent_result.errors.items():
                result.errors[f"agents.{index}.{key}"] = text
        result.cleaned["agents"] = tuple(
            AgentEditor.agent_input(r.cleaned) for r in agent_results if r.ok)
        return result

    def show_messages(self, messages: Mapping[str, str]) -> None:
        """Messages from the service (keys like 'name' or 'agents.0.authority'); 'side' has no
        inline label and is skipped."""
        for key, text in messages.items():
            head, _, rest = key.partition(".")
            index, _, field = rest.partition(".")
            if head == "agents" and index.isdigit() and int(index) < len(self.agents):
                self.agents[int(index)].form.show_message(field, text)
            else:
                self.form.show_message(key, text)

    @staticmethod
    def party_input(cleaned: Mapping[str, Any]) -> PartyInput:
        return PartyInput(**{k: v for k, v in cleaned.items() if k in PARTY_INPUT_KEYS})
