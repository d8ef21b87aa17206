"""Intake (issue 10, item 7): the repeat-dispute alert (same ID, USCC, phone or exact name within
12 months) at intake, in the detail view and in `case show` — a warning, never a block — and agents
shown under the party they act for, with their (masked) ID and 执业证号, in the detail view,
`case show` and the documents' party block."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.case_detail import CaseDetailView
from desktop.context import build_context
from desktop.intake_dialog import IntakeDialog
from models.cases.queries import case_detail
from models.cases.repeats import case_repeats, repeat_disputes, window_start
from models.cases.service import register_case
from models.db import Database
from models.dto import AgentInput, PartyInput
from models.org.entities import Role
from templates.context import AgentContext, PartyContext
from templates.kinds.common import agent_line
from tests.support.cli_signin import cli_on_sqlite_only, main_as
from tests.support.desktop import RecordingDialogs
from tests.support.factories import ACTOR, committee, draft
from tests.test_desktop_intake import fill_case, fill_party

ID = "11010519491231002X"
AGENT_ID = "110105198001010032"  # a valid GB 11643 number
LICENSE = "16209201810123456"


def _parties(name: str = "钱七", *, id_number: str | None = None, phone: str | None = None,
             uscc: str | None = None) -> tuple[PartyInput, ...]:
    applicant = PartyInput(side="申请方", name=name, id_number=id_number, phone=phone, uscc=uscc)
    return applicant, PartyInput(side="被申请方", name="孙八")


def test_repeat_disputes_match_by_id_uscc_phone_or_exact_name_within_twelve_months(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        recent = register_case(s, draft(cid, received=date(2026, 3, 1)), ACTOR)  # 张三 (ID, phone) and 李四
        org = register_case(s, replace(draft(cid, received=date(2026, 6, 1)), parties=(
            PartyInput(side="申请方", name="玉门市恒通建筑工程有限公司", kind="组织", uscc="91620981MA73XY012K"),
            PartyInput(side="被申请方", name="周九"))), ACTOR)
        register_case(s, replace(draft(cid, received=date(2025, 10, 1)), parties=_parties(name="吴十")), ACTOR)
    assert window_start(date(2026, 11, 23)) == date(2025, 11, 23) and window_start(date(2024, 2, 29)) == date(2023, 2, 28)
    with db.read() as s:
        by_id = repeat_disputes(s, _parties(id_number=ID), today=date(2026, 11, 23))
        by_phone = repeat_disputes(s, _parties(phone="13812345678"), today=date(2026, 11, 23))
        by_name = repeat_disputes(s, _parties(name="李四"), today=date(2026, 11, 23))
        by_uscc = repeat_disputes(s, _parties(uscc="91620981MA73XY012K"), today=date(2026, 11, 23))
        too_old = repeat_disputes(s, _parties(name="吴十"), today=date(2026, 11, 23))
        nobody = repeat_disputes(s, _parties(name="郑十一", phone="13900000000"), today=date(2026, 11, 23))
    assert [h.number for h in by_id] == [recent.number] and "身份证件号码相同" in by_id[0].line()
    assert [h.number for h in by_phone] == [recent.number] and "联系电话相同" in by_phone[0].reasons[0]
    assert [h.number for h in by_name] == [recent.number] and "姓名/名称相同（李四）" in by_name[0].reasons[0]
    assert [h.number for h in by_uscc] == [org.number]
    assert too_old == [] and nobody == []


def _dialog(qtbot: QtBot, db: Database, dialogs: RecordingDialogs) -> IntakeDialog:
    dialog = IntakeDialog(build_context(db, dialogs))
    qtbot.addWidget(dialog)
    fill_case(dialog, qtbot)
    fill_party(dialog.parties[0], "张三", qtbot, id_number=ID)
    fill_party(dialog.parties[1], "赵六", qtbot)
    return dialog


def test_intake_warns_of_a_repeat_dispute_and_registers_when_the_user_goes_on(qtbot: QtBot, db: Database) -> None:
    with db.write.begin() as s:
        earlier = register_case(s, draft(committee(s), received=date(2026, 9, 1)), ACTOR)
    dialogs = RecordingDialogs()
    dialog = _dialog(qtbot, db, dialogs)
    dialogs.answers = [None]  # 取消 at the warning: nothing saved, everything kept
    assert not dialog.save()
    assert "当事人近12个月内已有案件" in dialogs.texts and earlier.number in dialogs.texts
    alert = dialog.findChild(QLabel, "repeatAlert")
    assert alert is not None and earlier.number in alert.text()
    name = dialog.parties[0].person.inputs["name"]
    assert isinstance(name, QLineEdit) and name.text() == "张三"
    dialogs.answers = ["确定"]  # a warning, not a block
    assert dialog.save(), dialog.form_message.text()
    assert dialog.created is not None
    with db.read() as s:
        assert [h.number for h in case_repeats(s, dialog.created.id)] == [earlier.number]
    view = CaseDetailView(build_context(db, RecordingDialogs()))
    qtbot.addWidget(view)
    view.show_case(dialog.created.id)
    assert f'<a href="case:{earlier.id}">{earlier.number}</a>' in view.related.text()
    view.related.linkActivated.emit(f"case:{earlier.id}")  # the link opens the earlier case
    assert view.case_id == earlier.id


def _case_with_agent(db: Database) -> str:
    agent = AgentInput(kind="委托代理人", name="王志强", unit="甘肃玉门律师事务所", authority="特别授权",
                       phone="13912345678", id_number=AGENT_ID, license_no=LICENSE)
    parties = (PartyInput(side="申请方", name="张三"), PartyInput(side="被申请方", name="李秀英", agents=(agent,)))
    with db.write.begin() as s:
        return register_case(s, replace(draft(committee(s)), parties=parties), ACTOR).number


def test_agents_show_under_their_party_with_masked_id_and_license(qtbot: QtBot, db: Database, capsys) -> None:
    cli_on_sqlite_only(db)
    number = _case_with_agent(db)
    with db.read() as s:
        detail = case_detail(s, number=number)
    (agent,) = detail.parties[1].agents
    assert (agent.id_number, agent.license_no) == (AGENT_ID, LICENSE)
    view = CaseDetailView(build_context(db, RecordingDialogs()))
    qtbot.addWidget(view)
    view.show_case(detail.id)
    rows = [tuple(view.parties.index(r, c).data() for c in range(7)) for r in range(view.parties.rowCount())]
    assert [r[2] for r in rows] == ["张三", "李秀英", "王志强（系李秀英的委托代理人）"]
    assert "110105********0032" in rows[2][5] and f"执业证号 {LICENSE}" in rows[2][5] and AGENT_ID not in rows[2][5]
    url = db.engine.url.render_as_string(hide_password=False)
    assert main_as(Role.MEDIATOR, ["case", "show", number, "--db", url]) == 0
    out = capsys.readouterr().out
    assert "委托代理人：王志强（系被申请方李秀英的委托代理人）" in out
    assert "110105********0032" in out and LICENSE in out and AGENT_ID not in out


def test_documents_name_whose_agent_it_is() -> None:
    party = PartyContext(side="被申请人", kind="person", name="李秀英")
    agent = AgentContext(name="王志强", authority="特别授权", id_number="110105********0032", license_no=LICENSE)
    line = agent_line(agent, party)
    assert line.startswith("委托代理人：王志强（系被申请人李秀英的委托代理人）")
    assert "居民身份证号码110105********0032" in line and f"律师执业证号{LICENSE}" in line
