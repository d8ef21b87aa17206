"""The stage machine 诊 → 调 → 裁 → 诉 → 办结 → 归档 as a transition table (rules are data).

Each transition names its source and target stage and the guards that must hold; a refused move
returns every blocker in Chinese, so the user learns all that is missing at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    DIAGNOSE = "诊"
    MEDIATE = "调"
    ARBITRATE = "裁"
    LITIGATE = "诉"
    CLOSED = "办结"
    ARCHIVED = "归档"


# The stage sets every query and rule shares: a case is open until 办结, and 办结/归档 are done.
OPEN_STAGES: tuple[Stage, ...] = (Stage.DIAGNOSE, Stage.MEDIATE, Stage.ARBITRATE, Stage.LITIGATE)
CLOSED_STAGES: tuple[Stage, ...] = (Stage.CLOSED, Stage.ARCHIVED)

# The three arbitration tracks, spelled one way everywhere (the case field, the arbitration record,
# the deadline rules' facts).
LABOUR_TRACK = "劳动人事争议仲裁"
LAND_TRACK = "农村土地承包仲裁"
COMMERCIAL_TRACK = "商事仲裁"
ARBITRATION_TRACKS = (LABOUR_TRACK, LAND_TRACK, COMMERCIAL_TRACK)

# Which value may be recorded at which stage, and what it opens: the table in models/cases/outcomes.py.
MEDIATION_OUTCOMES = ("书面协议", "口头协议", "调解不成", "撤回", "转警情")
ARBITRATION_RESULTS = ("裁决", "仲裁调解", "撤回申请", "不予受理")
COURT_OUTCOMES = ("司法确认有效", "驳回确认申请", "出具调解书", "判决", "撤诉", "转立案")
SATISFACTIONS = ("满意", "基本满意", "不满意")
# 回访: how the agreement was performed; 未履行 (like 不满意) sends the case back to mediation.
PERFORMED, PARTLY_PERFORMED, NOT_PERFORMED = "已履行", "部分履行", "未履行"
PERFORMANCES = (PERFORMED, PARTLY_PERFORMED, NOT_PERFORMED)


@dataclass(frozen=True)
class CaseFacts:
    """What the guards look at; built from the database by the case service."""

    stage: str
    applicants: int = 0
    respondents: int = 0
    dispute_type_code: str | None = None
    mediation_outcome: str | None = None
    arbitration_track: str | None = None
    arbitration_result: str | None = None
    court_outcome: str | None = None
    followup_satisfaction: str | None = None
    followup_unperformed: bool = False  # the last 回访 since closing found the agreement 未履行
    open_dispatches: int = 0
    arbitration_agreement: bool = False  # from the arbitration record of the chosen track
    employment_relation: bool = False
    has_mediator: bool = False  # a mediator is recorded on the case (or chosen with this move)
    risk_colour: str | None = None
    has_leader: bool = False  # a 包案领导 is named on the case
    dossier_missing: tuple[str, ...] = ()  # 卷宗 checklist items still missing (models/casefile), read for 归档


@dataclass(frozen=True)
class Guard:
    holds: Callable[[CaseFacts], bool]
    blocker: str


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: Stage
    target: Stage
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False


HAS_BOTH_SIDES = (
    Guard(lambda f: f.applicants > 0, "至少需要一名申请方当事人"),
    Guard(lambda f: f.respondents > 0, "至少需要一名被申请方当事人"),
    Guard(lambda f: bool(f.dispute_type_code), "尚未选择纠纷类型"),
)
TRACK_CHOSEN = Guard(lambda f: f.arbitration_track in ARBITRATION_TRACKS, "尚未选择仲裁类别（劳动人事／土地承包／商事）")
MEDIATION_FAILED = Guard(lambda f: f.mediation_outcome == "调解不成", "调解结果不是“调解不成”")
OUTCOME_RECORDED = Guard(lambda f: f.mediation_outcome in MEDIATION_OUTCOMES, "尚未记录调解结果")
NO_OPEN_DISPATCH = Guard(lambda f: f.open_dispatches == 0, "仍有未办结的派单")
MEDIATOR_CHOSEN = Guard(lambda f: f.has_mediator, "尚未选定调解员（须从本中心调解员中选择）")
# The rule for 红 risk (docs/DECISIONS.md): a 红 case may be registered as found, but it moves on —
# any move out of its stage — only once a 包案领导 is named on it, so no 红 case goes unled.
RED_NEEDS_LEADER = Guard(lambda f: f.risk_colour != "红" or f.has_leader, "红色风险案件须先指定包案领导")

TRANSITIONS: tuple[Transition, ...] = (
    Transition("refer_mediation", "受理并转入调解", Stage.DIAGNOSE, Stage.MEDIATE, (*HAS_BOTH_SIDES, MEDIATOR_CHOSEN)),
    Transition("reject", "不予受理", Stage.DIAGNOSE, Stage.CLOSED, needs_reason=True),
    Transition("close_consultation", "咨询办结", Stage.DIAGNOSE, Stage.CLOSED, needs_reason=True),
    Transition("direct_arbitration", "直接转仲裁", Stage.DIAGNOSE, Stage.ARBITRATE, (*HAS_BOTH_SIDES, TRACK_CHOSEN)),
    Transition("to_arbitration", "调解不成转仲裁", Stage.MEDIATE, Stage.ARBITRATE, (MEDIATION_FAILED, TRACK_CHOSEN)),
    Transition(
        "to_litigation", "转诉讼（诉调对接）", Stage.MEDIATE, Stage.LITIGATE,
        (Guard(lambda f: f.mediation_outcome in ("调解不成", "书面协议"),
               "只有“调解不成”或达成书面协议（申请司法确认）的案件才能转诉讼"),),
    ),
    Transition("close_mediation", "调解结案", Stage.MEDIATE, Stage.CLOSED, (OUTCOME_RECORDED, NO_OPEN_DISPATCH)),
    Transition(
        "sue_after_award", "不服裁决起诉", Stage.ARBITRATE, Stage.LITIGATE,
        (Guard(lambda f: f.arbitration_result == "裁决", "尚未记录仲裁裁决"),),
    ),
    Transition(
        "close_arbitration", "仲裁结案", Stage.ARBITRATE, Stage.CLOSED,
        (Guard(lambda f: f.arbitration_result in ARBITRATION_RESULTS, "尚未记录仲裁结果"), NO_OPEN_DISPATCH),
    ),
    Transition(
        "close_litigation", "诉讼结案", Stage.LITIGATE, Stage.CLOSED,
        (Guard(lambda f: f.court_outcome in COURT_OUTCOMES, "尚未记录法院处理结果"), NO_OPEN_DISPATCH),
    ),
    Transition(
        "reopen", "回访不满意，重新调解", Stage.CLOSED, Stage.MEDIATE,
        (Guard(lambda f: f.followup_satisfaction == "不满意" or f.followup_unperformed,
               "只有回访“不满意”或“未履行”的案件才能重新调解"),),
        needs_reason=True,
    ),
    Transition(
        "archive", "归档", Stage.CLOSED, Stage.ARCHIVED,
        (Guard(lambda f: f.followup_satisfaction in ("满意", "基本满意"), "尚未完成回访或回访不满意"), NO_OPEN_DISPATCH),
    ),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}

# Moves that cannot be undone by another move: the GUI asks for confirmation before them.
IRREVERSIBLE_ACTIONS = frozenset({"reject", "close_consultation", "close_mediation", "close_arbitration",
                                  "close_litigation", "archive"})


def transitions_from(stage: str) -> list[Transition]:
    """The moves the table allows out of `stage`, in table order (for menus and buttons)."""
    return [t for t in TRANSITIONS if t.source == stage]


def blockers(facts: CaseFacts, action: str, reason: str = "") -> list[str]:
    """Everything that stops `action` now; an empty list means the move is allowed."""
    transition = BY_ACTION.get(action)
    if transition is None:
        return [f"未知的操作：{action}"]
    if facts.stage != transition.source:
        return [f"案件当前处于“{facts.stage}”阶段，不能执行“{transition.label}”（须在“{transition.source}”阶段）"]
    found = [g.blocker for g in (*transition.guards, RED_NEEDS_LEADER) if not g.holds(facts)]
    if transition.target == Stage.ARBITRATE and facts.arbitration_track in ARBITRATION_TRACKS:
        # imported here: the track rules are keyed by this module's track names (no import cycle)
        from models.cases.arbitration_tracks import track_blockers

        found += track_blockers(facts.arbitration_track, facts.dispute_type_code, facts.arbitration_agreement,
                                facts.employment_relation)
    if transition.target == Stage.ARCHIVED:  # 归档 only with a complete 卷宗 (research §3.0)
        found += [f"卷宗缺少“{item}”" for item in facts.dossier_missing]
    if transition.needs_reason and not reason.strip():
        found.append(f"“{transition.label}”须填写理由")
    return found


RECORD_LABELS = {
    "register": "登记", "record_outcome": "记录调解结果", "choose_track": "选择仲裁类别",
    "record_award": "记录仲裁结果", "record_court_outcome": "记录法院结果", "record_followup": "回访",
    "correct": "更正", "void": "作废",
    "name_leader": "指定包案领导",
    "mediation_session": "调解记录",
}


def action_label(action: str) -> str:
    """Chinese name of an event's action, for timelines."""
    transition = BY_ACTION.get(action)
    return transition.label if transition else RECORD_LABELS.get(action, action)
