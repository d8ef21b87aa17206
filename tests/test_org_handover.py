"""Handing a leaver's open cases over (models/org/handover.py) and the account services the 账户管理
screen adds: only the system administrator hands over, only open cases move, the receiver must be
an active mediator, the step is audited once with the case numbers; `user handover` and `user list`
on the command line; the one-time password meets the stored policy; the policy's limits."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from models import clock
from models.cases.entities import Case
from models.cases.service import advance_stage, register_case
from models.cases.stages import OPEN_STAGES
from models.db import Database
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Role, User
from models.org.handover import active_mediators, hand_over_cases, open_cases_of
from models.security.accounts import (
    PROFILES,
    PolicyValues,
    add_user,
    current_policy,
    list_users,
    lock_user,
    one_time_password,
    password_problems,
    require_account_admin,
    set_placement,
    set_policy,
)
from models.security.audit import AuditEntry, verify_chain
from models.security.permissions import PermissionDenied
from tests.support.factories import committee, draft
from tests.support.security import PASSWORD, make_users

pytestmark = pytest.mark.usefixtures("fast_hasher")


def _cases_of(db: Database, actors: dict[Role, Actor], count: int, *, closed: int = 0) -> list[int]:
    """`count` cases mediated by the test mediator (user0); the first `closed` are rejected (办结)."""
    ids = []
    with db.write.begin() as s:
        committee_id = committee(s)
        for i in range(count):
            case_id = register_case(s, draft(committee_id, mediator_id=actors[Role.MEDIATOR].user_id), Actor()).id
            if i < closed:
                advance_stage(s, case_id, "reject", Actor(), reason="不属于调解范围")
            ids.append(case_id)
    return ids


def _second_mediator(db: Database) -> int:
    with db.write.begin() as s:
        return add_user(s, Actor(), "tj-new", "接手调解员", Role.MEDIATOR, PASSWORD)


def test_the_system_administrator_hands_every_open_case_over_in_one_audited_step(db: Database) -> None:
    actors = make_users(db)
    ids = _cases_of(db, actors, 3, closed=1)
    receiver = _second_mediator(db)
    old = actors[Role.MEDIATOR].user_id
    with db.write.begin() as s:
        lock_user(s, actors[Role.SYSTEM_ADMIN], old)  # the leaver is deactivated first
        assert [c.id for c in open_cases_of(s, old)] == ids[1:]
        moved = hand_over_cases(s, actors[Role.SYSTEM_ADMIN], old, receiver)
    assert [c.id for c in moved] == ids[1:]
    with db.read() as s:
        mediators = {c.id: (c.mediator_id, c.stage) for c in s.scalars(select(Case).where(Case.id.in_(ids)))}
        summary = s.scalars(select(AuditEntry).where(AuditEntry.action == "cases_handed_over")).one()
        case_updates = s.scalars(select(AuditEntry).where(AuditEntry.entity == "cases", AuditEntry.action == "update",
                                                          AuditEntry.entity_id.in_([str(i) for i in ids[1:]]))).all()
        assert verify_chain(s).ok
    assert mediators[ids[0]][0] == old and mediators[ids[0]][1] not in OPEN_STAGES  # a closed case stays
    assert all(mediators[i][0] == receiver for i in ids[1:])
    detail = json.loads(summary.detail)
    assert summary.user_id == actors[Role.SYSTEM_ADMIN].user_id and summary.entity_id == str(old)
    assert detail["count"] == 2 and detail["to_user"] == "tj-new" and len(detail["cases"]) == 2
    assert len(case_updates) == 2 and all("mediator_id" in e.detail for e in case_updates)


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.MEDIATOR, Role.LEADER])
def test_no_other_role_may_hand_cases_over(db: Database, role: Role) -> None:
    actors = make_users(db)
    _cases_of(db, actors, 1)
    receiver = _second_mediator(db)
    with pytest.raises(PermissionDenied, match="无权管理组织机构"), db.write.begin() as s:
        hand_over_cases(s, actors[role], actors[Role.MEDIATOR].user_id, receiver)


def test_the_receiver_must_be_another_active_mediator_and_there_must_be_cases(db: Database) -> None:
    actors = make_users(db)
    admin, old = actors[Role.SYSTEM_ADMIN], actors[Role.MEDIATOR].user_id
    receiver = _second_mediator(db)
    with pytest.raises(ValidationFailed, match="没有在办案件"), db.write.begin() as s:
        hand_over_cases(s, admin, old, receiver)
    _cases_of(db, actors, 1)
    for target, refusal in ((old, "本人"), (actors[Role.CLERK].user_id, "不是在岗的调解员")):
        with pytest.raises(ValidationFailed, match=refusal), db.write.begin() as s:
            hand_over_cases(s, admin, old, target)
    with db.write.begin() as s:
        lock_user(s, admin, receiver)
    with pytest.raises(ValidationFailed, match="不是在岗的调解员"), db.write.begin() as s:
        hand_over_cases(s, admin, old, receiver)
    with db.read() as s:
        assert [m.id for m in active_mediators(s, excluding=old)] == []  # the only other one is locked


def test_either_account_administrator_reads_the_list_no_one_else(db: Database) -> None:
    actors = make_users(db)
    with db.read() as s:
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
            require_account_admin(s, actors[role])
        with pytest.raises(PermissionDenied):
            require_account_admin(s, actors[Role.AUDIT_ADMIN])
        rows = {r.username: r for r in list_users(s)}
    assert rows["user0"].status(clock.now()) == "启用" and rows["user0"].desk == ""


def test_a_one_time_password_meets_the_stored_policy(db: Database) -> None:
    actors = make_users(db)
    strict = PolicyValues("自定义", min_length=20, required_classes=4, max_age_days=30)
    with db.write.begin() as s:
        set_policy(s, actors[Role.SECURITY_ADMIN], strict)
        assert current_policy(s) == strict
        password = one_time_password(s)
    assert len(password) == 20 and password_problems(strict, "anyone", password) == []


@pytest.mark.parametrize(("field", "bad"), [("required_classes", 5), ("max_age_days", 400), ("lockout_minutes", 0),
                                            ("min_length", 7), ("lockout_threshold", 11)])
def test_the_policy_limits_are_checked_by_the_service(db: Database, field: str, bad: int) -> None:
    actors = make_users(db)
    values = PolicyValues(**{**vars(PROFILES["标准"]), field: bad})
    with pytest.raises(ValidationFailed, match="安全策略无效"), db.write.begin() as s:
        set_policy(s, actors[Role.SECURITY_ADMIN], values)
    with pytest.raises(PermissionDenied), db.write.begin() as s:
        set_policy(s, actors[Role.SYSTEM_ADMIN], PROFILES["等保"])


def test_user_handover_on_the_command_line(demo_url: str, cli_as: Callable[..., tuple[int, str, str]],
                                           cli: Callable[..., tuple[int, str, str]],
                                           open_db: Callable[[str], Database]) -> None:
    code, out, err = cli("--db", demo_url, "user", "handover", "tj00", "tj01")
    assert code == 2 and out == "" and "须以本人账户执行" in err  # never as an anonymous operator
    db = open_db(demo_url)
    with db.read() as s:
        old = s.scalars(select(User).where(User.username == "tj00")).one()
        count = len(open_cases_of(s, old.id))
    assert count > 0
    code, _out, err = cli_as(Role.SECURITY_ADMIN, "--db", demo_url, "user", "handover", "tj00", "tj01")
    assert code != 0 and err.strip().count("\n") == 0 and "无权管理组织机构" in err
    code, out, err = cli_as(Role.SYSTEM_ADMIN, "--db", demo_url, "user", "handover", "tj00", "tj01")
    assert code == 0 and f"{count} 件在办案件移交给 tj01" in out, err
    with db.read() as s:
        assert open_cases_of(s, old.id) == []
    code, out, _err = cli_as(Role.SECURITY_ADMIN, "--db", demo_url, "user", "list")
    assert code == 0 and "最近登录" in out and "tj00" in out and "未设密码" in out


def test_placement_is_checked_by_the_service(db: Database) -> None:
    actors = make_users(db)
    security, mediator = actors[Role.SECURITY_ADMIN], actors[Role.MEDIATOR].user_id
    with pytest.raises(NotFound, match="窗口不存在"), db.write.begin() as s:
        set_placement(s, security, mediator, 99999, None)
    with pytest.raises(PermissionDenied, match="管理员账户"), db.write.begin() as s:
        set_placement(s, security, actors[Role.AUDIT_ADMIN].user_id, None, None)  # 三权分立
    with db.write.begin() as s:
        committee_id = committee(s)
        set_placement(s, security, mediator, None, committee_id)
        assert s.get(User, mediator).committee_id == committee_id
