"""Ledger import from Excel: one bad row changes nothing and is named with its reason; a re-import
adds nothing; masked and invalid ID numbers are kept flagged, never as a party's ID; old numbers
are kept beside a new number from the counter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from forms.ledger_import import ImportRefused, import_ledger, preview
from models.analysis.entities import LegacyRecord
from models.cases.entities import Case, Party
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Committee, Desk, Role
from tests.conftest import Cli

HEADER = ("序号", "案件编号", "登记日期", "来源", "甲方姓名", "联系电话", "身份证号", "乙方姓名", "纠纷类型",
          "纠纷简况", "涉及金额", "化解结果")
GOOD = [
    (1, "旧调字2019-001", "2019-03-05", "网格上报", "张三", "13812345678", "11010519491231002X", "李四", "邻里纠纷",
     "排水沟堵塞", 1200, "书面协议"),
    (2, "旧调字2019-002", "2019/4/1", "来访", "王五", None, "620981********514X", "赵六", "婚姻家庭纠纷",
     "离婚财产分割", None, None),
    (3, None, "2019年5月6日", None, "钱七", None, "12345", "孙八", "03", "宅基地界址", "3000", "调解不成"),
]
BAD = (4, "旧调字2019-004", "2019-02-30", "来访", "周九", None, None, "", "邻里纠纷", "噪音", None, None)


def _xlsx(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def committee_db(db: Database) -> Database:
    with db.write.begin() as session:
        desk = Desk(name="受理窗口")
        session.add(desk)
        session.flush()
        session.add(Committee(name="玉门人民调解委员会", kind="人民调解委员会", code="玉门", desk_id=desk.id))
    return db


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (session.scalar(select(func.count()).select_from(Case)) or 0,
                session.scalar(select(func.count()).select_from(LegacyRecord)) or 0)


def test_one_bad_row_changes_nothing_and_is_named(committee_db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", [*GOOD, BAD])
    with pytest.raises(ImportRefused) as refused:
        import_ledger(committee_db, Actor(), path)
    assert [p.row for p in refused.value.problems] == [5]
    reason = refused.value.problems[0].reason
    assert "受理日期" in reason and "被申请方为空" in reason
    assert "第 5 行" in refused.value.message
    assert _counts(committee_db) == (0, 0)


def test_import_then_reimport_adds_nothing(committee_db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", GOOD)
    dry = import_ledger(committee_db, Actor(), path, dry_run=True)
    assert (dry.rows, dry.added, dry.flagged_ids) == (3, 3, 2) and _counts(committee_db) == (0, 0)
    first = import_ledger(committee_db, Actor(), path)
    assert (first.added, first.already_imported) == (3, 0)
    again = import_ledger(committee_db, Actor(), path)
    assert (again.added, again.already_imported) == (0, 3) and _counts(committee_db) == (3, 3)
    with committee_db.read() as session:
        records = {r.legacy_number: r for r in session.scalars(select(LegacyRecord))}
        cases = {c.id: c for c in session.scalars(select(Case))}
        ids = [p.id_number for p in session.scalars(select(Party))]
    assert records["旧调字2019-002"].id_flagged and records["旧调字2019-002"].legacy_id_numbers == "620981********514X"
    assert not records["旧调字2019-001"].id_flagged
    assert "620981********514X" not in ids and "12345" not in ids and "11010519491231002X" in ids
    first_case = cases[records["旧调字2019-001"].case_id]
    assert first_case.number == "玉门人调字〔2019〕1号" and first_case.stage == "办结"
    assert first_case.mediation_outcome == "书面协议"
    assert cases[records[None].case_id].stage == "调"  # 调解不成 stays open


def test_mapping_problems_and_bad_files_are_one_line(committee_db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", GOOD)
    with pytest.raises(ValidationFailed, match="缺少必填列：纠纷简要情况"):
        import_ledger(committee_db, Actor(), path, {"received_date": "登记日期", "applicant": "甲方姓名",
                                                    "respondent": "乙方姓名", "dispute_type": "纠纷类型"})
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(ValidationFailed, match="不是有效的 Excel"):
        import_ledger(committee_db, Actor(), not_excel)
    headers, rows = preview(path)
    assert headers[:3] == ["序号", "案件编号", "登记日期"] and len(rows) == 3


def test_import_cli(cli_as: Cli, committee_db: Database, tmp_path: Path) -> None:
    if not committee_db.is_sqlite:
        pytest.skip("the CLI opens its own engine; on PostgreSQL the service tests above cover the import")
    url = committee_db.engine.url.render_as_string(hide_password=False)
    path = _xlsx(tmp_path / "台账.xlsx", [*GOOD, BAD])
    code, _, err = cli_as(Role.CLERK, "import", "ledger", "--db", url, str(path))
    assert code == 2 and "第 5 行" in err
    path = _xlsx(tmp_path / "台账.xlsx", GOOD)
    code, out, err = cli_as(Role.CLERK, "import", "ledger", "--db", url, str(path))
    assert code == 0 and "已导入 3 件" in out, err
    code, out, _ = cli_as(Role.CLERK, "import", "ledger", "--db", url, str(path))
    assert code == 0 and "已导入 0 件" in out


def test_import_dialog_maps_checks_and_imports(qtbot: QtBot, committee_db: Database, tmp_path: Path) -> None:
    from desktop.context import build_context
    from desktop.main_window import MainWindow

    window = MainWindow(build_context(committee_db))
    qtbot.addWidget(window)
    window.import_action.trigger()
    dialog = window.ledger_import
    assert dialog.load(str(_xlsx(tmp_path / "台账.xlsx", [*GOOD, BAD])))
    assert dialog.preview.rowCount() == 4 and dialog.combos["summary"].currentText() == "纠纷简况"
    assert dialog.run(dry_run=False) is None and "第 5 行" in dialog.report.toPlainText()
    assert _counts(committee_db) == (0, 0)
    dialog.load(str(_xlsx(tmp_path / "台账.xlsx", GOOD)))
    dialog.combos["amount"].setCurrentText("（不导入）")
    assert "amount" not in dialog.mapping()
    summary = dialog.run(dry_run=False)
    assert summary is not None and summary.added == 3 and _counts(committee_db) == (3, 3)
    dialog.accept()
    assert window.model.rowCount() == 3
