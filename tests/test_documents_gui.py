"""生成文书, 登记调解协议 and 导出台账 dialogs over the demo database: fill, validate inline, save
(file + register), and cancel a ledger export running off the GUI thread."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.agreement_dialog import AgreementDialog
from desktop.background import OpSignals
from desktop.document_dialog import DocumentDialog
from desktop.ledger_export_dialog import LedgerExportDialog
from desktop.main_window import MainWindow
from models.cases.agreements import IssuedDocument, latest_agreement
from models.cases.entities import Case
from tests.support.desktop import RecordingDialogs, commit_text, dialogs, window
from tests.support.documents import FULL_ID, case_without_agreement, pdf_text, written_case

__all__ = ["dialogs", "window"]  # fixtures used by name below


@pytest.fixture
def saved(dialogs: RecordingDialogs, tmp_path: Path) -> dict:
    """Answers the save prompt with a path in tmp_path and records what would be opened."""
    state: dict = {"answer": None, "opened": [], "asked": []}

    def ask(title: str, name: str, fmt: str) -> str | None:
        state["asked"].append(name)
        return state["answer"]

    dialogs.ask_save_path = ask  # type: ignore[method-assign]  # a test double answers the save dialog
    dialogs.open_file = state["opened"].append  # type: ignore[method-assign]  # a test double records opened files
    return state


def _issued_count(window: MainWindow) -> int:
    with window.ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(IssuedDocument)) or 0)


def _immediately(job: QRunnable) -> None:
    job.run()


# --- 生成文书 ---------------------------------------------------------------------------------------

def _documents(window: MainWindow, case_id: int) -> DocumentDialog:
    window.select_case(case_id)
    assert window.detail.case_id == case_id and window.detail.document_button.isEnabled()
    dialog = window.detail.open_documents()
    assert dialog is not None
    return dialog


def test_generate_a_document_previews_saves_registers_and_opens(qtbot: QtBot, window: MainWindow, saved: dict,
                                                               tmp_path: Path) -> None:
    case = written_case(window.ctx.db)
    dialog = _documents(window, case.id)
    dialog.choose("agreement", "pdf")
    preview = dialog.preview.toPlainText()
    assert "人民调解协议书" in preview and all(name in preview for name in case.party_names)
    saved["answer"] = str(tmp_path / "协议")  # the extension is added
    assert dialog.save(), dialog.message.text()
    target = tmp_path / "协议.pdf"
    assert saved["opened"] == [target] and saved["asked"][0].endswith("人民调解协议书.pdf")
    assert "/" not in saved["asked"][0] and "〔" in saved["asked"][0]
    assert dialog.last_issued is not None
    assert dialog.last_issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert dialog.last_issued.number in pdf_text(target.read_bytes())
    assert "已保存" in dialog.message.text()


def test_document_needing_an_agreement_is_refused_inline(qtbot: QtBot, window: MainWindow, saved: dict) -> None:
    case = case_without_agreement(window.ctx.db)
    dialog = _documents(window, case.id)
    dialog.choose("agreement")
    assert "该案件尚未达成调解协议" in dialog.message.text() and not dialog.save_button.isEnabled()
    dialog.choose("intake-form")
    assert dialog.save_button.isEnabled() and case.number in dialog.preview.toPlainText()


def test_cancelled_save_prompt_issues_nothing(qtbot: QtBot, window: MainWindow, saved: dict) -> None:
    dialog = _documents(window, written_case(window.ctx.db).id)
    dialog.choose("intake-form", "docx")
    saved["answer"] = None
    assert not dialog.save()
    assert _issued_count(window) == 0 and saved["opened"] == []


def test_unwritable_target_is_shown_inline_and_registers_nothing(qtbot: QtBot, window: MainWindow, saved: dict,
                                                                 tmp_path: Path) -> None:
    dialog = _documents(window, written_case(window.ctx.db).id)
    saved["answer"] = str(tmp_path / "missing" / "a.pdf")
    assert not dialog.save()
    assert "输出目录不存在" in dialog.message.text() and _issued_count(window) == 0


# --- 登记调解协议 -------------------------------------------------------------------------------------

def test_agreement_dialog_validates_inline_and_keeps_input(qtbot: QtBot, window: MainWindow) -> None:
    case = case_without_agreement(window.ctx.db)
    window.select_case(case.id)
    dialog = window.detail.open_agreement()
    assert isinstance(dialog, AgreementDialog)
    qtbot.keyClicks(dialog.amount, "abc")
    dialog.signed_on.setText("2026-02-30")
    assert not dialog.save()
    assert dialog.errors["items"].isVisible() and "协议内容" in dialog.errors["items"].text()
    assert "金额格式无法识别" in dialog.errors["amount"].text()
    assert "不存在" in dialog.errors["signed_on"].text()
    assert dialog.amount.text() == "abc" and dialog.isVisible()
    dialog.items.item(0, 0).setText("乙方向甲方支付{amount}。")
    dialog.add_item("双方再无争议。")
    dialog.amount.setText("")
    dialog.signed_on.setText("2026-11-01")
    assert not dialog.save() and "请填写协议金额" in dialog.errors["amount"].text()
    dialog.amount.setText("1.2万")
    commit_text(dialog.performance, "银行转账")
    assert dialog.save(), dialog.form_message.text()
    with window.ctx.db.read() as s:
        stored = latest_agreement(s, case.id)
        outcome = s.get_one(Case, case.id).mediation_outcome
    assert stored.items == ("乙方向甲方支付{amount}。", "双方再无争议。") and str(stored.amount) == "12000.00"
    assert stored.performance == "银行转账" and outcome == "书面协议"
    assert window.detail.detail is not None and window.detail.detail.mediation_outcome == "书面协议"


def test_agreement_items_can_be_removed(qtbot: QtBot, window: MainWindow) -> None:
    case = case_without_agreement(window.ctx.db)
    dialog = AgreementDialog(window.ctx, case.id, case.number, window)
    qtbot.addWidget(dialog)
    dialog.add_item("第二项")
    dialog.items.item(0, 0).setText("第一项")
    dialog.items.selectRow(0)
    dialog.remove_item()
    assert dialog.item_texts() == ("第二项",)


# --- 导出台账 -----------------------------------------------------------------------------------------

def _ledger_dialog(window: MainWindow, start=_immediately) -> LedgerExportDialog:
    dialog = LedgerExportDialog(window.ctx, window, start_job=start)
    return dialog


def test_toolbar_opens_the_ledger_export(qtbot: QtBot, window: MainWindow) -> None:
    window.ledger_action.trigger()
    assert window.ledger_export.isVisible()


def test_ledger_export_with_filters(qtbot: QtBot, window: MainWindow, saved: dict, tmp_path: Path) -> None:
    dialog = _ledger_dialog(window)
    qtbot.addWidget(dialog)
    dialog.stage.setCurrentIndex(dialog.stage.findData("归档"))
    dialog.date_from.setText("2026-01-01")
    commit_text(dialog.reporter, "孙丽")
    saved["answer"] = str(tmp_path / "台账.pdf")
    assert dialog.export()
    assert "已导出" in dialog.last_result, dialog.last_result
    text = pdf_text((tmp_path / "台账.pdf").read_bytes())
    assert "阶段：归档" in text and "孙丽" in text and not FULL_ID.search(text)
    assert saved["opened"] == [tmp_path / "台账.pdf"] and _issued_count(window) == 1


def test_ledger_export_bad_date_is_inline(qtbot: QtBot, window: MainWindow, saved: dict, tmp_path: Path) -> None:
    dialog = _ledger_dialog(window)
    qtbot.addWidget(dialog)
    dialog.date_to.setText("2026-13-01")
    saved["answer"] = str(tmp_path / "x.pdf")
    assert not dialog.export()
    assert "结束日期" in dialog.message.text() and dialog.date_to.text() == "2026-13-01"
    assert saved["asked"] == [] and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("how", ["cancel_export", "reject"])  # 取消 on the progress dialog, or closing the dialog
def test_cancelling_the_export_leaves_no_file(qtbot: QtBot, window: MainWindow, saved: dict, tmp_path: Path,
                                              how: str) -> None:
    dialog = _ledger_dialog(window)
    qtbot.addWidget(dialog)

    def start(job: QRunnable) -> None:
        signals = getattr(job, "signals", None)  # BackgroundOp's runnable carries its signals
        assert isinstance(signals, OpSignals)
        signals.progress.connect(lambda done, total: getattr(dialog, how)())
        job.run()

    dialog.start_job = start
    saved["answer"] = str(tmp_path / "cancel.pdf")
    assert dialog.export()
    assert dialog.last_result == "已取消导出，未生成文件"
    assert list(tmp_path.glob("*cancel*")) == [] and _issued_count(window) == 0
    assert dialog.export_button.isEnabled() and dialog.progress is None


def test_export_runs_off_the_gui_thread(qtbot: QtBot, window: MainWindow, saved: dict, tmp_path: Path) -> None:
    dialog = LedgerExportDialog(window.ctx, window)  # the real QThreadPool
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    saved["answer"] = str(tmp_path / "台账.docx")
    assert dialog.export()
    qtbot.waitUntil(lambda: dialog.last_result.startswith(("已导出", "导出失败")), timeout=30_000)
    assert dialog.last_result.startswith("已导出") and (tmp_path / "台账.docx").stat().st_size > 0


def test_unmasked_export_without_permission_is_refused(qtbot: QtBot, window: MainWindow, dialogs: RecordingDialogs,
                                                       saved: dict, tmp_path: Path) -> None:
    from models.org.entities import User

    with window.ctx.db.read() as s:
        clerk = s.scalars(select(User).where(User.username == "sj01")).one()
    window.ctx.user_id = clerk.id
    dialog = _ledger_dialog(window)
    qtbot.addWidget(dialog)
    dialog.unmasked.setChecked(True)
    dialogs.answers.append("核对")
    saved["answer"] = str(tmp_path / "full.pdf")
    assert not dialog.export()
    assert "无权查看完整证件号" in dialogs.texts and not (tmp_path / "full.pdf").exists()
