"""组织机构 — the system administrator's screen for the organisation: mediation committees and
首席调解员工作室 with their 代字 and two numbering patterns (a live preview shows the next case and
agreement numbers), desks, the 县→乡镇→村→网格 tree and the dispute-type table.

Each tab lists what models.org.admin returns; each edit is one form whose save goes through the
command runner, so a refusal from the service appears inline and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.rows_table_model import RowsTableModel
from desktop.screen import fit_to_screen
from models import clock
from models.errors import DomainError
from models.org.admin import (
    PARENT_LEVEL,
    CommitteeInput,
    DeskInput,
    add_org_unit,
    list_committees,
    list_desks,
    list_dispute_types,
    list_units,
    preview_numbers,
    rename_org_unit,
    save_committee,
    save_desk,
    save_dispute_type,
)
from models.org.entities import DEFAULT_AGREEMENT_PATTERN, DEFAULT_NUMBER_PATTERN, CommitteeKind

UNIT_ROLE = Qt.ItemDataRole.UserRole


def _combo(name: str, items: Sequence[tuple[str, object]], current: object = None) -> QComboBox:
    box = QComboBox(objectName=name)
    for label, value in items:
        box.addItem(label, value)
    found = box.findData(current)
    box.setCurrentIndex(max(found, 0))
    return box


class CommitteeDialog(FormDialog):
    """One committee or studio: name, kind, 代字, desk, unit and the two numbering patterns."""

    def __init__(self, ctx: DeskContext, committee_id: int | None, data: CommitteeInput | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("修改调解组织" if committee_id else "新增调解组织", parent)
        self.ctx, self.committee_id = ctx, committee_id
        data = data or CommitteeInput("", CommitteeKind.PEOPLES.value, "")
        with ctx.db.read() as s:
            desks = [(d.data.name, d.id) for d in list_desks(s)]
            units = [(f"{u.level}·{u.name}", u.id) for u in list_units(s)]
        self.name = QLineEdit(data.name, objectName="name")
        self.kind = _combo("kind", [(k.value, k.value) for k in CommitteeKind], data.kind)
        self.code = QLineEdit(data.code, objectName="code", placeholderText="如：玉门")
        self.case_pattern = QLineEdit(data.number_pattern or DEFAULT_NUMBER_PATTERN, objectName="numberPattern")
        self.agreement_pattern = QLineEdit(data.agreement_number_pattern or DEFAULT_AGREEMENT_PATTERN,
                                           objectName="agreementPattern")
        self.desk = _combo("desk", [("（无）", None), *desks], data.desk_id)
        self.unit = _combo("unit", [("（无）", None), *units], data.org_unit_id)
        self.preview = QLabel(objectName="numberPreview", wordWrap=True)
        hint = QLabel("可用字段：{代字} {YYYY} {n}（序号，必填）", objectName="patternHint")
        for label, widget in (("名称", self.name), ("类别", self.kind), ("代字", self.code),
                              ("案件编号格式", self.case_pattern), ("协议编号格式", self.agreement_pattern),
                              ("", hint), ("下一个编号", self.preview), ("窗口", self.desk), ("所属单位", self.unit)):
            self.form.addRow(label, widget)
        for field in (self.code, self.case_pattern, self.agreement_pattern):
            field.textChanged.connect(self.update_preview)
        self.update_preview()

    def value(self) -> CommitteeInput:
        return CommitteeInput(self.name.text(), self.kind.currentData(), self.code.text(), self.case_pattern.text(),
                              self.agreement_pattern.text(), self.unit.currentData(), self.desk.currentData())

    def update_preview(self) -> None:
        """The numbers the next case and agreement would get this year, or why the patterns are refused."""
        data = self.value()
        try:
            with self.ctx.db.read() as s:
                shown = preview_numbers(s, self.committee_id, data.code, data.number_pattern,
                                        data.agreement_number_pattern, clock.today().year)
        except DomainError as exc:
            self.preview.setText(f"格式有误：{exc.message}")
            return
        self.preview.setText(f"案件 {shown.case_number}；协议 {shown.agreement_number}")

    def submit(self) -> None:
        data = self.value()
        outcome = self.ctx.runner.run(lambda s: save_committee(s, data, self.ctx.actor(), self.committee_id), quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.accept()


class DeskDialog(FormDialog):
    def __init__(self, ctx: DeskContext, desk_id: int | None, data: DeskInput | None, parent: QWidget | None = None) -> None:
        super().__init__("修改窗口" if desk_id else "新增窗口", parent)
        self.ctx, self.desk_id = ctx, desk_id
        data = data or DeskInput("")
        self.name = QLineEdit(data.name, objectName="name")
        self.category = QLineEdit(data.category, objectName="category")
        self.sort_order = QSpinBox(objectName="sortOrder", minimum=0, maximum=999, value=data.sort_order)
        self.active = QCheckBox("在用", objectName="active", checked=data.active)
        for label, widget in (("名称", self.name), ("类别", self.category), ("排序", self.sort_order), ("", self.active)):
            self.form.addRow(label, widget)

    def submit(self) -> None:
        data = DeskInput(self.name.text(), self.category.text(), self.sort_order.value(), self.active.isChecked())
        outcome = self.ctx.runner.run(lambda s: save_desk(s, data, self.ctx.actor(), self.desk_id), quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.accept()


class DisputeTypeDialog(FormDialog):
    def __init__(self, ctx: DeskContext, parents: Sequence[tuple[str, str]], code: str = "", name: str = "",
                 parent_code: str | None = None, active: bool = True, parent: QWidget | None = None) -> None:
        super().__init__("修改纠纷类型" if code else "新增纠纷类型", parent)
        self.ctx = ctx
        self.code = QLineEdit(code, objectName="code", placeholderText="大类 2 位；子类 4 位，以大类代码开头",
                              readOnly=bool(code))
        self.name = QLineEdit(name, objectName="name")
        self.parent_code = _combo("parentCode", [("（大类）", None), *((f"{c} {n}", c) for c, n in parents)], parent_code)
        self.parent_code.setEnabled(not code)
        self.active = QCheckBox("在用", objectName="active", checked=active)
        for label, widget in (("代码", self.code), ("名称", self.name), ("上级类型", self.parent_code), ("", self.active)):
            self.form.addRow(label, widget)

    def submit(self) -> None:
        code, name, parent_code, active = (self.code.text(), self.name.text(), self.parent_code.currentData(),
                                           self.active.isChecked())
        outcome = self.ctx.runner.run(lambda s: save_dispute_type(s, code, name, parent_code, self.ctx.actor(), active),
                                      quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.accept()


class _ListTab(QWidget):
    """A table with 新增 / 修改 buttons; `edit(row or None)` opens the form, then the list reloads."""

    def __init__(self, headers: Sequence[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowsTableModel(headers, self)
        self.table = QTableView(objectName=name)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.edit(index.row()))
        self.model.modelReset.connect(self.table.resizeColumnsToContents)  # full names and patterns
        self.add_button = QPushButton("新增…", objectName="addButton")
        self.edit_button = QPushButton("修改…", objectName="editButton")
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self._edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.edit(rows[0].row())

    def edit(self, row: int | None) -> None:  # pragma: no cover - every tab defines it
        raise NotImplementedError

    def reload(self) -> None:  # pragma: no cover - every tab defines it
        raise NotImplementedError


class CommitteesTab(_ListTab):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(("名称", "类别", "代字", "案件编号格式", "协议编号格式"), "committeeTable", parent)
        self.ctx = ctx
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            self.rows = list_committees(s)
        self.model.set_rows([(r.data.name, r.data.kind, r.data.code, r.data.number_pattern,
                              r.data.agreement_number_pattern) for r in self.rows])

    def edit(self, row: int | None) -> None:
        chosen = self.rows[row] if row is not None else None
        dialog = CommitteeDialog(self.ctx, chosen.id if chosen else None, chosen.data if chosen else None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()


class DesksTab(_ListTab):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(("名称", "类别", "排序", "状态"), "deskTable", parent)
        self.ctx = ctx
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            self.rows = list_desks(s)
        self.model.set_rows([(r.data.name, r.data.category, str(r.data.sort_order), "在用" if r.data.active else "停用")
                             for r in self.rows])

    def edit(self, row: int | None) -> None:
        chosen = self.rows[row] if row is not None else None
        dialog = DeskDialog(self.ctx, chosen.id if chosen else None, chosen.data if chosen else None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()


class DisputeTypesTab(_ListTab):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(("代码", "名称", "上级", "状态"), "disputeTypeTable", parent)
        self.ctx = ctx
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            self.rows = list_dispute_types(s)
        self.model.set_rows([(r.code, r.name, r.parent_code or "", "在用" if r.active else "停用") for r in self.rows])

    def edit(self, row: int | None) -> None:
        parents = [(r.code, r.name) for r in self.rows if r.parent_code is None]
        if row is None:
            dialog = DisputeTypeDialog(self.ctx, parents, parent=self)
        else:
            chosen = self.rows[row]
            dialog = DisputeTypeDialog(self.ctx, parents, chosen.code, chosen.name, chosen.parent_code, chosen.active,
                                       parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()


class UnitsTab(QWidget):
    """The 县→乡镇→村→网格 tree: add a unit under the selected one (or a 县 at the top), rename."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tree = QTreeWidget(objectName="unitTree")
        self.tree.setHeaderLabels(["单位", "层级"])
        self.add_button = QPushButton("添加下级…", objectName="addUnitButton")
        self.rename_button = QPushButton("重命名…", objectName="renameUnitButton")
        self.add_button.clicked.connect(self.add_child)
        self.rename_button.clicked.connect(self.rename)
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.error.setStyleSheet("color: #c00000")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.rename_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            units = list_units(s)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for unit in units:  # parents come first: ids grow down the tree
            item = QTreeWidgetItem([unit.name, unit.level])
            item.setData(0, UNIT_ROLE, (unit.id, unit.level))
            parent = items.get(unit.parent_id) if unit.parent_id is not None else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[unit.id] = item
        self.tree.expandToDepth(1)

    def _selected(self) -> tuple[int, str] | None:
        item = self.tree.currentItem()
        return item.data(0, UNIT_ROLE) if item else None

    def add_child(self) -> None:
        selected = self._selected()
        parent_id, parent_level = selected if selected else (None, None)
        child_level = next((lv for lv, above in PARENT_LEVEL.items()
                            if (above.value if above else None) == parent_level), None)
        if child_level is None:
            return self.error.setText("网格是最低一级，不能再添加下级")
        name = self.ctx.dialogs.ask_line(f"添加{child_level.value}", f"新{child_level.value}的名称：")
        if name is None:
            return None
        self._run(lambda s: add_org_unit(s, name, child_level.value, parent_id, self.ctx.actor()))
        return None

    def rename(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        name = self.ctx.dialogs.ask_line("重命名", "新名称：")
        if name is not None:
            self._run(lambda s: rename_org_unit(s, selected[0], name, self.ctx.actor()))

    def _run(self, work: Callable[[Session], object]) -> None:
        outcome = self.ctx.runner.run(work, quiet=True)
        self.error.setText(outcome.error.message if outcome.error else "")
        if outcome.ok:
            self.reload()


class OrganisationDialog(QDialog):
    """组织机构: the four tabs, for the system administrator."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("组织机构")
        fit_to_screen(self, 900, 560)
        self.tabs = QTabWidget(objectName="orgTabs")
        self.committees = CommitteesTab(ctx)
        self.desks = DesksTab(ctx)
        self.units = UnitsTab(ctx)
        self.types = DisputeTypesTab(ctx)
        for widget, title in ((self.committees, "调解组织与编号"), (self.desks, "窗口"), (self.units, "层级单位"),
                              (self.types, "纠纷类型")):
            self.tabs.addTab(widget, title)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)

