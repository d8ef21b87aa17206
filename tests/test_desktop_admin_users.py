"""The security administrator's screens as each role sees them: 账户管理 (create with a one-time
password shown once, assign a role, lock, unlock, reset, hand a leaver's open cases over) and
安全策略 (the stored password policy, the masking policy read-only). A button is enabled only for
the role that holds its permission, and the service refuses the same action anyway."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop import admin_menu
from desktop.admin_policy import PolicyDialog
from desktop.admin_users import CreateAccountDialog, PlacementDialog, UsersDialog
from desktop.app import build_main_window
from desktop.main_window import MainWindow
from models import clock
from models.db import Database
from models.dto import Actor
from models.org.entities import Role, User
from models.org.handover import active_mediators, hand_over_cases, open_cases_of
from models.security.accounts import add_user, current_policy, login, reset_password, set_placement, set_policy
from models.security.audit import AuditEntry
from models.security.permissions import PermissionDenied
from tests.support.desktop import RecordingDialogs, commit_text
from tests.support.security import PASSWORD, make_users

pytestmark = pytest.mark.usefixtures("fast_hasher")


@pytest.fixture
def actors(demo_db: Database) -> dict[Role, Actor]:
    return make_users(demo_db)  # user0 调解员 … user5 系统管理员, user6 安全管理员, user7 审计管理员


def _window(qtbot: QtBot, db: Database, actor: Actor) -> MainWindow:
    window = build_main_window(db, RecordingDialogs(), actor.user_id)
    qtbot.addWidget(window)
    return window


def _users(qtbot: QtBot, db: Database, actor: Actor) -> tuple[UsersDialog, RecordingDialogs]:
    window = _window(qtbot, db, actor)
    dialog = UsersDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialogs = window.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    return dialog, dialogs


def _enabled(dialog: UsersDialog) -> set[str]:
    return {name for name, button in dialog.buttons.items() if button.isEnabled()}


def _one_time_password(dialogs: RecordingDialogs) -> str:
    found = re.search(r"一次性密码：(\S+)", dialogs.shown[-1][1])
    assert found is not None and "只显示这一次" in dialogs.shown[-1][1]
    return found.group(1)


def test_each_administrator_finds_the_screens_of_their_role(qtbot: QtBot, demo_db: Database,
                                                            actors: dict[Role, Actor]) -> None:
    names = {}
    for role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.MEDIATOR):
        window = _window(qtbot, demo_db, actors[role])
        names[role] = [a.objectName() for a in admin_menu.install(window, window.ctx, role, Path("/nonexistent"))]
    assert names[Role.SECURITY_ADMIN] == ["usersAction", "policyAction"]
    assert names[Role.SYSTEM_ADMIN][0] == "usersAction" and "policyAction" not in names[Role.SYSTEM_ADMIN]
    assert names[Role.AUDIT_ADMIN] == ["auditAction"] and names[Role.MEDIATOR] == []


def test_the_system_administrator_creates_an_account_and_sees_its_password_once(
        qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    dialog, dialogs = _users(qtbot, demo_db, actors[Role.SYSTEM_ADMIN])
    assert "createButton" in _enabled(dialog)
    dialog.select_user("tj00")
    assert _enabled(dialog) == {"createButton", "lockButton", "handoverButton"}  # not the 安全管理员's buttons
    assert "安全管理员" in dialog.buttons["resetButton"].toolTip()
    form = CreateAccountDialog(dialog.ctx, dialog)
    qtbot.addWidget(form)
    form.username.setText("tj99")
    form.role.setCurrentText(Role.CLERK.value)
    form.submit()
    assert "姓名" in form.error.text() and form.username.text() == "tj99"  # refused inline, nothing lost
    commit_text(form.display_name, "新来的书记员")
    form.submit()
    assert form.created is not None and form.created[0] == "tj99"
    dialog.after_create(*form.created)
    password = _one_time_password(dialogs)
    assert dialog.selected() is not None and dialog.selected().username == "tj99"
    assert dialog.model.rows[dialog.table.currentIndex().row()][5] == "须改初始密码"
    assert password not in dialog.message.text()  # shown once, in the message box only
    signed = login(demo_db.write, "tj99", password)
    assert signed.role == Role.CLERK and signed.must_change_password


def test_the_security_administrator_assigns_a_role_resets_and_unlocks(
        qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    dialog, dialogs = _users(qtbot, demo_db, actors[Role.SECURITY_ADMIN])
    dialog.select_user("user0")
    assert _enabled(dialog) == {"roleButton", "placeButton", "lockButton", "resetButton"}  # no create, no handover
    assert "系统管理员" in dialog.buttons["createButton"].toolTip()
    dialogs.answers.append(Role.LEADER.value)
    dialog.buttons["roleButton"].click()
    assert "包案领导" in dialog.message.text()
    dialog.buttons["resetButton"].click()
    password = _one_time_password(dialogs)
    assert login(demo_db.write, "user0", password).must_change_password
    dialogs.answers.append("停用")
    dialog.buttons["lockButton"].click()
    assert "已停用" in dialog.message.text() and dialog.selected().status(clock.now()) == "停用"
    assert _enabled(dialog) == {"roleButton", "placeButton", "unlockButton", "resetButton"}  # not 停用 twice
    dialog.buttons["unlockButton"].click()
    assert "已启用" in dialog.message.text() and dialog.selected().active
    with demo_db.read() as s:
        assert s.get(User, actors[Role.MEDIATOR].user_id).role == Role.LEADER


def test_the_security_administrator_places_a_user_at_a_desk_and_committee(
        qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    dialog, _ = _users(qtbot, demo_db, actors[Role.SECURITY_ADMIN])
    dialog.select_user("tj00")
    before = dialog.selected()
    form = PlacementDialog(dialog.ctx, before, dialog)
    qtbot.addWidget(form)
    assert form.desk.currentData() == before.desk_id and form.committee.currentData() == before.committee_id
    form.desk.setCurrentIndex(form.desk.findText("人民法院诉调对接中心"))
    form.committee.setCurrentIndex(0)  # （无）
    form.submit()
    assert form.result() == form.DialogCode.Accepted
    dialog.reload(before.id)
    after = dialog.selected()
    assert (after.desk, after.committee) == ("人民法院诉调对接中心", "") and before.committee
    with demo_db.read() as s:
        change = s.scalars(select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.entity_id == str(before.id),
                                                    AuditEntry.action == "update")).all()[-1]
    assert change.user_id == actors[Role.SECURITY_ADMIN].user_id and "desk_id" in change.detail


def test_the_wrong_role_sees_the_buttons_disabled_and_the_service_refuses(
        qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    security, _ = _users(qtbot, demo_db, actors[Role.SECURITY_ADMIN])
    security.select_user("tj00")
    assert not security.buttons["createButton"].isEnabled() and not security.buttons["handoverButton"].isEnabled()
    system, _ = _users(qtbot, demo_db, actors[Role.SYSTEM_ADMIN])
    system.select_user("user0")
    assert not any(system.buttons[name].isEnabled()
                   for name in ("roleButton", "placeButton", "unlockButton", "resetButton"))
    with demo_db.read() as s:
        tj00, tj01 = (s.scalars(select(User.id).where(User.username == name)).one() for name in ("tj00", "tj01"))
    refusals = (
        lambda s: add_user(s, actors[Role.SECURITY_ADMIN], "x1", "某人", Role.CLERK, PASSWORD),
        lambda s: hand_over_cases(s, actors[Role.SECURITY_ADMIN], tj00, tj01),
        lambda s: reset_password(s, actors[Role.SYSTEM_ADMIN], tj00, PASSWORD),
        lambda s: set_placement(s, actors[Role.SYSTEM_ADMIN], tj00, None, None),
        lambda s: set_policy(s, actors[Role.SYSTEM_ADMIN], current_policy(s)),
    )
    for refused in refusals:
        with pytest.raises(PermissionDenied), demo_db.write.begin() as s:
            refused(s)
    auditor, _ = _users(qtbot, demo_db, actors[Role.AUDIT_ADMIN])  # opened by hand: no list, nothing enabled
    assert auditor.model.rowCount() == 0 and "无权" in auditor.message.text() and _enabled(auditor) == set()


def test_a_leavers_open_cases_are_listed_after_the_lock_and_handed_over(
        qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    dialog, dialogs = _users(qtbot, demo_db, actors[Role.SYSTEM_ADMIN])
    with demo_db.read() as s:
        leaver = s.scalars(select(User).where(User.username == "tj00")).one()
        open_ids = [c.id for c in open_cases_of(s, leaver.id)]
    assert open_ids
    dialog.select_user("tj00")
    assert dialog.case_model.rowCount() == len(open_ids)
    dialogs.answers.append("停用")
    dialog.buttons["lockButton"].click()
    assert f"仍有 {len(open_ids)} 件在办案件" in dialog.message.text() and "已停用" in dialog.cases_title.text()
    changed: list[int] = []
    dialog.ctx.hub.case_changed.connect(changed.append)
    receiver = next(o for o in _mediator_options(dialog) if o.endswith("（tj01）"))
    dialogs.answers.append(receiver)
    dialog.buttons["handoverButton"].click()
    assert f"已将 {len(open_ids)} 件在办案件移交给 {receiver}" in dialog.message.text()
    assert dialog.case_model.rowCount() == 0 and not dialog.buttons["handoverButton"].isEnabled()
    assert sorted(changed) == sorted(open_ids)
    with demo_db.read() as s:
        tj01 = s.scalars(select(User.id).where(User.username == "tj01")).one()
        assert set(open_ids) <= {c.id for c in open_cases_of(s, tj01)}
        trail = s.scalars(select(AuditEntry).where(AuditEntry.action == "cases_handed_over")).one()
    assert trail.user_id == actors[Role.SYSTEM_ADMIN].user_id and f'"count":{len(open_ids)}' in trail.detail


def _mediator_options(dialog: UsersDialog) -> list[str]:
    with dialog.ctx.db.read() as s:
        return [f"{m.display_name}（{m.username}）" for m in active_mediators(s)]


@pytest.fixture
def policy_window(qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> Iterator[MainWindow]:
    yield _window(qtbot, demo_db, actors[Role.SECURITY_ADMIN])


def test_the_security_administrator_edits_the_stored_password_policy(qtbot: QtBot, policy_window: MainWindow) -> None:
    dialog = PolicyDialog(policy_window.ctx, policy_window)
    qtbot.addWidget(dialog)
    assert dialog.profile.currentText() == "标准" and dialog.spins["min_length"].value() == 12
    dialog.profile.setCurrentText("等保")
    assert dialog.spins["required_classes"].value() == 3 and "90 天" in dialog.hint.text()
    dialog.spins["lockout_minutes"].setValue(30)
    assert dialog.profile.currentText() == "自定义"  # no longer the preset's values
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with policy_window.ctx.db.read() as s:
        stored = current_policy(s)
        changes = s.scalars(select(AuditEntry).where(AuditEntry.entity == "security_policy")).all()
    assert (stored.profile, stored.min_length, stored.required_classes, stored.lockout_minutes) == ("自定义", 8, 3, 30)
    assert changes and changes[-1].user_id == policy_window.ctx.user_id  # audited as the security admin


def test_the_masking_policy_is_shown_read_only_with_its_reason(qtbot: QtBot, policy_window: MainWindow) -> None:
    dialog = PolicyDialog(policy_window.ctx, policy_window)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableView, "maskingTable")
    model = table.model()
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows[0][0] == "证件号码" and rows[0][2] == "620981********1236" and "出生日期" in rows[0][3]
    assert rows[1][2] == "138****5678"
    reason = dialog.findChild(QLabel, "maskingReason").text()
    assert "个人信息保护法" in reason and "调解员" in reason and "记入审计" in reason


def test_another_role_sees_the_policy_disabled(qtbot: QtBot, demo_db: Database, actors: dict[Role, Actor]) -> None:
    window = _window(qtbot, demo_db, actors[Role.SYSTEM_ADMIN])
    dialog = PolicyDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and not dialog.profile.isEnabled()
    assert not any(spin.isEnabled() for spin in dialog.spins.values()) and "安全管理员" in dialog.error.text()
    dialog.submit()  # forced through: the service refuses
    assert "无权修改安全策略" in dialog.error.text()


def test_both_screens_fit_1366x768_and_speak_chinese(qtbot: QtBot, window: MainWindow) -> None:
    from tests.test_desktop_fit_and_language import ENGLISH, SCREEN, _visible_texts

    for dialog in (UsersDialog(window.ctx), CreateAccountDialog(window.ctx), PolicyDialog(window.ctx)):
        qtbot.addWidget(dialog)
        minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert minimum.width() <= SCREEN.width() and minimum.height() <= SCREEN.height(), (dialog, minimum)
        assert dialog.height() <= SCREEN.height()
        assert not [t for t in _visible_texts(dialog) if ENGLISH.search(t)]
