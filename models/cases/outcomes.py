"""The recordable outcomes as one table (rules are data): for each field its label, its choices,
the stages where each choice may be recorded, the event it writes and the stage moves it opens.

The services (`models.cases.service.record`) refuse a value at a stage the table does not allow;
the case view's buttons and the CLI's `case record` read the same rows, so the three never
disagree. The vocabulary itself (the choice lists) stays in `models/cases/stages.py`."""

from __future__ import annotations

from dataclasses import dataclass

from models.cases.stages import (
    ARBITRATION_RESULTS,
    ARBITRATION_TRACKS,
    COURT_OUTCOMES,
    MEDIATION_OUTCOMES,
    SATISFACTIONS,
    Stage,
)


@dataclass(frozen=True)
class OutcomeChoice:
    """One value of an outcome: where it may be recorded and which stage moves it opens."""

    value: str
    stages: tuple[Stage, ...]
    unlocks: tuple[str, ...] = ()  # transition actions (stages.TRANSITIONS) whose guard it satisfies


@dataclass(frozen=True)
class Outcome:
    field: str  # the Case column it sets
    label: str
    action: str  # the stage event's action (stages.RECORD_LABELS)
    choices: tuple[OutcomeChoice, ...]
    asks_note: bool = False  # the GUI asks for an optional note (调解结果说明)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Every stage where at least one choice may be recorded (the button is enabled there)."""
        return tuple(s for s in Stage if any(s in c.stages for c in self.choices))

    def choice(self, value: str) -> OutcomeChoice | None:
        return next((c for c in self.choices if c.value == value), None)

    def values_at(self, stage: str) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices if stage in c.stages)


def _same(values: tuple[str, ...], stages: tuple[Stage, ...], unlocks: tuple[str, ...]) -> tuple[OutcomeChoice, ...]:
    return tuple(OutcomeChoice(v, stages, unlocks) for v in values)


_MEDIATE, _LITIGATE = Stage.MEDIATE, Stage.LITIGATE
_AGREED = (Stage.MEDIATE, Stage.LITIGATE)  # an agreement is also reached in the court's 诉前调解
_mediation = {
    "书面协议": (_AGREED, ("close_mediation", "to_litigation")),
    "口头协议": (_AGREED, ("close_mediation",)),
    "调解不成": ((_MEDIATE,), ("to_arbitration", "to_litigation")),
    "撤回": ((_MEDIATE,), ("close_mediation",)),
    "转警情": ((_MEDIATE,), ("close_mediation",)),
}
assert tuple(_mediation) == MEDIATION_OUTCOMES  # the vocabulary and the table list the same values

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("mediation_outcome", "调解结果", "record_outcome",
            tuple(OutcomeChoice(v, s, u) for v, (s, u) in _mediation.items()), asks_note=True),
    Outcome("arbitration_track", "仲裁类别", "choose_track",
            _same(ARBITRATION_TRACKS, (Stage.DIAGNOSE, Stage.MEDIATE), ("direct_arbitration", "to_arbitration"))),
    Outcome("arbitration_result", "仲裁结果", "record_award",
            (OutcomeChoice("裁决", (Stage.ARBITRATE,), ("sue_after_award", "close_arbitration")),
             *_same(ARBITRATION_RESULTS[1:], (Stage.ARBITRATE,), ("close_arbitration",)))),
    Outcome("court_outcome", "法院处理结果", "record_court_outcome",
            _same(COURT_OUTCOMES, (_LITIGATE,), ("close_litigation",))),
    Outcome("followup_satisfaction", "回访满意度", "record_followup",
            (*_same(SATISFACTIONS[:2], (Stage.CLOSED,), ("archive",)),
             OutcomeChoice("不满意", (Stage.CLOSED,), ("reopen",)))),
)
BY_FIELD: dict[str, Outcome] = {o.field: o for o in OUTCOMES}


def outcome_for(key: str) -> Outcome | None:
    """An outcome by its field ('mediation_outcome') or its label ('调解结果'), for the CLI."""
    return BY_FIELD.get(key) or next((o for o in OUTCOMES if o.label == key), None)


def stage_problem(outcome: Outcome, value: str, stage: str) -> str | None:
    """Why `value` cannot be recorded at `stage` (None when it can)."""
    choice = outcome.choice(value)
    if choice is None or stage in choice.stages:
        return None
    where = "、".join(f"“{s}”" for s in choice.stages)
    return f"案件当前处于“{stage}”阶段，{outcome.label}“{value}”只能在{where}阶段记录"
