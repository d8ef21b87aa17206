"""The filter row above the case list: desk, stage, dispute type, risk colour (as coloured
badges) and a search box whose typing is debounced, combined into one models.queries.CaseFilter."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.case_table_model import RISK_COLOURS
from models.cases.queries import CaseFilter, list_desks, list_dispute_types
from models.cases.stages import Stage
from models.db import Database

SEARCH_DELAY_MS = 300
ALL = None  # the item data of every "全部…" entry

def colour_badge(colour: QColor, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(colour)
    return QIcon(pixmap)

class FilterBar(QWidget):
    """Emits filter_changed with the new CaseFilter; desk_changed with the chosen desk id."""

    filter_changed = Signal(object)
    desk_changed = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None, *, user_id: int | None = None) -> None:
        super().__init__(parent)
        self.user_id = user_id  # the signed-in user, for 我的案件 (hidden for the local operator)
        self.mine = QCheckBox("我的案件", objectName="mineFilter")
        self.mine.setToolTip("分配给我、由我登记、或等待我办理的案件")
        self.mine.setVisible(user_id is not None)
        self.mine.toggled.connect(self._emit)
        self.desk = QComboBox(objectName="deskFilter")
        self.stage = QComboBox(objectName="stageFilter")
        self.dispute_type = QComboBox(objectName="typeFilter")
        self.risk = QComboBox(objectName="riskFilter")
        self.search = QLineEdit(objectName="searchBox", placeholderText="搜索：案号、当事人姓名或拼音（如 zs）、电话或证件号",
                                clearButtonEnabled=True)
        self.search.setMinimumWidth(260)
        self._fill(db)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._emit)
        for combo in (self.stage, self.dispute_type, self.risk):
            combo.currentIndexChanged.connect(self._emit)
        self.desk.currentIndexChanged.connect(self._desk_chosen)
        self._lay_out()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for label, widget in (("", self.mine), ("窗口", self.desk), ("阶段", self.stage), ("类型", self.dispute_type),
                              ("风险", self.risk), ("", self.search)):
            if label:
                layout.addWidget(QLabel(label))
            layout.addWidget(widget)

    def _fill(self, db: Database) -> None:
        with db.read() as session:
            desks, types = list_desks(session), list_dispute_types(session)
        self.desk.addItem("全部窗口", ALL)
        for desk_id, name in desks:
            self.desk.addItem(name, desk_id)
        self.stage.addItem("全部阶段", ALL)
        for stage in Stage:
            self.stage.addItem(stage.value, stage.value)
        self.dispute_type.addItem("全部类型", ALL)
        for code, name, parent in types:
            self.dispute_type.addItem(("　" if parent else "") + name, code)
        self.risk.addItem("全部风险", ALL)
        for colour, qcolour in RISK_COLOURS.items():
            self.risk.addItem(colour_badge(qcolour), colour, colour)

    def current_filter(self) -> CaseFilter:
        text = self.search.text().strip()
        return CaseFilter(
            stage=self.stage.currentData(), desk_id=self.desk.currentData(),
            dispute_type_code=self.dispute_type.currentData(), risk_colour=self.risk.currentData(),
            search=text or None, mine_user_id=self.user_id if self.mine.isChecked() else None,
        )

    def _desk_chosen(self) -> None:
        self.desk_changed.emit(self.desk.currentData())
        self._emit()

    def _emit(self) -> None:
        self._debounce.stop()
        self.filter_changed.emit(self.current_filter())
