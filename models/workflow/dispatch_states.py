"""The closed loop of one 双派单 dispatch as a transition table (rules are data).

The source documents' six steps 上报 → 派遣 → 处置 → 核查 → 评价 → 归档 map to states:
上报 is the case's own registration (网格上报 / 来访 …); a dispatch starts 已派遣; the handling
department's 处置反馈 makes it 已反馈; the centre's 核查 passes it (已核查) or sends it back
(退回重办, then a new 反馈); 回访评价 with 满意/基本满意 makes it 已评价 while 不满意 re-opens it
(退回重办, shown 红); 归档 closes it. 评价 comes before 归档 here because 不满意 must be able to
re-open the work, which an archived record could not. Pure: no database, no Qt."""

from __future__ import annotations

from dataclasses import dataclass


class DispatchState:
    DISPATCHED = "已派遣"
    FED_BACK = "已反馈"
    SENT_BACK = "退回重办"
    VERIFIED = "已核查"
    EVALUATED = "已评价"
    ARCHIVED = "已归档"
    CANCELLED = "已撤销"


S = DispatchState
CLOSED_DISPATCH_STATES = (S.ARCHIVED, S.CANCELLED)
TARGET_ROLES = ("主办", "协办", "属地监督")
ROLE_LABELS = {"主办": "主办单位", "协办": "协办单位", "属地监督": "属地网格员"}
SATISFIED = ("满意", "基本满意")
DISSATISFIED = "不满意"


@dataclass(frozen=True)
class DispatchTransition:
    action: str
    label: str
    step: str  # which of the six steps this is, for the history
    sources: tuple[str, ...]
    target: str
    needs_text: bool = False


DISPATCH_TRANSITIONS: tuple[DispatchTransition, ...] = (
    DispatchTransition("feedback", "处置反馈", "处置", (S.DISPATCHED, S.SENT_BACK), S.FED_BACK, needs_text=True),
    DispatchTransition("verify_pass", "核查通过", "核查", (S.FED_BACK,), S.VERIFIED),
    DispatchTransition("verify_fail", "核查不通过，退回重办", "核查", (S.FED_BACK,), S.SENT_BACK, needs_text=True),
    DispatchTransition("evaluate", "回访评价（满意）", "评价", (S.VERIFIED,), S.EVALUATED),
    DispatchTransition("reopen", "回访不满意，重新办理", "评价", (S.VERIFIED,), S.SENT_BACK, needs_text=True),
    DispatchTransition("archive", "归档", "归档", (S.EVALUATED,), S.ARCHIVED),
    DispatchTransition(
        "cancel", "撤销派单", "派遣", (S.DISPATCHED, S.SENT_BACK, S.FED_BACK), S.CANCELLED, needs_text=True
    ),
)
DISPATCH_BY_ACTION = {t.action: t for t in DISPATCH_TRANSITIONS}
DISPATCH_ACTION_LABELS = {"dispatch": "派遣", **{t.action: t.label for t in DISPATCH_TRANSITIONS}}


def dispatch_blockers(state: str, action: str, text: str = "") -> list[str]:
    """Everything that stops `action` on a dispatch in `state`; empty means allowed."""
    transition = DISPATCH_BY_ACTION.get(action)
    if transition is None:
        return [f"未知的派单操作：{action}"]
    found: list[str] = []
    if state not in transition.sources:
        found.append(f"派单当前为“{state}”，不能“{transition.label}”（须为“{'／'.join(transition.sources)}”）")
    if transition.needs_text and not text.strip():
        found.append(f"“{transition.label}”须填写说明")
    return found


def dispatch_actions_from(state: str) -> list[DispatchTransition]:
    """Moves allowed out of `state`, in table order (for buttons)."""
    return [t for t in DISPATCH_TRANSITIONS if state in t.sources]


def target_problems(roles: list[str]) -> list[str]:
    """双派单 needs exactly one 主办 and at least one 属地监督 (the supervising grid worker)."""
    found = [f"未知的派单角色：{r}" for r in roles if r not in TARGET_ROLES]
    if roles.count("主办") != 1:
        found.append("双派单须有且只有一个主办单位")
    if "属地监督" not in roles:
        found.append("双派单须同时派给属地网格员（属地监督）")
    return found
