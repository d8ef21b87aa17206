"""Stage moves (issue 10, item 3): 诊→调 names the mediator and co-mediators (service, CLI and
GUI), irreversible moves ask first, work clocks stop when the case closes while the parties' own
windows run on, no closed case is listed as overdue work, and the agreement's effective date is
stored once, on the agreement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from desktop.case_detail import CaseDetailView
from desktop.context import build_context
from models import clock
from models.cases.agreements import Agreement, AgreementInput, effective_day, record_agreement
from models.cases.entities import Case, CoMediator, StageEvent
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.errors import TransitionRefused, ValidationFailed
from models.liaison.service import ReferralInput, register_referral
from models.org.entities import User
from models.workflow.deadline_service import case_deadlines
from models.workflow.supervision import DeadlineFilter, list_deadlines
from tests.support.cli_signin import cli_on_sqlite_only, main_as
from tests.support.desktop import RecordingDialogs
from tests.support.factories import ACTOR, committee, draft, mediator, refer


def _diagnosed(db: Database) -> int:
    with db.write.begin() as s:
        return register_case(s, draft(committee(s), received=date(2026, 11, 2)), ACTOR).id


def test_refer_is_refused_without_a_mediator_and_records_the_chosen_ones(db: Database) -> None:
    case_id = _diagnosed(db)
    with pytest.raises(TransitionRefused, match="尚未选定调解员"), db.write.begin() as s:
        advance_stage(s, case_id, "refer_mediation", ACTOR)
    with db.write.begin() as s:
        main, co = mediator(s, "wf", name="王芳"), mediator(s, "lm", name="李明")
        clerk = User(username="sj", display_name="书记员甲", role="书记员")
        s.add(clerk)
        s.flush()
        clerk_id = clerk.id
    with pytest.raises(ValidationFailed, match="调解员"), db.write.begin() as s:
        advance_stage(s, case_id, "refer_mediation", ACTOR, mediator_id=clerk_id)  # not a mediator
    with pytest.raises(ValidationFailed, match="不能同时"), db.write.begin() as s:
        advance_stage(s, case_id, "refer_mediation", ACTOR, mediator_id=main, co_mediator_ids=(main,))
    with db.write.begin() as s:
        assert advance_stage(s, case_id, "refer_mediation", ACTOR, mediator_id=main, co_mediator_ids=(co,)).stage == "调"
    with db.read() as s:
        case = s.get_one(Case, case_id)
        assert case.mediator_id == main
        assert list(s.scalars(select(CoMediator.user_id).where(CoMediator.case_id == case_id))) == [co]
        reason = s.scalars(select(StageEvent.reason).where(StageEvent.action == "refer_mediation")).one()
        assert reason == "调解员：王芳；协助调解员：李明"


def test_cli_refer_names_the_mediator_by_login(db: Database, capsys) -> None:
    cli_on_sqlite_only(db)
    from models.org.entities import Role

    case_id = _diagnosed(db)
    with db.write.begin() as s:
        mediator(s, "wf", name="王芳")
        mediator(s, "lm", name="李明")
        number = s.get_one(Case, case_id).number
    url = db.engine.url.render_as_string(hide_password=False)
    assert main_as(Role.LEADER, ["case", "advance", number, "refer_mediation", "--db", url]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "尚未选定调解员" in err
    assert main_as(Role.LEADER, ["case", "advance", number, "refer_mediation", "--mediator", "nobody", "--db", url]) != 0
    assert "找不到在岗的调解员账户：nobody" in capsys.readouterr().err
    code = main_as(Role.LEADER, ["case", "advance", number, "refer_mediation", "--mediator", "wf", "--co-mediator", "lm",
                                 "--db", url])
    out = capsys.readouterr().out
    assert code == 0 and "现处于“调”阶段" in out
    main_as(Role.LEADER, ["case", "show", number, "--db", url])
    assert "调解员：王芳　协助调解员：李明" in capsys.readouterr().out


def _view(qtbot, db: Database, dialogs: RecordingDialogs, case_id: int) -> CaseDetailView:
    view = CaseDetailView(build_context(db, dialogs))
    qtbot.addWidget(view)
    view.show_case(case_id)
    return view


def test_gui_refer_asks_for_the_mediator_and_co_mediators(qtbot, db: Database) -> None:
    case_id = _diagnosed(db)
    with db.write.begin() as s:
        mediator(s, "wf", name="王芳")
        mediator(s, "lm", name="李明")
        mediator(s, "zq", name="赵强")
    dialogs = RecordingDialogs()
    view = _view(qtbot, db, dialogs, case_id)
    dialogs.answers = [None]  # cancelled at the mediator: nothing moves
    view.findChild(QPushButton, "action_refer_mediation").click()
    assert view.detail is not None and view.detail.stage == "诊"
    dialogs.answers = ["王芳", "李明、赵强"]
    view.findChild(QPushButton, "action_refer_mediation").click()
    assert view.detail.stage == "调" and view.detail.mediator == "王芳"  # the view followed the change
    assert view.values["co_mediators"].text() == "李明、赵强"


def test_gui_irreversible_moves_ask_for_confirmation(qtbot, db: Database) -> None:
    case_id = _diagnosed(db)
    dialogs = RecordingDialogs()
    view = _view(qtbot, db, dialogs, case_id)
    dialogs.answers = ["当事人表示自行协商", None]  # the reason, then 取消 at the confirmation
    view.findChild(QPushButton, "action_close_consultation").click()
    assert view.detail is not None and view.detail.stage == "诊"
    assert "办理后不能撤回" in dialogs.texts
    dialogs.answers = ["当事人表示自行协商", "确定"]
    view.findChild(QPushButton, "action_close_consultation").click()
    assert view.detail.stage == "办结"


def _referred_and_closed(db: Database, received: date) -> int:
    """A court-delegated case whose agreement was recorded and which was closed without the
    register's 结案 step: its referral clock was left open (the 超期417天 of the issue)."""
    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s), source="法院委派", received=received), ACTOR).id
        register_referral(s, case_id, ReferralInput(court="玉门市人民法院", kind="委派", referred_on=received,
                                                    received_on=received), ACTOR)
        s.get_one(Case, case_id).mediator_id = mediator(s)
        signed = received + timedelta(days=10)
        record_agreement(s, case_id, AgreementInput(items=("赔偿一千元",), signed_on=signed,
                                                    effective_on=signed + timedelta(days=2)), ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
    return case_id


def test_closing_stops_the_work_clocks_and_no_closed_case_is_overdue_work(db: Database) -> None:
    case_id = _referred_and_closed(db, date(2025, 9, 1))
    with db.read() as s:
        listed = {d.case_id for d in list_deadlines(s, clock.today(), DeadlineFilter(overdue_only=True))}
        everything = {d.case_id for d in list_deadlines(s, clock.today())}
        clocks = {d.rule_code: d for d in case_deadlines(s, case_id)}
    assert case_id not in listed and case_id not in everything
    court = clocks["court_delegated"]
    assert court.completed_on == clock.today() and not court.party_window  # stopped the day the case closed
    window = clocks["sfqr_apply"]
    assert window.party_window and window.completed_on is None  # the parties' 30 days: their own, lapsed


def test_the_parties_window_keeps_running_after_closing_and_reads_the_agreement(db: Database) -> None:
    received = clock.today() - timedelta(days=15)
    case_id = _referred_and_closed(db, received)
    effective = received + timedelta(days=12)
    with db.read() as s:
        assert effective_day(s, case_id) == effective
        assert s.scalars(select(Agreement.effective_on).where(Agreement.case_id == case_id)).one() == effective
        window = {d.rule_code: d for d in case_deadlines(s, case_id)}["sfqr_apply"]
        stage = s.get_one(Case, case_id).stage
    assert stage == "办结"
    assert window.trigger_date == effective and window.completed_on is None and not window.lapsed
    assert window.party_window and window.days_left > 0


def test_a_centre_agreement_opens_the_parties_window_from_its_effective_date(db: Database) -> None:
    case_id = _diagnosed(db)
    with db.write.begin() as s:
        refer(s, case_id)
        record_agreement(s, case_id, AgreementInput(items=("道歉",), signed_on=date(2026, 11, 10),
                                                    effective_on=date(2026, 11, 12)), ACTOR)
    with db.read() as s:
        window = {d.rule_code: d for d in case_deadlines(s, case_id)}["sfqr_apply"]
    assert window.trigger_date == date(2026, 11, 12) and window.party_window
    with pytest.raises(ValidationFailed, match="生效日期"), db.write.begin() as s:
        record_agreement(s, case_id, AgreementInput(items=("道歉",), signed_on=date(2026, 11, 10),
                                                    effective_on=date(2026, 11, 9)), ACTOR)


def test_only_a_clerk_archives(db: Database) -> None:
    from models.demo.casefile import complete_dossier
    from models.org.entities import Role
    from models.security.permissions import PermissionDenied
    from tests.support.security import make_users

    actors = make_users(db)
    case_id = _diagnosed(db)
    with db.write.begin() as s:
        refer(s, case_id, mediator_id=actors[Role.MEDIATOR].user_id)
        record(s, case_id, "mediation_outcome", "口头协议", ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
        record(s, case_id, "followup_satisfaction", "满意", ACTOR)
        complete_dossier(s, case_id, ACTOR)  # 归档 needs a complete 卷宗 (tests/test_casefile_archive.py)
    with pytest.raises(PermissionDenied, match="无权归档案件"), db.write.begin() as s:
        advance_stage(s, case_id, "archive", actors[Role.MEDIATOR])  # even on the mediator's own case
    with db.write.begin() as s:
        assert advance_stage(s, case_id, "archive", actors[Role.CLERK]).stage == "归档"
