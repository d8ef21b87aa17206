"""Cases brought in from an old ledger (历史导入): each row becomes a case with a new number from
the counter, registered through the case service (so its rules apply), with the old number, the
masked or invalid ID numbers as written (flagged, never a party's ID) and a natural key beside it
in `legacy_records`. A row whose key is already there adds nothing, so a re-import is a no-op."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from models.analysis.entities import LegacyRecord
from models.base import Base, utcnow
from models.cases import numbering
from models.cases.agreements import Agreement
from models.cases.entities import Case, Party, StageEvent
from models.cases.search import index_row, search_terms
from models.dto import Actor
from models.org.entities import Committee
from models.security.audit import record_event
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

    @cached_property
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


# --- the bulk path ---------------------------------------------------------------------------
# The same rows (checked by the same form validators) written a batch at a time: numbers are
# taken per committee and year in one counter step, and cases, parties, events, agreements, the
# search rows and the legacy records go in as multi-row INSERTs. The events are the ones the
# services write (登记; 受理并转入调解, 记录调解结果, 调解结案 when the ledger has an outcome). One
# audit event records the import; imported (historical) cases start no deadline clocks.

BULK_BATCH = 2000
OUTCOME_EVENTS = (("refer_mediation", "诊", "调", ""), ("record_outcome", "调", "调", None))
CLOSE_EVENT = ("close_mediation", "调", "办结", "")


def bulk_import(session: Session, actor: Actor, rows: Iterable[LegacyCaseInput], committee_id: int,
                source_file: str) -> int:
    """Import checked rows whose keys are new, in batches inside the caller's transaction."""
    require(session, actor, Permission.LEDGER_IMPORT)
    committee = session.get_one(Committee, committee_id)
    added, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BULK_BATCH:
            added += _bulk_batch(session, actor, committee, batch, source_file)
            batch = []
    if batch:
        added += _bulk_batch(session, actor, committee, batch, source_file)
    record_event(session, actor, "import_ledger", "cases", None, file=source_file[:200], cases=added)
    return added


def _numbers(session: Session, committee: Committee, years: list[int], kind: str) -> list[tuple[int, str]]:
    """(seq, number) per entry of `years`, consecutive within each year, in the order given."""
    counts: dict[int, int] = {}
    for year in years:
        counts[year] = counts.get(year, 0) + 1
    next_of = {y: numbering.take_values(session, committee.id, y, kind, n) - n + 1 for y, n in counts.items()}
    found = []
    for year in years:
        number = numbering.format_number(committee.number_pattern, committee.code, year, next_of[year])
        found.append((next_of[year], number if kind == "案件" else number.replace("人调字", "人调协字")))
        next_of[year] += 1
    return found


def _bulk_batch(session: Session, actor: Actor, committee: Committee, rows: list[LegacyCaseInput], source: str) -> int:
    seen = known_keys(session, [r.natural_key for r in rows])  # the service's own guard against a re-import
    rows = [r for r in rows if r.natural_key not in seen]
    if not rows:
        return 0
    numbered = _numbers(session, committee, [r.received_date.year for r in rows], "案件")
    numbers = [n for _, n in numbered]
    session.execute(insert(_table(Case)), [_case_values(committee, r, seq, n, actor)
                                             for r, (seq, n) in zip(rows, numbered, strict=True)])
    # The new ids by their (unique) numbers: an INSERT … RETURNING kept in parameter order made the
    # driver splice every batch's rows and took more time than the inserts themselves.
    id_of = {number: case_id for number, case_id in session.execute(
        select(Case.number, Case.id).where(Case.number.in_(numbers)))}
    ids = [id_of[n] for n in numbers]
    # Core inserts on the tables (one executemany each): the ORM's bulk path fetched every new
    # row back and cost most of the import's time.
    session.execute(insert(_table(Party)), [p for case_id, r in zip(ids, rows, strict=True)
                                              for p in _party_values(case_id, r)])
    session.execute(insert(_table(StageEvent)), [e for case_id, r in zip(ids, rows, strict=True)
                                                   for e in _events(case_id, r, actor)])
    agreed = [(case_id, r) for case_id, r in zip(ids, rows, strict=True) if r.outcome in ("书面协议", "口头协议")]
    if agreed:
        agreement_numbers = _numbers(session, committee, [r.received_date.year for _, r in agreed], "协议")
        session.execute(insert(_table(Agreement)), [_agreement(case_id, r, n)
                                            for (case_id, r), (_, n) in zip(agreed, agreement_numbers, strict=True)])
    _index(session, ids, rows, numbers)
    session.execute(insert(_table(LegacyRecord)), [
        {"case_id": case_id, "natural_key": r.natural_key, "legacy_number": r.legacy_number,
         "legacy_id_numbers": "、".join(r.legacy_ids), "id_flagged": bool(r.legacy_ids), "source_file": source[:200],
         "source_row": r.row} for case_id, r in zip(ids, rows, strict=True)])
    return len(rows)


def _table(entity: type[Base]) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


def _final_stage(row: LegacyCaseInput) -> str:
    if not row.outcome:
        return "诊"
    return "调" if row.outcome == "调解不成" else "办结"


def _case_values(committee: Committee, row: LegacyCaseInput, seq: int, number: str, actor: Actor) -> dict[str, object]:
    return {
        "number": number, "committee_id": committee.id, "year": row.received_date.year,
        "seq": seq,
        "desk_id": committee.desk_id or actor.desk_id, "source_channel": row.source,
        "dispute_type_code": row.dispute_type_code, "amount": row.amount, "people_involved": 2,
        "mass_incident": False, "summary": row.summary, "facts": f"{IMPORTED}（原编号：{row.legacy_number or '无'}）",
        "claims": "", "stage": _final_stage(row), "mediation_outcome": row.outcome, "received_date": row.received_date,
        "first_handler_id": actor.user_id, "registered_by_id": actor.user_id, "complexity": "一般", "version": 1,
        "closed_at": utcnow() if _final_stage(row) == "办结" else None,
    }


def _party_values(case_id: int, row: LegacyCaseInput) -> list[dict[str, object]]:
    return [
        {"case_id": case_id, "side": side, "ordinal": i, "kind": "自然人", "name": name, "phone": phone,
         "id_number": ident, "id_type": "居民身份证" if ident else None, "version": 1}
        for i, (side, name, phone, ident) in enumerate((
            ("申请方", row.applicant, row.applicant_phone, row.applicant_id),
            ("被申请方", row.respondent, row.respondent_phone, row.respondent_id)))
    ]


def _events(case_id: int, row: LegacyCaseInput, actor: Actor) -> list[dict[str, object]]:
    found = [{"case_id": case_id, "action": "register", "from_stage": None, "to_stage": "诊", "user_id": actor.user_id,
              "desk_id": actor.desk_id, "reason": "登记"}]
    if row.outcome:
        for action, source, target, reason in OUTCOME_EVENTS:
            found.append({"case_id": case_id, "action": action, "from_stage": source, "to_stage": target,
                          "user_id": actor.user_id, "desk_id": actor.desk_id,
                          "reason": f"调解结果：{row.outcome}；{IMPORTED}" if reason is None else reason})
    if _final_stage(row) == "办结":
        action, source, target, reason = CLOSE_EVENT
        found.append({"case_id": case_id, "action": action, "from_stage": source, "to_stage": target,
                      "user_id": actor.user_id, "desk_id": actor.desk_id, "reason": reason})
    return found


def _agreement(case_id: int, row: LegacyCaseInput, number: str) -> dict[str, object]:
    return {"case_id": case_id, "number": number, "oral": row.outcome == "口头协议",
            "items": json.dumps([f"{IMPORTED}：原台账记载{row.outcome}"], ensure_ascii=False), "performance": "",
            "amount": row.amount, "signed_on": row.received_date, "confirmation_notice": False, "version": 1}


def _index(session: Session, ids: list[int], rows: list[LegacyCaseInput], numbers: list[str]) -> None:
    """Search rows for the imported cases, through the one writer the search index has (both databases)."""
    dialect = session.get_bind().dialect.name
    statement, batch = "", []
    for case_id, r, number in zip(ids, rows, numbers, strict=True):
        terms = search_terms(number, ((r.applicant, r.applicant_phone, r.applicant_id),
                                      (r.respondent, r.respondent_phone, r.respondent_id)))
        statement, params = index_row(dialect, case_id, terms)
        batch.append(params)
    if batch:
        session.execute(text(statement), batch)  # one executemany: the statement is the same for every row
