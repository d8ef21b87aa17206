"""首次使用向导 — on a database with no administrator: set up a new centre (name and level, its
committees with their 代字, its desks), or load the demo centre; then the three administrators
(系统 / 安全 / 审计, each their own account and password) and, optionally, this year's holiday
calendar. Finishing writes everything in one transaction through models.org.setup; a refusal is
shown on the wizard's last page and nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy import select

from desktop.dialogs import Dialogs
from desktop.spec_form import ERROR_STYLE
from models.db import Database
from models.demo.cases import seed_demo
from models.errors import DomainError
from models.org.admin import CommitteeInput
from models.org.entities import Committee, CommitteeKind, Role
from models.org.setup import CENTRE_LEVELS, AdminAccount, CentreSetup, set_up_centre

ADMIN_TITLES = ((Role.SYSTEM_ADMIN, "系统管理员（组织机构、设置、备份）"), (Role.SECURITY_ADMIN, "安全管理员（账户、角色、密码）"),
                (Role.AUDIT_ADMIN, "审计管理员（查阅审计记录）"))


class StartPage(QWizardPage):
    def __init__(self, has_centre: bool) -> None:
        super().__init__()
        self.setTitle("欢迎使用调解工作台")
        self.setSubTitle("本系统没有默认账户。请先建立本中心的组织机构和三个管理员账户（三权分立）。")
        self.new_centre = QRadioButton("建立新的中心", objectName="newCentre", checked=not has_centre,
                                       enabled=not has_centre)
        self.demo = QRadioButton("载入演示数据（仅供试用，不要用于真实案件）", objectName="loadDemo", enabled=not has_centre)
        self.existing = QRadioButton("组织机构已存在，只创建管理员账户", objectName="existingCentre", checked=has_centre,
                                     enabled=has_centre)
        layout = QVBoxLayout(self)
        for button in (self.new_centre, self.demo, self.existing):
            layout.addWidget(button)

    def nextId(self) -> int:
        return SetupWizard.CENTRE if self.new_centre.isChecked() else SetupWizard.ADMINS


class CentrePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("本中心")
        self.setSubTitle("中心名称和层级；每个调解组织的代字用于案件编号（如“玉门人调字〔2026〕1号”）。")
        self.name = QLineEdit(objectName="centreName", placeholderText="如：玉门市")
        self.level = QComboBox(objectName="centreLevel")
        for level in CENTRE_LEVELS:
            self.level.addItem(level.value, level.value)
        self.committees = QTableWidget(1, 3, objectName="committees")
        self.committees.setHorizontalHeaderLabels(["调解组织名称", "类别", "代字"])
        self.committees.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._kind_box(0)
        add = QPushButton("添加调解组织", objectName="addCommittee")
        add.clicked.connect(self.add_committee)
        self.desks = QLineEdit(objectName="desks", placeholderText="用顿号分隔，如：综合受理窗口、人民调解窗口")
        form = QFormLayout()
        form.addRow("中心名称", self.name)
        form.addRow("层级", self.level)
        form.addRow("窗口", self.desks)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.committees)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)

    def _kind_box(self, row: int) -> None:
        box = QComboBox()
        for kind in CommitteeKind:
            box.addItem(kind.value, kind.value)
        self.committees.setCellWidget(row, 1, box)

    def add_committee(self) -> int:
        row = self.committees.rowCount()
        self.committees.insertRow(row)
        self._kind_box(row)
        return row

    def set_committee(self, row: int, name: str, code: str) -> None:
        self.committees.setItem(row, 0, QTableWidgetItem(name))
        self.committees.setItem(row, 2, QTableWidgetItem(code))

    def value(self) -> tuple[tuple[CommitteeInput, ...], tuple[str, ...]]:
        committees = []
        for row in range(self.committees.rowCount()):
            name, code = (self.committees.item(row, c) for c in (0, 2))
            if name is None and code is None:
                continue
            kind = self.committees.cellWidget(row, 1)
            assert isinstance(kind, QComboBox)
            committees.append(CommitteeInput(name.text() if name else "", kind.currentData(), code.text() if code else ""))
        desks = tuple(d.strip() for d in self.desks.text().replace("，", "、").replace(",", "、").split("、") if d.strip())
        return tuple(committees), desks


class AdminsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("三个管理员账户")
        self.setSubTitle("三个账户由三个人分别保管；每人设置自己的密码（至少 10 位，含字母和数字）。")
        self.fields: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit, QLineEdit]] = {}
        form = QFormLayout(self)
        for role, title in ADMIN_TITLES:
            username = QLineEdit(objectName=f"username_{role.value}", placeholderText="用户名")
            name = QLineEdit(objectName=f"name_{role.value}", placeholderText="姓名")
            password = QLineEdit(objectName=f"password_{role.value}", placeholderText="密码",
                                 echoMode=QLineEdit.EchoMode.Password)
            repeat = QLineEdit(objectName=f"repeat_{role.value}", placeholderText="再次输入密码",
                               echoMode=QLineEdit.EchoMode.Password)
            row = QHBoxLayout()
            for widget in (username, name, password, repeat):
                row.addWidget(widget)
            form.addRow(title, row)
            self.fields[role.value] = (username, name, password, repeat)

    def value(self) -> tuple[AdminAccount, ...]:
        return tuple(AdminAccount(role, u.text(), n.text(), p.text()) for role, (u, n, p, _r) in self.fields.items())

    def mismatch(self) -> str | None:
        for role, (_u, _n, password, repeat) in self.fields.items():
            if password.text() != repeat.text():
                return f"{role}的两次密码输入不一致"
        return None


class FinishPage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("节假日与完成")
        self.setSubTitle("期限按工作日计算。内置日历含 2026 年及以前的放假安排；新一年的国务院通知发布后请在“管理 → 节假日”中导入。")
        self.calendar = QLineEdit(objectName="calendarCsv", readOnly=True, placeholderText="（可选）节假日 CSV 文件")
        choose = QPushButton("选择文件…", objectName="chooseCalendar")
        choose.clicked.connect(self._choose)
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.calendar, 1)
        row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def _choose(self) -> None:
        path = self.wizard_.dialogs.ask_open_path("选择节假日文件", "CSV 文件 (*.csv)")
        if path:
            self.calendar.setText(path)

    def validatePage(self) -> bool:
        """Finishing writes everything; a refusal stays on this page with its message."""
        message = self.wizard_.finish()
        self.error.setText(message or "")
        return message is None


class SetupWizard(QWizard):
    START, CENTRE, ADMINS, FINISH = range(4)

    def __init__(self, db: Database, dialogs: Dialogs | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs = db, dialogs or Dialogs(self)
        self.setWindowTitle("首次使用向导")
        with db.read() as session:
            has_centre = session.scalar(select(Committee.id).limit(1)) is not None
        self.start, self.centre, self.admins, self.last = StartPage(has_centre), CentrePage(), AdminsPage(), \
            FinishPage(self)
        for page_id, page in ((self.START, self.start), (self.CENTRE, self.centre), (self.ADMINS, self.admins),
                              (self.FINISH, self.last)):
            self.setPage(page_id, page)

    def finish(self) -> str | None:
        """Write the centre (or the demo) and the administrators; the refusal's message, or None."""
        mismatch = self.admins.mismatch()
        if mismatch:
            return mismatch
        calendar = Path(self.last.calendar.text()) if self.last.calendar.text() else None
        try:
            with self.db.write.begin() as session:
                if self.start.demo.isChecked():
                    seed_demo(session)
                committees, desks = self.centre.value() if self.start.new_centre.isChecked() else ((), ())
                set_up_centre(session, CentreSetup(self.centre.name.text(), self.centre.level.currentData(), committees,
                                                   desks, self.admins.value(), calendar,
                                                   existing_centre=not self.start.new_centre.isChecked()))
        except DomainError as exc:
            return exc.message
        return None
