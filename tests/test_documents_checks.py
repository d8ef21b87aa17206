"""Checks before issuing (issue #12, item 4): every refusal with its message, the 司法确认申请书's court
and attachments, names on signature lines, the mediator's 责任 fields, the oral form only for oral
agreements, one 卷内目录 row per document, and the three notices issuable from the CLI."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.agreement_dialog import AgreementDialog
from desktop.document_dialog import DocumentDialog
from desktop.main_window import MainWindow
from models.cases.agreements import Agreement, AgreementInput, latest_agreement, record_agreement
from models.cases.entities import Agent, Case, Party
from models.db import Database
from models.documents.service import (
    MissingCharacters,
    confirmation_courts,
    confirmation_window,
    document_context,
    dossier_entries,
    issue,
)
from models.documents.settings import DocumentSettingsRow
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Committee, OrgUnit, Role, User
from models.security.permissions import Permission, case_refusal
from models.workflow.entities import CourtReferral
from templates.context import ConfirmationApplicationContext
from templates.fonts import issuing_fontset
from templates.render import render
from templates.samples import agreement, confirmation_application, parties
from tests.support.cli_signin import main_as
from tests.support.desktop import RecordingDialogs, dialogs, window
from tests.support.documents import (
    db_url,
    failed_case,
    oral_case,
    pdf_text,
    recent_agreement,
    rejected_case,
    written_case,
)

__all__ = ["dialogs", "window"]  # fixtures used by name below

TODAY = date(2026, 11, 23)


def _actor(db: Database, username: str = "tj00") -> Actor:
    with db.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
    return Actor(user.id, user.desk_id)


def _set_agreement(db: Database, case_id: int, **values: object) -> None:
    with db.write.begin() as s:
        row = s.scalars(select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id.desc())).first()
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def _issue(db: Database, kind: str, case_id: int, **options: object) -> tuple[bytes, object]:
    with db.write.begin() as s:
        return issue(s, kind, case_id, "pdf", _actor(db), today=TODAY, **options)  # type: ignore[arg-type]


# --- 司法确认申请书 -----------------------------------------------------------------------------------

def test_confirmation_is_refused_past_30_days_with_the_dates(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, signed_on=TODAY - timedelta(days=90))
    with pytest.raises(ValidationFailed, match="已超过司法确认申请期限") as refused:
        _issue(demo_db, "confirmation-application", case.id)
    assert "三十三条" in refused.value.message and "2026年" in refused.value.message
    _set_agreement(demo_db, case.id, signed_on=TODAY - timedelta(days=5))
    data, _view = _issue(demo_db, "confirmation-application", case.id)
    assert "司法确认申请书" in pdf_text(data)


def test_the_window_is_shown_before_the_user_tries(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, signed_on=date(2026, 11, 2))
    with demo_db.read() as s:
        window = confirmation_window(s, case.id)
    assert window.effective_on == date(2026, 11, 2) and window.last_day == date(2026, 12, 2)
    assert "还剩 9 天" in window.describe(TODAY) and "2026年12月2日" in window.describe(TODAY)


def test_court_invited_cases_go_to_the_inviting_court_only(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, signed_on=TODAY - timedelta(days=3))
    with demo_db.write.begin() as s:
        s.query(CourtReferral).filter(CourtReferral.case_id == case.id).delete()
        s.add(CourtReferral(case_id=case.id, court="酒泉市肃州区人民法院", kind="委派", referred_on=TODAY - timedelta(days=20)))
    with demo_db.read() as s:
        assert confirmation_courts(s, case.id) == ["酒泉市肃州区人民法院"]
    with pytest.raises(ValidationFailed, match="请从列表中选择"):
        _issue(demo_db, "confirmation-application", case.id, court="玉门市人民法院")
    data, _view = _issue(demo_db, "confirmation-application", case.id)
    assert "酒泉市肃州区人民法院" in pdf_text(data)


def test_a_township_committee_needs_the_basic_court_set_and_never_prints_a_blank(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, signed_on=TODAY - timedelta(days=3))
    with demo_db.write.begin() as s:
        s.query(CourtReferral).filter(CourtReferral.case_id == case.id).delete()
        committee = s.get_one(Committee, s.get_one(Case, case.id).committee_id)
        town = s.scalars(select(OrgUnit).where(OrgUnit.level == "乡镇")).first()
        assert town is not None
        committee.org_unit_id = town.id
    with pytest.raises(ValidationFailed, match="未设置调委会所在地的基层人民法院"):
        _issue(demo_db, "confirmation-application", case.id)
    with demo_db.write.begin() as s:
        s.add(DocumentSettingsRow(id=1, basic_court="玉门市人民法院"))  # as 文书设置 stores it
    with demo_db.read() as s:
        assert confirmation_courts(s, case.id) == ["玉门市人民法院"]
    data, _view = _issue(demo_db, "confirmation-application", case.id)
    assert "此致玉门市人民法院" in pdf_text(data)


def test_attachments_name_the_power_of_attorney_and_the_organisations_proof(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        party = s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id)).first()
        assert party is not None
        s.add(Agent(party_id=party.id, kind="委托代理人", name="王律师"))
        party_name = party.name
    with demo_db.read() as s:
        context = document_context(s, "confirmation-application", case.id, today=TODAY)
    assert isinstance(context, ConfirmationApplicationContext)
    assert f"{party_name}出具的授权委托书（委托代理人：王律师）" in context.attachments
    assert any("主持调解的证明" in a for a in context.attachments)
    org = dataclasses.replace(parties()[1], kind="org", name="玉门市某某建材有限公司")
    sample = dataclasses.replace(confirmation_application(), case=dataclasses.replace(
        confirmation_application().case, parties=(parties()[0], org)))
    assert "玉门市某某建材有限公司" in pdf_text(render("confirmation-application", sample, "pdf"))


@pytest.mark.parametrize(("count", "wording"), [(2, "申请人双方"), (3, "各申请人")])
def test_both_applicants_only_for_two(count: int, wording: str) -> None:
    people = (*parties(), dataclasses.replace(parties()[0], name="马文才"))[:count]
    sample = confirmation_application()
    sample = dataclasses.replace(sample, case=dataclasses.replace(sample.case, parties=people))
    text = pdf_text(render("confirmation-application", sample, "pdf"))
    assert f"{wording}出于解决纠纷的目的" in text
    assert ("申请人双方" in text) == (count == 2)


# --- the agreement ------------------------------------------------------------------------------

def test_a_leftover_amount_token_is_refused(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, items='["被申请人赔偿{amount}。"]', amount=None, performance="转账")
    with pytest.raises(ValidationFailed, match=r"\{amount\}"):
        _issue(demo_db, "agreement", case.id)


def test_an_empty_performance_heading_is_refused(demo_db: Database) -> None:
    case = written_case(demo_db)
    _set_agreement(demo_db, case.id, performance="", performance_deadline=None, amount=None, items='["互不追究。"]')
    with pytest.raises(ValidationFailed, match="履行方式、时限"):
        _issue(demo_db, "agreement", case.id)


def test_an_agreement_dated_before_receipt_is_refused(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.read() as s:
        received = s.get_one(Case, case.id).received_date
    _set_agreement(demo_db, case.id, signed_on=received - timedelta(days=1))
    with pytest.raises(ValidationFailed, match="早于受理日期"):
        _issue(demo_db, "agreement", case.id)


def test_responsibilities_and_breach_are_the_mediators_fields(demo_db: Database) -> None:
    actor = _actor(demo_db)
    with demo_db.read() as s:  # a case in mediation that tj00 may record on (own case or own desk)
        case = next(c for c in s.scalars(select(Case).where(Case.stage == "调").order_by(Case.id))
                    if case_refusal(s, actor, Permission.CASE_RECORD, c) is None)
        case_id, received = case.id, case.received_date
    data = AgreementInput(items=("被申请人赔偿{amount}。",), signed_on=max(received, TODAY - timedelta(days=1)),
                          performance="银行转账", amount=Decimal("3000"), responsibilities="被申请人负主要责任。",
                          breach_clause="逾期不履行的，按日加付千分之一。")
    with demo_db.write.begin() as s:
        record_agreement(s, case_id, data, actor)
    text = pdf_text(_issue(demo_db, "agreement", case_id)[0])
    assert "各方当事人的责任：被申请人负主要责任。" in text and "违约责任：逾期不履行的，按日加付千分之一。" in text


def test_each_partys_name_is_printed_on_its_signature_line() -> None:
    text = pdf_text(render("agreement", agreement(), "pdf"))
    for party in agreement().case.parties:
        assert f"当事人（签名盖章或按指印）：{party.name}" in text


def test_the_oral_form_is_only_for_oral_agreements(demo_db: Database) -> None:
    with pytest.raises(ValidationFailed, match="口头协议登记表只用于口头协议"):
        _issue(demo_db, "oral-agreement", written_case(demo_db).id)
    data, _view = _issue(demo_db, "oral-agreement", oral_case(demo_db).id)
    assert "口头协议登记表" in pdf_text(data)


def test_the_dossier_lists_each_document_once_whatever_its_formats(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        for fmt in ("pdf", "docx"):
            issue(s, "intake-form", case.id, fmt, _actor(demo_db), today=TODAY)
            issue(s, "rights-notice", case.id, fmt, _actor(demo_db), today=TODAY)
    with demo_db.read() as s:
        titles = [e.title for e in dossier_entries(s, case.id)]
    assert titles.count("人民调解受理登记表") == 1 and titles.count("人民调解当事人权利义务告知书") == 1


# --- missing characters ---------------------------------------------------------------------------

def test_a_character_no_embedded_font_has_is_named_and_needs_confirming(demo_db: Database) -> None:
    rare = "\U00030000"  # CJK Ext-G: beyond UMing and HanaMin
    if issuing_fontset().font_for(rare) is not None:
        pytest.skip("this machine has a face covering CJK Ext-G")
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        party = s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id)).first()
        assert party is not None
        party.name = f"张{rare}三"
    with pytest.raises(MissingCharacters, match="U\\+30000") as refused:
        _issue(demo_db, "intake-form", case.id)
    assert refused.value.characters == (rare,)
    data, _view = _issue(demo_db, "intake-form", case.id, accept_missing=True)
    assert "张三" in pdf_text(data)  # the 〓 bars stand in; no notdef glyph


# --- the notices, from the CLI ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["rights-notice", "rejection-notice", "termination-notice"])
def test_notices_are_issued_from_the_cli(capsys, demo_db: Database, tmp_path, kind: str) -> None:
    case = {"rights-notice": written_case, "rejection-notice": rejected_case,
            "termination-notice": failed_case}[kind](demo_db)
    target = tmp_path / f"{kind}.pdf"
    code = main_as(Role.MEDIATOR, ["--db", db_url(demo_db), "render", kind, case.number, "-o", str(target)])
    _out, err = capsys.readouterr()
    assert code == 0, err
    text = pdf_text(target.read_bytes())
    assert case.number in text
    if kind != "rights-notice":
        assert "仲裁" in text and "向人民法院提起诉讼" in text  # the other routes are told


def test_termination_notice_refused_for_a_case_that_reached_agreement(demo_db: Database) -> None:
    with pytest.raises(ValidationFailed, match="终止调解告知书"):
        _issue(demo_db, "termination-notice", written_case(demo_db).id)


# --- the document dialog -----------------------------------------------------------------------------

def _dialog(window: MainWindow, case_id: int) -> DocumentDialog:
    window.select_case(case_id)
    dialog = window.detail.open_documents()
    assert dialog is not None
    return dialog


def test_the_dialog_shows_the_window_and_the_courts_before_saving(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.db
    case = written_case(db)
    recent_agreement(db, case.id)
    dialog = _dialog(window, case.id)
    dialog.choose("confirmation-application")
    assert "司法确认申请期限" in dialog.window_note.text() and "还剩" in dialog.window_note.text()
    assert dialog.court.count() >= 1 and dialog.court.currentText().endswith("人民法院")
    assert dialog.save_button.isEnabled()
    _set_agreement(db, case.id, signed_on=TODAY - timedelta(days=90))
    dialog.choose("intake-form")
    dialog.choose("confirmation-application")
    assert "已超过司法确认申请期限" in dialog.message.text() and not dialog.save_button.isEnabled()


def test_the_dialog_names_missing_characters_and_issues_only_when_confirmed(
        qtbot: QtBot, window: MainWindow, dialogs: RecordingDialogs, tmp_path: Path) -> None:
    rare = "\U00030000"
    if issuing_fontset().font_for(rare) is not None:
        pytest.skip("a face here covers CJK Ext-G")
    db = window.ctx.db
    case = written_case(db)
    with db.write.begin() as s:
        party = s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.id)).first()
        assert party is not None
        party.name = f"张{rare}三"
    dialog = _dialog(window, case.id)
    dialog.choose("intake-form", "pdf")
    dialog.open_after.setChecked(False)
    dialogs.ask_save_path = lambda *_args: str(tmp_path / "a.pdf")  # type: ignore[method-assign]  # answers the save prompt
    dialogs.answers = [None]  # the user declines
    assert not dialog.save() and not (tmp_path / "a.pdf").exists()
    assert "U+30000" in dialog.message.text()
    dialogs.answers = ["仍然出具（缺字印为〓，出具后手写补正）"]
    assert dialog.save(), dialog.message.text()
    assert (tmp_path / "a.pdf").exists()


def test_the_agreement_dialog_stores_responsibilities_and_breach(qtbot: QtBot, window: MainWindow) -> None:
    with window.ctx.db.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.stage == "调").order_by(Case.id)).first()
        received = s.get_one(Case, case_id).received_date
    assert case_id is not None
    dialog = AgreementDialog(window.ctx, case_id, "x", window)
    qtbot.addWidget(dialog)
    dialog.items.item(0, 0).setText("双方互不追究。")
    dialog.signed_on.setText(max(received, TODAY - timedelta(days=1)).isoformat())
    dialog.performance.setText("当场履行")
    dialog.responsibilities.setPlainText("双方均有过错，各负同等责任。")
    dialog.breach_clause.setPlainText("一方反悔的，另一方可以起诉。")
    assert dialog.save(), dialog.form_message.text()
    with window.ctx.db.read() as s:
        stored = latest_agreement(s, case_id)
    assert stored.responsibilities == "双方均有过错，各负同等责任。"
    assert stored.breach_clause == "一方反悔的，另一方可以起诉。"
