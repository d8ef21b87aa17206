"""Roles that match the work (issue 10, item 4): the permission matrix — every role × every case
action × the user's relation to the case (own, own desk, other) gives the same answer in the
services, the command line and the GUI's enabled buttons — plus 我的案件 and the 红 rule."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from unittest.mock import patch

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.case_detail import CaseDetailView
from desktop.cli import main
from desktop.context import build_context
from models import clock
from models.cases.entities import Case
from models.cases.mediators import name_leader
from models.cases.mine import my_cases
from models.cases.queries import CaseFilter, list_cases
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.demo.casefile import complete_dossier
from models.dto import Actor
from models.errors import DomainError, TransitionRefused
from models.liaison.service import ReferralInput, register_referral
from models.org.entities import Desk, Role
from models.security.accounts import Credential, add_user
from models.security.permissions import PermissionDenied
from models.workflow.supervision import issue_supervision
from tests.support.cli_signin import cli_on_sqlite_only
from tests.support.desktop import RecordingDialogs
from tests.support.factories import ACTOR, committee, draft, mediator, refer

pytestmark = pytest.mark.usefixtures("fast_hasher")
PASSWORD = "Matrix#Pass-2026"
ROLES = (Role.MEDIATOR, Role.CLERK, Role.LEADER, Role.LIAISON, Role.GRID_WORKER)
RELATIONS = ("own", "own_desk", "other")


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Session, int], None]  # bring a fresh case to the stage the action needs
    service: Callable[[Session, int, Actor], object]
    cli: Callable[[str], list[str]]  # the case number → the command's arguments
    button: tuple[str, str]  # (where: detail|workflow, objectName)


def _at_mediate(s: Session, case_id: int) -> None:
    refer(s, case_id)


def _ready_to_archive(s: Session, case_id: int) -> None:
    refer(s, case_id)
    record(s, case_id, "mediation_outcome", "口头协议", ACTOR)
    advance_stage(s, case_id, "close_mediation", ACTOR)
    record(s, case_id, "followup_satisfaction", "满意", ACTOR)
    complete_dossier(s, case_id, ACTOR)  # 归档 needs a complete 卷宗 (issue 15)


def _referral() -> ReferralInput:
    return ReferralInput(court="玉门市人民法院", kind="委派", referred_on=clock.today() - timedelta(days=2))


REPLY_DUE = (clock.today() + timedelta(days=5)).isoformat()
ACTIONS = (
    Action("受理并转入调解", lambda s, c: None,
           lambda s, c, a: advance_stage(s, c, "refer_mediation", a, mediator_id=mediator(s, "m0")),
           lambda n: ["case", "advance", n, "refer_mediation", "--mediator", "m0"], ("detail", "action_refer_mediation")),
    Action("记录调解结果", _at_mediate, lambda s, c, a: record(s, c, "mediation_outcome", "调解不成", a),
           lambda n: ["prevention", "add", n, "防止自杀", "--persons", "1"], ("detail", "record_mediation_outcome")),
    Action("归档", _ready_to_archive, lambda s, c, a: advance_stage(s, c, "archive", a),
           lambda n: ["case", "advance", n, "archive"], ("detail", "action_archive")),
    Action("下达督办", _at_mediate,
           lambda s, c, a: issue_supervision(s, c, "黄", "三日内报告进展", clock.today() + timedelta(days=5), a),
           lambda n: ["supervise", "issue", n, "--level", "黄", "--requirement", "三日内报告进展", "--reply-due", REPLY_DUE],
           ("workflow", "supervise")),
    Action("登记诉调对接", _at_mediate, lambda s, c, a: register_referral(s, c, _referral(), a),
           lambda n: ["liaison", "register", n, "--court", "玉门市人民法院", "--kind", "委派", "--referred-on",
                      (clock.today() - timedelta(days=2)).isoformat()],
           ("workflow", "referralStep")),
)

# The rule, written out: which role may do what, and whether that role is bound to its own cases.
MAY: dict[str, set[Role]] = {
    "受理并转入调解": {Role.MEDIATOR, Role.LEADER, Role.LIAISON},
    "记录调解结果": {Role.MEDIATOR, Role.CLERK, Role.LEADER, Role.LIAISON},
    "归档": {Role.CLERK},
    "下达督办": {Role.LEADER},
    "登记诉调对接": {Role.LIAISON},
}
BOUND = {Role.MEDIATOR, Role.GRID_WORKER}  # change only their own cases or their desk's


def expected(role: Role, action: str, relation: str) -> bool:
    return role in MAY[action] and (role not in BOUND or relation != "other")


@dataclass
class World:
    desk_a: int
    desk_b: int
    committee_id: int
    users: dict[tuple[Role, str], tuple[int, str]]  # (role, relation) → (user id, username)


@pytest.fixture
def world(db: Database) -> World:
    with db.write.begin() as s:
        committee_id = committee(s)
        desk_a = s.scalars(select(Desk.id)).one()
        other_desk = Desk(name="另一窗口")
        s.add(other_desk)
        s.flush()
        desk_b = other_desk.id
        mediator(s, "m0", desk_id=desk_a)
        users = {}
        for role in ROLES:
            for relation in RELATIONS:
                username = f"{list(Role).index(role)}-{relation}"
                desk = desk_a if relation == "own_desk" else desk_b  # "own" is by assignment, not by desk
                user_id = add_user(s, Actor(), username, username, role, PASSWORD, desk_id=desk)
                s.get_one(Credential, user_id).must_change = False
                users[(role, relation)] = (user_id, username)
    return World(desk_a, desk_b, committee_id, users)


def _fresh_case(db: Database, w: World, action: Action, role: Role, relation: str) -> tuple[int, str]:
    """A case at desk A, at the stage the action needs, the user's own when relation is "own"."""
    user_id = w.users[(role, relation)][0]
    with db.write.begin() as s:
        ref = register_case(s, draft(w.committee_id, received=clock.today() - timedelta(days=3), desk_id=w.desk_a), ACTOR)
        action.prepare(s, ref.id)
        case = s.get_one(Case, ref.id)
        if relation == "own":  # assigned to a mediator; registered by (首问) anyone else
            if role == Role.MEDIATOR:
                case.mediator_id = user_id
            else:
                case.registered_by_id = user_id
        return ref.id, ref.number


def _service_allows(db: Database, action: Action, case_id: int, actor: Actor) -> bool:
    session = db.write()
    try:
        action.service(session, case_id, actor)
        return True
    except PermissionDenied:
        return False
    except DomainError:  # refused for another reason (a stage guard): the permission itself was granted
        return True
    finally:
        session.rollback()
        session.close()


def _cli_allows(db: Database, action: Action, number: str, username: str, capsys: pytest.CaptureFixture[str]) -> bool:
    url = db.engine.url.render_as_string(hide_password=False)
    with patch("sys.stdin", io.StringIO(f"{PASSWORD}\n")):
        code = main([*action.cli(number), "--db", url, "--user", username, "--password-stdin"])
    _out, err = capsys.readouterr()
    assert code == 0 or "无权" in err or "不能" in err, err  # any other failure is a broken test, not an answer
    return code == 0


def _gui_allows(qtbot, db: Database, action: Action, case_id: int, user_id: int) -> bool:
    view = CaseDetailView(build_context(db, RecordingDialogs(), user_id))
    qtbot.addWidget(view)
    view.show_case(case_id)
    where, name = action.button
    button = (view if where == "detail" else view.workflow).findChild(QPushButton, name)
    assert button is not None, name
    return button.isEnabled()


@pytest.mark.slow  # 15 sign-ins on the command line per action
@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_permission_matrix_is_the_same_in_services_cli_and_gui(qtbot, capsys, db: Database, world: World,
                                                               action: Action) -> None:
    cli_on_sqlite_only(db)
    answers = {}
    for role in ROLES:
        for relation in RELATIONS:
            user_id, username = world.users[(role, relation)]
            case_id, number = _fresh_case(db, world, action, role, relation)
            gui = _gui_allows(qtbot, db, action, case_id, user_id)
            service = _service_allows(db, action, case_id, Actor(user_id, None))
            cli = _cli_allows(db, action, number, username, capsys)  # last: an allowed command commits
            answers[(role.value, relation)] = (service, cli, gui)
    wrong = {k: v for k, v in answers.items() if v != (expected(Role(k[0]), action.name, k[1]),) * 3}
    assert not wrong, f"(service, cli, gui) differ from the rule: {wrong}"


def test_a_mediator_reads_another_desks_case_but_is_told_why_not_to_change_it(db: Database, world: World) -> None:
    user_id = world.users[(Role.MEDIATOR, "other")][0]
    case_id, _number = _fresh_case(db, world, ACTIONS[1], Role.MEDIATOR, "other")
    with db.read() as s:
        assert list_cases(s, CaseFilter()).rows  # reads every case of the centre
    with pytest.raises(PermissionDenied, match="不是您承办的案件") as refused, db.write.begin() as s:
        record(s, case_id, "mediation_outcome", "调解不成", Actor(user_id))
    assert "可以查看" in refused.value.message


def test_my_cases_lists_assigned_registered_and_waiting_cases(db: Database, world: World) -> None:
    user_id = world.users[(Role.MEDIATOR, "own")][0]
    other = world.users[(Role.MEDIATOR, "other")][0]
    with db.write.begin() as s:
        assigned = register_case(s, draft(world.committee_id, mediator_id=user_id), ACTOR).id
        registered = register_case(s, draft(world.committee_id), Actor(user_id, world.desk_b)).id
        refer(s, registered, mediator_id=other)
        record(s, registered, "mediation_outcome", "调解不成", ACTOR)
        elsewhere = register_case(s, draft(world.committee_id, mediator_id=other), ACTOR).id
    with db.read() as s:
        mine = {c.id: c.why for c in my_cases(s, user_id)}
        listed = {r.id for r in list_cases(s, CaseFilter(mine_user_id=user_id)).rows}
    assert mine == {assigned: ("承办", "待我办理"), registered: ("登记",)}
    assert listed == {assigned, registered} and elsewhere not in listed
    assert next(iter(mine)) == assigned  # waiting cases first


def test_case_mine_on_the_command_line(capsys, db: Database, world: World) -> None:
    cli_on_sqlite_only(db)
    user_id, username = world.users[(Role.MEDIATOR, "own")]
    with db.write.begin() as s:
        number = register_case(s, draft(world.committee_id, mediator_id=user_id), ACTOR).number
    url = db.engine.url.render_as_string(hide_password=False)
    with patch("sys.stdin", io.StringIO(f"{PASSWORD}\n")):
        assert main(["case", "mine", "--db", url, "--user", username, "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert number in out and "承办、待我办理" in out and "其中待我办理 1 件" in out


def test_a_red_case_moves_on_only_with_a_leader_named(db: Database, world: World) -> None:
    leader_id = world.users[(Role.LEADER, "other")][0]
    with db.write.begin() as s:
        case_id = register_case(s, draft(world.committee_id, risk_colour="红", received=date(2026, 11, 20)), ACTOR).id
    with pytest.raises(TransitionRefused, match="包案领导"), db.write.begin() as s:
        refer(s, case_id)
    with pytest.raises(DomainError, match="包案领导"), db.write.begin() as s:  # only a 包案领导 account
        name_leader(s, case_id, world.users[(Role.MEDIATOR, "other")][0], ACTOR)
    with db.write.begin() as s:
        assert name_leader(s, case_id, leader_id, Actor(leader_id)) == f"{list(Role).index(Role.LEADER)}-other"
        refer(s, case_id)
    with db.read() as s:
        case = s.get_one(Case, case_id)
        assert case.leader_id == leader_id and case.stage == "调"
        assert case_id in {c.id for c in my_cases(s, leader_id)}


def test_the_main_list_has_a_my_cases_filter_for_the_signed_in_user(qtbot, db: Database, world: World) -> None:
    from desktop.filter_bar import FilterBar

    user_id = world.users[(Role.MEDIATOR, "own")][0]
    bar = FilterBar(db, user_id=user_id)
    qtbot.addWidget(bar)
    assert bar.current_filter().mine_user_id is None
    with qtbot.waitSignal(bar.filter_changed) as changed:
        bar.mine.setChecked(True)
    assert changed.args[0].mine_user_id == user_id
    local = FilterBar(db)  # the local operator has no cases of their own: no such filter
    qtbot.addWidget(local)
    assert local.mine.isHidden()
