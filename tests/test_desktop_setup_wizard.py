"""The first-run wizard, from an empty database to the first registered case: the centre, its
committee and desk, the three administrators; then the security administrator makes a mediator,
who registers a case numbered with the committee's 代字. Also: a typo in a password keeps the
wizard open with everything typed, the demo can be loaded instead, and the wizard cannot run twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.app import build_main_window, open_ready_database
from desktop.setup_wizard import SetupWizard
from models.cases.entities import Case
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.admin import CommitteeInput
from models.org.entities import Committee, Role, User
from models.org.setup import AdminAccount, CentreSetup, set_up_centre
from models.security.accounts import add_user, change_own_password, login
from models.security.permissions import PermissionDenied
from tests.support.desktop import RecordingDialogs
from tests.test_desktop_intake import fill_case, fill_party

PASSWORD = "Yumen-Centre-2026"


def complete_wizard(wizard: SetupWizard, password: str = PASSWORD, *, demo: bool = False) -> None:
    """What the first administrator types: a county centre with one committee and one desk, then
    the three accounts (admin, sec, aud), then 完成."""
    if demo:
        wizard.start.demo.setChecked(True)
    else:
        wizard.start.new_centre.setChecked(True)
        wizard.centre.name.setText("玉门市")
        wizard.centre.set_committee(0, "玉门市人民调解委员会", "玉调")
        wizard.centre.desks.setText("综合受理窗口")
    for role, login_name in ((Role.SYSTEM_ADMIN, "admin"), (Role.SECURITY_ADMIN, "sec"), (Role.AUDIT_ADMIN, "aud")):
        username, name, first, repeat = wizard.admins.fields[role.value]
        username.setText(login_name)
        name.setText(f"{role.value}王")
        first.setText(password)
        repeat.setText(password)
    if wizard.last.validatePage():
        wizard.accept()


@pytest.fixture
def empty_db(db_url: str) -> Iterator[Database]:
    database = open_ready_database(db_url)
    yield database
    database.engine.dispose()


def test_from_an_empty_database_to_the_first_registered_case(qtbot: QtBot, empty_db: Database,
                                                             fast_hasher: None) -> None:
    wizard = SetupWizard(empty_db, RecordingDialogs())
    qtbot.addWidget(wizard)
    assert wizard.start.new_centre.isChecked() and not wizard.start.existing.isEnabled()
    complete_wizard(wizard)
    assert wizard.result() == wizard.DialogCode.Accepted
    with empty_db.read() as s:
        roles = dict(s.execute(select(User.username, User.role)).all())
        committee = s.scalars(select(Committee)).one()
    assert roles == {"admin": Role.SYSTEM_ADMIN, "sec": Role.SECURITY_ADMIN, "aud": Role.AUDIT_ADMIN}
    assert committee.code == "玉调" and committee.desk_id is not None
    creator = login(empty_db.write, "admin", PASSWORD)  # who may create accounts: models.security.permissions
    with empty_db.write.begin() as s:
        mediator = add_user(s, Actor(creator.user_id), "tj01", "李调解", Role.MEDIATOR, "Mediator-Pass-1",
                            desk_id=committee.desk_id)
    change_own_password(empty_db.write, mediator, "Mediator-Pass-1", "Mediator-Own-2")  # at first sign-in
    window = build_main_window(empty_db, RecordingDialogs(), mediator, desk_id=committee.desk_id)
    qtbot.addWidget(window)
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    fill_party(dialog.parties[0], "张三", qtbot)
    fill_party(dialog.parties[1], "李四", qtbot)
    assert dialog.save()
    with empty_db.read() as s:
        number = s.scalars(select(Case.number)).one()
    assert number.startswith("玉调人调字〔")


def test_a_second_run_of_the_wizard_is_refused(qtbot: QtBot, empty_db: Database, fast_hasher: None) -> None:
    first = SetupWizard(empty_db, RecordingDialogs())
    qtbot.addWidget(first)
    complete_wizard(first)
    second = SetupWizard(empty_db, RecordingDialogs())
    qtbot.addWidget(second)
    assert second.start.existing.isChecked()  # the organisation exists now: admins only
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        username, name, password, repeat = second.admins.fields[role.value]
        username.setText(f"x{role.name.lower()}")
        name.setText("冒名")
        password.setText(PASSWORD)
        repeat.setText(PASSWORD)
    assert not second.last.validatePage()
    assert "已完成初始化" in second.last.error.text()


def test_mismatched_passwords_are_named_and_nothing_is_written(qtbot: QtBot, empty_db: Database,
                                                               fast_hasher: None) -> None:
    wizard = SetupWizard(empty_db, RecordingDialogs())
    qtbot.addWidget(wizard)
    wizard.centre.name.setText("玉门市")
    wizard.centre.set_committee(0, "玉门市人民调解委员会", "玉调")
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        username, name, first, repeat = wizard.admins.fields[role.value]
        username.setText(role.name.lower())
        name.setText("王")
        first.setText(PASSWORD)
        repeat.setText(PASSWORD + ("x" if role == Role.AUDIT_ADMIN else ""))
    assert not wizard.last.validatePage()
    assert wizard.last.error.text() == "审计管理员的两次密码输入不一致"
    assert wizard.centre.name.text() == "玉门市"
    with empty_db.read() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
        assert s.scalar(select(func.count()).select_from(Committee)) == 0


def test_the_demo_can_be_loaded_instead(qtbot: QtBot, empty_db: Database, fast_hasher: None) -> None:
    wizard = SetupWizard(empty_db, RecordingDialogs())
    qtbot.addWidget(wizard)
    complete_wizard(wizard, demo=True)
    with empty_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) > 100
        assert s.scalar(select(func.count()).select_from(User).where(User.role == Role.AUDIT_ADMIN)) == 1


def test_setup_runs_once_and_needs_all_three_administrators(empty_db: Database, fast_hasher: None) -> None:
    admins = (AdminAccount(Role.SYSTEM_ADMIN, "admin", "王", PASSWORD),
              AdminAccount(Role.SECURITY_ADMIN, "sec", "李", PASSWORD))
    setup = CentreSetup("玉门市", "县", (), ("窗口",), admins)
    with empty_db.write.begin() as s, pytest.raises(ValidationFailed, match="三权分立"):
        set_up_centre(s, setup)
    full = (*admins, AdminAccount(Role.AUDIT_ADMIN, "aud", "赵", PASSWORD))
    with empty_db.write.begin() as s:
        set_up_centre(s, CentreSetup("玉门市", "县", (CommitteeInput("玉门调委会", "人民调解委员会", "玉门"),), (), full))
    with empty_db.write.begin() as s, pytest.raises(PermissionDenied, match="已完成初始化"):
        set_up_centre(s, CentreSetup("玉门市", "县", (), (), full, existing_centre=True))
