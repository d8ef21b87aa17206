"""回访 as a record: the parties visited, performance (partly with the amount), satisfaction; 不满意
or 未履行 re-opens the case through the stage table; the 回访记录 names every party visited; the
待回访 list falls due 30 days after the performance deadline (or after closing); the CLI."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import clock
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.entities import Case
from models.cases.followups import FollowUpInput, case_followups, followups_due, record_followup
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.demo.casefile import complete_dossier
from models.documents.service import document_context
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Role, User
from models.org.reference import ensure_reference_data
from models.security.permissions import PermissionDenied
from templates.render import render
from tests.support.cli_signin import ensure_cli_user
from tests.support.documents import pdf_text
from tests.support.factories import ACTOR, committee, draft, refer
from tests.support.security import make_users

CLOSED_ON = date(2026, 9, 1)


def _closed_case(db: Database, *, deadline: date | None = date(2026, 9, 20), agreement: bool = True,
                 mediator: Actor | None = None) -> tuple[int, list[int]]:
    """A case mediated to a written agreement (¥10,000) and closed on CLOSED_ON."""
    with clock.pinned(CLOSED_ON), db.write.begin() as s:
        code = f"回{s.scalar(select(func.count()).select_from(Case))}"  # one committee per case
        ref = register_case(s, draft(committee(s, code), mediator_id=mediator and mediator.user_id), ACTOR)
        refer(s, ref.id)
        if agreement:
            record_agreement(s, ref.id, AgreementInput(items=("李四支付张三{amount}",), signed_on=date(2026, 8, 30),
                                                       performance_deadline=deadline, amount=Decimal("10000")), ACTOR)
        else:
            record(s, ref.id, "mediation_outcome", "撤回", ACTOR)
        advance_stage(s, ref.id, "close_mediation", ACTOR)
        return ref.id, [p.id for p in s.get(Case, ref.id).parties]


def _visit(parties: list[int], **extra: object) -> FollowUpInput:
    fields: dict[str, object] = {"visited_on": clock.today(), "method": "上门", "party_ids": tuple(parties),
                                 "performance": "已履行", "satisfaction": "满意", "notes": "款项已付清"}
    fields.update(extra)
    return FollowUpInput(**fields)  # type: ignore[arg-type]  # the fields a test overrides


def test_a_visit_names_every_party_and_lets_the_case_be_archived(db: Database) -> None:
    actors = make_users(db)
    case_id, parties = _closed_case(db, mediator=actors[Role.MEDIATOR])  # the case's own mediator visits
    with db.write.begin() as s:
        view = record_followup(s, case_id, _visit(parties), actors[Role.MEDIATOR])
    assert view.parties == ("张三", "李四") and not view.reopened
    with db.read() as s:
        case = s.get(Case, case_id)
        assert case.stage == "办结" and case.followup_satisfaction == "满意"
        assert any(e.action == "record_followup" and "上门回访张三、李四" in e.reason for e in case.events)
        text = pdf_text(render("follow-up", document_context(s, "follow-up", case_id), "pdf"))
    assert "张三、李四" in text and "回访方式：上门" in text and "款项已付清" in text and "2026年11月23日" in text
    with db.write.begin() as s:
        complete_dossier(s, case_id, ACTOR)  # 归档 also needs a complete 卷宗
        assert advance_stage(s, case_id, "archive", ACTOR).stage == "归档"


@pytest.mark.parametrize(("performance", "satisfaction", "amount"), [
    ("未履行", "满意", None), ("已履行", "不满意", None), ("部分履行", "不满意", Decimal("4000")),
])
def test_not_performed_or_dissatisfied_reopens_the_case(db: Database, performance: str, satisfaction: str,
                                                        amount: Decimal | None) -> None:
    actors = make_users(db)
    case_id, parties = _closed_case(db, mediator=actors[Role.MEDIATOR])
    with db.write.begin() as s:
        view = record_followup(s, case_id, _visit(parties[:1], performance=performance, satisfaction=satisfaction,
                                                   performed_amount=amount, notes="对方未按期付款"),
                               actors[Role.MEDIATOR])
    assert view.reopened and view.parties == ("张三",)
    with db.read() as s:
        case = s.get(Case, case_id)
        reopen = [e for e in case.events if e.action == "reopen"]
        assert case.stage == "调" and len(reopen) == 1 and "对方未按期付款" in reopen[0].reason
        assert case_followups(s, case_id)[0].performance == performance


def test_a_clerk_records_a_satisfied_visit_but_cannot_reopen(db: Database) -> None:
    actors = make_users(db)
    case_id, parties = _closed_case(db)
    with db.write.begin() as s, pytest.raises(PermissionDenied):
        record_followup(s, case_id, _visit(parties, satisfaction="不满意"), actors[Role.CLERK])
    with db.read() as s:
        assert case_followups(s, case_id) == () and s.get(Case, case_id).stage == "办结"  # nothing half-written
    with db.write.begin() as s:
        record_followup(s, case_id, _visit(parties), actors[Role.CLERK])
    with db.write.begin() as s, pytest.raises(PermissionDenied):
        record_followup(s, case_id, _visit(parties), actors[Role.GRID_WORKER])


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"performance": "部分履行"}, "performed_amount", "部分履行须填写已履行金额"),
    ({"performance": "部分履行", "performed_amount": Decimal("NaN")}, "performed_amount", "大于零"),
    ({"performance": "部分履行", "performed_amount": Decimal("-5")}, "performed_amount", "大于零"),
    ({"performance": "部分履行", "performed_amount": Decimal("1.005")}, "performed_amount", "最多两位小数"),
    ({"performance": "部分履行", "performed_amount": Decimal("10000")}, "performed_amount", "应少于协议金额（10,000.00元）"),
    ({"visited_on": CLOSED_ON - timedelta(days=1)}, "visited_on", "回访日期不能早于办结日期（2026-09-01）"),
    ({"visited_on": date(2026, 11, 24)}, "visited_on", "回访日期不能晚于今天"),
    ({"party_ids": ()}, "parties", "请至少选择一名回访的当事人"),
    ({"party_ids": (99999,)}, "parties", "所选当事人不属于本案件"),
    ({"method": "短信"}, "method", "请选择回访方式"),
    ({"satisfaction": "还行"}, "satisfaction", "请选择满意度"),
    ({"notes": "记" * 1001}, "notes", "回访情况不能超过1000个字"),
])
def test_bad_visits_are_refused_in_chinese(db: Database, change: dict, field: str, message: str) -> None:
    case_id, parties = _closed_case(db)
    with db.write.begin() as s, pytest.raises(ValidationFailed) as refused:
        record_followup(s, case_id, _visit(parties, **change), ACTOR)
    assert message in refused.value.fields[field]
    with db.read() as s:
        assert case_followups(s, case_id) == ()


def test_only_closed_cases_are_visited(db: Database) -> None:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s)), ACTOR)
        parties = [p.id for p in s.get(Case, ref.id).parties]
    with db.write.begin() as s, pytest.raises(ValidationFailed, match="只有办结的案件才能回访"):
        record_followup(s, ref.id, _visit(parties, visited_on=date(2025, 3, 6)), ACTOR)


def test_visits_fall_due_a_month_after_performance_or_closing(db: Database) -> None:
    actors = make_users(db)
    mediator = actors[Role.MEDIATOR]
    with_deadline, parties = _closed_case(db, mediator=mediator)
    without, _ = _closed_case(db, deadline=None)
    late_deadline, _ = _closed_case(db, deadline=date(2026, 12, 31))
    _closed_case(db, agreement=False)  # withdrawn: no agreement whose performance a visit would check
    with db.read() as s:
        due = followups_due(s, clock.today())
        assert [(d.case_id, d.due_on, d.basis) for d in due] == [
            (without, date(2026, 10, 1), "办结日期"), (with_deadline, date(2026, 10, 20), "履行期限")]
        assert [d.case_id for d in followups_due(s, clock.today(), mediator_id=mediator.user_id)] == [with_deadline]
        later = followups_due(s, clock.today(), include_later=True)
        assert later[-1].case_id == late_deadline and later[-1].due_on == date(2027, 1, 30)
        assert due[0].days_left(clock.today()) == -53
    with db.write.begin() as s:
        record_followup(s, with_deadline, _visit(parties), mediator)
    with db.read() as s:
        assert [d.case_id for d in followups_due(s, clock.today())] == [without]


# --- the command line -------------------------------------------------------------------------------

def _number(url: str, case_id: int) -> str:
    from models.db import open_database

    database = open_database(url)
    try:
        with database.read() as s:
            return s.scalar(select(Case.number).where(Case.id == case_id))
    finally:
        database.engine.dispose()


def test_cli_records_lists_and_reminds(cli_as, db_url: str, open_db) -> None:
    database = open_db(db_url)  # SQLite: the CLI leaves its own engine to the process's end
    with database.write.begin() as s:
        ensure_reference_data(s)
    username = ensure_cli_user(db_url, Role.MEDIATOR)  # the CLI's 调解员 mediates this case
    with database.read() as s:
        mediator = Actor(s.scalar(select(User.id).where(User.username == username)), None)
    case_id, _parties = _closed_case(database, mediator=mediator)
    number = _number(db_url, case_id)
    code, out, _ = cli_as(Role.MEDIATOR, "--db", db_url, "followup", "due")
    assert code == 0 and number in out and "超期34天" in out
    code, _, err = cli_as(Role.MEDIATOR, "--db", db_url, "followup", "add", number, "--method", "电话",
                          "--performance", "部分履行", "--amount", "一万", "--satisfaction", "满意")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "已履行金额" in err
    code, out, err = cli_as(Role.MEDIATOR, "--db", db_url, "followup", "add", number, "--method", "电话",
                            "--performance", "部分履行", "--amount", "4000", "--satisfaction", "基本满意",
                            "--parties", "张三", "--notes", "余款约定月底付清")
    assert code == 0 and "部分履行（已履行4,000.00元）" in out and "重新" not in out, err
    code, out, _ = cli_as(Role.MEDIATOR, "--db", db_url, "followup", "list", number)
    assert code == 0 and "张三" in out and "余款约定月底付清" in out
    code, out, _ = cli_as(Role.MEDIATOR, "--db", db_url, "followup", "due")
    assert code == 0 and number not in out and "共 0 件" in out


# --- the desktop ------------------------------------------------------------------------------------

def test_recording_a_follow_up_in_the_case_view(qtbot, window, demo_db: Database) -> None:
    from desktop.session_views import FollowUpDuePanel

    with demo_db.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.stage == "办结").order_by(Case.id)).first()
        names = [p.name for p in s.get(Case, case_id).parties]
    window.select_case(case_id)
    view = window.detail.follow_ups_view
    assert view.add_button.isEnabled()
    dialog = view.open_follow_up()
    dialog.performance.setCurrentText("部分履行")
    dialog.submit()
    assert "部分履行须填写已履行金额" in dialog.error.text() and dialog.isVisible()
    dialog.amount.setText("1")
    dialog.method.setCurrentText("电话")
    dialog.notes.setPlainText("已付部分款项")
    dialog.submit()
    assert not dialog.isVisible(), dialog.error.text()
    with demo_db.read() as s:
        visits = case_followups(s, case_id)
        assert s.get(Case, case_id).followup_satisfaction == "满意"
    assert visits[-1].parties == tuple(names) and visits[-1].performed_amount == Decimal("1.00")
    assert view.model.rowCount() == len(visits)
    due = window.findChild(FollowUpDuePanel)
    due.refresh()
    assert case_id not in {r.case_id for r in due.rows}
