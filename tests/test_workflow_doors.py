"""Small rules behind the workflow doors: why a colour, the statute's cap and the refusals of the
extension service, the referral step table's missing values, and unit names that need a parent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from models import clock
from models.cases.service import register_case
from models.db import Database
from models.deadlines import (
    DEFAULT_THRESHOLDS,
    DeadlineError,
    colour_for,
    colour_reason,
    compute_due,
    default_calendar,
    rule_by_code,
)
from models.errors import TransitionRefused, ValidationFailed
from models.liaison.service import ReferralInput, record_step, register_referral
from models.org.entities import Level, OrgUnit
from models.workflow.deadline_service import case_deadlines, extend_deadline, extension_cap
from models.workflow.escalation import find_unit_id
from tests.support.factories import ACTOR, committee, draft

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("days_left", "colour", "words"), [
    (20, None, "暂不着色"), (2, "蓝", "蓝色提醒"), (0, "黄", "今日到期"), (-2, "黄", "以内为黄色"), (-9, "红", "为红色"),
])
def test_every_colour_says_why(days_left: int, colour: str | None, words: str) -> None:
    rule = rule_by_code("labour_award")
    start = TODAY + timedelta(days=days_left) - timedelta(days=45)
    deadline = compute_due(rule, start, default_calendar())
    deadline = replace(deadline, due_date=TODAY + timedelta(days=days_left))
    assert colour_for(deadline, TODAY, DEFAULT_THRESHOLDS) == colour
    assert words in colour_reason(deadline, TODAY, DEFAULT_THRESHOLDS)
    assert "红色督办" in colour_reason(deadline, TODAY, DEFAULT_THRESHOLDS, reopened=True)


def test_extension_cap_in_words() -> None:
    assert "不能延长" in extension_cap("sfqr_apply")
    assert "最多延长10日" in extension_cap("sfqr_decide_soft").replace("天", "日").replace(" ", "")


def _referred_case(s, centre: int) -> int:
    case_id = register_case(s, draft(centre, source="法院委派"), ACTOR).id  # registered straight into 调
    register_referral(s, case_id, ReferralInput("玉门市人民法院", "委派", TODAY - timedelta(days=50),
                                                received_on=TODAY - timedelta(days=49)), ACTOR)
    return case_id


def test_a_completed_or_lapsed_deadline_is_not_extended(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _referred_case(s, committee(s))
        record_step(s, case_id, "outcome", {"reason": "达成协议", "closing": "申请司法确认",
                                            "concluded_on": TODAY - timedelta(days=40),
                                            "agreement_effective_on": TODAY - timedelta(days=40)}, ACTOR)
        by_code = {d.rule_code: d for d in case_deadlines(s, case_id, clock.today())}
        with pytest.raises(DeadlineError, match="期间已过"):
            extend_deadline(s, by_code["sfqr_apply"].id, 5, "day", "当事人要求", ACTOR)
        with pytest.raises(DeadlineError, match="已于"):
            extend_deadline(s, by_code["court_delegated"].id, 5, "day", "当事人要求", ACTOR)


def test_a_step_names_every_missing_value(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _referred_case(s, committee(s))
        with pytest.raises(ValidationFailed, match="调解结果、结案方式"):
            record_step(s, case_id, "outcome", {"concluded_on": TODAY}, ACTOR)
        with pytest.raises(TransitionRefused, match="尚未记录转立案"):
            record_step(s, case_id, "trial_end", {"on": TODAY}, ACTOR)


def test_a_unit_name_shared_by_two_grids_needs_its_parent(db: Database) -> None:
    with db.write.begin() as s:
        town = OrgUnit(name="赤金镇", level=Level.TOWNSHIP)
        s.add(town)
        s.flush()
        villages = [OrgUnit(name=n, level=Level.VILLAGE, parent_id=town.id) for n in ("东村", "西村")]
        s.add_all(villages)
        s.flush()
        grids = [OrgUnit(name="第一网格", level=Level.GRID, parent_id=v.id) for v in villages]
        s.add_all(grids)
        s.flush()
        with pytest.raises(ValidationFailed, match="上级单位/第一网格"):
            find_unit_id(s, "第一网格")
        assert find_unit_id(s, "西村/第一网格") == grids[1].id
