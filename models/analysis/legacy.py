"""Cases brought in from an old ledger (历史导入): each row becomes a case with a new number from
the counter, registered through the case service (so its rules apply), with the old number, the
masked or invalid ID numbers as written (flagged, never a party's ID) and a natural key beside it
in `legacy_records`. A row whose key is already there adds nothing, so a re-import is a no-op."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.analysis.entities import LegacyRecord
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.entities import Case
from models.cases.service import advance_stage, record, register_case
from models.dto import Actor, CaseDraft, PartyInput
from models.security.permissions import Permission, require

IMPORTED = "历史导入"


@dataclass(frozen=True)
class LegacyCaseInput:
    row: int
    received_date: date
    applicant: str
    respondent: str
    dispute_type_code: str
    summary: str
    source: str
    applicant_phone: str | None = None
    respondent_phone: str | None = None
    applicant_id: str | None = None  # valid numbers only
    respondent_id: str | None = None
    legacy_ids: tuple[str, ...] = ()  # masked or invalid numbers as written
    amount: Decimal | None = None
    legacy_number: str | None = None
    outcome: str | None = None

    @property
    def natural_key(self) -> str:
        """The same row imported twice has the same key: the old number, else its content."""
        basis = (f"编号|{self.legacy_number}" if self.legacy_number else
                 "|".join((self.received_date.isoformat(), self.applicant, self.respondent, self.dispute_type_code,
                           self.summary)))
        return hashlib.sha256(basis.encode()).hexdigest()


def known_keys(session: Session, keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    batch = list(keys)
    for start in range(0, len(batch), 5000):
        stmt = select(LegacyRecord.natural_key).where(LegacyRecord.natural_key.in_(batch[start:start + 5000]))
        found.update(session.scalars(stmt))
    return found


def import_case(session: Session, actor: Actor, row: LegacyCaseInput, committee_id: int, source_file: str) -> int | None:
    """Register one ledger row as a 历史导入 case; None when its key was imported before."""
    require(session, actor, Permission.LEDGER_IMPORT)
    if known_keys(session, [row.natural_key]):
        return None
    parties = (PartyInput(side="申请方", name=row.applicant, phone=row.applicant_phone, id_number=row.applicant_id,
                          id_type="居民身份证" if row.applicant_id else None),
               PartyInput(side="被申请方", name=row.respondent, phone=row.respondent_phone, id_number=row.respondent_id,
                          id_type="居民身份证" if row.respondent_id else None))
    draft = CaseDraft(committee_id=committee_id, source_channel=row.source, dispute_type_code=row.dispute_type_code,
                      summary=row.summary, received_date=row.received_date, parties=parties, amount=row.amount,
                      facts=f"{IMPORTED}（原编号：{row.legacy_number or '无'}）")
    ref = register_case(session, draft, actor)
    _record_outcome(session, actor, ref.id, row)
    session.add(LegacyRecord(case_id=ref.id, natural_key=row.natural_key, legacy_number=row.legacy_number,
                             legacy_id_numbers="、".join(row.legacy_ids), id_flagged=bool(row.legacy_ids),
                             source_file=source_file[:200], source_row=row.row))
    return ref.id


def _record_outcome(session: Session, actor: Actor, case_id: int, row: LegacyCaseInput) -> None:
    """An outcome in the ledger closes the case the way the service would have (no stage skipped)."""
    if not row.outcome:
        return
    if session.get_one(Case, case_id).stage == "诊":
        advance_stage(session, case_id, "refer_mediation", actor)
    if row.outcome in ("书面协议", "口头协议"):
        record_agreement(session, case_id, AgreementInput(items=(f"{IMPORTED}：原台账记载{row.outcome}",),
                                                          signed_on=row.received_date, oral=row.outcome == "口头协议",
                                                          amount=row.amount), actor)
    else:
        record(session, case_id, "mediation_outcome", row.outcome, actor, IMPORTED)
    if row.outcome != "调解不成":  # a failed mediation stays open for 裁 or 诉
        advance_stage(session, case_id, "close_mediation", actor)
