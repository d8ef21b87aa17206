"""The case list as a windowed Qt table model: the row count comes from count_cases, rows are
fetched a page at a time when the view first asks for them (keyset when the previous page's
cursor is known, else a bookmark jump: models.cases.queries.Jumps), and only a few pages are
kept. So a million cases open at once and memory stays flat (feasibility §8 in
docs/ARCHITECTURE.md, "Sources")."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from models.cases.queries import CaseFilter, Jumps, count_cases, list_cases
from models.cases.voiding import VOID_MARK
from models.db import Database
from models.dto import CaseRow, Page
from models.workflow.deadline_service import case_badges

PAGE_SIZE = 100
CACHED_PAGES = 20
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

RISK_COLOURS = {"红": QColor("#d93025"), "黄": QColor("#f2a600"), "蓝": QColor("#1a73e8")}
RISK_TEXT_COLOURS = {"红": QColor("white"), "黄": QColor("black"), "蓝": QColor("white")}


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None  # a models.cases.queries sort name, or None when the column cannot be sorted

    def text(self, row: CaseRow) -> str:
        return _TEXT[self.title](row)


_TEXT = {
    "案件编号": lambda r: r.number,
    "受理日期": lambda r: r.received_date.isoformat(),
    "阶段": lambda r: f"{r.stage}（{VOID_MARK}）" if r.voided else r.stage,
    "风险": lambda r: r.risk_colour or "",
    "纠纷类型": lambda r: r.dispute_type,
    "当事人": lambda r: r.parties,
    "窗口": lambda r: r.desk,
    "简要情况": lambda r: r.summary,
    "督办": lambda r: "",  # filled from the page's supervision badges (see CaseTableModel.data)
}
COLUMNS = (
    Column("案件编号", "number"), Column("受理日期", "received"), Column("阶段", "stage"), Column("风险", None),
    Column("纠纷类型", "type"), Column("当事人", None), Column("窗口", None), Column("简要情况", None),
    Column("督办", None),
)
RISK_COLUMN = 3
SUPERVISION_COLUMN = 8
Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.filter = CaseFilter()
        self.sort_key, self.descending = "received", True
        self._total = 0
        self._pages: OrderedDict[int, tuple[CaseRow, ...]] = OrderedDict()
        self._cursors: dict[int, tuple | None] = {}  # page index → cursor after that page
        self._jumps = Jumps(self.filter, self.sort_key, self.descending)  # deep pages without OFFSET scans
        self._badges: dict[int, str] = {}  # case id → 红/黄/蓝 supervision colour of its deadlines
        self.pages_loaded = 0  # how many page queries ran (for tests and measurements)
        self._total = self._count()

    # --- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if index.column() == SUPERVISION_COLUMN:
            return _risk_role(self._badges.get(row.id), role, text=True)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()].text(row)
        if role == CASE_ID_ROLE:
            return row.id
        if index.column() == RISK_COLUMN:
            return _risk_role(row.risk_colour, role)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._total:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a sortable column; the others keep the current order (see sort_column)."""
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    # --- the shell's interface -----------------------------------------------------------------
    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort_key == self.sort_key)

    def set_filter(self, flt: CaseFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        """Forget every cached page and recount (filter, sort or data changed)."""
        self.beginResetModel()
        self._pages.clear()
        self._cursors.clear()
        self._jumps = Jumps(self.filter, self.sort_key, self.descending)
        self._badges.clear()
        self._total = self._count()
        self.endResetModel()

    @property
    def pages_cached(self) -> int:
        """How many pages are held in memory now (at most CACHED_PAGES)."""
        return len(self._pages)

    def row_at(self, row: int) -> CaseRow | None:
        if not 0 <= row < self._total:
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def case_id_at(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    # --- paging ------------------------------------------------------------------------------
    def _count(self) -> int:
        with self.db.read() as session:
            return count_cases(session, self.filter)

    def _page(self, number: int) -> tuple[CaseRow, ...]:
        if number in self._pages:
            self._pages.move_to_end(number)
            return self._pages[number]
        rows = self._fetch(number)
        self._pages[number] = rows
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

    def _fetch(self, number: int) -> tuple[CaseRow, ...]:
        cursor = self._cursors.get(number - 1) if number > 0 else None
        with self.db.read() as session:
            if cursor is not None:
                page = self._list(session, after=cursor)
            else:
                page = self._jumps.page(session, number * PAGE_SIZE, PAGE_SIZE)
            self._badges.update(case_badges(session, [r.id for r in page.rows]))
        self._cursors[number] = page.next_cursor
        self.pages_loaded += 1
        return page.rows

    def _list(self, session: Any, **where: Any) -> Page:
        return list_cases(session, self.filter, sort=self.sort_key, descending=self.descending, limit=PAGE_SIZE, **where)


def _risk_role(colour: str | None, role: int, *, text: bool = False) -> Any:
    """Risk and supervision columns are coloured badges: 红/黄/蓝 on its own colour."""
    if colour not in RISK_COLOURS:
        return None
    if text and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
        return colour
    if role == Qt.ItemDataRole.BackgroundRole:
        return RISK_COLOURS[colour]
    if role == Qt.ItemDataRole.ForegroundRole:
        return RISK_TEXT_COLOURS[colour]
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None
