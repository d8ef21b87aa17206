"""The system administrator's organisation services: the level ladder, desks, committees with two
numbering patterns that can never collide, dispute types, and who may change centre settings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.cases.agreements import AgreementInput, record_agreement
from models.cases.entities import Case
from models.cases.numbering import check_patterns_apart, format_number
from models.cases.service import register_case
from models.db import Database
from models.errors import ValidationFailed
from models.org.admin import (
    CommitteeInput,
    DeskInput,
    add_org_unit,
    preview_numbers,
    save_committee,
    save_desk,
    save_dispute_type,
)
from models.org.entities import Committee, Role
from models.security.permissions import PermissionDenied
from models.workflow.calendar_store import set_thresholds
from tests.support.factories import ACTOR, committee, draft
from tests.support.security import make_users

SAME_SHAPE = "{代字}〔{YYYY}〕{n}号"


def test_patterns_that_could_give_a_case_and_an_agreement_one_number_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="重号"):
        check_patterns_apart(SAME_SHAPE, SAME_SHAPE)
    with pytest.raises(ValidationFailed, match="重号"):  # differs only by a digit: "1" + n can equal n
        check_patterns_apart("{代字}〔{YYYY}〕{n}号", "{代字}〔{YYYY}〕1{n}号")
    check_patterns_apart(SAME_SHAPE, "{代字}协〔{YYYY}〕{n}号")


PIECES = st.sampled_from(["{代字}", "{YYYY}", "人调字", "协", "〔", "〕", "号", "-", "1", "0", "字"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=5), st.lists(PIECES, max_size=5), st.lists(PIECES, max_size=5),
       st.lists(PIECES, max_size=5), st.integers(1, 120), st.integers(1, 120), st.sampled_from([2025, 2026, 2110]))
def test_accepted_pattern_pairs_never_give_equal_numbers(a1: list[str], a2: list[str], b1: list[str], b2: list[str],
                                                         n: int, m: int, year: int) -> None:
    case_pattern, agreement_pattern = "".join([*a1, "{n}", *a2]), "".join([*b1, "{n}", *b2])
    try:
        check_patterns_apart(case_pattern, agreement_pattern)
    except ValidationFailed:
        return
    assert format_number(case_pattern, "玉门", year, n) != format_number(agreement_pattern, "玉门", year, m)


def test_a_pattern_change_is_seen_in_the_preview_and_the_next_numbers(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        register_case(s, draft(cid, received=date(2026, 3, 1)), ACTOR)
        data = CommitteeInput(name="玉门人民调解委员会", kind="人民调解委员会", code="玉门", number_pattern=SAME_SHAPE,
                              agreement_number_pattern="{代字}协〔{YYYY}〕{n}号")
        preview = preview_numbers(s, cid, data.code, data.number_pattern, data.agreement_number_pattern, 2026)
        assert preview.case_number == "玉门〔2026〕2号" and preview.agreement_number == "玉门协〔2026〕1号"
        save_committee(s, data, ACTOR, cid)
        ref = register_case(s, draft(cid, received=date(2026, 3, 2)), ACTOR)
        assert s.get_one(Case, ref.id).number == preview.case_number
        s.get_one(Case, ref.id).stage = "调"
        view = record_agreement(s, ref.id, AgreementInput(items=("赔偿 500 元",), signed_on=date(2026, 3, 5)), ACTOR)
        assert view.number == "玉门协〔2026〕1号"


def test_committee_input_is_validated_in_the_service(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        base = CommitteeInput(name="赤金调委会", kind="人民调解委员会", code="赤金")
        with pytest.raises(ValidationFailed, match="序号"):
            save_committee(s, CommitteeInput(**{**base.__dict__, "number_pattern": "{代字}〔{YYYY}〕号"}), ACTOR)
        with pytest.raises(ValidationFailed, match="组织类别"):
            save_committee(s, CommitteeInput(**{**base.__dict__, "kind": "居委会"}), ACTOR)
        with pytest.raises(ValidationFailed, match="已有名为"):
            save_committee(s, CommitteeInput(**{**base.__dict__, "name": s.get_one(Committee, cid).name}), ACTOR)
        new_id = save_committee(s, base, ACTOR)
        assert s.get_one(Committee, new_id).agreement_number_pattern == "{代字}人调协字〔{YYYY}〕{n}号"


def test_the_level_ladder_has_no_gaps(db: Database) -> None:
    with db.write.begin() as s:
        county = add_org_unit(s, "玉门市", "县", None, ACTOR)
        town = add_org_unit(s, "玉门镇", "乡镇", county, ACTOR)
        with pytest.raises(ValidationFailed, match="须属于某个乡镇"):
            add_org_unit(s, "代家滩村", "村", county, ACTOR)
        with pytest.raises(ValidationFailed, match="同一上级下已有"):
            add_org_unit(s, "玉门镇", "乡镇", county, ACTOR)
        add_org_unit(s, "代家滩村", "村", town, ACTOR)


def test_dispute_types_and_desks(db: Database) -> None:
    with db.write.begin() as s:
        assert save_dispute_type(s, "0106", "收养纠纷", "01", ACTOR) == "0106"
        with pytest.raises(ValidationFailed, match="上级代码"):
            save_dispute_type(s, "0201", "相邻权纠纷", "01", ACTOR)
        desk = save_desk(s, DeskInput(name="综合受理窗口"), ACTOR)
        with pytest.raises(ValidationFailed, match="已有名为"):
            save_desk(s, DeskInput(name="综合受理窗口"), ACTOR)
        save_desk(s, DeskInput(name="综合受理窗口", active=False), ACTOR, desk)


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.CLERK, Role.LEADER, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_only_the_system_administrator_changes_the_organisation_and_settings(db: Database, fast_hasher: None,
                                                                              role: Role) -> None:
    actors = make_users(db)
    with db.write.begin() as s:
        with pytest.raises(PermissionDenied):
            save_desk(s, DeskInput(name="新窗口"), actors[role])
        with pytest.raises(PermissionDenied):
            set_thresholds(s, 5, 3, actors[role])
    with db.write.begin() as s:
        save_desk(s, DeskInput(name="新窗口"), actors[Role.SYSTEM_ADMIN])
        set_thresholds(s, 5, 3, actors[Role.SYSTEM_ADMIN])
