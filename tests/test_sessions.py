"""Mediation sessions as records: scheduling ahead and recording held sessions through the service
(its checks and Chinese messages), the day list, the CLI, and the 调解记录 printed from the records —
one page group per session, dated by the session, certifying a read-back only where statements were
taken down."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from models import clock
from models.cases.entities import Case
from models.cases.service import advance_stage, record, register_case
from models.cases.sessions import (
    HELD,
    SCHEDULED,
    SessionInput,
    SessionPartyInput,
    add_session,
    case_sessions,
    sessions_on,
    update_session,
)
from models.db import Database
from models.documents.service import document_context
from models.dto import Actor, AgentInput, PartyInput
from models.errors import EditConflict, ValidationFailed
from models.org.entities import Role
from models.security.permissions import PermissionDenied
from templates.render import render
from tests.support.documents import pdf_text
from tests.support.factories import ACTOR, committee, draft, refer
from tests.support.security import make_users

RECEIVED = date(2025, 3, 5)


def _case(db: Database) -> tuple[int, dict[Role, Actor], list[int]]:
    """A case at 调 with two parties (the respondent with an agent) and one account per role."""
    actors = make_users(db)
    with db.write.begin() as s:
        base = draft(committee(s))
        parties = (base.parties[0], PartyInput(side="被申请方", name="李四",
                                               agents=(AgentInput(kind="委托代理人", name="王志强", authority="一般代理"),)))
        ref = register_case(s, replace(base, parties=parties), ACTOR)
        refer(s, ref.id)
        party_ids = [p.id for p in s.get(Case, ref.id).parties]
    return ref.id, actors, party_ids


def _held(mediator: int, ids: list[int], day: date, **extra: object) -> SessionInput:
    fields: dict[str, object] = {
        "held_on": day, "start_time": time(9, 30), "place": "第二调解室", "mediator_ids": (mediator,),
        "parties": (SessionPartyInput(ids[0], True, "要求对方疏通排水沟"),
                    SessionPartyInput(ids[1], True, "同意疏通，但费用应分担")),
        "proposal": "双方各承担一半费用", "result": "双方同意，达成协议", "next_step": "起草调解协议书",
    }
    fields.update(extra)
    return SessionInput(**fields)  # type: ignore[arg-type]  # the fields a test overrides


def test_schedule_ahead_then_record_the_result(db: Database) -> None:
    case_id, actors, parties = _case(db)
    mediator = actors[Role.MEDIATOR]
    ahead = clock.today() + timedelta(days=3)
    with db.write.begin() as s:
        view = add_session(s, case_id, SessionInput(ahead, time(14, 0), "第一调解室", (mediator.user_id,)), mediator)
    assert view.status == SCHEDULED and view.held_on == ahead
    with db.write.begin() as s, pytest.raises(ValidationFailed, match="调解尚未举行"):
        update_session(s, view.id, _held(mediator.user_id, parties, ahead), mediator, view.version)
    with db.write.begin() as s:
        done = update_session(s, view.id, _held(mediator.user_id, parties, clock.today()), mediator, view.version)
    assert done.status == HELD and done.mediators == ("用户" + str(list(Role).index(Role.MEDIATOR)),)
    assert [p.statement for p in done.parties] == ["要求对方疏通排水沟", "同意疏通，但费用应分担"]
    with db.write.begin() as s, pytest.raises(EditConflict):
        update_session(s, view.id, _held(mediator.user_id, parties, clock.today()), mediator, view.version)
    with db.read() as s:
        events = [e.reason for e in s.get(Case, case_id).events if e.action == "mediation_session"]
    assert len(events) == 2 and events[0].startswith("安排调解") and events[1].startswith("记录调解")


def test_the_day_list_has_todays_sessions_of_the_desk(db: Database) -> None:
    case_id, actors, parties = _case(db)
    mediator = actors[Role.MEDIATOR]
    with db.write.begin() as s:
        add_session(s, case_id, SessionInput(clock.today(), time(15, 0), "调解室", (mediator.user_id,),
                                             parties=(SessionPartyInput(parties[0]),)), mediator)
        add_session(s, case_id, SessionInput(clock.today(), time(9, 0), "调解室", (mediator.user_id,)), mediator)
        add_session(s, case_id, SessionInput(clock.today() + timedelta(days=1), time(9, 0), "调解室",
                                             (mediator.user_id,)), mediator)
        desk = s.get(Case, case_id).desk_id
    with db.read() as s:
        rows = sessions_on(s, clock.today())
        assert sessions_on(s, clock.today(), desk_id=desk) == rows
        assert sessions_on(s, clock.today(), desk_id=(desk or 0) + 999) == []
    assert [r.start_time for r in rows] == [time(9, 0), time(15, 0)]
    assert rows[1].parties == "张三" and rows[0].parties == "张三、李四"  # nobody named yet: the case's parties
    assert {r.status for r in rows} == {SCHEDULED}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"held_on": RECEIVED - timedelta(days=1)}, "held_on", "调解日期不能早于受理日期（2025-03-05）"),
    ({"held_on": date(2028, 1, 1), "result": ""}, "held_on", "调解日期不能晚于一年以后"),
    ({"place": "  "}, "place", "请填写调解地点"),
    ({"place": "室" * 101}, "place", "调解地点不能超过100个字"),
    ({"mediator_ids": ()}, "mediators", "请至少选择一名调解员"),
    ({"mediator_ids": (99999,)}, "mediators", "所选调解员账户不存在或已停用"),
    ({"result": "成" * 1001}, "result", "调解结果不能超过1000个字"),
    ({"parties": (SessionPartyInput(99999),)}, "parties", "所选当事人不属于本案件"),
    ({"parties": ()}, "parties", "已记录结果的调解须至少有一名当事人或代理人到场"),
    ({"agent_ids": (99999,)}, "agents", "所选代理人不属于本案件的当事人"),
])
def test_the_service_refuses_bad_sessions_in_chinese(db: Database, change: dict, field: str, message: str) -> None:
    case_id, actors, parties = _case(db)
    mediator = actors[Role.MEDIATOR]
    with db.write.begin() as s, pytest.raises(ValidationFailed) as refused:
        add_session(s, case_id, _held(mediator.user_id, parties, clock.today(), **change), mediator)
    assert message in refused.value.fields[field] and message in refused.value.message
    with db.read() as s:
        assert case_sessions(s, case_id) == ()


def test_closed_cases_and_roles_without_record_rights_are_refused(db: Database) -> None:
    case_id, actors, parties = _case(db)
    mediator = actors[Role.MEDIATOR]
    with db.write.begin() as s, pytest.raises(PermissionDenied):
        add_session(s, case_id, _held(mediator.user_id, parties, clock.today()), actors[Role.GRID_WORKER])
    with db.write.begin() as s:
        record(s, case_id, "mediation_outcome", "撤回", ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
    with db.write.begin() as s, pytest.raises(ValidationFailed, match="案件已办结，不能再安排或记录调解"):
        add_session(s, case_id, _held(mediator.user_id, parties, clock.today()), mediator)


def test_the_record_prints_one_page_group_per_session_dated_by_it(db: Database) -> None:
    case_id, actors, parties = _case(db)
    mediator = actors[Role.MEDIATOR]
    with db.read() as s:
        agent_id = s.get(Case, case_id).parties[1].agents[0].id
    with db.write.begin() as s:
        add_session(s, case_id, _held(mediator.user_id, parties, date(2025, 3, 10), agent_ids=(agent_id,),
                                      others="村委会委员陈玉兰"), mediator)
        add_session(s, case_id, _held(mediator.user_id, parties, date(2025, 3, 17), start_time=time(14, 5),
                                      parties=(SessionPartyInput(parties[0]), SessionPartyInput(parties[1])),
                                      result="双方签订协议"), mediator)
        add_session(s, case_id, SessionInput(clock.today() + timedelta(days=2), time(9, 0), "调解室",
                                             (mediator.user_id,)), mediator)  # scheduled: not printed
    with db.read() as s:
        context = document_context(s, "mediation-record", case_id)
    text = pdf_text(render("mediation-record", context, "pdf"))
    assert "2025年3月10日9时30分" in text and "2025年3月17日14时05分" in text
    assert text.count("人民调解记录") >= 2 and "要求对方疏通排水沟" in text and "双方各承担一半费用" in text
    assert "王志强（李四的委托代理人）" in text and "村委会委员陈玉兰" in text
    assert [s.statements_read for s in context.sessions] == [True, False]  # type: ignore[attr-defined]
    assert text.count("宣读") == 1  # only the session whose statements were taken down certifies it


def test_no_held_session_prints_a_blank_form_without_the_certificate(db: Database) -> None:
    case_id, _actors, _parties = _case(db)
    with db.read() as s:
        text = pdf_text(render("mediation-record", document_context(s, "mediation-record", case_id), "pdf"))
    assert "张三" in text and "李四" in text and "宣读" not in text


# --- the command line -------------------------------------------------------------------------------

def _case_at_mediate(url: str) -> tuple[str, list[str]]:
    from models.db import open_database

    database = open_database(url)
    try:
        with database.read() as s:
            case = s.scalars(select(Case).where(Case.stage == "调").order_by(Case.id)).first()
            return case.number, [p.name for p in case.parties]
    finally:
        database.engine.dispose()


def test_cli_schedules_records_and_lists_sessions(cli_as, demo_url: str) -> None:
    number, names = _case_at_mediate(demo_url)
    today = clock.today()
    code, out, err = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "add", number, "--at", f"{today} 16:45",
                            "--place", "第三调解室")
    assert code == 0 and "已安排调解" in out, err
    session_id = out.split("调解 ")[1].split("：")[0]
    code, out, _ = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "today")
    assert code == 0 and number in out and "16:45" in out and "第三调解室" in out
    code, out, err = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "edit", session_id,
                            "--parties", names[0], "--statement", f"{names[0]}：请求赔偿", "--result", "未达成一致",
                            "--next", "一周后再调")
    assert code == 0 and "已调解" in out, err
    code, out, _ = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "list", number)
    assert code == 0 and "请求赔偿" in out and "未达成一致" in out and "一周后再调" in out


def test_cli_refusals_are_one_chinese_line(cli_as, demo_url: str) -> None:
    number, _names = _case_at_mediate(demo_url)
    code, _, err = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "add", number, "--at", "1999-01-01 09:00",
                          "--place", "调解室")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "调解日期不能早于受理日期" in err
    code, _, err = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "add", number, "--at", "明天",
                          "--place", "调解室")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "时间格式" in err
    code, _, err = cli_as(Role.MEDIATOR, "--db", demo_url, "session", "add", number, "--at", "2026-11-23 09:00",
                          "--place", "调解室", "--parties", "查无此人")
    assert code != 0 and "本案件没有这些当事人：查无此人" in err
    code, _, err = cli_as(Role.GRID_WORKER, "--db", demo_url, "session", "add", number, "--at", "2026-11-23 09:00",
                          "--place", "调解室")
    assert code != 0 and len(err.strip().splitlines()) == 1


# --- the desktop ------------------------------------------------------------------------------------

def test_adding_a_session_in_the_case_view(qtbot, window, demo_db: Database) -> None:
    from desktop.session_views import DaySchedulePanel
    from tests.support.desktop import commit_text

    with demo_db.read() as s:
        case = s.scalars(select(Case).where(Case.stage == "调").order_by(Case.id.desc())).first()
        case_id, before = case.id, len(case_sessions(s, case.id))
    window.select_case(case_id)
    view = window.detail.sessions_view
    assert view.model.rowCount() == before and view.add_button.isEnabled()
    dialog = view.open_session()
    dialog.submit()  # nothing typed: refused inline, nothing lost
    assert "请填写调解地点" in dialog.error.text() and dialog.isVisible()
    commit_text(dialog.place, "第一调解室")
    dialog.mediators.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.set_party(0, True, "要求赔偿损失")
    dialog.result_text.setPlainText("双方同意再行协商")
    dialog.submit()
    assert not dialog.isVisible(), dialog.error.text()
    with demo_db.read() as s:
        saved = case_sessions(s, case_id)
    assert len(saved) == before + 1
    added = next(v for v in saved if v.place == "第一调解室")
    assert added.held_on == clock.today() and added.result == "双方同意再行协商"
    assert added.parties[0].statement == "要求赔偿损失" and added.status == HELD
    assert view.model.rowCount() == before + 1  # the tab reloaded from the case_changed event
    day = window.findChild(DaySchedulePanel)
    day.refresh()
    assert any(r.case_id == case_id and r.place == "第一调解室" for r in day.rows)
