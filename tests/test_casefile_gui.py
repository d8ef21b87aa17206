"""The 卷宗 tab: files added by dialog or drop show in archival order with thumbnails made off the
GUI thread, a refused file is named in one line and nothing is added, the checklist shows what is
missing, and the dossier is built in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.case_file_view import CaseFileView
from desktop.context import build_context
from models.casefile.entities import Attachment
from models.db import Database
from tests.support.casefile import jpeg, new_case, pdf
from tests.support.desktop import RecordingDialogs, dialogs

__all__ = ["dialogs"]


def _view(qtbot: QtBot, db: Database, dialogs: RecordingDialogs) -> tuple[CaseFileView, int]:
    with db.write.begin() as s:
        case_id = new_case(s)
    view = CaseFileView(build_context(db, dialogs), ask_details=lambda _paths, _parties: ("证据材料", "现场照片", None),
                        start=lambda runnable: runnable.run())
    qtbot.addWidget(view)
    view.show_case(case_id)
    return view, case_id


def test_files_are_added_listed_with_thumbnails_and_a_wrong_one_is_refused(
        qtbot: QtBot, db: Database, dialogs: RecordingDialogs, tmp_path: Path) -> None:
    view, _case_id = _view(qtbot, db, dialogs)
    assert "✗ 缺少" in view.checklist.text() and view.files.count() == 0
    (tmp_path / "a.jpg").write_bytes(jpeg())
    (tmp_path / "b.pdf").write_bytes(pdf("B", 2))
    (tmp_path / "fake.pdf").write_bytes(b"not a pdf at all")
    assert view.add_files([str(tmp_path / "a.jpg"), str(tmp_path / "b.pdf")])
    assert view.files.count() == 2
    icons = [view.files.item(i).icon().pixmap(96, 96).toImage() for i in range(2)]
    assert all(image.pixelColor(48, 48) != QColor(Qt.GlobalColor.lightGray) for image in icons)  # thumbnails arrived
    assert not view.add_files([str(tmp_path / "a.jpg"), str(tmp_path / "fake.pdf")])  # all or nothing
    assert "fake.pdf" in dialogs.texts and view.files.count() == 2
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 2
    view.files.setCurrentRow(1)
    assert view.preview.pixmap() is not None and not view.preview.pixmap().isNull()


def test_a_file_dropped_on_the_tab_is_added(qtbot: QtBot, db: Database, dialogs: RecordingDialogs,
                                            tmp_path: Path) -> None:
    view, _case_id = _view(qtbot, db, dialogs)
    (tmp_path / "drop.png").write_bytes(jpeg())  # a JPEG named .png: refused by content
    (tmp_path / "drop.jpg").write_bytes(jpeg())
    for name in ("drop.png", "drop.jpg"):
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.NoModifier)
        view.dropEvent(event)
    assert "与文件名所示的PNG 图片不符" in dialogs.texts
    assert view.files.count() == 1 and "现场照片" in view.files.item(0).text()


def test_the_dossier_is_built_in_the_background(qtbot: QtBot, db: Database, dialogs: RecordingDialogs,
                                                tmp_path: Path) -> None:
    view, _case_id = _view(qtbot, db, dialogs)
    (tmp_path / "a.pdf").write_bytes(pdf("A", 3))
    view.add_files([str(tmp_path / "a.pdf")])
    view.build_dossier(str(tmp_path / "卷宗.pdf"))
    assert (tmp_path / "卷宗.pdf").is_file() and "卷宗已生成" in dialogs.texts


def test_the_signed_copy_is_recorded_from_the_dialog(qtbot: QtBot, db: Database, dialogs: RecordingDialogs,
                                                     tmp_path: Path) -> None:
    from PySide6.QtCore import QDate

    from models.casefile.signing import case_effective_date
    from models.cases.agreements import AgreementInput, record_agreement
    from models.documents.service import issue
    from tests.support.casefile import ACTOR
    from tests.support.factories import refer

    view, case_id = _view(qtbot, db, dialogs)
    with db.write.begin() as s:
        refer(s, case_id)  # 诊→调 needs a mediator
        record_agreement(s, case_id, AgreementInput(items=("疏通排水沟",), signed_on=date(2026, 11, 2),
                                                    performance="当场履行"), ACTOR)  # issuable: 履行方式 given
        issue(s, "agreement", case_id, "pdf", ACTOR)
    dialog = view.open_signing()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.save()  # no scan chosen: said so, nothing recorded
    assert "请选择签字本扫描件" in dialog.ctx.dialogs.texts  # type: ignore[attr-defined]  # the recording double
    (tmp_path / "签字本.jpg").write_bytes(jpeg())
    dialog.scan_path.setText(str(tmp_path / "签字本.jpg"))
    edits = list(dialog.party_dates.values())
    edits[0].setDate(QDate(2026, 11, 3))
    edits[1].setDate(QDate(2026, 11, 6))
    dialog.mediator_date.setDate(QDate(2026, 11, 3))
    dialog.committee_date.setDate(QDate(2026, 11, 4))
    assert dialog.save()
    with db.read() as s:
        assert case_effective_date(s, case_id) == date(2026, 11, 6)
