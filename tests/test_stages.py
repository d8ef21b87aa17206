"""The whole transition table: every action from every stage, with and without its facts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.cases.stages import BY_ACTION, TRANSITIONS, CaseFacts, Stage, blockers, transitions_from

# The facts under which each action must be allowed (table-driven: one row per transition).
SATISFIED = {
    "refer_mediation": CaseFacts(Stage.DIAGNOSE, 1, 1, "02", has_mediator=True),
    "reject": CaseFacts(Stage.DIAGNOSE),
    "close_consultation": CaseFacts(Stage.DIAGNOSE),
    "direct_arbitration": CaseFacts(Stage.DIAGNOSE, 1, 1, "1001", arbitration_track="劳动人事争议仲裁",
                                    employment_relation=True),
    "to_arbitration": CaseFacts(Stage.MEDIATE, 1, 1, "1001", "调解不成", arbitration_track="劳动人事争议仲裁",
                                employment_relation=True),
    "to_litigation": CaseFacts(Stage.MEDIATE, 1, 1, "02", "调解不成"),
    "close_mediation": CaseFacts(Stage.MEDIATE, 1, 1, "02", "书面协议"),
    "sue_after_award": CaseFacts(Stage.ARBITRATE, arbitration_result="裁决"),
    "close_arbitration": CaseFacts(Stage.ARBITRATE, arbitration_result="仲裁调解"),
    "close_litigation": CaseFacts(Stage.LITIGATE, court_outcome="司法确认有效"),
    "reopen": CaseFacts(Stage.CLOSED, followup_satisfaction="不满意"),
    "archive": CaseFacts(Stage.CLOSED, followup_satisfaction="满意"),
}

# One spoiled fact per row and the blocker text it must produce.
SPOILED = [
    ("refer_mediation", {"applicants": 0}, "申请方"),
    ("refer_mediation", {"respondents": 0}, "被申请方"),
    ("refer_mediation", {"dispute_type_code": None}, "纠纷类型"),
    ("refer_mediation", {"has_mediator": False}, "调解员"),
    ("close_mediation", {"risk_colour": "红"}, "包案领导"),
    ("archive", {"risk_colour": "红"}, "包案领导"),
    ("direct_arbitration", {"arbitration_track": None}, "仲裁类别"),
    ("to_arbitration", {"mediation_outcome": "书面协议"}, "调解不成"),
    ("to_arbitration", {"arbitration_track": "行政复议"}, "仲裁类别"),
    ("to_arbitration", {"employment_relation": False}, "劳动关系"),
    ("direct_arbitration", {"arbitration_track": "商事仲裁"}, "书面仲裁协议"),
    ("to_litigation", {"mediation_outcome": "撤回"}, "转诉讼"),
    ("close_mediation", {"mediation_outcome": None}, "调解结果"),
    ("close_mediation", {"open_dispatches": 1}, "派单"),
    ("sue_after_award", {"arbitration_result": None}, "裁决"),
    ("close_arbitration", {"arbitration_result": None}, "仲裁结果"),
    ("close_litigation", {"court_outcome": None}, "法院"),
    ("reopen", {"followup_satisfaction": "满意"}, "不满意"),
    ("archive", {"followup_satisfaction": "不满意"}, "回访"),
    ("archive", {"open_dispatches": 2}, "派单"),
]
REASON = "已告知当事人其他救济途径"


def test_every_transition_has_a_satisfied_row() -> None:
    assert set(SATISFIED) == set(BY_ACTION)


@pytest.mark.parametrize("action", sorted(SATISFIED))
def test_allowed_when_facts_hold(action: str) -> None:
    assert blockers(SATISFIED[action], action, REASON) == []


@pytest.mark.parametrize(("action", "change", "needle"), SPOILED)
def test_refused_move_names_its_blocker(action: str, change: dict, needle: str) -> None:
    found = blockers(replace(SATISFIED[action], **change), action, REASON)
    assert len(found) == 1
    assert needle in found[0]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_other_stage_refuses(transition) -> None:
    for stage in Stage:
        if stage == transition.source:
            continue
        found = blockers(replace(SATISFIED[transition.action], stage=stage), transition.action, REASON)
        assert found and f"当前处于“{stage}”" in found[0]


@pytest.mark.parametrize("action", [t.action for t in TRANSITIONS if t.needs_reason])
def test_reason_required(action: str) -> None:
    found = blockers(SATISFIED[action], action, "  ")
    assert found and "理由" in found[-1]


def test_all_blockers_are_listed_at_once() -> None:
    found = blockers(CaseFacts(Stage.DIAGNOSE), "refer_mediation")
    assert len(found) == 4  # both sides, the type, the mediator


def test_archived_is_terminal_and_menus_follow_the_table() -> None:
    assert transitions_from(Stage.ARCHIVED) == []
    assert [t.action for t in transitions_from(Stage.DIAGNOSE)] == [
        "refer_mediation", "reject", "close_consultation", "direct_arbitration",
    ]


def test_unknown_action() -> None:
    assert blockers(CaseFacts(Stage.DIAGNOSE), "teleport") == ["未知的操作：teleport"]
