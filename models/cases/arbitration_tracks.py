"""The three arbitration tracks and what each needs before a case may go to 裁 (rules as data).

劳动人事争议 needs an employment (人事) relation; 农村土地承包经营 is not for disputes over land
taken by the state and its compensation; 商事 needs a written arbitration agreement and is not for
婚姻/收养/监护/扶养/继承 (incl. 赡养). One home for these rules: the stage machine checks them on
every move into 裁 and the arbitration service checks them when an application is recorded."""

from __future__ import annotations

from dataclasses import dataclass

from models.cases.stages import COMMERCIAL_TRACK, LABOUR_TRACK, LAND_TRACK


@dataclass(frozen=True)
class TrackRule:
    track: str
    basis: str
    needs_agreement: bool = False
    needs_employment: bool = False
    excluded_types: tuple[tuple[str, str], ...] = ()  # (dispute-type code prefix, why)
    free: bool = True
    clock_prefix: str = ""


TRACK_RULES: dict[str, TrackRule] = {
    LABOUR_TRACK: TrackRule(
        LABOUR_TRACK, "《劳动争议调解仲裁法》第二、二十七、四十三、五十条", needs_employment=True,
        clock_prefix="labour_"),
    LAND_TRACK: TrackRule(
        LAND_TRACK, "《农村土地承包经营纠纷调解仲裁法》第二、十八、四十七、四十八条",
        excluded_types=(("08", "因征收集体所有的土地及其补偿发生的纠纷不属于农村土地承包仲裁的受理范围"
                               "（第二条），应引导申请行政复议或者提起诉讼"),),
        clock_prefix="land_"),
    COMMERCIAL_TRACK: TrackRule(
        COMMERCIAL_TRACK, "《仲裁法》第三、四条", needs_agreement=True,
        excluded_types=(("01", "婚姻、收养、监护、扶养、继承纠纷（含赡养）不能仲裁（《仲裁法》第三条）"),), free=False),
}

NO_AGREEMENT = "商事仲裁须有书面仲裁协议（《仲裁法》第四条），没有仲裁协议的，仲裁委员会不予受理"
NO_EMPLOYMENT = "劳动人事争议仲裁须存在劳动关系或人事关系（《劳动争议调解仲裁法》第二条），请在仲裁申请中注明"


def track_blockers(track: str, dispute_type_code: str | None, has_agreement: bool,
                   employment_relation: bool = False) -> list[str]:
    """Everything that keeps a case of `dispute_type_code` from `track` (empty when it may go)."""
    rule = TRACK_RULES.get(track)
    if rule is None:
        return [f"未知的仲裁类别：{track}（可选：{'、'.join(TRACK_RULES)}）"]
    found = [why for prefix, why in rule.excluded_types if (dispute_type_code or "").startswith(prefix)]
    if rule.needs_agreement and not has_agreement:
        found.append(NO_AGREEMENT)
    if rule.needs_employment and not employment_relation:
        found.append(NO_EMPLOYMENT)
    return found
