"""The workflow's doors on one case: record the next 诉调对接 step, move the case up or down a level
(上提 / 下沉), record a 会诊, and record an arbitration application or its later dates. Every form is
built from field descriptions, every choice starts empty, errors show inline and lose nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.spec_form import date_of
from models import clock
from models.cases.arbitration_tracks import TRACK_RULES
from models.cases.stages import ARBITRATION_RESULTS
from models.liaison.service import REFERRAL_STEPS, StepField, record_step
from models.workflow.arbitration import open_arbitration, update_arbitration
from models.workflow.entities import ArbitrationRecord
from models.workflow.escalation import level_targets, move_level, record_consultation

EMPTY_DAY = QDate(2000, 1, 1)  # an optional date left empty shows as blank (QDateEdit's special value)


class FieldForm:
    """Widgets for a list of StepField in a QFormLayout; `values()` gives Python values (None when empty)."""

    def __init__(self, form: QFormLayout) -> None:
        self.form = form
        self.widgets: dict[str, QWidget] = {}
        self.fields: Sequence[StepField] = ()

    def build(self, fields: Sequence[StepField]) -> None:
        for name in list(self.widgets):
            self.form.removeRow(self.widgets.pop(name))
        self.fields = fields
        for f in fields:
            self.widgets[f.name] = _widget(f)
            self.form.addRow(f.label + ("" if f.required else "（可不填）"), self.widgets[f.name])

    def values(self) -> dict[str, Any]:
        return {f.name: _value(self.widgets[f.name]) for f in self.fields}


def _widget(f: StepField) -> QWidget:
    if f.kind == "date":
        edit = QDateEdit(calendarPopup=True, objectName=f.name, displayFormat="yyyy-MM-dd")
        edit.setMinimumDate(EMPTY_DAY)
        edit.setSpecialValueText(" ")
        edit.setDate(QDate(clock.today()) if f.required else EMPTY_DAY)
        return edit
    if f.kind == "choice":
        combo = QComboBox(objectName=f.name)
        combo.addItems(f.choices)
        combo.setCurrentIndex(-1)  # every choice starts empty
        return combo
    if f.kind == "flag":
        return QCheckBox(objectName=f.name)
    return QLineEdit(objectName=f.name)


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QDateEdit):
        return None if widget.date() == EMPTY_DAY else date_of(widget)
    if isinstance(widget, QComboBox):
        return widget.currentText() or None
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip() or None


class WorkDialog(FormDialog):
    """The shared form dialog for one case; `save` runs one unit of work for the case."""

    saved = Signal(int)  # the case id

    def __init__(self, ctx: DeskContext, case_id: int, title: str, parent: QWidget | None) -> None:
        super().__init__(title, parent)
        self.ctx, self.case_id = ctx, case_id
        self.fields = FieldForm(self.form)

    def save(self, work: Callable[[Session], Any]) -> bool:
        outcome = self.ctx.runner.run(work, changed_case=lambda _v: self.case_id, quiet=True)
        if outcome.error is not None:
            self.fail(outcome.error.message)
            return False
        self.error.clear()
        self.saved.emit(self.case_id)
        self.accept()
        return True


class ReferralStepDialog(WorkDialog):
    """诉调对接·记录下一步: choose the step (签收 … 申请执行), fill its fields."""

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, "诉调对接·记录办理步骤", parent)
        self.step = QComboBox(objectName="step")
        self.step.addItems([s.label for s in REFERRAL_STEPS])
        self.step.setCurrentIndex(-1)
        self.step.currentIndexChanged.connect(self._step_changed)
        self.form.addRow("步骤", self.step)

    def _step_changed(self, index: int) -> None:
        self.fields.build(REFERRAL_STEPS[index].fields if index >= 0 else ())
        self.error.clear()

    def submit(self) -> None:
        index = self.step.currentIndex()
        if index < 0:
            self.error.setText("请选择要记录的步骤")
            return
        key, values = REFERRAL_STEPS[index].key, self.fields.values()
        self.save(lambda s: record_step(s, self.case_id, key, values, self.ctx.actor()))


class LevelMoveDialog(WorkDialog):
    """上提 / 下沉: the unit (ancestors and descendants of the case's level) and the reason."""

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, "上提 / 下沉", parent)
        with ctx.db.read() as session:
            self.targets = level_targets(session, case_id)
        self.target = QComboBox(objectName="target")
        self.target.addItems([f"{t.direction} → {t.name}（{t.level}）" for t in self.targets])
        self.target.setCurrentIndex(-1)
        self.reason = QPlainTextEdit(objectName="reason", placeholderText="如：村级多次调解未化解，提请镇级统筹")
        self.form.addRow("移至", self.target)
        self.form.addRow("理由", self.reason)

    def submit(self) -> None:
        index = self.target.currentIndex()
        if index < 0:
            self.error.setText("请选择上提或下沉到的单位")
            return
        unit_id, reason = self.targets[index].unit_id, self.reason.toPlainText()
        self.save(lambda s: move_level(s, self.case_id, unit_id, reason, self.ctx.actor()))


CONSULTATION_FIELDS = (
    StepField("held_on", "会诊日期", "date"), StepField("host", "主持人", "text"),
    StepField("departments", "参加部门（用“、”分隔）", "text"), StepField("topic", "会诊议题", "text"),
    StepField("conclusion", "会诊结论", "text", required=False),
)


class ConsultationDialog(WorkDialog):
    """会诊: day, host, the departments present, the topic and the conclusion."""

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, "会诊记录", parent)
        self.fields.build(CONSULTATION_FIELDS)

    def submit(self) -> None:
        v = self.fields.values()
        if v["held_on"] is None:
            self.error.setText("请填写会诊日期")
            return
        departments = [d for d in (v["departments"] or "").replace("，", "、").replace(",", "、").split("、")]
        self.save(lambda s: record_consultation(s, self.case_id, v["held_on"], v["host"] or "", departments,
                                                v["topic"] or "", self.ctx.actor(), v["conclusion"] or ""))


APPLICATION_FIELDS = (
    StepField("track", "仲裁类别", "choice", tuple(TRACK_RULES)), StepField("commission", "仲裁委员会", "text"),
    StepField("has_agreement", "有书面仲裁协议（商事仲裁必须）", "flag", required=False),
    StepField("employment_relation", "存在劳动/人事关系（劳动仲裁必须）", "flag", required=False),
    StepField("knew_on", "知道权利受侵害之日", "date", required=False),
    StepField("applied_on", "申请日期", "date", required=False),
)
RECORD_FIELDS = (
    StepField("applied_on", "申请日期", "date", required=False),
    StepField("accepted_on", "受理日期", "date", required=False), StepField("case_number", "仲裁案号", "text", required=False),
    StepField("award_on", "裁决/调解书日期", "date", required=False),
    StepField("award_served_on", "送达日期", "date", required=False),
    StepField("result", "结果", "choice", ARBITRATION_RESULTS, required=False),
    StepField("sued_on", "不服裁决起诉日期", "date", required=False),
)


class ArbitrationDialog(WorkDialog):
    """仲裁: the application (track, commission, agreement, employment) when none is recorded, else the
    later dates of the latest record (acceptance, award or mediation statement, service); blank keeps."""

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, "仲裁申请与记录", parent)
        with ctx.db.read() as session:
            self.record_id = session.scalar(select(ArbitrationRecord.id).where(ArbitrationRecord.case_id == case_id)
                                            .order_by(ArbitrationRecord.id.desc()).limit(1))
        self.fields.build(RECORD_FIELDS if self.record_id else APPLICATION_FIELDS)

    def submit(self) -> None:
        v, actor = self.fields.values(), self.ctx.actor()
        if self.record_id is None:
            self.save(lambda s: open_arbitration(
                s, self.case_id, v["track"] or "", v["commission"] or "", actor, has_agreement=v["has_agreement"],
                employment_relation=v["employment_relation"], knew_on=v["knew_on"], applied_on=v["applied_on"]))
            return
        given = {k: value for k, value in v.items() if value is not None}
        record_id = self.record_id
        self.save(lambda s: update_arbitration(s, record_id, actor, **given))
