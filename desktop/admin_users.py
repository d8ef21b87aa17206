"""账户管理 — the accounts screen of the two account administrators (三权分立): the 系统管理员
creates accounts, deactivates them and hands a leaver's open cases over; the 安全管理员 assigns
roles, desks and committees, re-enables and unlocks, and resets passwords. Both see the same
list; each button is enabled only for the role that holds its permission, and the services in models/security/accounts.py and
models/org/handover.py refuse the same action to anyone else (the button is a convenience).

A new account and a reset get a generated one-time password, shown once in a message and never
stored in clear; the user must change it at the next sign-in. Selecting an account lists the open
cases it mediates, so a deactivated leaver's cases are seen and moved in one audited step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
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
from models.org.admin import list_committees, list_desks
from models.org.entities import Role, User
from models.org.handover import OpenCaseRow, active_mediators, hand_over_cases, open_cases_of
from models.security.accounts import (
    UserRow,
    add_user,
    list_users,
    lock_user,
    one_time_password,
    require_account_admin,
    reset_password,
    set_placement,
    set_role,
    unlock_user,
)
from models.security.permissions import ADMIN_ROLES, ROLE_PERMISSIONS, Permission, permissions_of

USER_HEADERS = ("用户名", "姓名", "角色", "窗口", "调解组织", "状态", "最近登录")
CASE_HEADERS = ("案件编号", "阶段", "受理日期", "纠纷简要情况")
#: Roles an administrator may give (the three administrators are made only at first run).
ASSIGNABLE_ROLES = tuple(role.value for role in Role if role not in ADMIN_ROLES)


def held_permissions(ctx: DeskContext) -> frozenset[Permission]:
    """What the signed-in user may do (everything for the local operator, as the services say)."""
    if ctx.user_id is None:
        return frozenset(Permission)
    with ctx.db.read() as session:
        user = session.get(User, ctx.user_id)
        return permissions_of(user.role) if user is not None else frozenset()


def holders(permission: Permission) -> str:
    """'系统管理员、安全管理员': the roles holding `permission`, for a disabled button's tooltip."""
    return "、".join(role.value for role, held in ROLE_PERMISSIONS.items() if permission in held)


def shown_once(ctx: DeskContext, username: str, password: str, what: str) -> None:
    ctx.dialogs.inform("一次性密码", f"{what}。{username} 的一次性密码：{password}\n"
                       "请当面交给本人；首次登录时须修改。此密码只显示这一次，关闭后无法再查看。")


@dataclass(frozen=True)
class Action:
    name: str
    text: str
    permission: Permission
    needs_row: bool


ACTIONS = (
    Action("createButton", "新建账户…", Permission.USER_CREATE, False),
    Action("roleButton", "分配角色…", Permission.ROLE_ASSIGN, True),
    Action("placeButton", "调整窗口与组织…", Permission.ROLE_ASSIGN, True),
    Action("lockButton", "停用", Permission.USER_LOCK, True),
    Action("unlockButton", "启用／解锁", Permission.USER_UNLOCK, True),
    Action("resetButton", "重置密码…", Permission.PASSWORD_RESET, True),
    Action("handoverButton", "移交在办案件…", Permission.ORG_EDIT, True),
)


class CreateAccountDialog(FormDialog):
    """新建账户: user name, name, role (not an administrator's) and desk; the password is generated."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__("新建账户", parent, intro="初始密码由系统生成，只显示一次；本人首次登录时须修改。")
        self.ctx = ctx
        with ctx.db.read() as s:
            desks = [(d.data.name, d.id) for d in list_desks(s) if d.data.active]
        self.username = QLineEdit(objectName="username", placeholderText="登录名，如 tj13")
        self.display_name = QLineEdit(objectName="displayName")
        self.role = QComboBox(objectName="role")
        self.role.addItems(ASSIGNABLE_ROLES)
        self.desk = _combo("desk", desks, None)
        for label, widget in (("用户名", self.username), ("姓名", self.display_name), ("角色", self.role),
                              ("窗口", self.desk)):
            self.form.addRow(label, widget)
        self.created: tuple[str, str] | None = None  # (user name, one-time password) once saved

    def submit(self) -> None:
        username, name, role, desk_id = (self.username.text(), self.display_name.text(), self.role.currentText(),
                                         self.desk.currentData())
        actor = self.ctx.actor()

        def create(session: Session) -> str:
            password = one_time_password(session)
            add_user(session, actor, username, name, role, password, desk_id=desk_id)
            return password

        outcome = self.ctx.runner.run(create, quiet=True)
        if outcome.error is not None or outcome.value is None:
            return self.fail(outcome.error.message if outcome.error else "")
        self.created = (username.strip(), outcome.value)
        self.accept()


class PlacementDialog(FormDialog):
    """调整窗口与组织: the desk a user signs in at (and where dispatches find them) and their committee."""

    def __init__(self, ctx: DeskContext, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__("调整窗口与组织", parent, intro=f"{user.display_name}（{user.username}，{user.role}）")
        self.ctx, self.user = ctx, user
        with ctx.db.read() as s:
            desks = [(d.data.name, d.id) for d in list_desks(s) if d.data.active or d.id == user.desk_id]
            committees = [(c.data.name, c.id) for c in list_committees(s)]
        self.desk = _combo("desk", desks, user.desk_id)
        self.committee = _combo("committee", committees, user.committee_id)
        self.form.addRow("窗口", self.desk)
        self.form.addRow("调解组织", self.committee)

    def submit(self) -> None:
        desk_id, committee_id, actor = self.desk.currentData(), self.committee.currentData(), self.ctx.actor()
        outcome = self.ctx.runner.run(lambda s: set_placement(s, actor, self.user.id, desk_id, committee_id),
                                      quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.accept()


def _combo(name: str, items: list[tuple[str, int]], current: int | None) -> QComboBox:
    box = QComboBox(objectName=name)
    box.addItem("（无）", None)
    for label, value in items:
        box.addItem(label, value)
    box.setCurrentIndex(max(box.findData(current), 0))
    return box


class UsersDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("账户管理")
        fit_to_screen(self, 1200, 680)
        self.held = held_permissions(ctx)
        self.filter = QLineEdit(objectName="filter", placeholderText="筛选：用户名、姓名、角色、窗口、调解组织或状态")
        self.count = QLabel(objectName="count")
        self.model = RowsTableModel(USER_HEADERS, self)
        self.table = self._table("usersTable", self.model)
        self.buttons = {a.name: QPushButton(a.text, objectName=a.name) for a in ACTIONS}
        self.cases_title = QLabel(objectName="casesTitle", wordWrap=True)
        self.case_model = RowsTableModel(CASE_HEADERS, self)
        self.cases_table = self._table("casesTable", self.case_model)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.all_rows: list[UserRow] = []
        self.rows: list[UserRow] = []
        self.open_cases: list[OpenCaseRow] = []
        self._lay_out()
        handlers: dict[str, Callable[[], None]] = {
            "createButton": self.create_account, "roleButton": self.assign_role, "placeButton": self.place,
            "lockButton": self.lock,
            "unlockButton": self.unlock, "resetButton": self.reset, "handoverButton": self.hand_over}
        for name, button in self.buttons.items():
            button.clicked.connect(handlers[name])
        self.filter.textChanged.connect(lambda *_: self._show_rows())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.reload()

    @staticmethod
    def _table(name: str, model: RowsTableModel) -> QTableView:
        table = QTableView(objectName=name)
        table.setModel(model)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        model.modelReset.connect(table.resizeColumnsToContents)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        for action in ACTIONS[:-1]:
            actions.addWidget(self.buttons[action.name])
        actions.addStretch(1)
        cases = QHBoxLayout()
        cases.addWidget(self.cases_title, 1)
        cases.addWidget(self.buttons["handoverButton"])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addLayout(actions)
        layout.addLayout(cases)
        layout.addWidget(self.cases_table, 2)
        layout.addWidget(self.message)
        layout.addWidget(close)

    # --- the list -----------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        actor = self.ctx.actor()

        def read(session: Session) -> list[UserRow]:
            require_account_admin(session, actor)
            return list_users(session)

        try:
            with self.ctx.db.read() as session:
                self.all_rows = read(session)
        except DomainError as exc:  # a refusal: show why and keep the screen (its buttons are disabled)
            self.all_rows = []
            self.message.setText(exc.message)
        self._show_rows(select_id)

    def _show_rows(self, select_id: int | None = None) -> None:
        current = self.selected()
        keep = select_id if select_id is not None else (current.id if current else None)
        needle = self.filter.text().strip()
        now = clock.now()
        self.rows = [r for r in self.all_rows if not needle or any(
            needle in text for text in (r.username, r.display_name, r.role, r.desk, r.committee, r.status(now)))]
        self.model.set_rows([(r.username, r.display_name, r.role, r.desk, r.committee, r.status(now), _when(r))
                             for r in self.rows])
        self.count.setText(f"共 {len(self.rows)} 个账户")
        found = next((i for i, r in enumerate(self.rows) if r.id == keep), None)
        if found is not None:
            self.table.selectRow(found)
        self._selection_changed()

    def selected(self) -> UserRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[chosen[0].row()] if chosen and chosen[0].row() < len(self.rows) else None

    def select_user(self, username: str) -> None:
        """Select the account `username` (clearing a filter that hides it)."""
        if all(r.username != username for r in self.rows):
            self.filter.clear()
        row = next(i for i, r in enumerate(self.rows) if r.username == username)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QTableView.ScrollHint.PositionAtCenter)

    def _selection_changed(self) -> None:
        user = self.selected()
        for action in ACTIONS:
            allowed = action.permission in self.held
            button = self.buttons[action.name]
            button.setEnabled(allowed and (user is not None or not action.needs_row) and self._applies(action, user))
            button.setToolTip("" if allowed else f"需要“{action.permission.value}”权限（{holders(action.permission)}）")
        self._show_cases(user)

    @staticmethod
    def _applies(action: Action, user: UserRow | None) -> bool:
        """停用 needs an active account, 启用／解锁 a stopped or locked-out one."""
        if user is None or action.name not in ("lockButton", "unlockButton"):
            return True
        blocked = not user.active or (user.locked_until is not None and user.locked_until > clock.now())
        return user.active if action.name == "lockButton" else blocked

    def _show_cases(self, user: UserRow | None) -> None:
        self.open_cases = []
        if user is not None:
            with self.ctx.db.read() as session:
                self.open_cases = open_cases_of(session, user.id)
        self.case_model.set_rows([(c.number, c.stage, c.received_date.isoformat(), c.summary) for c in self.open_cases])
        if user is None:
            self.cases_title.setText("选中一个账户，可查看其承办的在办案件")
        elif not self.open_cases:
            self.cases_title.setText(f"{user.display_name}（{user.username}）名下没有在办案件")
        else:
            leaving = "已停用，" if not user.active else ""
            self.cases_title.setText(f"{user.display_name}（{user.username}）{leaving}名下有 "
                                     f"{len(self.open_cases)} 件在办案件")
        self.buttons["handoverButton"].setEnabled(self.buttons["handoverButton"].isEnabled() and bool(self.open_cases))

    # --- the actions --------------------------------------------------------------------------

    def _run(self, work: Callable[[Session], object], done: str, user_id: int | None) -> bool:
        outcome = self.ctx.runner.run(work, quiet=True)
        if outcome.error is not None:
            self.message.setText(outcome.error.message)
            return False
        self.message.setText(done)
        self.reload(user_id)
        return True

    def create_account(self) -> None:
        dialog = CreateAccountDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.created is None:
            return
        self.after_create(*dialog.created)

    def after_create(self, username: str, password: str) -> None:
        self.reload()
        self.select_user(username)
        self.message.setText(f"已创建账户 {username}")
        shown_once(self.ctx, username, password, f"已创建账户 {username}")

    def assign_role(self) -> None:
        user, actor = self.selected(), self.ctx.actor()
        if user is None:
            return
        role = self.ctx.dialogs.choose("分配角色", f"{user.display_name}（{user.username}）的新角色：",
                                       ASSIGNABLE_ROLES, user.role if user.role in ASSIGNABLE_ROLES else None)
        if role is None or role == user.role:
            return
        self._run(lambda s: set_role(s, actor, user.id, role), f"已将 {user.username} 的角色改为{role}", user.id)

    def place(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = PlacementDialog(self.ctx, user, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.message.setText(f"已调整 {user.username} 的窗口与调解组织")
            self.reload(user.id)

    def lock(self) -> None:
        user, actor = self.selected(), self.ctx.actor()
        if user is None:
            return
        answer = self.ctx.dialogs.choose("停用账户", f"停用 {user.display_name}（{user.username}）？停用后不能登录，"
                                         "由安全管理员重新启用。", ["停用", "取消"], "取消")
        if answer != "停用":
            return
        if not self._run(lambda s: lock_user(s, actor, user.id), f"已停用 {user.username}", user.id):
            return
        if self.open_cases:
            who = "请在下方移交给其他调解员" if Permission.ORG_EDIT in self.held else "请系统管理员移交"
            self.message.setText(f"已停用 {user.username}。其名下仍有 {len(self.open_cases)} 件在办案件，{who}。")

    def unlock(self) -> None:
        user, actor = self.selected(), self.ctx.actor()
        if user is not None:
            self._run(lambda s: unlock_user(s, actor, user.id), f"已启用 {user.username}，登录锁定已解除", user.id)

    def reset(self) -> None:
        user, actor = self.selected(), self.ctx.actor()
        if user is None:
            return

        def reset_it(session: Session) -> str:
            password = one_time_password(session)
            reset_password(session, actor, user.id, password)
            return password

        outcome = self.ctx.runner.run(reset_it, quiet=True)
        if outcome.error is not None or outcome.value is None:
            self.message.setText(outcome.error.message if outcome.error else "")
            return
        self.message.setText(f"已重置 {user.username} 的密码")
        self.reload(user.id)
        shown_once(self.ctx, user.username, outcome.value, f"已重置 {user.username} 的密码")

    def hand_over(self) -> None:
        user, actor = self.selected(), self.ctx.actor()
        if user is None:
            return
        with self.ctx.db.read() as session:
            mediators = active_mediators(session, excluding=user.id)
        options = [f"{m.display_name}（{m.username}）" for m in mediators]
        if not options:
            self.message.setText("没有其他在岗的调解员可以接收案件")
            return
        choice = self.ctx.dialogs.choose("移交在办案件", f"把 {user.display_name}（{user.username}）名下的 "
                                         f"{len(self.open_cases)} 件在办案件全部移交给：", options)
        if choice is None:
            return
        target = mediators[options.index(choice)]
        outcome = self.ctx.runner.run(lambda s: hand_over_cases(s, actor, user.id, target.id), quiet=True)
        if outcome.error is not None or outcome.value is None:
            self.message.setText(outcome.error.message if outcome.error else "")
            return
        self.message.setText(f"已将 {len(outcome.value)} 件在办案件移交给 {choice}（已记入审计）")
        for case in outcome.value:  # the case views refresh the mediator they show
            self.ctx.hub.case_changed.emit(case.id)
        self.reload(user.id)


def _when(row: UserRow) -> str:
    return row.last_login_at.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M") if row.last_login_at else "从未登录"
