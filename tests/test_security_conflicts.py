"""No lost updates, no lost work: two desks edit the same case in random interleavings; every
accepted save survives and every refused one is kept as its user's draft. The negative control
saves without the version check and must lose updates, proving the check can fail."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text, update

from models.cases.drafts import DraftStore
from models.cases.editing import save_case_edits, save_keeping_draft
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import Database, open_database
from models.dto import Actor
from models.errors import EditConflict
from tests.support.factories import committee, draft

Save = Callable[[Database, int, int, str, Actor], None]


def versioned_save(desk: Database, case_id: int, base: int, facts: str, actor: Actor) -> None:
    with desk.write.begin() as s:
        save_case_edits(s, case_id, base, {"facts": facts}, actor)


def unversioned_save(desk: Database, case_id: int, base: int, facts: str, actor: Actor) -> None:
    with desk.write.begin() as s:  # what an app without the version column does: last writer wins
        s.execute(update(Case).where(Case.id == case_id).values(facts=facts))


@dataclass
class Desk:
    name: str
    db: Database
    actor: Actor
    base: int = 0
    seen: str = ""


def _load(desk: Desk, case_id: int) -> None:
    with desk.db.read() as s:
        desk.base, desk.seen = s.execute(text("SELECT version, facts FROM cases WHERE id = :i"), {"i": case_id}).one()


def _orders(rng: random.Random) -> list[str]:
    """A random interleaving of load A, load B, save A, save B with each load before its save."""
    steps = ["la", "lb", "sa", "sb"]
    while True:
        rng.shuffle(steps)
        if steps.index("la") < steps.index("sa") and steps.index("lb") < steps.index("sb"):
            return list(steps)


def run_trials(desks: tuple[Desk, Desk], case_id: int, trials: int, store: DraftStore | None, save: Save,
               seed: int = 7) -> tuple[int, int, int]:
    """Returns (lost updates, refused saves, refused saves missing from the drafts)."""
    rng = random.Random(seed)
    lost = refused = missing = 0
    for trial in range(trials):
        accepted = []
        for step in _orders(rng):
            desk = desks[0] if step[1] == "a" else desks[1]
            if step[0] == "l":
                _load(desk, case_id)
                continue
            tag = f"<{trial}{desk.name}>"
            payload = {"facts": desk.seen + tag}
            try:
                if store is None:
                    save(desk.db, case_id, desk.base, payload["facts"], desk.actor)
                else:
                    save_keeping_draft(desk.db.write, store, user_id=desk.actor.user_id, form="case_edit",
                                       payload=payload, record_id=case_id, base_version=desk.base,
                                       save=partial(save_case_edits, case_id=case_id, base_version=desk.base,
                                                    changes=payload, actor=desk.actor))
                accepted.append(tag)
            except EditConflict:
                refused += 1
                kept = store.load(desk.actor.user_id, "case_edit", case_id) if store else None
                missing += kept is None or kept.payload != payload
                if store:
                    store.discard(desk.actor.user_id, "case_edit", case_id)
        with desks[0].db.read() as s:
            final = s.scalar(text("SELECT facts FROM cases WHERE id = :i"), {"i": case_id})
        lost += sum(tag not in final for tag in accepted)
    return lost, refused, missing


def _two_desks(db: Database, url: str) -> tuple[tuple[Desk, Desk], int]:
    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s)), Actor()).id
    other = open_database(url)
    return (Desk("A", db, Actor(None, 1)), Desk("B", other, Actor(None, 2))), case_id


@pytest.fixture
def desks(db: Database, any_db_url: str):
    pair, case_id = _two_desks(db, any_db_url)
    yield pair, case_id
    pair[1].db.engine.dispose()


def test_two_desks_random_interleavings_lose_no_update_and_keep_every_refused_edit(desks, tmp_path: Path) -> None:
    pair, case_id = desks
    trials = 1000 if pair[0].db.is_sqlite else 300
    lost, refused, missing = run_trials(pair, case_id, trials, DraftStore(tmp_path / "drafts"), versioned_save)
    assert lost == 0 and missing == 0
    assert refused > trials // 4  # the interleavings really did collide


def test_without_the_version_column_updates_are_lost(desks) -> None:
    pair, case_id = desks
    lost, refused, _ = run_trials(pair, case_id, 200, None, unversioned_save)
    assert refused == 0 and lost > 20


def test_a_refused_edit_explains_who_won_and_can_be_reapplied(db: Database, tmp_path: Path) -> None:
    from models.security.accounts import Credential, add_user

    with db.write.begin() as s:
        winner = add_user(s, Actor(), "wang", "王调解", "调解员", "Correct-Horse-9")
        s.get(Credential, winner).must_change = False  # services refuse one-time passwords
        case_id = register_case(s, draft(committee(s), mediator_id=winner), Actor()).id  # 王's own case
    store = DraftStore(tmp_path / "drafts")
    versioned_save(db, case_id, 1, "王的修改", Actor(winner))
    payload = {"facts": "李的修改"}
    with pytest.raises(EditConflict, match="王调解") as caught:
        save_keeping_draft(db.write, store, user_id=7, form="case_edit", payload=payload, record_id=case_id,
                           base_version=1, save=lambda s: save_case_edits(s, case_id, 1, payload, Actor()))
    assert "草稿" in caught.value.message
    kept = store.load(7, "case_edit", case_id)
    assert kept is not None and kept.payload == payload and kept.base_version == 1 and kept.reason == "保存冲突"
    save_keeping_draft(db.write, store, user_id=7, form="case_edit", payload=kept.payload, record_id=case_id,
                       base_version=2, save=lambda s: save_case_edits(s, case_id, 2, kept.payload, Actor()))
    assert store.load(7, "case_edit", case_id) is None
    with db.read() as s:
        assert s.get(Case, case_id).facts == "李的修改"


def test_a_lost_connection_keeps_the_typed_input_as_a_draft(tmp_path: Path) -> None:
    from models.errors import DatabaseUnavailable

    unreachable = open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1", upgrade=False)
    store = DraftStore(tmp_path / "drafts")
    payload = {"summary": "来访登记：邻里排水纠纷", "parties": [{"name": "张三"}]}
    with pytest.raises(DatabaseUnavailable, match="草稿"):
        save_keeping_draft(unreachable.write, store, user_id=3, form="intake", payload=payload,
                           save=lambda s: s.execute(text("SELECT 1")))
    assert store.list(3)[0].payload == payload
    unreachable.engine.dispose()


def test_a_crash_while_writing_a_draft_keeps_the_previous_one(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    store.save(1, "intake", {"summary": "第一版"})
    (tmp_path / "drafts" / "1-intake-new.json.tmp").write_text('{"half": ', encoding="utf-8")  # torn temp file
    assert store.load(1, "intake").payload == {"summary": "第一版"}
    store.save(1, "intake", {"summary": "第二版"})
    assert store.load(1, "intake").payload == {"summary": "第二版"}
