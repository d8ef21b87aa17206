"""Audit trail: service changes are recorded and chained, the database refuses edits to the trail,
and every kind of tampering (field edit, deletion, swap, truncation with an anchor) is detected."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from models.cases.entities import Case
from models.cases.service import record, register_case
from models.db import Database
from models.dto import Actor
from models.org.entities import Desk
from models.security.audit import GENESIS_HASH, AuditEntry, acting, chain_head, record_event, row_digest, verify_chain
from tests.support.factories import committee, draft, refer
from tests.support.security import audit_guards_off


def _seed(db: Database, cases: int = 3, code: str = "玉门") -> list[int]:
    with db.write.begin() as s:
        cid = committee(s, code)
    ids = []
    for _ in range(cases):
        with db.write.begin() as s:
            ids.append(register_case(s, draft(cid), Actor()).id)
    return ids


def _rows(db: Database) -> list[AuditEntry]:
    with db.read() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_service_changes_are_recorded_with_actor_and_before_after(db: Database) -> None:
    [case_id] = _seed(db, 1)
    with db.write.begin() as s:
        desk = Desk(name="第二窗口")
        s.add(desk)
        s.flush()
        desk_id = desk.id
    with db.write.begin() as s:
        record(s, case_id, "arbitration_track", "商事仲裁", Actor(None, desk_id))  # allowed at 诊
    rows = _rows(db)
    assert {"cases", "parties", "stage_events"} <= {r.entity for r in rows if r.action == "insert"}
    update = next(r for r in rows if r.entity == "cases" and r.action == "update")
    detail = json.loads(update.detail)
    assert detail["before"]["arbitration_track"] is None and detail["after"]["arbitration_track"] == "商事仲裁"
    assert update.desk_id == desk_id and update.entity_id == str(case_id)
    with db.read() as s:
        assert verify_chain(s).ok and verify_chain(s).checked == len(rows)


def test_sequence_is_dense_and_linked(db: Database) -> None:
    _seed(db, 2)
    rows = _rows(db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))


def test_full_id_numbers_and_phones_never_enter_the_trail(db: Database) -> None:
    _seed(db, 1)
    trail = " ".join(r.detail for r in _rows(db))
    assert "11010519491231002X" not in trail and "110105********002X" in trail
    assert "13812345678" not in trail and "138****5678" in trail


def test_a_rolled_back_action_leaves_no_audit_row(db: Database) -> None:
    [case_id] = _seed(db, 1)
    before = len(_rows(db))
    with pytest.raises(RuntimeError), db.write.begin() as s:
        record(s, case_id, "arbitration_track", "商事仲裁", Actor())
        raise RuntimeError("crash before commit")
    assert len(_rows(db)) == before


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x' WHERE seq = 1",
                                       "DELETE FROM audit_log WHERE seq = 1"])
def test_database_refuses_update_and_delete(db: Database, statement: str) -> None:
    _seed(db, 1)
    with pytest.raises(DBAPIError, match="审计记录不可"), db.write.begin() as s:
        s.execute(text(statement))


def test_postgresql_refuses_truncate(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("TRUNCATE is PostgreSQL only")
    _seed(db, 1)
    with pytest.raises(DBAPIError, match="审计记录不可"), db.write.begin() as s:
        s.execute(text("TRUNCATE audit_log"))


COLUMNS = ["at", "user_id", "desk_id", "entity", "entity_id", "action", "detail", "prev_hash", "row_hash"]
VALUES = {"at": "2001-01-01 00:00:00.000000", "user_id": 99, "desk_id": 99, "entity": "x", "entity_id": "x",
          "action": "x", "detail": "{}", "prev_hash": "f" * 64, "row_hash": "e" * 64}


def _tamper(db: Database, statement: str, **params: object) -> None:
    with db.write.begin() as s, audit_guards_off(s):
        s.execute(text(statement), params)


@pytest.mark.parametrize("column", COLUMNS)
def test_editing_any_field_of_any_row_is_detected(db: Database, column: str) -> None:
    _seed(db, 1)
    total = len(_rows(db))
    value = "2001-01-01 00:00:00+00" if column == "at" and not db.is_sqlite else VALUES[column]
    for seq in (1, total // 2, total):
        with db.read() as s:
            original = s.execute(text(f"SELECT {column} FROM audit_log WHERE seq = :seq"), {"seq": seq}).scalar()
        _tamper(db, f"UPDATE audit_log SET {column} = :v WHERE seq = :seq", v=value, seq=seq)
        with db.read() as s:
            report = verify_chain(s)
        assert report.first_bad_seq == seq, (column, seq, report)
        _tamper(db, f"UPDATE audit_log SET {column} = :v WHERE seq = :seq", v=original, seq=seq)
        with db.read() as s:
            assert verify_chain(s).ok


def test_deleting_a_row_is_detected(db: Database) -> None:
    _seed(db, 1)
    _tamper(db, "DELETE FROM audit_log WHERE seq = 3")
    with db.read() as s:
        report = verify_chain(s)
    assert report.first_bad_seq == 3 and "缺失" in report.problem


def test_swapping_two_rows_is_detected(db: Database) -> None:
    _seed(db, 1)
    cols = ", ".join(COLUMNS)
    sets = ", ".join(f"{c} = :{c}" for c in COLUMNS)
    with db.write.begin() as s, audit_guards_off(s):
        a = dict(s.execute(text(f"SELECT {cols} FROM audit_log WHERE seq = 2")).mappings().one())
        b = dict(s.execute(text(f"SELECT {cols} FROM audit_log WHERE seq = 3")).mappings().one())
        s.execute(text(f"UPDATE audit_log SET {sets} WHERE seq = 2"), b)
        s.execute(text(f"UPDATE audit_log SET {sets} WHERE seq = 3"), a)
    with db.read() as s:
        assert verify_chain(s).first_bad_seq == 2


def test_truncating_the_tail_is_detected_only_with_an_anchor(db: Database) -> None:
    _seed(db, 2)
    with db.read() as s:
        anchor = chain_head(s)
    _tamper(db, "DELETE FROM audit_log WHERE seq > :keep", keep=anchor.seq - 3)
    with db.read() as s:
        assert verify_chain(s).ok  # a chain alone cannot see a shortened tail…
        report = verify_chain(s, anchor)
    assert not report.ok and "末尾" in report.problem  # …the anchor kept outside can


def test_an_old_anchor_still_verifies_after_more_changes(db: Database) -> None:
    _seed(db, 1)
    with db.read() as s:
        anchor = chain_head(s)
    _seed(db, 1, code="赤金")
    with db.read() as s:
        assert verify_chain(s, anchor).ok
        assert chain_head(s).seq > anchor.seq


def test_rewriting_before_an_anchor_is_detected_even_if_rechained(db: Database) -> None:
    """An attacker who recomputes every hash after editing row 2 still disagrees with the anchor."""
    _seed(db, 1)
    with db.read() as s:
        anchor = chain_head(s)
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    prev = GENESIS_HASH
    with db.write.begin() as s, audit_guards_off(s):
        for row in rows:
            values = {c: getattr(row, c) for c in ("seq", "at", "user_id", "desk_id", "entity", "entity_id", "detail")}
            values["action"] = "forged" if row.seq == 2 else row.action
            digest = row_digest(values, prev)
            s.execute(text("UPDATE audit_log SET action = :a, prev_hash = :p, row_hash = :h WHERE seq = :seq"),
                      {"a": values["action"], "p": prev, "h": digest, "seq": row.seq})
            prev = digest
    with db.read() as s:
        assert verify_chain(s).ok
        assert verify_chain(s, anchor).first_bad_seq == anchor.seq


def test_explicit_events_join_the_chain(db: Database) -> None:
    before = len(_rows(db))
    with db.write.begin() as s:
        acting(s, Actor(None, None))
        record_event(s, None, "export", "cases", None, rows=3, masked=True)
    with db.read() as s:
        assert verify_chain(s).checked == before + 1
        assert chain_head(s).seq == before + 1
    assert _rows(db)[-1].action == "export"


def test_advance_stage_is_attributed_to_its_actor(db: Database) -> None:
    [case_id] = _seed(db, 1)
    with db.write.begin() as s:
        desk = Desk(name="受理窗口")
        s.add(desk)
        s.flush()
        desk_id = desk.id
    with db.write.begin() as s:
        refer(s, case_id, Actor(None, desk_id))
    with db.read() as s:
        stage = s.get(Case, case_id).stage
        last = s.scalars(select(AuditEntry).where(AuditEntry.entity == "cases", AuditEntry.action == "update")).all()
    assert stage == "调" and last[-1].desk_id == desk_id
