"""Accounts and permissions: first-run admin, password policy, lockout counted in the database across
desks, no user enumeration, the role table enforced by the services, and 三权分立."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.base import utcnow
from models.cases.service import register_case
from models.db import Database, open_database
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Role
from models.security import accounts
from models.security.accounts import (
    LOGIN_FAILED,
    PROFILES,
    LoginFailed,
    add_user,
    change_password,
    login,
    needs_setup,
    password_problems,
    set_policy,
    set_role,
    setup_first_admin,
    unlock_user,
)
from models.security.audit import AuditEntry, verify_chain
from models.security.permissions import (
    ADMIN_ROLES,
    CASE_WORK,
    ROLE_PERMISSIONS,
    Permission,
    PermissionDenied,
    require,
    reveal_id_number,
)
from tests.support.factories import committee, draft, refer
from tests.support.security import PASSWORD, make_users

pytestmark = pytest.mark.usefixtures("fast_hasher")


def test_first_run_creates_the_first_admin_once_and_no_default_account(db: Database) -> None:
    with db.read() as s:
        assert needs_setup(s)
    with pytest.raises(LoginFailed):
        login(db.write, "admin", "admin")
    with db.write.begin() as s:
        setup_first_admin(s, "sysadmin", "系统管理员甲", PASSWORD)
    signed = login(db.write, "sysadmin", PASSWORD)
    assert signed.role == Role.SYSTEM_ADMIN and not signed.must_change_password
    with pytest.raises(PermissionDenied, match="已完成初始化"), db.write.begin() as s:
        setup_first_admin(s, "second", "第二个", PASSWORD)


def test_new_accounts_must_change_their_one_time_password(db: Database) -> None:
    actors = make_users(db, changed=False)
    signed = login(db.write, "user0", PASSWORD)
    assert signed.must_change_password and signed.user_id == actors[Role.MEDIATOR].user_id
    with pytest.raises(PermissionDenied, match="须先修改初始密码"), db.write.begin() as s:
        register_case(s, draft(committee(s)), actors[Role.MEDIATOR])  # the service refuses, not only the GUI
    with db.write.begin() as s:
        change_password(s, signed.user_id, PASSWORD, "A-much-better-one-42")
    assert not login(db.write, "user0", "A-much-better-one-42").must_change_password


def test_password_is_stored_as_argon2id_only(db: Database) -> None:
    make_users(db)
    with db.read() as s:
        stored = s.scalar(select(accounts.Credential.password_hash))
        trail = " ".join(s.scalars(select(AuditEntry.detail)))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PASSWORD not in trail and "$argon2" not in trail


@pytest.mark.parametrize(("profile", "password", "ok"), [
    ("标准", "correct horse battery", True), ("标准", "short1A!", False), ("标准", "password1234", True),
    ("等保", "abcdefgh", False), ("等保", "abcdEFGH", False), ("等保", "abcdEF12", True), ("等保", "abcd12!!", True),
    ("等保", "123456", False), ("标准", "zhangsan-secret", False),
])
def test_password_policy_profiles(profile: str, password: str, ok: bool) -> None:
    assert (password_problems(PROFILES[profile], "zhangsan", password) == []) is ok


def test_password_expires_after_90_days_under_the_dengbao_profile(db: Database) -> None:
    actors = make_users(db)
    with db.write.begin() as s:
        set_policy(s, actors[Role.SECURITY_ADMIN], PROFILES["等保"])
        change_password(s, actors[Role.CLERK].user_id, PASSWORD, "Clerk-2025x")
    assert not login(db.write, "user2", "Clerk-2025x").must_change_password
    later = utcnow() + timedelta(days=91)
    assert login(db.write, "user2", "Clerk-2025x", now=later).must_change_password


def test_unknown_user_and_wrong_password_get_the_same_message(db: Database) -> None:
    make_users(db)
    messages = set()
    for username, password in (("nobody", PASSWORD), ("user0", "wrong-password-1")):
        with pytest.raises(LoginFailed) as caught:
            login(db.write, username, password)
        messages.add(caught.value.message)
    assert messages == {LOGIN_FAILED}


def test_five_failures_across_two_desks_lock_the_account_for_15_minutes(db: Database, any_db_url: str) -> None:
    make_users(db)
    other_desk = open_database(any_db_url)  # a second process/desk: its own engine and connections
    try:
        now = utcnow()
        for attempt in range(5):
            desk = db if attempt % 2 else other_desk
            with pytest.raises(LoginFailed):
                login(desk.write, "user0", "wrong-password-1", now=now)
        for desk in (db, other_desk):  # the right password is refused everywhere, same message
            with pytest.raises(LoginFailed, match=LOGIN_FAILED[:6]):
                login(desk.write, "user0", PASSWORD, now=now + timedelta(minutes=14))
        assert login(other_desk.write, "user0", PASSWORD, now=now + timedelta(minutes=16)).username == "user0"
    finally:
        other_desk.engine.dispose()
    with db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "users")))
        assert verify_chain(s).ok
    assert actions.count("login_failed") == 5 and "account_locked" in actions and "login_refused" in actions


def test_four_failures_then_success_resets_the_count(db: Database) -> None:
    make_users(db)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            login(db.write, "user0", "wrong-password-1")
    login(db.write, "user0", PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            login(db.write, "user0", "wrong-password-1")
    assert login(db.write, "user0", PASSWORD).username == "user0"


def test_security_admin_unlocks_and_disabled_accounts_cannot_sign_in(db: Database) -> None:
    actors = make_users(db)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            login(db.write, "user0", "wrong-password-1")
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        unlock_user(s, actors[Role.SYSTEM_ADMIN], actors[Role.MEDIATOR].user_id)
    with db.write.begin() as s:
        unlock_user(s, actors[Role.SECURITY_ADMIN], actors[Role.MEDIATOR].user_id)
    assert login(db.write, "user0", PASSWORD).username == "user0"
    with db.write.begin() as s:
        accounts.lock_user(s, actors[Role.SYSTEM_ADMIN], actors[Role.MEDIATOR].user_id)
    with pytest.raises(LoginFailed):
        login(db.write, "user0", PASSWORD)


def test_admin_roles_are_disjoint_and_do_no_case_work() -> None:
    admin_sets = [ROLE_PERMISSIONS[r] for r in ADMIN_ROLES]
    for i, first in enumerate(admin_sets):
        assert not first & CASE_WORK
        for second in admin_sets[i + 1:]:
            assert not first & second - {Permission.USER_LOCK}  # both may disable a compromised account
    assert all(not ROLE_PERMISSIONS[r] & {Permission.AUDIT_VERIFY, Permission.USER_CREATE, Permission.ROLE_ASSIGN}
               for r in Role if r not in ADMIN_ROLES)


def test_require_follows_the_role_table_for_every_cell(db: Database) -> None:
    actors = make_users(db)
    with db.read() as s:
        for role in Role:
            for permission in Permission:
                if permission in ROLE_PERMISSIONS[role]:
                    require(s, actors[role], permission)
                else:
                    with pytest.raises(PermissionDenied, match=role.value):
                        require(s, actors[role], permission)


def test_services_enforce_permissions_not_just_the_buttons(db: Database) -> None:
    actors = make_users(db)
    with db.write.begin() as s:
        cid = committee(s)
    with pytest.raises(PermissionDenied, match="审计管理员"), db.write.begin() as s:
        register_case(s, draft(cid), actors[Role.AUDIT_ADMIN])
    with db.write.begin() as s:
        case_id = register_case(s, draft(cid, mediator_id=actors[Role.MEDIATOR].user_id), actors[Role.GRID_WORKER]).id
    with pytest.raises(PermissionDenied, match="网格员"), db.write.begin() as s:
        refer(s, case_id, actors[Role.GRID_WORKER])
    with db.write.begin() as s:  # the mediator the case was assigned to at intake
        refer(s, case_id, actors[Role.MEDIATOR])


def test_nobody_changes_their_own_role_and_only_the_security_admin_assigns_roles(db: Database) -> None:
    actors = make_users(db)
    sec = actors[Role.SECURITY_ADMIN]
    with pytest.raises(PermissionDenied, match="自己"), db.write.begin() as s:
        set_role(s, sec, sec.user_id, Role.AUDIT_ADMIN)
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        set_role(s, actors[Role.SYSTEM_ADMIN], actors[Role.CLERK].user_id, Role.AUDIT_ADMIN)
    with db.write.begin() as s:
        set_role(s, sec, actors[Role.CLERK].user_id, Role.MEDIATOR)


def test_disabled_user_is_refused_by_the_services(db: Database) -> None:
    actors = make_users(db)
    with db.write.begin() as s:
        accounts.lock_user(s, actors[Role.SYSTEM_ADMIN], actors[Role.MEDIATOR].user_id)
    with pytest.raises(PermissionDenied, match="停用"), db.read() as s:
        require(s, actors[Role.MEDIATOR], Permission.CASE_VIEW)


def test_duplicate_username_and_unknown_role_are_refused(db: Database) -> None:
    make_users(db)
    with pytest.raises(ValidationFailed, match="已存在"), db.write.begin() as s:
        add_user(s, Actor(), "user0", "重复", Role.CLERK, PASSWORD)
    with pytest.raises(ValidationFailed, match="未知的角色"), db.write.begin() as s:
        add_user(s, Actor(), "new", "新人", "超级管理员", PASSWORD)


def test_unmasking_an_id_number_is_audited_with_its_reason(db: Database) -> None:
    actors = make_users(db)
    with db.write.begin() as s:
        cid = committee(s)
        case_id = register_case(s, draft(cid), actors[Role.MEDIATOR]).id
    with db.read() as s:
        from models.cases.entities import Party

        party_id = s.scalar(select(Party.id).where(Party.case_id == case_id, Party.ordinal == 0))
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        reveal_id_number(s, actors[Role.CLERK], party_id, "核对身份")
    with pytest.raises(PermissionDenied, match="理由"), db.write.begin() as s:
        reveal_id_number(s, actors[Role.MEDIATOR], party_id, " ")
    with db.write.begin() as s:
        assert reveal_id_number(s, actors[Role.MEDIATOR], party_id, "核对身份") == "11010519491231002X"
    with db.read() as s:
        row = s.scalars(select(AuditEntry).where(AuditEntry.action == "unmask")).one()
    assert row.user_id == actors[Role.MEDIATOR].user_id and "核对身份" in row.detail and "002X" in row.detail
    assert "11010519491231002X" not in row.detail


def test_wrong_old_password_when_changing_counts_toward_lockout(db: Database) -> None:
    make_users(db)
    user_id = login(db.write, "user0", PASSWORD).user_id
    for _ in range(5):
        with pytest.raises(accounts.WrongPassword):
            accounts.change_own_password(db.write, user_id, "not-my-password-9", "A-much-better-one-42")
    with pytest.raises(LoginFailed):
        login(db.write, "user0", PASSWORD)  # locked now, although the right password
    with pytest.raises(accounts.PermissionDenied, match="锁定"):
        accounts.change_own_password(db.write, user_id, PASSWORD, "A-much-better-one-42")
