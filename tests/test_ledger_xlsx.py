"""The ledger (and any list) as XLSX: typed cells, a frozen header with an autofilter, formula
injection refused, and `export ledger --format xlsx` from the command line."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from models.db import Database
from models.org.entities import Role
from templates.context import LedgerContext, LedgerRow
from templates.render import render
from templates.xlsx import write_table
from tests.support.cli_signin import main_as
from tests.support.desktop import dialogs, window
from tests.support.documents import db_url

__all__ = ["dialogs", "window"]  # fixtures used by name below

HOSTILE = ("=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-3", "@SUM(A1)")


def _context() -> LedgerContext:
    rows = [
        LedgerRow(case_number=HOSTILE[0], registered_on=date(2026, 3, 1), source=HOSTILE[1], parties=("张三", "李四"),
                  id_numbers=("620981196001011234",), phones=("", "13912345678"), dispute_type="邻里纠纷",
                  summary=HOSTILE[2], amount=Decimal("142000.50"), stage="办结", deadline=date(2026, 4, 1),
                  closed_on=date(2026, 3, 20), remark=HOSTILE[3], outcome="书面协议", level="玉门镇"),
        LedgerRow(case_number="玉社调字〔2026〕2号", registered_on=date(2026, 3, 2), parties=("王五",), stage="调"),
    ]
    return LedgerContext(reporting_unit="玉门镇", reporter="孙丽", report_date=date(2026, 11, 23), rows=rows,
                         filter_description="期间：不限至不限")


def _sheet(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return sheet


def _header_row(sheet) -> int:
    return next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")


def test_ledger_xlsx_has_typed_cells_frozen_header_and_autofilter() -> None:
    sheet = _sheet(render("ledger", _context(), "xlsx"))
    top = _header_row(sheet)
    header = [c.value for c in sheet[top]]
    assert {"层级", "协议形式", "履行情况", "司法确认", "回访", "办结日期"} <= set(header)  # every field its own column
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.auto_filter.ref == f"A{top}:{sheet.cell(top, len(header)).column_letter}{top + 2}"
    row = {h: sheet.cell(top + 1, i + 1) for i, h in enumerate(header)}
    assert row["序号"].value == 1 and row["序号"].data_type == "n"
    assert isinstance(row["登记日期"].value, datetime) and row["登记日期"].is_date
    assert row["登记日期"].value.date() == date(2026, 3, 1)
    assert row["涉及金额（元）"].value == 142000.5 and row["涉及金额（元）"].number_format == "#,##0.00"
    assert row["当事人"].value == "张三\n李四"
    assert row["证件号码"].value == "620981********1234\n"  # aligned: 李四 has no ID, 张三 no phone
    assert row["联系电话"].value == "\n139****5678"
    assert any("合计：共2件" in str(c.value) for r in sheet.iter_rows() for c in r)


def test_text_starting_with_a_formula_sign_is_stored_as_text() -> None:
    sheet = _sheet(render("ledger", _context(), "xlsx"))
    cells = {c.value: c for r in sheet.iter_rows() for c in r if isinstance(c.value, str)}
    for text in HOSTILE:
        assert text in cells, text
        assert cells[text].data_type == "s"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_any_list_as_a_sheet() -> None:
    data = write_table("案件列表", ["筛选：全部"], ["编号", "受理日期", "金额"], ["text", "date", "amount"],
                       [("=1+1", date(2026, 1, 2), Decimal("3.5"))])
    sheet = _sheet(data)
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:C4"
    assert sheet["A4"].data_type == "s" and sheet["A4"].value == "=1+1"
    assert sheet["B4"].is_date and sheet["C4"].value == 3.5


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main_as(Role.CLERK, args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exports_the_ledger_as_xlsx(capsys, demo_db: Database, tmp_path) -> None:
    target = tmp_path / "台账.xlsx"
    code, out, err = _cli(capsys, "export", "ledger", "--db", db_url(demo_db), "--stage", "归档", "-o", str(target))
    assert code == 0, err
    assert "已导出" in out
    sheet = _sheet(target.read_bytes())
    top = _header_row(sheet)
    stages = {sheet.cell(r, [c.value for c in sheet[top]].index("阶段") + 1).value
              for r in range(top + 1, sheet.max_row + 1) if isinstance(sheet.cell(r, 1).value, int)}
    assert stages == {"归档"}
    code, _out, err = _cli(capsys, "export", "ledger", "--db", db_url(demo_db), "--format", "csv",
                           "-o", str(tmp_path / "x.csv"))
    assert code != 0 and "不支持的格式" in err and len(err.strip().splitlines()) == 1


# --- the GUI: 导出台账 as XLSX and the case list 导出为 Excel ---------------------------------------

def _answer_save(dialogs, path) -> None:
    dialogs.ask_save_path = lambda title, name, fmt: str(path)
    dialogs.open_file = lambda target: None


def _immediately(job) -> None:
    job.run()


def test_gui_ledger_export_as_xlsx(qtbot, window, dialogs, tmp_path) -> None:
    from desktop.ledger_export_dialog import LedgerExportDialog

    dialog = LedgerExportDialog(window.ctx, window, start_job=_immediately)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    assert not dialog.paper.isEnabled()  # every field its own column: no paper to choose
    _answer_save(dialogs, tmp_path / "台账.xlsx")
    assert dialog.export()
    assert "已导出" in dialog.last_result, dialog.last_result
    sheet = _sheet((tmp_path / "台账.xlsx").read_bytes())
    assert "层级" in [c.value for c in sheet[_header_row(sheet)]]


def test_case_list_exports_the_current_filter_as_xlsx(qtbot, window, dialogs, tmp_path) -> None:
    from models.cases.queries import CaseFilter

    window.model.set_filter(CaseFilter(stage="归档"))
    expected = window.model.rowCount()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "列表.xlsx"
    target.write_bytes(b"old")
    _answer_save(dialogs, target)
    export = window.export_case_list(start=_immediately)
    assert export.message.startswith("已导出"), export.message
    sheet = _sheet(target.read_bytes())
    assert sheet.freeze_panes == "A4" and sheet["A3"].value == "案件编号"
    stages = [sheet.cell(r, 3).value for r in range(4, sheet.max_row + 1)]
    assert len(stages) == expected and set(stages) == {"归档"}
    assert sheet["B4"].is_date and "阶段：归档" in str(sheet["A2"].value)
    assert [p.name for p in target.parent.iterdir()] == ["列表.xlsx"]  # written atomically: no temp file left
