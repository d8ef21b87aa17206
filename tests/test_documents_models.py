"""models.documents.service over the demo database: a context for every kind, clear refusals without an
agreement, the ledger's filters, lazy keyset rows and masking, audited unmasking, and issuing."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.cases.agreements import AgreementInput, IssuedDocument, record_agreement
from models.cases.entities import Case
from models.db import Database
from models.documents.service import (
    CASE_KINDS,
    LedgerFilter,
    LedgerRows,
    UnmaskGrant,
    authorize_unmask,
    document_context,
    document_number,
    dossier_entries,
    issue,
    ledger_conditions,
    ledger_context,
    save_bytes,
    snapshot_of,
)
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Desk, OrgUnit, User
from models.security.audit import AuditEntry, chain_head
from models.security.permissions import PermissionDenied
from templates.context import AgreementContext, ConfirmationApplicationContext, LedgerContext, OralAgreementContext
from templates.render import KINDS, render
from tests.support.documents import (
    FULL_ID,
    case_for_kind,
    case_without_agreement,
    oral_case,
    pdf_text,
    written_case,
)

TODAY = date(2026, 11, 21)


def _actor(db: Database, username: str) -> Actor:
    with db.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
    return Actor(user.id, user.desk_id)


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_every_kind_builds_from_the_demo_database(demo_db: Database, kind: str) -> None:
    case = case_for_kind(demo_db, kind)
    with demo_db.read() as s:
        context = document_context(s, kind, case.id, today=TODAY)
    assert isinstance(context, KINDS[kind][0])
    text = pdf_text(render(kind, context, "pdf"))
    assert document_number(kind, context) in text  # agreement kinds print the agreement's own number
    if kind in ("intake-form", "mediation-record", "follow-up", "dossier"):
        assert case.number in text
    if kind not in ("dossier", "follow-up", "rejection-notice"):  # these name one party (or side) at most
        assert all(name in text for name in case.party_names)


def test_agreement_context_carries_the_recorded_agreement(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.read() as s:
        context = document_context(s, "agreement", case.id)
    assert isinstance(context, AgreementContext)
    assert context.number.startswith(context.number.split("人调协字")[0]) and "人调协字" in context.number
    assert context.items and context.agreement_date is not None
    assert [p.name for p in context.case.parties] == list(case.party_names)
    assert context.case.parties[0].id_number and "*" not in context.case.parties[0].id_number  # full on the 协议书


@pytest.mark.parametrize("kind", ["agreement", "oral-agreement", "confirmation-application"])
def test_agreement_kinds_need_an_agreement(demo_db: Database, kind: str) -> None:
    case = case_without_agreement(demo_db)
    with demo_db.read() as s, pytest.raises(NotFound, match="该案件尚未达成调解协议"):
        document_context(s, kind, case.id)


def test_oral_agreement_is_refused_a_written_form_and_confirmation(demo_db: Database) -> None:
    case = oral_case(demo_db)
    with demo_db.read() as s:
        assert isinstance(document_context(s, "oral-agreement", case.id), OralAgreementContext)
        with pytest.raises(ValidationFailed, match="口头协议"):
            document_context(s, "agreement", case.id)
        with pytest.raises(ValidationFailed, match="司法确认"):
            document_context(s, "confirmation-application", case.id)


def test_unknown_kind_is_a_clear_error(demo_db: Database) -> None:
    with demo_db.read() as s, pytest.raises(ValidationFailed, match="未知的文书类型"):
        document_context(s, "ledger", written_case(demo_db).id)


def test_agreement_recorded_later_reaches_the_documents(demo_db: Database) -> None:
    case = case_without_agreement(demo_db)
    with demo_db.write.begin() as s:
        data = AgreementInput(items=("乙方赔偿甲方{amount}。",), signed_on=date(2026, 11, 1), amount=Decimal("12000"))
        record_agreement(s, case.id, data, Actor())
    with demo_db.read() as s:
        context = document_context(s, "confirmation-application", case.id)
    assert isinstance(context, ConfirmationApplicationContext)
    assert context.agreement_summary == ("乙方赔偿甲方人民币壹万贰仟元整（¥12,000.00）。",)


def test_issue_records_the_hash_of_the_bytes_and_a_masked_snapshot(demo_db: Database, tmp_path) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        data, view = issue(s, "agreement", case.id, "docx", Actor())
        save_bytes(tmp_path / "a.docx", data)
    assert hashlib.sha256((tmp_path / "a.docx").read_bytes()).hexdigest() == view.sha256
    with demo_db.read() as s:
        row = s.get_one(IssuedDocument, view.id)
        audit = list(s.scalars(select(AuditEntry.detail).where(AuditEntry.entity == "issued_documents")))
    snapshot = json.loads(row.snapshot)
    assert row.kind == "agreement" and row.size == len(data) and snapshot["number"] == view.number
    assert not FULL_ID.search(row.snapshot) and audit and not any(FULL_ID.search(d) for d in audit)


def test_a_correction_points_at_the_document_it_corrects(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        _data, first = issue(s, "intake-form", case.id, "pdf", Actor())
        _data, second = issue(s, "intake-form", case.id, "pdf", Actor(), corrects_id=first.id)
    assert second.corrects_id == first.id
    with demo_db.read() as s:
        remarks = [e.remark for e in dossier_entries(s, case.id) if e.title == "人民调解受理登记表"]
    assert remarks == [case.number, f"{case.number}（更正）"]


def test_a_clerk_may_issue_but_a_grid_worker_may_not(demo_db: Database) -> None:
    case = written_case(demo_db)
    with demo_db.write.begin() as s:
        issue(s, "intake-form", case.id, "pdf", _actor(demo_db, "sj01"))
    with demo_db.read() as s:
        username = s.scalars(select(User.username).where(User.role == "网格员")).first()
    with demo_db.write.begin() as s, pytest.raises(PermissionDenied):
        issue(s, "intake-form", case.id, "pdf", _actor(demo_db, username))


def test_snapshot_masks_personal_numbers() -> None:
    from templates.samples import agreement

    snapshot = snapshot_of(agreement())
    party = snapshot["case"]["parties"][0]
    assert party["id_number"] == "620981********1236" and party["phone"] == "138****2345"
    assert not FULL_ID.search(json.dumps(snapshot, ensure_ascii=False, default=str))


# --- the ledger ------------------------------------------------------------------------------------

def _rows(db: Database, flt: LedgerFilter, **kwargs) -> list:
    with db.read() as s:
        context = ledger_context(s, flt, "测试", **kwargs)
        return list(context.rows)


def test_ledger_period_filter_keeps_only_cases_received_in_it(demo_db: Database) -> None:
    flt = LedgerFilter(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    rows = _rows(demo_db, flt)
    with demo_db.read() as s:
        expected = s.scalar(select(func.count()).select_from(Case).where(Case.received_date.between(flt.date_from, flt.date_to)))
    assert len(rows) == expected > 0
    assert all(flt.date_from <= r.registered_on <= flt.date_to for r in rows)
    assert [r.registered_on for r in rows] == sorted(r.registered_on for r in rows)


def test_ledger_desk_stage_type_and_level_filters(demo_db: Database) -> None:
    with demo_db.read() as s:
        desk = s.scalars(select(Desk).where(Desk.name == "警调窗口")).one()
        town = s.scalars(select(OrgUnit).where(OrgUnit.name == "玉门镇")).one()
        town_cases = s.scalar(select(func.count()).select_from(Case).where(*ledger_conditions(s, LedgerFilter(org_unit_id=town.id))))
        all_cases = s.scalar(select(func.count()).select_from(Case))
    by_desk = _rows(demo_db, LedgerFilter(desk_id=desk.id))
    assert by_desk and all(r.responsible.startswith("警调窗口") for r in by_desk)
    archived = _rows(demo_db, LedgerFilter(stage="归档"))
    assert archived and all(r.stage == "归档" for r in archived)
    labour = _rows(demo_db, LedgerFilter(dispute_type_code="10"))
    assert labour and all("劳动" in r.dispute_type or "工资" in r.dispute_type for r in labour)
    assert 0 < town_cases < all_cases  # the township's whole subtree (villages, grids), not the county


def test_ledger_rejects_a_reversed_period(demo_db: Database) -> None:
    with demo_db.read() as s, pytest.raises(ValidationFailed, match="开始日期晚于结束日期"):
        ledger_context(s, LedgerFilter(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)), "测试")


def test_ledger_rows_are_masked_by_default_and_carry_the_anchor(demo_db: Database) -> None:
    with demo_db.read() as s:
        context = ledger_context(s, LedgerFilter(), "测试")
        anchor = chain_head(s).footer()
        rows = list(context.rows)
    assert isinstance(context, LedgerContext) and not context.unmasked
    assert context.chain_anchor == anchor and "审计链锚点" in anchor
    ids = [n for r in rows for n in r.id_numbers if n]  # aligned with the parties: "" where none
    assert ids and all("*" in n for n in ids) and not any(FULL_ID.search(n) for n in ids)
    assert all("****" in p or "*" in p for r in rows for p in r.phones)


def test_lazy_rows_read_in_keyset_chunks_and_hold_two_at_most(demo_db: Database) -> None:
    with demo_db.read() as s:
        conditions = ledger_conditions(s, LedgerFilter())
        rows = LedgerRows(s, conditions, chunk_size=7)
        walked = [rows[i].case_number for i in range(len(rows))]
        assert len(rows._chunks) <= 2
        assert rows[-1].case_number == walked[-1] and rows[3:5] == [rows[3], rows[4]]
        jump = LedgerRows(s, conditions, chunk_size=7)
        assert jump[len(jump) - 1].case_number == walked[-1]  # a jump walks the keys, never an OFFSET
        with pytest.raises(IndexError):
            rows[len(rows)]
    assert len(set(walked)) == len(walked) == 320


def test_unmasking_needs_the_permission_and_is_audited(demo_db: Database) -> None:
    clerk, mediator = _actor(demo_db, "sj01"), _actor(demo_db, "tj00")
    with demo_db.write.begin() as s, pytest.raises(PermissionDenied):
        authorize_unmask(s, clerk, LedgerFilter(), "核对")
    with demo_db.write.begin() as s, pytest.raises(PermissionDenied, match="理由"):
        authorize_unmask(s, mediator, LedgerFilter(), " ")
    with demo_db.write.begin() as s:
        grant = authorize_unmask(s, mediator, LedgerFilter(stage="归档"), "报送法院核对")
    with demo_db.read() as s:
        event = s.get_one(AuditEntry, grant.audit_seq)
        context = ledger_context(s, LedgerFilter(stage="归档"), "测试", unmask=grant)
        rows = list(context.rows)
    assert event.action == "export_unmasked" and "报送法院核对" in event.detail and event.user_id == mediator.user_id
    assert context.unmasked and any(FULL_ID.search(n) for r in rows for n in r.id_numbers)
    assert isinstance(grant, UnmaskGrant)


def test_save_bytes_refuses_a_missing_folder_and_leaves_nothing(tmp_path) -> None:
    with pytest.raises(ValidationFailed, match="输出目录不存在"):
        save_bytes(tmp_path / "missing" / "a.pdf", b"x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationFailed, match="输出目录不存在"):
        save_bytes(tmp_path / "file" / "a.pdf", b"x")
    with pytest.raises(ValidationFailed, match="文件夹"):
        save_bytes(tmp_path, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
