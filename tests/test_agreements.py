"""Agreements are numbered in their own sequence and record the outcome; issued documents are
immutable, and a correction refers to the document it corrects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.cases.agreements import AgreementInput, issue_document, issued_documents, latest_agreement, record_agreement
from models.cases.queries import case_detail
from models.cases.service import register_case
from models.db import Database
from models.errors import NotFound, ValidationFailed
from tests.support.factories import ACTOR, committee, draft, refer


def _mediating_case(db: Database) -> int:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s)), ACTOR)
        refer(s, ref.id, ACTOR)
        return ref.id


def test_agreement_is_numbered_and_sets_the_outcome(db: Database) -> None:
    case_id = _mediating_case(db)
    with db.write.begin() as s:
        with pytest.raises(NotFound, match="尚未达成调解协议"):
            latest_agreement(s, case_id)
        with pytest.raises(ValidationFailed):
            record_agreement(s, case_id, AgreementInput(items=(" ",), signed_on=date(2025, 3, 9)), ACTOR)
        data = AgreementInput(items=("李四于2025年4月1日前疏通排水沟。", "张三不再追究。"), signed_on=date(2025, 3, 9),
                              performance="一次性履行", amount=Decimal("12000"))
        view = record_agreement(s, case_id, data, ACTOR)
    assert view.number == "玉门人调协字〔2025〕1号"
    with db.read() as s:
        assert latest_agreement(s, case_id).items == data.items
        assert case_detail(s, case_id=case_id).mediation_outcome == "书面协议"


def test_agreement_needs_a_case_in_mediation(db: Database) -> None:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s)), ACTOR)
        with pytest.raises(ValidationFailed, match="阶段"):
            record_agreement(s, ref.id, AgreementInput(items=("甲方赔偿乙方。",), signed_on=date(2025, 3, 9)), ACTOR)


def test_issued_documents_cannot_be_changed_and_corrections_link_back(db: Database) -> None:
    case_id = _mediating_case(db)
    with db.write.begin() as s:
        first = issue_document(s, kind="agreement", number="玉门人调协字〔2025〕1号", file_format="pdf",
                               content=b"%PDF-1", snapshot={"items": ["甲"]}, actor=ACTOR, case_id=case_id)
        fixed = issue_document(s, kind="agreement", number="玉门人调协字〔2025〕1号", file_format="pdf",
                               content=b"%PDF-2", snapshot={"items": ["乙"]}, actor=ACTOR, case_id=case_id,
                               corrects_id=first.id)
    assert fixed.corrects_id == first.id and fixed.sha256 != first.sha256
    for statement in ("UPDATE issued_documents SET number = 'x'", "DELETE FROM issued_documents"):
        with pytest.raises(DBAPIError, match="不可修改"), db.write.begin() as s:
            s.execute(text(statement))
    with db.read() as s:
        assert [d.id for d in issued_documents(s, case_id)] == [first.id, fixed.id]
