"""The session hooks belong to the sessions open_database makes (not to every Session in the
process), and every write that moves a clock re-syncs the case's deadlines through that one hook."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import clock
from models.cases.editing import save_case_edits
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import Database
from models.deadlines import COMPLEX, ORDINARY
from models.org.entities import Desk
from models.security.audit import AuditEntry
from models.workflow.deadline_service import case_deadlines
from models.workflow.dispatch import TargetInput, open_dispatch
from tests.support.factories import ACTOR, committee, draft, refer

TARGETS = [TargetInput("主办", "玉门镇人民政府"), TargetInput("属地监督", "代家滩村第一网格")]


def _audit_rows(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_only_the_database_sessions_run_the_audit_hook(db: Database) -> None:
    before = _audit_rows(db)
    with sessionmaker(db.engine).begin() as bare:  # a session open_database did not make
        bare.add(Desk(name="旁路窗口"))
    assert _audit_rows(db) == before
    with db.write.begin() as s:
        s.add(Desk(name="正门窗口"))
    assert _audit_rows(db) == before + 1


def _dispatched_case(s: Session) -> int:
    case_id = register_case(s, draft(committee(s), received=clock.today(), complexity=ORDINARY), ACTOR).id
    refer(s, case_id, ACTOR)
    open_dispatch(s, case_id, TARGETS, ACTOR)
    return case_id


def _complexity_rules(db: Database, case_id: int) -> set[str]:
    with db.read() as s:
        return {d.rule_code for d in case_deadlines(s, case_id) if d.rule_code.startswith("tm_") and d.rule_code != "tm_general"}


def test_a_dispatch_starts_its_clock_without_a_manual_sync(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _dispatched_case(s)
    assert _complexity_rules(db, case_id) == {"tm_ordinary"}


def test_editing_the_complexity_moves_the_dispatch_clock(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _dispatched_case(s)
    with db.write.begin() as s:
        version = s.get_one(Case, case_id).version
        save_case_edits(s, case_id, version, {"complexity": COMPLEX}, ACTOR)
    assert _complexity_rules(db, case_id) == {"tm_complex"}
