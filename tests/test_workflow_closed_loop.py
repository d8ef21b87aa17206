"""The 双派单 closed loop: dispatch → 处置反馈 → 核查 (pass / send back) → 回访评价 (不满意 re-opens)
→ 归档, with history; a case cannot be archived while a dispatch is open; escalation and 会诊."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from models import clock
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.demo.casefile import complete_dossier
from models.errors import TransitionRefused, ValidationFailed
from models.org.entities import Level, OrgUnit
from models.workflow.deadline_service import case_badges
from models.workflow.dispatch import TargetInput, case_dispatches, evaluate_dispatch, move_dispatch, open_dispatch
from models.workflow.dispatch_states import DISPATCH_TRANSITIONS, dispatch_blockers
from models.workflow.escalation import consultations, level_history, move_level, record_consultation
from tests.support.factories import ACTOR, committee, draft, refer

TARGETS = [
    TargetInput("主办", "玉门镇人民政府"),
    TargetInput("协办", "玉门镇司法所"),
    TargetInput("属地监督", "代家滩村第一网格"),
]


def _case_in_mediation(s: Session) -> int:
    ref = register_case(s, draft(committee(s), received=clock.today(), complexity="一般"), ACTOR)
    refer(s, ref.id, ACTOR)
    return ref.id


def test_dual_dispatch_reaches_department_and_grid_worker_with_default_deadline(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        view = open_dispatch(s, case_id, TARGETS, ACTOR, on=date(2025, 3, 6))
    assert [t.role for t in view.targets] == ["主办", "协办", "属地监督"]
    # 一般 complexity: 7 days from 03-06 is Thu 03-13 (a working day)
    assert {t.deadline for t in view.targets} == {date(2025, 3, 13)}
    assert view.status == "已派遣" and view.history[0].step == "派遣"


@pytest.mark.parametrize(("roles", "expected"), [
    (["主办"], "属地网格员"),
    (["属地监督"], "主办单位"),
    (["主办", "主办", "属地监督"], "有且只有一个主办"),
])
def test_a_dispatch_needs_one_lead_unit_and_the_grid_worker(db: Database, roles: list[str], expected: str) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        with pytest.raises(ValidationFailed, match=expected):
            open_dispatch(s, case_id, [TargetInput(r, "某单位") for r in roles], ACTOR)


def test_verification_failure_sends_the_work_back_and_history_is_kept(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        d = open_dispatch(s, case_id, TARGETS, ACTOR).id
        move_dispatch(s, d, "feedback", ACTOR, "已上门调处，双方同意疏通沟渠")
        back = move_dispatch(s, d, "verify_fail", ACTOR, "现场核查沟渠仍未疏通")
        assert back.status == "退回重办" and back.redo_count == 1
        with pytest.raises(TransitionRefused, match="须为"):
            move_dispatch(s, d, "verify_pass", ACTOR)
        move_dispatch(s, d, "feedback", ACTOR, "已组织疏通并拍照留存")
        done = move_dispatch(s, d, "verify_pass", ACTOR)
    assert done.status == "已核查"
    assert [h.step for h in done.history] == ["派遣", "处置", "核查", "处置", "核查"]
    assert [h.to_status for h in done.history] == ["已派遣", "已反馈", "退回重办", "已反馈", "已核查"]
    assert done.history[2].text == "现场核查沟渠仍未疏通"


def test_dissatisfied_follow_up_reopens_and_shows_red(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        d = open_dispatch(s, case_id, TARGETS, ACTOR).id
        move_dispatch(s, d, "feedback", ACTOR, "已处置")
        move_dispatch(s, d, "verify_pass", ACTOR)
        assert case_badges(s, [case_id]) == {}
        with pytest.raises(TransitionRefused, match="须填写说明"):
            evaluate_dispatch(s, d, "不满意", ACTOR)
        reopened = evaluate_dispatch(s, d, "不满意", ACTOR, "当事人反映问题仍未解决")
        assert reopened.status == "退回重办"
        assert case_badges(s, [case_id]) == {case_id: "红"}
        move_dispatch(s, d, "feedback", ACTOR, "再次处置")
        move_dispatch(s, d, "verify_pass", ACTOR)
        final = evaluate_dispatch(s, d, "满意", ACTOR)
        assert final.status == "已评价" and case_badges(s, [case_id]) == {}
        assert move_dispatch(s, d, "archive", ACTOR).status == "已归档"


def test_case_cannot_be_archived_while_a_dispatch_is_open(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        d = open_dispatch(s, case_id, TARGETS, ACTOR).id
        # signed on the day of receipt: an agreement may not predate the case
        record_agreement(s, case_id, AgreementInput(items=("疏通排水沟",), signed_on=clock.today()), ACTOR)
        with pytest.raises(TransitionRefused, match="仍有未办结的派单"):
            advance_stage(s, case_id, "close_mediation", ACTOR)
        move_dispatch(s, d, "feedback", ACTOR, "已处置")
        move_dispatch(s, d, "verify_pass", ACTOR)
        evaluate_dispatch(s, d, "满意", ACTOR)
        with pytest.raises(TransitionRefused, match="仍有未办结的派单"):
            advance_stage(s, case_id, "close_mediation", ACTOR)
        move_dispatch(s, d, "archive", ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
        record(s, case_id, "followup_satisfaction", "满意", ACTOR)
        complete_dossier(s, case_id, ACTOR)  # 归档 needs a complete 卷宗 (tests/test_casefile_archive.py)
        assert advance_stage(s, case_id, "archive", ACTOR).stage == "归档"


def test_a_cancelled_dispatch_does_not_block_and_closed_cases_take_no_dispatch(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        d = open_dispatch(s, case_id, TARGETS, ACTOR).id
        move_dispatch(s, d, "cancel", ACTOR, "当事人已自行和解")
        record(s, case_id, "mediation_outcome", "撤回", ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
        with pytest.raises(ValidationFailed, match="不能再派单"):
            open_dispatch(s, case_id, TARGETS, ACTOR)
        assert [v.status for v in case_dispatches(s, case_id)] == ["已撤销"]


@pytest.mark.parametrize("transition", DISPATCH_TRANSITIONS, ids=lambda t: t.action)
def test_every_move_is_refused_from_a_state_outside_its_sources(transition) -> None:
    outside = next(s for s in ("已派遣", "已反馈", "退回重办", "已核查", "已评价", "已归档") if s not in transition.sources)
    assert dispatch_blockers(outside, transition.action, "说明")
    assert dispatch_blockers(transition.sources[0], transition.action, "说明") == []


def _units(s: Session) -> dict[str, int]:
    county = OrgUnit(name="玉门市", level=Level.COUNTY)
    s.add(county)
    s.flush()
    town = OrgUnit(name="玉门镇", level=Level.TOWNSHIP, parent_id=county.id)
    other = OrgUnit(name="赤金镇", level=Level.TOWNSHIP, parent_id=county.id)
    s.add_all([town, other])
    s.flush()
    village = OrgUnit(name="代家滩村", level=Level.VILLAGE, parent_id=town.id)
    s.add(village)
    s.flush()
    return {"县": county.id, "镇": town.id, "他镇": other.id, "村": village.id}


def test_escalation_up_the_levels_and_sinking_back_keep_their_reasons(db: Database) -> None:
    with db.write.begin() as s:
        units = _units(s)
        case_id = register_case(s, draft(committee(s), org_unit_id=units["村"]), ACTOR).id
        move_level(s, case_id, units["镇"], "村级调解3次未化解", ACTOR)
        with pytest.raises(ValidationFailed, match="既不是"):
            move_level(s, case_id, units["他镇"], "误操作", ACTOR)
        with pytest.raises(ValidationFailed, match="理由"):
            move_level(s, case_id, units["县"], "  ", ACTOR)
        move_level(s, case_id, units["县"], "涉及多部门，需县级统筹", ACTOR)
        move_level(s, case_id, units["镇"], "县级会诊后交由乡镇就地化解", ACTOR)
        history = level_history(s, case_id)
    assert [(h.direction, h.from_unit, h.to_unit) for h in history] == [
        ("上提", "代家滩村", "玉门镇"), ("上提", "玉门镇", "玉门市"), ("下沉", "玉门市", "玉门镇")]
    assert history[2].reason == "县级会诊后交由乡镇就地化解"


def test_consultation_records_the_departments_present(db: Database) -> None:
    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s)), ACTOR).id
        with pytest.raises(ValidationFailed, match="两个参加部门"):
            record_consultation(s, case_id, date(2025, 3, 8), "王主任", ["司法所"], "宅基地界址", ACTOR)
        record_consultation(s, case_id, date(2025, 3, 8), "王主任", ["司法所", "自然资源所", "派出所", "司法所"],
                            "宅基地界址争议如何确权", ACTOR, "由自然资源所牵头实地测量")
        held = consultations(s, case_id)
    assert held[0].departments == ("司法所", "自然资源所", "派出所")
    assert held[0].conclusion == "由自然资源所牵头实地测量"
