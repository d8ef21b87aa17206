"""归档 only with a complete 卷宗: refused with the list of missing items, allowed once they exist;
the signed copy of an issued agreement sets its effective date and starts the 司法确认 clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.casefile.attachments import add_attachment
from models.casefile.checklist import checklist, missing_items
from models.casefile.signing import COMMITTEE, MEDIATOR, PARTY, SignatureInput, effective_date, mark_signed
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.entities import Party
from models.cases.service import advance_stage, load_case, record
from models.db import Database
from models.documents.service import issue
from models.errors import TransitionRefused, ValidationFailed
from models.workflow.entities import CaseDeadline
from tests.support.casefile import ACTOR, close_terminated, jpeg, new_case, pdf
from tests.support.factories import refer


def test_archiving_is_refused_with_the_missing_items_and_succeeds_once_they_exist(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
        close_terminated(s, case_id)
    with db.write.begin() as s, pytest.raises(TransitionRefused) as refused:
        advance_stage(s, case_id, "archive", ACTOR)
    assert refused.value.blockers == ["卷宗缺少“人民调解申请书或受理登记表”", "卷宗缺少“人民调解当事人权利义务告知书”",
                                      "卷宗缺少“当事人身份证明”", "卷宗缺少“人民调解记录”"]
    with db.write.begin() as s:
        add_attachment(s, case_id, filename="申请书.pdf", data=pdf("APPLY"), category="人民调解申请书", actor=ACTOR)
        add_attachment(s, case_id, filename="告知书.pdf", data=pdf("NOTICE"), category="权利义务告知书", actor=ACTOR)
        add_attachment(s, case_id, filename="身份证.jpg", data=jpeg(), category="当事人身份证明", actor=ACTOR)
        assert missing_items(s, load_case(s, case_id)) == ["人民调解记录"]
    with db.write.begin() as s, pytest.raises(TransitionRefused, match="人民调解记录"):
        advance_stage(s, case_id, "archive", ACTOR)
    with db.write.begin() as s:
        issue(s, "mediation-record", case_id, "pdf", ACTOR)  # an issued document fills its section too
        assert all(present for _item, present in checklist(s, load_case(s, case_id)))
        assert advance_stage(s, case_id, "archive", ACTOR).stage == "归档"


def test_a_rejected_case_needs_only_its_intake_record(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
        advance_stage(s, case_id, "reject", ACTOR, "不属于人民调解受理范围，已告知向法院起诉")
        assert missing_items(s, load_case(s, case_id)) == ["人民调解申请书或受理登记表"]
        issue(s, "intake-form", case_id, "pdf", ACTOR)
        assert missing_items(s, load_case(s, case_id)) == []


def test_a_court_referred_case_needs_the_referral_letter_instead_of_an_application(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s, source="法院委派")
        close_terminated(s, case_id)
        assert missing_items(s, load_case(s, case_id)) == ["法院委派（委托）调解函", "当事人身份证明", "人民调解记录"]


def _written_agreement(s, case_id: int) -> int:
    refer(s, case_id)
    view = record_agreement(s, case_id, AgreementInput(items=("李四疏通排水沟",), signed_on=date(2026, 11, 2), performance="当场履行"), ACTOR)
    return view.id


def _signatures(s, case_id: int, days: tuple[int, ...]) -> list[SignatureInput]:
    parties = s.scalars(select(Party.id).where(Party.case_id == case_id).order_by(Party.id)).all()
    found = [SignatureInput(PARTY, date(2026, 11, d), party_id=p) for p, d in zip(parties, days, strict=False)]
    return [*found, SignatureInput(MEDIATOR, date(2026, 11, 3)), SignatureInput(COMMITTEE, date(2026, 11, 3))]


def test_signing_an_issued_agreement_sets_its_effective_date_and_the_confirmation_clock(db: Database) -> None:
    with db.write.begin() as s:
        case_id = new_case(s)
        agreement_id = _written_agreement(s, case_id)
    with pytest.raises(ValidationFailed, match="尚未出具协议书"), db.write.begin() as s:
        mark_signed(s, agreement_id, _signatures(s, case_id, (3, 5)), scan_name="签字本.pdf", scan=pdf("SIGNED"),
                    actor=ACTOR)
    with db.write.begin() as s:
        issue(s, "agreement", case_id, "pdf", ACTOR)
    with pytest.raises(ValidationFailed, match="当事人“李四”尚未签字"), db.write.begin() as s:
        mark_signed(s, agreement_id, _signatures(s, case_id, (3,)), scan_name="签字本.pdf", scan=pdf("SIGNED"),
                    actor=ACTOR)
    with db.write.begin() as s:
        view = mark_signed(s, agreement_id, _signatures(s, case_id, (3, 5)), scan_name="签字本.pdf",
                           scan=pdf("SIGNED", 2), actor=ACTOR)
    assert view.effective_on == date(2026, 11, 5) and len(view.signatures) == 4  # the last signature
    with db.read() as s:
        assert effective_date(s, agreement_id) == date(2026, 11, 5)
        clock_row = s.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case_id,
                                                         CaseDeadline.trigger_date == date(2026, 11, 5))).one()
        assert clock_row.due_date == date(2026, 12, 7)  # 30 days → 5 December, a Saturday → Monday
    with db.write.begin() as s:
        record(s, case_id, "mediation_outcome", "书面协议", ACTOR)
        assert "人民调解协议书（各方签字本）" not in missing_items(s, load_case(s, case_id))
