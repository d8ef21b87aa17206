"""Deadline rules as data: which event starts each clock, how long it runs, on which calendar,
and the legal basis a mediator can read.

`RULES` is the seeded table. The 人民调解 general limit and the complexity table (简单/一般/复杂疑难)
are centre policy, not statute, so they come from `DeadlineSettings`; call `build_rules(settings)`
to get the table for a centre's own values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from models.cases.stages import LABOUR_TRACK, LAND_TRACK
from models.errors import DomainError

Unit = Literal["day", "working_day", "month", "year"]
ExtensionPolicy = Literal["none", "capped", "open"]

UNITS: dict[str, str] = {"day": "日", "working_day": "个工作日", "month": "个月", "year": "年"}

# Trigger events (the day the clock starts; that day itself is not counted).
TRIGGERS: dict[str, str] = {
    "mediation_accepted": "人民调解受理",
    "case_dispatched": "分流派单",
    "agreement_effective": "调解协议生效",
    "confirmation_applied": "申请司法确认",
    "confirmation_accepted": "法院受理司法确认申请",
    "court_referral_received": "调解员签收法院移交材料",
    "rights_infringement_known": "知道或应当知道权利被侵害",
    "arbitration_accepted": "仲裁委受理仲裁申请",
    "award_served": "收到仲裁裁决书",
    "case_filed": "法院立案",
    "performance_period_ended": "法律文书规定的履行期间最后一日",
}

# The parties' own windows: they run for the parties (apply for 司法确认, apply for arbitration, sue
# after an award, apply for enforcement), keep running after the centre closes the case, and are
# options a party may let lapse, never the centre's overdue work. Every other clock is work someone
# owes (the centre's 化解时限, the referral's mediation period, the court's decision or trial period)
# and stops when the case is closed.
PARTY_TRIGGERS = frozenset({"agreement_effective", "rights_infringement_known", "award_served",
                            "performance_period_ended"})

# Values of the facts that select among rules sharing a trigger (see DeadlineRule.applies_to).
# The complexity of a case (its field, the intake form's choices, the 化解时限 table): defined here only.
SIMPLE, ORDINARY, COMPLEX = "简单", "一般", "复杂疑难"
COMPLEXITIES = (SIMPLE, ORDINARY, COMPLEX)
REFERRAL_KINDS = ("委派", "委托")
PROCEDURES = ("简易", "普通")


@dataclass(frozen=True)
class Period:
    """A length of time: 30 day, 3 working_day, 6 month, 2 year."""

    length: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DomainError(f"期限单位“{self.unit}”无效，应为 day/working_day/month/year")
        if not isinstance(self.length, int) or self.length < 0:
            raise DomainError(f"期限长度必须是非负整数，实际为 {self.length!r}")

    def label(self) -> str:
        """Chinese wording, e.g. '30日', '3个工作日', '6个月', '2年'."""
        return f"{self.length}{UNITS[self.unit]}"


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory or policy clock.

    `extension` is the extension the basis names; `extension_policy` says whether extensions are
    refused ("none"), limited to that extension in total ("capped"), or unlimited ("open", e.g. by
    the parties' agreement or the court president's approval). `hard` marks a legal limit whose
    breach has consequences; soft rules are reminders. `applies_to` is (fact, value) pairs that must
    all match the case, e.g. (("procedure", "简易"),).
    """

    code: str
    name: str
    trigger: str
    period: Period
    legal_basis: str
    hard: bool = True
    extension: Period | None = None
    extension_policy: ExtensionPolicy = "none"
    applies_to: tuple[tuple[str, str], ...] = ()
    roll_to_working_day: bool = True

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise DomainError(f"期限规则 {self.code} 的起算事件“{self.trigger}”未定义")
        if self.extension_policy == "capped" and self.extension is None:
            raise DomainError(f"期限规则 {self.code} 限定延长上限，但没有给出延长期限")

    @property
    def length(self) -> int:
        return self.period.length

    @property
    def unit(self) -> Unit:
        return self.period.unit

    def applies(self, facts: Mapping[str, str]) -> bool:
        """True when every (fact, value) in applies_to matches; a missing fact does not match."""
        return all(facts.get(key) == value for key, value in self.applies_to)

    def describe(self) -> str:
        """One line for the UI: '劳动仲裁裁决期限：仲裁委受理仲裁申请后45日（可延长15日）'."""
        text = f"{self.name}：{TRIGGERS[self.trigger]}后{self.period.label()}"
        if self.extension_policy == "capped" and self.extension:
            text += f"（可延长不超过{self.extension.label()}）"
        elif self.extension_policy == "open":
            text += "（可依规定延长）"
        return text


@dataclass(frozen=True)
class DeadlineSettings:
    """Centre policy with seeded defaults: the 人民调解 general limit and the complexity table."""

    general_limit: Period = Period(1, "month")
    complexity_limits: tuple[tuple[str, Period], ...] = field(
        default=(
            (SIMPLE, Period(1, "day")),
            (ORDINARY, Period(7, "day")),
            (COMPLEX, Period(20, "day")),
        )
    )

    def __post_init__(self) -> None:
        limits = self.complexity_limits
        if isinstance(limits, Mapping):
            limits = tuple(limits.items())
            object.__setattr__(self, "complexity_limits", limits)
        names = [name for name, _ in limits]
        if len(set(names)) != len(names) or not all(names):
            raise DomainError("复杂程度时限表的名称不能为空或重复")


DEFAULT_SETTINGS = DeadlineSettings()

_BASIS_GENERAL = (
    "《人民调解工作若干规定》（司法部令第75号，2002年）第三十三条：“人民调解委员会调解纠纷，"
    "一般在一个月内调结。”属“一般”要求，非强制期限；《人民调解法》本身未设期限，仅要求及时"
    "（第二十一条）。本中心可在设置中调整。"
)
_BASIS_COMPLEXITY = (
    "地方“化解时限”做法（如东至县：简单事项1日内办结、一般纠纷7日内闭环、复杂纠纷20日内），"
    "非国家法定期限，按本中心规定在设置中调整。"
)


# Stable codes for the seeded levels so stored deadlines keep their rule when the table is edited.
_COMPLEXITY_CODES = {SIMPLE: "tm_simple", ORDINARY: "tm_ordinary", COMPLEX: "tm_complex"}


def _mediation_rules(settings: DeadlineSettings) -> list[DeadlineRule]:
    rules = [
        DeadlineRule(
            "tm_general",
            "人民调解一般期限",
            "mediation_accepted",
            settings.general_limit,
            _BASIS_GENERAL,
            hard=False,
            extension_policy="open",
        )
    ]
    for index, (complexity, period) in enumerate(settings.complexity_limits, start=1):
        rules.append(
            DeadlineRule(
                _COMPLEXITY_CODES.get(complexity, f"tm_complexity_{index}"),
                f"化解时限（{complexity}）",
                "case_dispatched",
                period,
                _BASIS_COMPLEXITY,
                hard=False,
                extension_policy="open",
                applies_to=(("complexity", complexity),),
            )
        )
    return rules


_CONFIRMATION_RULES = (
    DeadlineRule(
        "sfqr_apply",
        "申请司法确认期限",
        "agreement_effective",
        Period(30, "day"),
        "《人民调解法》第三十三条：双方当事人“可以自调解协议生效之日起三十日内共同向人民法院申请司法确认”；"
        "《民事诉讼法》（2023年修正）第二百零五条（2021年文本为第二百零一条）同。",
    ),
    DeadlineRule(
        "sfqr_accept",
        "法院决定是否受理司法确认申请",
        "confirmation_applied",
        Period(3, "day"),
        "《最高人民法院关于人民调解协议司法确认程序的若干规定》（法释〔2011〕5号）第四条：人民法院收到申请后"
        "应当在三日内决定是否受理。",
    ),
    DeadlineRule(
        "sfqr_decide_soft",
        "司法确认审查期限（提醒）",
        "confirmation_accepted",
        Period(15, "day"),
        "《最高人民法院关于人民调解协议司法确认程序的若干规定》（法释〔2011〕5号）第五条：受理之日起十五日内作出是否确认的决定，经院长批准可延长十日。"
        "该规定早于现行民诉法特别程序30日审限，作提醒用。",
        hard=False,
        extension=Period(10, "day"),
        extension_policy="capped",
    ),
    DeadlineRule(
        "sfqr_decide_hard",
        "司法确认审限（特别程序）",
        "confirmation_accepted",
        Period(30, "day"),
        "《民事诉讼法》（2023年修正）第一百八十七条：特别程序案件应当在立案之日起三十日内审结，"
        "有特殊情况需要延长的，由本院院长批准。",
        extension_policy="open",
    ),
)

_BASIS_REFERRAL = (
    "《最高人民法院关于人民法院特邀调解的规定》（文号法释〔2016〕14号系回忆，未核实）第二十七条："
    "委派调解期限为30日，委托调解期限普通程序15日、简易程序7日，自特邀调解员签字接收法院移交材料"
    "之日起算，经双方当事人同意可以延长；在线调解另见《人民法院在线调解规则》第二十四条，"
    "自调解员在平台确认接受之日起算。"
)

_REFERRAL_RULES = (
    DeadlineRule(
        "court_delegated",
        "委派调解期限（诉前）",
        "court_referral_received",
        Period(30, "day"),
        _BASIS_REFERRAL,
        extension_policy="open",
        applies_to=(("referral", "委派"),),
    ),
    DeadlineRule(
        "court_entrusted_ordinary",
        "委托调解期限（普通程序）",
        "court_referral_received",
        Period(15, "day"),
        _BASIS_REFERRAL + "委托调解延长的期限不计入审理期限。",
        extension_policy="open",
        applies_to=(("referral", "委托"), ("procedure", "普通")),
    ),
    DeadlineRule(
        "court_entrusted_simple",
        "委托调解期限（简易程序）",
        "court_referral_received",
        Period(7, "day"),
        _BASIS_REFERRAL + "委托调解延长的期限不计入审理期限。",
        extension_policy="open",
        applies_to=(("referral", "委托"), ("procedure", "简易")),
    ),
)

_LABOUR = (("track", LABOUR_TRACK),)
_LAND = (("track", LAND_TRACK),)

_ARBITRATION_RULES = (
    DeadlineRule(
        "labour_apply",
        "劳动争议仲裁时效",
        "rights_infringement_known",
        Period(1, "year"),
        "《劳动争议调解仲裁法》第二十七条：仲裁时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起"
        "计算；可中断、中止（以延长事件记录）。劳动关系存续期间拖欠劳动报酬的，自劳动关系终止之日起计算。",
        extension_policy="open",
        applies_to=_LABOUR,
    ),
    DeadlineRule(
        "labour_award",
        "劳动仲裁裁决期限",
        "arbitration_accepted",
        Period(45, "day"),
        "《劳动争议调解仲裁法》第四十三条：自仲裁委受理仲裁申请之日起四十五日内结束；案情复杂需要延期的，"
        "经仲裁委主任批准可以延期，延长期限不得超过十五日。逾期未裁决的，当事人可以起诉。",
        extension=Period(15, "day"),
        extension_policy="capped",
        applies_to=_LABOUR,
    ),
    DeadlineRule(
        "labour_sue",
        "不服劳动仲裁裁决起诉期限",
        "award_served",
        Period(15, "day"),
        "《劳动争议调解仲裁法》第五十条（终局裁决的劳动者起诉见第四十八条）：自收到仲裁裁决书之日起十五日内"
        "向人民法院起诉，期满不起诉的，裁决书发生法律效力。用人单位申请撤销终局裁决为三十日（第四十九条）。",
        applies_to=_LABOUR,
    ),
    DeadlineRule(
        "land_apply",
        "土地承包仲裁时效",
        "rights_infringement_known",
        Period(2, "year"),
        "《农村土地承包经营纠纷调解仲裁法》第十八条：申请仲裁的时效期间为二年，自当事人知道或者应当知道"
        "其权利被侵害之日起计算；征收集体土地及其补偿纠纷不属此类仲裁。",
        extension_policy="open",
        applies_to=_LAND,
    ),
    DeadlineRule(
        "land_award",
        "土地承包仲裁裁决期限",
        "arbitration_accepted",
        Period(60, "day"),
        "《农村土地承包经营纠纷调解仲裁法》第四十七条（条号依调研资料）：自受理仲裁申请之日起六十日内作出裁决；"
        "案情复杂需要延长的，经仲裁委主任批准可以延长，延长期限不得超过三十日。",
        extension=Period(30, "day"),
        extension_policy="capped",
        applies_to=_LAND,
    ),
    DeadlineRule(
        "land_sue",
        "不服土地承包仲裁裁决起诉期限",
        "award_served",
        Period(30, "day"),
        "《农村土地承包经营纠纷调解仲裁法》第四十八条：自收到裁决书之日起三十日内向人民法院起诉，"
        "逾期不起诉的，裁决书即发生法律效力。",
        applies_to=_LAND,
    ),
)

_COURT_RULES = (
    DeadlineRule(
        "trial_simple",
        "简易程序审限",
        "case_filed",
        Period(3, "month"),
        "《民事诉讼法》（2023年修正）第一百六十四条：适用简易程序审理案件，应当在立案之日起三个月内审结；"
        "有特殊情况需要延长的，经本院院长批准，可以延长一个月。",
        extension=Period(1, "month"),
        extension_policy="capped",
        applies_to=(("procedure", "简易"),),
    ),
    DeadlineRule(
        "trial_ordinary",
        "普通程序审限",
        "case_filed",
        Period(6, "month"),
        "《民事诉讼法》（2023年修正）第一百五十二条：应当在立案之日起六个月内审结；有特殊情况需要延长的，"
        "经本院院长批准可以延长六个月，还需要延长的，报请上级人民法院批准。",
        extension=Period(6, "month"),
        extension_policy="open",
        applies_to=(("procedure", "普通"),),
    ),
    DeadlineRule(
        "enforcement_apply",
        "申请执行期限",
        "performance_period_ended",
        Period(2, "year"),
        "《民事诉讼法》（2023年修正）第二百五十条：申请执行的期间为二年，从法律文书规定履行期间的最后一日起"
        "计算；申请执行时效的中止、中断适用法律有关诉讼时效中止、中断的规定（以延长事件记录）。",
        extension_policy="open",
    ),
)


def build_rules(settings: DeadlineSettings = DEFAULT_SETTINGS) -> tuple[DeadlineRule, ...]:
    """The full rule table for a centre's settings."""
    return (*_mediation_rules(settings), *_CONFIRMATION_RULES, *_REFERRAL_RULES, *_ARBITRATION_RULES, *_COURT_RULES)


RULES: tuple[DeadlineRule, ...] = build_rules()


def rule_by_code(code: str, rules: Iterable[DeadlineRule] = RULES) -> DeadlineRule:
    for rule in rules:
        if rule.code == code:
            return rule
    raise DomainError(f"未知的期限规则：{code}")


def rules_for(
    trigger: str, facts: Mapping[str, str] | None = None, rules: Iterable[DeadlineRule] = RULES
) -> tuple[DeadlineRule, ...]:
    """The rules an event starts, given the case facts (complexity, referral, procedure, track)."""
    facts = facts or {}
    return tuple(r for r in rules if r.trigger == trigger and r.applies(facts))
