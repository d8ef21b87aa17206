"""The windowed case list model: Qt's model checks, paging by keyset and offset, the page cache,
sorting, and counts that agree with count_cases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from desktop.case_table_model import (
    CACHED_PAGES,
    CASE_ID_ROLE,
    COLUMNS,
    PAGE_SIZE,
    RISK_COLUMN,
    SUPERVISION_COLUMN,
    CaseTableModel,
)
from desktop.rows_table_model import RowsTableModel
from models.cases.queries import CaseFilter, count_cases, list_cases
from models.db import Database
from models.workflow.deadline_service import case_badges


def all_ids(db: Database, flt: CaseFilter | None = None, sort: str = "received", descending: bool = True) -> list[int]:
    with db.read() as s:
        return [r.id for r in list_cases(s, flt or CaseFilter(), sort=sort, descending=descending, limit=100_000).rows]


def model_ids(model: CaseTableModel, rows: range) -> list[int]:
    return [model.data(model.index(r, 0), CASE_ID_ROLE) for r in rows]


def test_case_model_passes_qt_model_checks(qtmodeltester: ModelTester, demo_db: Database) -> None:
    model = CaseTableModel(demo_db)
    qtmodeltester.check(model)
    model.set_filter(CaseFilter(stage="调"))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_rows_model_passes_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = RowsTableModel(("甲", "乙"))
    model.set_rows([("一", "二"), ("三", "四")])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0)) == "三"


def test_reading_the_last_row_first_loads_it_by_offset(demo_db: Database) -> None:
    model = CaseTableModel(demo_db)
    expected = all_ids(demo_db)
    assert model.rowCount() == len(expected) == 320
    assert model.data(model.index(319, 0), CASE_ID_ROLE) == expected[319]
    assert model.pages_loaded == 1  # only the last page, not the three before it
    assert model_ids(model, range(320)) == expected


def test_scrolling_down_pages_by_keyset_and_keeps_few_pages(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("desktop.case_table_model.CACHED_PAGES", 2)
    model = CaseTableModel(demo_db)
    expected = all_ids(demo_db, sort="number", descending=False)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model_ids(model, range(320)) == expected
    assert model.pages_loaded == 4 and model.pages_cached == 2
    assert model_ids(model, range(0, 5)) == expected[:5]  # an evicted page comes back
    assert model.pages_loaded == 5
    assert CACHED_PAGES * PAGE_SIZE >= 1000  # the real cache holds a screenful many times over


@pytest.mark.parametrize(
    "flt", [CaseFilter(stage="诊"), CaseFilter(risk_colour="红"), CaseFilter(dispute_type_code="04"),
            CaseFilter(search="张"), CaseFilter(stage="办结", risk_colour="蓝")],
)
def test_filters_count_like_count_cases(demo_db: Database, flt: CaseFilter) -> None:
    model = CaseTableModel(demo_db)
    model.set_filter(flt)
    with demo_db.read() as s:
        assert model.rowCount() == count_cases(s, flt) > 0
    assert model_ids(model, range(model.rowCount())) == all_ids(demo_db, flt)


def test_only_sortable_columns_sort(demo_db: Database) -> None:
    model = CaseTableModel(demo_db)
    unsortable = next(i for i, c in enumerate(COLUMNS) if c.sort_key is None)
    model.sort(unsortable, Qt.SortOrder.AscendingOrder)
    assert (model.sort_key, model.descending) == ("received", True)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert (model.sort_key, model.descending) == ("stage", False)
    stages = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert stages == sorted(stages)


def test_risk_column_is_a_coloured_badge(demo_db: Database) -> None:
    model = CaseTableModel(demo_db)
    model.set_filter(CaseFilter(risk_colour="红"))
    index = model.index(0, RISK_COLUMN)
    assert model.data(index) == "红"
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() == "#d93025"


def test_supervision_column_shows_the_deadline_colours(demo_db: Database) -> None:
    model = CaseTableModel(demo_db)
    shown = {model.case_id_at(r): model.data(model.index(r, SUPERVISION_COLUMN)) for r in range(model.rowCount())}
    with demo_db.read() as s:
        expected = case_badges(s, list(shown))
    assert {cid: c for cid, c in shown.items() if c} == expected
    assert {"红", "蓝"} <= set(expected.values())
    coloured = next(r for r in range(model.rowCount()) if model.data(model.index(r, SUPERVISION_COLUMN)))
    assert model.data(model.index(coloured, SUPERVISION_COLUMN), Qt.ItemDataRole.BackgroundRole) is not None
