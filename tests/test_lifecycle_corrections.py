"""Corrections and 作废 (issue 10, item 1): a registered case, its parties and agents are corrected
through the version column with a reason, audited with old and new values and shown in the case's
history; a case registered in error is voided, stays findable with its mark and leaves the ledger
and the statistics. Services first, then the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, update

from models.analysis.scope import Period, StatQuery
from models.analysis.stats import compute
from models.cases.corrections import PartyEdit, correct_case, party_inputs
from models.cases.drafts import DraftStore
from models.cases.editing import save_keeping_draft
from models.cases.entities import Case
from models.cases.queries import CaseFilter, case_detail, list_cases
from models.cases.service import record, register_case
from models.cases.stages import Stage
from models.cases.voiding import void_case
from models.db import Database
from models.documents.service import LedgerFilter, ledger_conditions
from models.dto import AgentInput, PartyInput
from models.errors import EditConflict, TransitionRefused, ValidationFailed
from models.org.entities import Desk, Role, User
from models.security.audit import AuditEntry
from models.workflow.deadline_service import has_open_deadlines
from tests.conftest import Cli
from tests.support.cli_signin import ensure_cli_user
from tests.support.desktop import dialogs, window
from tests.support.factories import ACTOR, committee, draft, refer

__all__ = ["dialogs", "window"]  # fixtures used by name below

NEW_ID = "620981198506151236"  # a valid fictional 玉门 number (male, 1985-06-15)


def _case(db: Database) -> int:
    with db.write.begin() as s:
        return register_case(s, draft(committee(s)), ACTOR).id


def _version(db: Database, case_id: int) -> int:
    with db.read() as s:
        return s.get(Case, case_id).version


def _parties(db: Database, case_id: int) -> list[PartyEdit]:
    with db.read() as s:
        return party_inputs(s.get(Case, case_id))


def _correct(db: Database, case_id: int, **kwargs: object) -> int:
    with db.write.begin() as s:
        return correct_case(s, case_id, _version(db, case_id), actor=ACTOR, **kwargs)  # type: ignore[arg-type]  # a test's keywords


def _audit(db: Database, action: str) -> list[dict]:
    with db.read() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))
        return [json.loads(r.detail) for r in rows]


# ---- the case's own fields ------------------------------------------------------------------------


def test_fields_are_corrected_with_reason_history_and_audit(db: Database) -> None:
    case_id = _case(db)
    with db.write.begin() as s:
        desk = Desk(name="第二窗口")
        s.add(desk)
        s.flush()
        desk_id = desk.id
    before = _version(db, case_id)
    changes = {"summary": "排水沟堵塞引发的相邻关系纠纷", "amount": Decimal("3500"), "dispute_type_code": "0401",
               "risk_colour": "黄", "complexity": "复杂疑难", "desk_id": desk_id, "people_involved": 12,
               "facts": "双方房屋相邻", "claims": "疏通排水沟"}
    after = _correct(db, case_id, changes=changes, reason="登记时类型选错")
    assert after > before and after == _version(db, case_id)  # the version the next edit starts from
    with db.read() as s:
        case = s.get(Case, case_id)
        assert (case.summary, case.amount, case.dispute_type_code, case.risk_colour) == (
            "排水沟堵塞引发的相邻关系纠纷", Decimal("3500.00"), "0401", "黄")
        assert (case.complexity, case.desk_id, case.people_involved, case.mass_incident) == ("复杂疑难", desk_id, 12, True)
        history = case_detail(s, case_id=case_id).events
    line = next(e for e in history if e.action == "更正")
    assert "纠纷类型：02 → 0401" in line.reason and "涉及金额：（空） → 3,500.00" in line.reason
    assert line.reason.endswith("理由：登记时类型选错")
    [event] = _audit(db, "correct")
    assert event["reason"] == "登记时类型选错"
    assert {"field": "amount", "before": None, "after": "3500.00"}.items() <= next(
        c for c in event["changes"] if c["field"] == "amount").items()


def test_a_correction_needs_a_reason_and_a_change(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(ValidationFailed, match="请填写理由"):
        _correct(db, case_id, changes={"summary": "新的简要情况"}, reason="  ")
    with pytest.raises(ValidationFailed, match="没有需要保存的修改"):
        _correct(db, case_id, changes={"summary": "排水沟堵塞引发邻里纠纷"}, reason="核对")


@pytest.mark.parametrize("changes", [{"amount": Decimal("NaN")}, {"amount": Decimal("-1")}, {"people_involved": 0},
                                     {"summary": "纠" * 201}, {"dispute_type_code": "9999"}, {"mediator_id": 1}])
def test_bad_corrections_get_the_forms_message_and_change_nothing(db: Database, changes: dict) -> None:
    case_id = _case(db)
    version = _version(db, case_id)
    with pytest.raises(ValidationFailed, match="更正内容有误"):
        _correct(db, case_id, changes=changes, reason="更正")
    assert _version(db, case_id) == version


def test_a_stale_version_is_a_conflict_kept_as_a_draft(db: Database, tmp_path: Path) -> None:
    case_id = _case(db)
    stale = _version(db, case_id)
    _correct(db, case_id, changes={"claims": "另一窗口的修改"}, reason="补充请求")
    store = DraftStore(tmp_path / "drafts")
    payload = {"facts": "我的修改"}
    with pytest.raises(EditConflict, match="草稿"):
        save_keeping_draft(db.write, store, user_id=7, form="case_correct", payload=payload, record_id=case_id,
                           base_version=stale, save=lambda s: correct_case(
                               s, case_id, stale, changes=payload, reason="补充事实", actor=ACTOR))
    kept = store.load(7, "case_correct", case_id)
    assert kept is not None and kept.payload == payload and kept.reason == "保存冲突"


# ---- parties and agents ------------------------------------------------------------------------------


def test_a_partys_id_is_corrected_masked_in_history_full_in_the_database_and_searchable(db: Database) -> None:
    case_id = _case(db)
    parties = _parties(db, case_id)
    first = parties[0]
    parties[0] = PartyEdit(first.party_id, replace(first.data, name="张三", id_number=NEW_ID, sex=None, birth_date=None))
    _correct(db, case_id, parties=parties, reason="身份证号码登记错误")
    with db.read() as s:
        party = s.get(Case, case_id).parties[0]
        assert (party.id_number, party.sex, party.birth_date) == (NEW_ID, "男", date(1985, 6, 15))
        history = next(e for e in case_detail(s, case_id=case_id).events if e.action == "更正").reason
        assert list_cases(s, CaseFilter(search=NEW_ID)).rows[0].id == case_id
    assert NEW_ID not in history and "620981********1236" in history and "1985" not in history
    trail = json.dumps(_audit(db, "correct"), ensure_ascii=False)
    assert NEW_ID not in trail and "620981********1236" in trail


def test_parties_are_added_and_removed_but_never_the_last_of_a_side(db: Database) -> None:
    case_id = _case(db)
    parties = _parties(db, case_id)
    with pytest.raises(ValidationFailed, match="不能删除最后一名被申请方当事人"):
        _correct(db, case_id, parties=parties[:1], reason="误登记")
    added = PartyEdit(None, PartyInput(side="被申请方", kind="组织", name="玉门市安居物业服务有限公司",
                                       legal_rep="王五", phone="0937-3123456"))
    _correct(db, case_id, parties=[*parties, added], reason="遗漏物业公司")
    parties = _parties(db, case_id)
    assert [p.data.name for p in parties] == ["张三", "李四", "玉门市安居物业服务有限公司"]
    _correct(db, case_id, parties=[parties[0], parties[2]], reason="李四不是当事人")
    with db.read() as s:
        assert [p.name for p in s.get(Case, case_id).parties] == ["张三", "玉门市安居物业服务有限公司"]
        reasons = [e.reason for e in case_detail(s, case_id=case_id).events if e.action == "更正"]
    assert "增加当事人" in reasons[0] and "删除当事人：被申请方 李四 → —" in reasons[1]


def test_agents_are_added_changed_and_removed(db: Database) -> None:
    case_id = _case(db)

    def with_agents(*agents: AgentInput) -> list[PartyEdit]:
        parties = _parties(db, case_id)
        parties[1] = PartyEdit(parties[1].party_id, replace(parties[1].data, agents=agents))
        return parties

    lawyer = AgentInput(kind="委托代理人", name="王志强", unit="甘肃某律师事务所", authority="一般代理")
    _correct(db, case_id, parties=with_agents(lawyer), reason="补登代理人")
    _correct(db, case_id, parties=with_agents(replace(lawyer, authority="特别授权")), reason="授权变更")
    with pytest.raises(ValidationFailed, match="委托代理人须写明代理权限"):
        _correct(db, case_id, parties=with_agents(replace(lawyer, authority=None)), reason="更正")
    with db.read() as s:
        [agent] = s.get(Case, case_id).parties[1].agents
        assert agent.authority == "特别授权"
    _correct(db, case_id, parties=with_agents(), reason="解除委托")
    with db.read() as s:
        assert s.get(Case, case_id).parties[1].agents == []
        reasons = [e.reason for e in case_detail(s, case_id=case_id).events if e.action == "更正"]
    assert "增加代理人" in reasons[0] and "代理权限：一般代理 → 特别授权" in reasons[1] and "删除代理人" in reasons[2]


# ---- 作废 -----------------------------------------------------------------------------------------------


def test_a_voided_case_keeps_its_number_is_marked_and_leaves_ledger_and_statistics(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        keep, void = (register_case(s, draft(cid), ACTOR).id for _ in range(2))
    with db.write.begin() as s:
        for case_id in (keep, void):
            s.get(Case, case_id).received_date = date(2026, 11, 2)
        refer(s, void)  # the 化解时限 clock starts (a mediator chosen)
    with db.read() as s:
        assert has_open_deadlines(s, void)
    with pytest.raises(ValidationFailed, match="请填写理由"), db.write.begin() as s:
        void_case(s, void, " ", ACTOR)
    with db.write.begin() as s:
        number = void_case(s, void, "重复登记", ACTOR).number
    with db.read() as s:
        row = next(r for r in list_cases(s).rows if r.id == void)
        assert row.number == number and row.voided
        detail = case_detail(s, case_id=void)
        assert detail.void_reason == "重复登记" and detail.allowed_actions == ()
        assert any(e.action == "作废" and "重复登记" in e.reason for e in detail.events)
        ledger = set(s.scalars(select(Case.id).where(*ledger_conditions(s, LedgerFilter()))))
        assert keep in ledger and void not in ledger
        stats = compute(s, StatQuery(Period.month(2026, 11)))
        assert stats.figures["received"] == 1
        assert s.scalar(select(func.count()).select_from(Case)) == 2  # never deleted
        assert not has_open_deadlines(s, void)  # no work owed: never listed as overdue
    for attempt in (lambda s: void_case(s, void, "再次作废", ACTOR),
                    lambda s: record(s, void, "arbitration_track", "商事仲裁", ACTOR),
                    lambda s: correct_case(s, void, detail.version, changes={"claims": "x"}, reason="y", actor=ACTOR)):
        with pytest.raises(TransitionRefused, match="已作废"), db.write.begin() as s:
            attempt(s)
    assert _audit(db, "void")[0]["reason"] == "重复登记"


# ---- the command line ------------------------------------------------------------------------------------


def _number(url: str, stage: str) -> str:
    """The first case at `stage`, assigned to the CLI's mediator (a mediator changes only their own cases)."""
    username = ensure_cli_user(url, Role.MEDIATOR)
    engine = create_engine(url)
    with engine.begin() as conn:
        number = conn.execute(select(Case.number).where(Case.stage == stage).order_by(Case.id).limit(1)).scalar_one()
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar_one()
        conn.execute(update(Case).where(Case.number == number).values(mediator_id=user_id))
    engine.dispose()
    return str(number)


def test_cli_corrects_a_case_its_party_and_agent_and_shows_it(cli_as: Cli, demo_url: str) -> None:
    m = Role.MEDIATOR
    number = _number(demo_url, Stage.DIAGNOSE)
    code, out, err = cli_as(m, "--db", demo_url, "case", "edit", number, "--amount", "1.2万", "--risk", "黄",
                            "--reason", "核对后更正")
    assert code == 0, err
    code, out, err = cli_as(m, "--db", demo_url, "case", "party", "edit", number, "1", "--id-number", NEW_ID,
                            "--reason", "身份证号码登记错误")
    assert code == 0, err
    code, out, err = cli_as(m, "--db", demo_url, "case", "agent", "add", number, "1", "--kind", "委托代理人",
                            "--name", "王志强", "--authority", "特别授权", "--reason", "补登代理人")
    assert code == 0, err
    code, out, err = cli_as(m, "--db", demo_url, "case", "show", number, "--json")
    shown = json.loads(out)
    assert Decimal(shown["amount"]) == Decimal("12000.00") and shown["risk_colour"] == "黄"
    assert shown["parties"][0]["id_number"] == "620981********1236"
    assert [a["name"] for a in shown["parties"][0]["agents"]] == ["王志强"]
    reasons = [e["reason"] for e in shown["events"] if e["action"] == "更正"]
    assert len(reasons) == 3 and reasons[0].endswith("理由：核对后更正")
    engine = create_engine(demo_url)
    with engine.connect() as conn:
        stored = conn.execute(select(Case.amount).where(Case.number == number)).scalar_one()
    engine.dispose()
    assert stored == Decimal("12000.00")


def test_cli_refusals_are_one_line_with_the_forms_message(cli_as: Cli, demo_url: str) -> None:
    m = Role.MEDIATOR
    number = _number(demo_url, Stage.DIAGNOSE)
    code, _out, err = cli_as(m, "--db", demo_url, "case", "party", "edit", number, "1", "--id-number",
                             "110105194912310021", "--reason", "更正")
    assert code != 0 and "校验位不正确" in err and len(err.strip().splitlines()) == 1
    code, _out, err = cli_as(m, "--db", demo_url, "case", "record", number, "回访满意度", "满意")
    assert code != 0 and "当前处于“诊”阶段" in err
    code, _out, err = cli_as(m, "--db", demo_url, "case", "edit", number, "--amount", "-5", "--reason", "x")
    assert code != 0 and "金额不能为负数" in err


def test_cli_voids_a_case_which_stays_listed_with_its_mark(cli_as: Cli, demo_url: str) -> None:
    number = _number(demo_url, Stage.DIAGNOSE)
    code, out, err = cli_as(Role.MEDIATOR, "--db", demo_url, "case", "void", number, "--reason", "重复登记")
    assert code == 0 and "已作废" in out, err
    code, out, err = cli_as(Role.MEDIATOR, "--db", demo_url, "cases", "list", "--search", number)
    assert code == 0 and "（已作废）" in out
    code, out, err = cli_as(Role.MEDIATOR, "--db", demo_url, "case", "show", number)
    assert "已作废：重复登记" in out


# ---- the window ------------------------------------------------------------------------------------------


def test_gui_corrects_a_partys_id_after_saving_and_shows_it_in_the_view_and_the_db(qtbot, window, dialogs) -> None:
    from desktop.intake_dialog import IntakeDialog
    from tests.support.desktop import commit_text
    from tests.test_desktop_intake import VALID_ID, fill_case, fill_party

    intake: IntakeDialog = window.open_intake()
    fill_case(intake, qtbot)
    applicant, respondent = intake.parties
    fill_party(applicant, "欧阳娜娜", qtbot, VALID_ID, "13812345678")
    fill_party(respondent, "李四", qtbot)
    assert intake.save(), intake.form_message.text()
    case_id = intake.created.id
    assert window.detail.case_id == case_id

    dialog = window.detail.open_edit()
    first = dialog.parties[0]
    id_field = first.person.inputs["id_number"]
    assert id_field.text() == "" and "110105********002X" in id_field.placeholderText()  # never shown in full
    dialog.save()
    assert "请填写修改理由" in dialog.reason_message.text() and dialog.isVisible()  # nothing lost
    qtbot.keyClicks(id_field, NEW_ID)
    commit_text(dialog.reason, "身份证号码登记错误")
    assert dialog.save(), dialog.form_message.text()
    assert not dialog.isVisible()

    with window.ctx.db.read() as s:
        party = s.get(Case, case_id).parties[0]
        assert (party.id_number, party.sex, party.birth_date) == (NEW_ID, "男", date(1985, 6, 15))
        assert party.phone == "13812345678"  # the blank phone field kept the stored number
    rows = [window.detail.parties.index(0, c).data() for c in range(window.detail.parties.columnCount())]
    assert "620981********1236" in rows and "男" in rows
    history = [window.detail.events.index(r, 5).data() for r in range(window.detail.events.rowCount())]
    assert any("620981********1236" in h and h.endswith("理由：身份证号码登记错误") for h in history)
    assert not dialogs.shown


def test_gui_voids_a_case_after_confirmation(qtbot, window, dialogs) -> None:
    with window.ctx.db.read() as s:
        case_id = s.scalar(select(Case.id).where(Case.stage == Stage.DIAGNOSE).order_by(Case.id).limit(1))
    window.detail.show_case(case_id)
    dialogs.answers = ["重复登记", "取消"]
    assert not window.detail.case_actions.void(case_id, window.detail.detail.number)
    dialogs.answers = ["重复登记", "确认作废"]
    window.detail.void_button.click()
    with window.ctx.db.read() as s:
        assert s.get(Case, case_id).void_reason == "重复登记"
    window.detail.show_case(case_id)  # the list reloaded and kept its own selection
    assert "已作废：重复登记" in window.detail.title.text()
    assert not window.detail.edit_button.isEnabled() and not window.detail.void_button.isEnabled()
