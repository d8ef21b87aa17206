"""Journeys through the workflow's doors, each from sign-in to result as the role that owns it,
asserting the database and the view after each step: the liaison to the 司法确认 ruling, a mediator's
escalation and 会诊, arbitration refused or accepted on its track, the labour clock, and a 督办单
issued by a leader and answered by the mediator.

With MEDIATION_SHOTS=DIR (run under Xvfb with QT_QPA_PLATFORM=xcb) each key step is also saved as a
screenshot of the screen into DIR (docs/screenshots/ holds the committed ones)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QDialog, QTableView, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.app import open_session
from desktop.liaison_workspace import ReferralDialog
from desktop.main_window import MainWindow
from desktop.sign_in import sign_in
from desktop.supervision_dialogs import SupervisionOrderDialog
from desktop.workflow_dialogs import ArbitrationDialog, ConsultationDialog, LevelMoveDialog, ReferralStepDialog
from models import clock
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import Database
from models.demo.cases import DEMO_PASSWORD, set_demo_passwords
from models.liaison.service import ReferralView
from models.org.entities import OrgUnit, User
from models.workflow.entities import ArbitrationRecord, CourtReferral, LevelMove, SupervisionOrder
from tests.support.desktop import RecordingDialogs, commit_text
from tests.support.factories import ACTOR, draft, refer

NEVER = 10**8
D = TypeVar("D", bound=QDialog)


@pytest.fixture
def desk(qtbot: QtBot, demo_db: Database, fast_hasher: None, tmp_path: Path) -> Iterator[Callable[[str], MainWindow]]:
    """Sign in as `login` (demo password) and open the main window, as the app does."""
    with demo_db.write.begin() as session:
        set_demo_passwords(session)
    opened = []

    def open_as(login: str) -> MainWindow:
        signed = sign_in(demo_db, username=login, password=DEMO_PASSWORD)
        assert signed is not None
        window, guards = open_session(demo_db, signed, RecordingDialogs(), tmp_path, backup_delay_ms=NEVER)
        qtbot.addWidget(window)
        window.show()
        opened.append(guards)
        return window

    yield open_as
    for guards in opened:
        guards.stop()


def shot(name: str) -> None:
    target = os.environ.get("MEDIATION_SHOTS")
    if not target:
        return
    QApplication.processEvents()
    Path(target).mkdir(parents=True, exist_ok=True)
    QApplication.primaryScreen().grabWindow(0).save(str(Path(target) / f"{name}.png"))


def dialog_of(parent: QWidget, kind: type[D]) -> D:
    found = [d for d in parent.findChildren(kind) if d.isVisible()]
    assert len(found) == 1, f"one {kind.__name__} open, not {len(found)}"
    return found[0]


def choose(combo: QComboBox, text: str) -> None:
    assert combo.currentIndex() == -1, "every choice starts empty"
    combo.setCurrentIndex(combo.findText(text))
    assert combo.currentText() == text


def set_day(widget: QWidget, day: date) -> None:
    assert isinstance(widget, QDateEdit)
    widget.setDate(QDate(day))


def timeline(window: MainWindow) -> list[tuple[str, ...]]:
    return window.detail.events.rows


def deadlines_table(window: MainWindow) -> list[tuple[str, ...]]:
    return window.detail.workflow.deadlines.rows


def register_views(window: MainWindow, case_id: int) -> list[ReferralView]:
    """The case's rows in the 诉调对接 register as the liaison sees it (a hidden register refreshes when shown)."""
    window.workflow.dock.show()
    window.workflow.tabs.setCurrentWidget(window.workflow.liaison)
    return [v for v in window.workflow.liaison.model.views if v.case_id == case_id]


def _new_case(db: Database, code: str, *, mediate: bool = True) -> int:
    with db.write.begin() as s:
        committee = s.scalar(select(Case.committee_id).limit(1))
        case_id = register_case(s, replace(draft(committee, received=clock.today()), dispute_type_code=code), ACTOR).id
        tj00 = s.scalars(select(User.id).where(User.username == "tj00")).one()
        s.get_one(Case, case_id).mediator_id = tj00  # the demo mediator's own case (they change only theirs)
        if mediate:
            refer(s, case_id, ACTOR)
        return case_id


def test_liaison_records_a_delegation_through_to_the_ruling(desk: Callable[[str], MainWindow], demo_db: Database) -> None:
    today = clock.today()
    case_id = _new_case(demo_db, "0402")
    window = desk("sd01")  # 诉调对接专员
    assert window.select_case(case_id)
    window.workflow.actions["referral"].trigger()
    dialog = dialog_of(window, ReferralDialog)
    commit_text(dialog.number, "(2026)甘0981民诉前调777号")
    commit_text(dialog.cause, "买卖合同纠纷")
    dialog.referred.setDate(QDate(today - timedelta(days=12)))
    dialog.received.setDate(QDate(today - timedelta(days=11)))
    shot("liaison-1-register")
    dialog.submit()
    with demo_db.read() as s:
        row = s.scalar(select(CourtReferral).where(CourtReferral.case_id == case_id))
        assert row is not None and row.pre_suit_number == "（2026）甘0981民诉前调777号"
    assert any(r[2] == "法院委派" for r in timeline(window))

    def step(label: str, fill: Callable[[ReferralStepDialog], None]) -> None:
        window.detail.tabs.setCurrentWidget(window.detail.workflow)
        window.detail.workflow.buttons["referralStep"].click()
        dialog = dialog_of(window.detail.workflow, ReferralStepDialog)
        choose(dialog.step, label)
        fill(dialog)
        dialog.submit()
        assert dialog.error.text() == "", dialog.error.text()

    def outcome(d: ReferralStepDialog) -> None:
        choose(d.fields.widgets["reason"], "达成协议")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
        choose(d.fields.widgets["closing"], "申请司法确认")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
        set_day(d.fields.widgets["concluded_on"], today - timedelta(days=4))
        set_day(d.fields.widgets["agreement_effective_on"], today - timedelta(days=4))
        shot("liaison-2-outcome")

    step("诉前调解结果", outcome)
    with demo_db.read() as s:
        assert s.scalar(select(CourtReferral.closing_method).where(CourtReferral.case_id == case_id)) == "申请司法确认"
    summary = window.detail.workflow.summary.text()
    window_rows = [r for r in deadlines_table(window) if r[1] == "申请司法确认期限"]
    assert "司法确认申请期限" in summary and "剩" in summary
    assert window_rows and window_rows[0][5].startswith("剩") and window_rows[0][6]  # days left and why its colour
    register = register_views(window, case_id)
    assert len(register) == 1 and register[0].step == "诉前调解结果" and register[0].confirmation_days_left is not None
    shot("liaison-3-countdown")

    def apply(d: ReferralStepDialog) -> None:
        set_day(d.fields.widgets["applied_on"], today - timedelta(days=2))

    def accept(d: ReferralStepDialog) -> None:
        set_day(d.fields.widgets["accepted_on"], today - timedelta(days=1))
        commit_text(d.fields.widgets["number"], "(2026)甘0981诉前调确55号")

    def ruling(d: ReferralStepDialog) -> None:
        choose(d.fields.widgets["ruling"], "确认有效")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
        shot("liaison-4-ruling")

    step("申请司法确认", apply)
    step("司法确认受理", accept)
    step("司法确认裁定", ruling)
    with demo_db.read() as s:
        row = s.scalar(select(CourtReferral).where(CourtReferral.case_id == case_id))
        assert row is not None and (row.ruling, row.ruling_on) == ("确认有效", today)
        assert row.confirmation_number == "（2026）甘0981诉前调确55号"
    actions = [r[2] for r in timeline(window)]
    assert {"申请司法确认", "司法确认受理", "司法确认裁定"} <= set(actions)
    register = register_views(window, case_id)
    assert len(register) == 1 and register[0].step == "司法确认确认有效"
    window.workflow.dock.show()
    window.workflow.tabs.setCurrentWidget(window.workflow.liaison)
    shot("liaison-5-register")


def test_mediator_escalates_village_to_township_and_back_and_records_a_consultation(
    desk: Callable[[str], MainWindow], demo_db: Database
) -> None:
    case_id = _new_case(demo_db, "03")
    with demo_db.write.begin() as s:
        grid = s.scalar(select(OrgUnit).where(OrgUnit.level == "网格").order_by(OrgUnit.id).limit(1))
        assert grid is not None and grid.parent_id is not None
        s.get_one(Case, case_id).org_unit_id = grid.id
        village = s.get_one(OrgUnit, grid.parent_id)
        assert village.parent_id is not None
        township = s.get_one(OrgUnit, village.parent_id)
        names = (village.name, township.name)
    window = desk("tj00")
    assert window.select_case(case_id)

    def move(label: str, reason: str) -> None:
        window.detail.workflow.buttons["levelMove"].click()
        dialog = dialog_of(window.detail.workflow, LevelMoveDialog)
        choose(dialog.target, label)
        commit_text(dialog.reason, reason)
        shot("escalation-1-dialog")
        dialog.submit()
        assert dialog.error.text() == ""

    move(f"上提 → {names[0]}（村）", "网格员两次调解未果，报村调委会")
    move(f"上提 → {names[1]}（乡镇）", "村级调解未果，涉及多户，提请镇里统筹")
    with demo_db.read() as s:
        assert s.get_one(Case, case_id).org_unit_id == township.id
    assert f"层级：{names[1]}（乡镇）" in window.detail.workflow.summary.text()
    move(f"下沉 → {names[0]}（村）", "镇里定方案后交村里落实")
    with demo_db.read() as s:
        assert s.get_one(Case, case_id).org_unit_id == village.id
        assert s.scalar(select(func.count()).select_from(LevelMove).where(LevelMove.case_id == case_id)) == 3
    window.detail.workflow.buttons["consultation"].click()
    dialog = dialog_of(window.detail.workflow, ConsultationDialog)
    for name, text in (("host", "综治中心 李主任"), ("departments", "司法所、派出所、镇政府"), ("topic", "宅基地边界联合化解"),
                       ("conclusion", "十日内联合现场勘界")):
        commit_text(dialog.fields.widgets[name], text)
    shot("escalation-2-consultation")
    dialog.submit()
    assert dialog.error.text() == ""
    actions = [r[2] for r in timeline(window)]
    assert actions.count("上提（村级）") == 1 and "上提（乡镇级）" in actions and "下沉（村级）" in actions and "会诊" in actions
    assert "会诊" in window.detail.workflow.summary.text() and f"层级：{names[0]}（村）" in window.detail.workflow.summary.text()
    window.detail.tabs.setCurrentIndex(0)
    shot("escalation-3-timeline")


def _record(window: MainWindow, field: str, value: str) -> None:
    dialogs = window.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    dialogs.answers += [value, ""] if field == "mediation_outcome" else [value]
    window.detail.record_buttons[field].click()


def test_commercial_arbitration_only_with_an_agreement_and_never_for_support(
    desk: Callable[[str], MainWindow], demo_db: Database
) -> None:
    support = _new_case(demo_db, "0103")  # 赡养纠纷
    contract = _new_case(demo_db, "0402")
    window = desk("tj00")
    dialogs = window.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs) and window.select_case(support)
    _record(window, "mediation_outcome", "调解不成")
    _record(window, "arbitration_track", "商事仲裁")
    window.detail.action_buttons["to_arbitration"].click()
    assert "赡养" in dialogs.shown[-1][1] and "书面仲裁协议" in dialogs.shown[-1][1]
    window.detail.workflow.buttons["arbitration"].click()
    dialog = dialog_of(window.detail.workflow, ArbitrationDialog)
    choose(dialog.fields.widgets["track"], "商事仲裁")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
    commit_text(dialog.fields.widgets["commission"], "酒泉仲裁委员会")
    dialog.fields.widgets["has_agreement"].setChecked(True)  # type: ignore[attr-defined]  # a flag field is a QCheckBox (widgets maps names to QWidget)
    dialog.submit()
    assert "赡养" in dialog.error.text()
    shot("arbitration-1-refused")
    with demo_db.read() as s:
        assert s.get_one(Case, support).stage == "调"
        assert s.scalar(select(ArbitrationRecord.id).where(ArbitrationRecord.case_id == support)) is None
    dialog.reject()

    assert window.select_case(contract) and window.detail.case_id == contract
    _record(window, "mediation_outcome", "调解不成")
    _record(window, "arbitration_track", "商事仲裁")
    window.detail.action_buttons["to_arbitration"].click()
    assert "书面仲裁协议" in dialogs.shown[-1][1]
    window.detail.workflow.buttons["arbitration"].click()
    dialog = dialog_of(window.detail.workflow, ArbitrationDialog)
    choose(dialog.fields.widgets["track"], "商事仲裁")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
    commit_text(dialog.fields.widgets["commission"], "酒泉仲裁委员会")
    dialog.submit()
    assert "书面仲裁协议" in dialog.error.text()
    dialog.fields.widgets["has_agreement"].setChecked(True)  # type: ignore[attr-defined]  # a flag field is a QCheckBox (widgets maps names to QWidget)
    dialog.submit()
    assert dialog.error.text() == ""
    dialogs.answers.append("当事人有仲裁条款，引导申请仲裁")
    window.detail.action_buttons["to_arbitration"].click()
    with demo_db.read() as s:
        assert s.get_one(Case, contract).stage == "裁"
    assert window.detail.title.text().endswith("［裁］")


def test_labour_arbitration_acceptance_starts_the_45_day_clock(desk: Callable[[str], MainWindow], demo_db: Database) -> None:
    today = clock.today()
    case_id = _new_case(demo_db, "1001")
    window = desk("tj00")
    assert window.select_case(case_id)
    window.detail.workflow.buttons["arbitration"].click()
    dialog = dialog_of(window.detail.workflow, ArbitrationDialog)
    choose(dialog.fields.widgets["track"], "劳动人事争议仲裁")  # type: ignore[arg-type]  # a choice field is a QComboBox (widgets maps names to QWidget)
    commit_text(dialog.fields.widgets["commission"], "玉门市劳动人事争议仲裁委员会")
    dialog.fields.widgets["employment_relation"].setChecked(True)  # type: ignore[attr-defined]  # a flag field is a QCheckBox (widgets maps names to QWidget)
    set_day(dialog.fields.widgets["applied_on"], today - timedelta(days=5))
    dialog.submit()
    assert dialog.error.text() == ""
    window.detail.workflow.buttons["arbitration"].click()
    dialog = dialog_of(window.detail.workflow, ArbitrationDialog)
    assert "accepted_on" in dialog.fields.widgets  # the record's later dates now
    set_day(dialog.fields.widgets["accepted_on"], today - timedelta(days=2))
    commit_text(dialog.fields.widgets["case_number"], "玉劳人仲案字〔2026〕66号")
    shot("arbitration-2-accepted")
    dialog.submit()
    assert dialog.error.text() == ""
    with demo_db.read() as s:
        row = s.scalar(select(ArbitrationRecord).where(ArbitrationRecord.case_id == case_id))
        assert row is not None and row.accepted_on == today - timedelta(days=2)
    award = [r for r in deadlines_table(window) if r[2] == "仲裁委员会受理" or "裁决" in r[1]]
    assert award and award[0][3] == f"{today - timedelta(days=2)}"
    window.detail.tabs.setCurrentWidget(window.detail.workflow)
    shot("arbitration-3-clock")


def test_leader_issues_a_supervision_order_and_the_mediator_replies(
    desk: Callable[[str], MainWindow], demo_db: Database
) -> None:
    case_id = _new_case(demo_db, "03")
    leader = desk("ld01")
    assert leader.select_case(case_id)
    leader.workflow.actions["supervise"].trigger()
    dialog = dialog_of(leader, SupervisionOrderDialog)
    commit_text(dialog.requirement, "三日内书面报告调解进展")
    shot("supervision-1-issue")
    dialog.submit()
    with demo_db.read() as s:
        order = s.scalar(select(SupervisionOrder).where(SupervisionOrder.case_id == case_id))
        assert order is not None and order.reply is None
        number = order.number
    mediator = desk("tj00")
    panel = mediator.workflow.orders
    panel.state.setCurrentText("待回复")
    row = next(i for i, v in enumerate(panel.model.views) if v.number == number)
    panel.table.selectRow(row)
    dialogs = mediator.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    dialogs.answers.append("已约双方本周三到中心调解")
    mediator.workflow.dock.show()
    mediator.workflow.tabs.setCurrentWidget(panel)
    panel.reply_selected()
    with demo_db.read() as s:
        assert s.scalar(select(SupervisionOrder.reply).where(SupervisionOrder.number == number)) == "已约双方本周三到中心调解"
    panel.state.setCurrentText("已回复")
    assert any(v.number == number for v in panel.model.views)
    assert mediator.select_case(case_id)
    actions = [r[2] for r in timeline(mediator)]
    assert "督办单（蓝）" in actions and "督办回复" in actions
    shot("supervision-2-replied")
    table = panel.findChild(QTableView, "orderTable")
    assert table is not None
    with demo_db.read() as s:
        assert s.scalar(select(User.role).where(User.username == "ld01")) == "包案领导"


def _pick(combo: QComboBox, prefix: str) -> None:
    assert combo.currentIndex() == -1, "every choice starts empty"
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(prefix)))


def _inbox_row(window: MainWindow, dispatch_id: int) -> int:
    inbox = window.workflow.inbox
    inbox.refresh()
    rows = [n for n, item in enumerate(inbox.items) if item.dispatch_id == dispatch_id]
    assert rows, f"dispatch {dispatch_id} not in {window.ctx.actor()}'s inbox"
    return rows[0]


def _do(window: MainWindow, dispatch_id: int, action: str, text: str = "", satisfaction: str = "") -> str:
    """Open the dispatch from 待我办理 and do one step; returns the inline error (empty when done)."""
    inbox = window.workflow.inbox
    dialog = inbox.open_item(inbox.model.index(_inbox_row(window, dispatch_id), 0))
    assert dialog.action.currentIndex() == -1 and dialog.satisfaction.currentIndex() == -1
    dialog.action.setCurrentIndex(dialog.action.findData(action))
    if satisfaction:
        dialog.satisfaction.setCurrentText(satisfaction)
    if text:
        commit_text(dialog.text, text)
    dialog.submit()
    error = dialog.error.text()
    dialog.close()
    return error


def test_dispatch_loop_worked_by_each_owner_from_their_inbox(
    desk: Callable[[str], MainWindow], demo_db: Database
) -> None:
    from desktop.dispatch_dialogs import DispatchDialog
    from models.cases.entities import Dispatch, DispatchTarget

    case_id = _new_case(demo_db, "03")
    started = clock.today() - timedelta(days=5)
    leader = desk("ld01")
    assert leader.select_case(case_id)
    with clock.pinned(started):
        leader.workflow.actions["dispatch"].trigger()
        dialog = dialog_of(leader, DispatchDialog)
        _pick(dialog.lead, "玉门镇人民政府")
        dialog.grid.setCurrentIndex(0)
        shot("dispatch-1-send")
        dialog.submit()
    with demo_db.read() as s:
        dispatch = s.scalar(select(Dispatch).where(Dispatch.case_id == case_id))
        assert dispatch is not None
        targets = {t.role: t for t in dispatch.targets}
        department = s.get_one(User, targets["主办"].user_id).username
        worker = s.get_one(User, targets["属地监督"].user_id).username
        first_due = targets["主办"].deadline
        dispatch_id = dispatch.id
    assert department.startswith("bm") and worker.startswith("wg")
    with demo_db.write.begin() as s:
        set_demo_passwords(s)  # the accounts named on dispatches, this one's included

    grid = desk(worker)
    assert all(i.dispatch_id != dispatch_id for i in grid.workflow.inbox.items)  # nothing to verify yet
    dept = desk(department)
    dept.workflow.dock.show()
    dept.workflow.tabs.setCurrentWidget(dept.workflow.inbox)
    shot("dispatch-2-department-inbox")
    assert _do(dept, dispatch_id, "feedback", "已组织双方现场协商，达成初步方案") == ""
    assert _do(grid, dispatch_id, "verify_fail", "回访当事人，问题尚未实际解决") == ""
    with demo_db.read() as s:
        lead = s.scalar(select(DispatchTarget).where(DispatchTarget.dispatch_id == dispatch_id,
                                                     DispatchTarget.role == "主办"))
        assert lead is not None and first_due is not None and lead.deadline is not None and lead.deadline > first_due
        assert s.get_one(Dispatch, dispatch_id).status == "退回重办"
    assert _do(dept, dispatch_id, "feedback", "补充落实赔偿款到位") == ""
    assert _do(grid, dispatch_id, "verify_pass") == ""
    dept.workflow.inbox.refresh()
    assert all(i.dispatch_id != dispatch_id for i in dept.workflow.inbox.items)
    centre = desk("tj00")
    assert _do(centre, dispatch_id, "evaluate", satisfaction="满意") == ""
    assert _do(centre, dispatch_id, "archive") == ""
    with demo_db.read() as s:
        assert s.get_one(Dispatch, dispatch_id).status == "已归档"
    assert centre.select_case(case_id)
    actions = [r[2] for r in timeline(centre)]
    assert actions.count("派单·处置反馈") == 2 and "派单·核查不通过，退回重办" in actions and "派单·归档" in actions
    assert "派单" in centre.detail.workflow.summary.text() and "已归档" in centre.detail.workflow.summary.text()
    shot("dispatch-3-archived")


def test_a_grid_worker_cannot_give_the_departments_feedback(desk: Callable[[str], MainWindow], demo_db: Database) -> None:
    from models.dto import Actor
    from models.errors import TransitionRefused
    from models.workflow.dispatch import TargetInput, dispatch_choices, move_dispatch, open_dispatch

    case_id = _new_case(demo_db, "03")
    with demo_db.write.begin() as s:
        departments, grids = dispatch_choices(s)
        view = open_dispatch(s, case_id, [TargetInput("主办", departments[0].unit_name, departments[0].desk_id,
                                                      departments[0].user_id),
                                          TargetInput("属地监督", grids[0].unit_name, user_id=grids[0].user_id)], ACTOR)
        with pytest.raises(TransitionRefused, match="主办/协办单位账户"):
            move_dispatch(s, view.id, "feedback", Actor(user_id=grids[0].user_id), "我来反馈")
        with pytest.raises(TransitionRefused, match="属地网格员或中心"):
            move_dispatch(s, view.id, "feedback", Actor(user_id=departments[0].user_id), "已处置")
            move_dispatch(s, view.id, "verify_pass", Actor(user_id=departments[1].user_id))
