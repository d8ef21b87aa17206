"""登记案件: Chinese typed as an IME commits it, inline messages that keep what was typed,
ID-derived sex and birth date, and a saved case that appears selected in the list."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.dispute_type_picker import DisputeTypePicker
from desktop.intake_dialog import IntakeDialog
from desktop.main_window import MainWindow
from desktop.party_editor import PartyEditor
from forms.idcard import check_char
from models.cases.queries import case_detail
from tests.support.desktop import RecordingDialogs, commit_text, dialogs, window

__all__ = ["dialogs", "window"]  # fixtures used by name below

VALID_ID = "11010519491231002" + check_char("11010519491231002")


def fill_case(dialog: IntakeDialog, qtbot: QtBot) -> None:
    form = dialog.case_form
    picker = form.inputs["dispute_type_code"]
    assert isinstance(picker, DisputeTypePicker)
    picker.category.setCurrentIndex(picker.category.findText("合同纠纷"))
    picker.sub_type.setCurrentIndex(picker.sub_type.findText("民间借贷纠纷"))
    commit_text(form.inputs["summary"], "借款到期未还，双方对利息有争议")
    qtbot.keyClicks(form.inputs["amount"], "20000")
    risk = form.inputs["risk_colour"]
    assert isinstance(risk, QComboBox)
    risk.setCurrentIndex(risk.findText("黄"))


def fill_party(editor: PartyEditor, name: str, qtbot: QtBot, id_number: str = "", phone: str = "") -> None:
    commit_text(editor.person.inputs["name"], name)
    if id_number:
        qtbot.keyClicks(editor.person.inputs["id_number"], id_number)
    if phone:
        qtbot.keyClicks(editor.person.inputs["phone"], phone)


def text_of(editor: PartyEditor, key: str) -> str:
    widget = editor.person.inputs[key]
    return widget.text() if isinstance(widget, QLineEdit) else cast(QComboBox, widget).currentText()


def test_registered_case_appears_selected_in_the_list(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    applicant, respondent = dialog.parties
    fill_party(applicant, "欧阳娜娜", qtbot, VALID_ID, "13812345678")
    fill_party(respondent, "李四", qtbot)
    assert dialog.save(), dialog.form_message.text()
    assert not dialog.isVisible()
    assert window.count_label.text() == "共 321 件"
    assert window.detail.case_id == dialog.created.id
    assert window.model.data(window.table.currentIndex(), 0) is not None
    row = window.table.currentIndex().row()
    assert window.model.case_id_at(row) == dialog.created.id
    with window.ctx.db.read() as s:
        saved = case_detail(s, case_id=dialog.created.id)
    assert [(p.side, p.name) for p in saved.parties] == [("申请方", "欧阳娜娜"), ("被申请方", "李四")]
    assert saved.parties[0].sex == "女" and str(saved.parties[0].birth_date) == "1949-12-31"
    assert (saved.dispute_type_code, saved.risk_colour, str(saved.amount)) == ("0401", "黄", "20000.00")
    assert saved.summary == "借款到期未还，双方对利息有争议"


def test_invalid_id_is_shown_inline_and_nothing_typed_is_lost(qtbot: QtBot, window: MainWindow,
                                                             dialogs: RecordingDialogs) -> None:
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    applicant, respondent = dialog.parties
    bad_id = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    fill_party(applicant, "张三", qtbot, bad_id, "13812345678")
    fill_party(respondent, "李四", qtbot)
    assert not dialog.save()
    assert dialog.isVisible() and window.count_label.text() == "共 320 件"
    message = applicant.findChild(QLabel, "error_id_number")
    assert message.isVisibleTo(dialog) and message.text().startswith("校验位不正确")
    assert applicant.person.message("id_number")
    assert dialog.form_message.text() == "请更正标红的项目后再保存"
    assert (text_of(applicant, "name"), text_of(applicant, "id_number"), text_of(applicant, "phone")) == (
        "张三", bad_id, "13812345678")
    assert text_of(respondent, "name") == "李四"
    summary = dialog.case_form.inputs["summary"]
    assert isinstance(summary, QPlainTextEdit) and summary.toPlainText() == "借款到期未还，双方对利息有争议"
    assert dialogs.shown == []  # inline only, no message box
    cast(QLineEdit, applicant.person.inputs["id_number"]).setText(VALID_ID)  # corrected: now it saves
    assert dialog.save()
    assert window.count_label.text() == "共 321 件"


def test_missing_required_fields_are_marked(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_intake()
    assert not dialog.save()
    assert dialog.case_form.message("summary") == "请填写纠纷简要情况"
    assert dialog.case_form.message("dispute_type_code")
    assert dialog.parties[0].person.message("name") == "请填写姓名"


def test_id_number_fills_sex_and_birth_date(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_intake().parties[0]
    qtbot.keyClicks(editor.person.inputs["id_number"], VALID_ID)
    assert text_of(editor, "sex") == "女"
    assert text_of(editor, "birth_date") == "1949-12-31"


def test_parties_can_be_added_removed_and_switched_to_organisation(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_intake()
    third = dialog.add_party("第三方")
    assert [e.title() for e in dialog.parties] == ["当事人 1", "当事人 2", "当事人 3"]
    commit_text(third.person.inputs["name"], "王五")
    third.kind.setCurrentText("组织")
    commit_text(third.organisation.inputs["name"], "玉门市恒通建筑工程有限公司")
    third.kind.setCurrentText("自然人")
    assert text_of(third, "name") == "王五"  # switching kind keeps both forms' values
    dialog.remove_party(dialog.parties[1])
    assert [e.title() for e in dialog.parties] == ["当事人 1", "当事人 2"]
    assert dialog.parties[1] is third


def test_organisation_party_with_bad_uscc_is_marked(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    fill_party(dialog.parties[0], "张三", qtbot)
    respondent = dialog.parties[1]
    respondent.kind.setCurrentText("组织")
    commit_text(respondent.organisation.inputs["name"], "玉门市恒通建筑工程有限公司")
    qtbot.keyClicks(respondent.organisation.inputs["uscc"], "91620981MA7ABCDE1X")
    assert not dialog.save()
    assert respondent.organisation.message("uscc")
