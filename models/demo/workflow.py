"""Demo data for the workflow depth (called by models.demo.seed_demo after the cases exist):
the 诉调对接 register with real-looking court numbers, 双派单 closed loops in every state,
arbitration records, 督办单, level moves and 会诊 — dated relative to today, so that the deadline
list shows 蓝, 黄 and 红 cases whenever the demo is seeded."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.cases.catalog import DisputeType
from models.cases.entities import Case, Dispatch
from models.cases.stages import COMMERCIAL_TRACK, LABOUR_TRACK, LAND_TRACK, Stage
from models.deadlines import COMPLEX
from models.dto import Actor
from models.liaison.service import (
    ReferralInput,
    apply_confirmation,
    record_confirmation_accepted,
    record_referral_outcome,
    record_ruling,
    register_referral,
    transfer_to_filing,
)
from models.org.entities import OrgUnit, User
from models.workflow.arbitration import open_arbitration, update_arbitration
from models.workflow.dispatch import TargetInput, evaluate_dispatch, move_dispatch, open_dispatch
from models.workflow.entities import DispatchEvent
from models.workflow.escalation import move_level, record_consultation
from models.workflow.supervision import issue_supervision

COURT, TRIBUNALS = "玉门市人民法院", ("花海人民法庭", "赤金人民法庭", "玉门镇人民法庭", None)
CAUSES = {"0401": "民间借贷纠纷", "0403": "房屋租赁合同纠纷", "13": "机动车交通事故责任纠纷", "14": "物业服务合同纠纷",
          "1102": "网络购物合同纠纷", "12": "医疗损害责任纠纷", "03": "宅基地使用权纠纷", "0101": "离婚纠纷"}
HANDLERS = ("玉门镇人民政府", "赤金镇人民政府", "花海镇人民政府", "玉门市住房和城乡建设局", "玉门市人力资源和社会保障局")
HELPERS = ("玉门镇司法所", "赤金派出所", "花海镇综治中心", None)
# Days from the dispatch to today for the showcase loops; 一般 complexity gives 7 days to resolve.
SHOWCASE_DISPATCH_AGES = (1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 30, 45)


@dataclass
class Counters:
    pre_suit: int = 100
    confirmation: int = 20
    filing: int = 800
    enforcement: int = 300


def seed_workflow(session: Session, *, seed: int = 20254, today: date | None = None) -> None:
    today = today or clock.today()
    rng = random.Random(seed)
    actor = Actor()
    _seed_register(session, rng, today, actor)
    _seed_dispatches(session, rng, today, actor)
    _seed_arbitration(session, rng, actor)
    _seed_supervision_and_levels(session, today, actor)


def _cases(session: Session, *conditions) -> list[Case]:
    return list(session.scalars(select(Case).where(*conditions).order_by(Case.id)))


# ---- 诉调对接 register ------------------------------------------------------------------------


def _seed_register(session: Session, rng: random.Random, today: date, actor: Actor) -> None:
    numbers = Counters()
    for index, case in enumerate(_cases(session, Case.source_channel == "法院委派")):
        numbers.pre_suit += rng.randrange(3, 40)
        year = case.received_date.year
        received = _receipt_day(case, index, today, rng)
        register_referral(session, case.id, ReferralInput(
            court=COURT, tribunal=rng.choice(TRIBUNALS), kind="委派", referred_on=case.received_date,
            pre_suit_number=f"（{year}）甘0981民诉前调{numbers.pre_suit}号",
            odr_number=f"ODR{year}0981{numbers.pre_suit:06d}", cause=CAUSES.get(case.dispute_type_code) or session.get_one(DisputeType, case.dispute_type_code).name,
            claim_amount=case.amount or Decimal(rng.randrange(2, 200) * 500), received_on=received,
        ), actor)
        _conclude_referral(session, rng, case, received, numbers, actor)


def _receipt_day(case: Case, index: int, today: date, rng: random.Random) -> date:
    """Open referrals are received so that their 30-day clocks land around today in every colour."""
    if case.stage == Stage.MEDIATE:
        offset = (40, 30, 29, 28, 27, 25, 20, 10)[index % 8]  # red … yellow … blue … not yet shown
        return max(case.received_date, today - timedelta(days=offset))
    return case.received_date + timedelta(days=rng.randrange(0, 3))


def _conclude_referral(session: Session, rng: random.Random, case: Case, received: date, numbers: Counters,
                       actor: Actor) -> None:
    if case.stage == Stage.MEDIATE and case.mediation_outcome is None:
        return
    ended = received + timedelta(days=rng.randrange(5, 28))
    if case.mediation_outcome in ("书面协议", "口头协议"):
        closing = "申请司法确认" if rng.random() < 0.6 else "诉讼外调解结案"
        record_referral_outcome(session, case.id, "达成协议", closing, ended, actor, agreement_effective_on=ended)
        if closing == "申请司法确认":
            _confirm(session, rng, case, ended, numbers, actor)
        return
    reason = rng.choice(("分歧较大", "一方明确不愿继续", "期满未达成且未合意延长"))
    record_referral_outcome(session, case.id, reason, "转立案", ended, actor,
                            "双方对赔偿数额分歧较大；无争议事实已书面确认")
    numbers.filing += rng.randrange(5, 60)
    transfer_to_filing(session, case.id, ended + timedelta(days=3), f"（{ended.year}）甘0981民初{numbers.filing}号",
                       rng.choice(("简易", "简易", "普通")), actor)


def _confirm(session: Session, rng: random.Random, case: Case, effective: date, numbers: Counters,
             actor: Actor) -> None:
    applied = effective + timedelta(days=rng.randrange(1, 10))
    apply_confirmation(session, case.id, applied, actor)
    numbers.confirmation += rng.randrange(2, 15)
    accepted = applied + timedelta(days=1)
    record_confirmation_accepted(session, case.id, accepted, f"（{accepted.year}）甘0981诉前调确{numbers.confirmation}号",
                                 actor)
    record_ruling(session, case.id, rng.choices(("确认有效", "驳回申请"), (9, 1))[0],
                  accepted + timedelta(days=rng.randrange(3, 14)), actor)


# ---- 双派单 closed loops ---------------------------------------------------------------------


def _grid_name(session: Session, case: Case) -> str:
    unit = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    parent = session.get(OrgUnit, unit.parent_id) if unit and unit.parent_id else None
    return f"{parent.name if parent else ''}{unit.name if unit else '网格'}"


def _targets(session: Session, rng: random.Random, case: Case) -> list[TargetInput]:
    targets = [TargetInput("主办", rng.choice(HANDLERS))]
    helper = rng.choice(HELPERS)
    if helper:
        targets.append(TargetInput("协办", helper))
    worker = session.scalar(select(User.id).where(User.org_unit_id == case.org_unit_id))
    targets.append(TargetInput("属地监督", _grid_name(session, case) + "网格员", user_id=worker))
    return targets


def _seed_dispatches(session: Session, rng: random.Random, today: date, actor: Actor) -> None:
    open_cases = _cases(session, Case.stage == Stage.MEDIATE, Case.source_channel.in_(("网格上报", "来访", "12345热线")))
    for index, case in enumerate(open_cases[:30]):
        age = SHOWCASE_DISPATCH_AGES[index % len(SHOWCASE_DISPATCH_AGES)]
        case.complexity = "一般"
        started = today - timedelta(days=age)
        view = open_dispatch(session, case.id, _targets(session, rng, case), actor, "请于时限内化解并反馈", on=started)
        _advance_loop(session, rng, view.id, index, started, actor)
    session.flush()


def _advance_loop(session: Session, rng: random.Random, dispatch_id: int, index: int, started: date,
                  actor: Actor) -> None:
    """Leave the loops in every state: dispatched, fed back, sent back, verified, re-opened, archived."""
    step = index % 6
    if step == 0:
        return
    move_dispatch(session, dispatch_id, "feedback", actor, "已上门走访双方，初步达成一致意见", on=started + timedelta(days=1))
    if step == 1:
        return
    if step == 2:
        move_dispatch(session, dispatch_id, "verify_fail", actor, "电话回访当事人，问题尚未实际解决", on=started + timedelta(days=2))
        return
    move_dispatch(session, dispatch_id, "verify_pass", actor, on=started + timedelta(days=2))
    if step == 3:
        return
    if step == 4:
        evaluate_dispatch(session, dispatch_id, "不满意", actor, "当事人反映赔偿款仍未到位", on=started + timedelta(days=3))
        return
    evaluate_dispatch(session, dispatch_id, rng.choice(("满意", "基本满意")), actor, on=started + timedelta(days=3))
    move_dispatch(session, dispatch_id, "archive", actor, on=started + timedelta(days=3))


# ---- 裁, 督办, levels, 会诊 ----------------------------------------------------------------


def _seed_arbitration(session: Session, rng: random.Random, actor: Actor) -> None:
    commissions = {LABOUR_TRACK: "玉门市劳动人事争议仲裁委员会", LAND_TRACK: "玉门市农村土地承包仲裁委员会",
                   COMMERCIAL_TRACK: "酒泉仲裁委员会"}
    for n, case in enumerate(_cases(session, Case.arbitration_track.is_not(None)), start=1):
        if case.arbitration_track == COMMERCIAL_TRACK and case.dispute_type_code.startswith("01"):
            continue
        applied = case.received_date + timedelta(days=rng.randrange(10, 40))
        view = open_arbitration(session, case.id, case.arbitration_track or "", commissions[case.arbitration_track or ""],
                                actor, has_agreement=True, knew_on=case.received_date - timedelta(days=20),
                                applied_on=applied)
        accepted = applied + timedelta(days=rng.randrange(1, 5))
        changes: dict[str, object] = {"accepted_on": accepted, "case_number": f"玉仲案字〔{accepted.year}〕{n}号"}
        if case.arbitration_result:
            award = accepted + timedelta(days=rng.randrange(20, 44))
            changes |= {"award_on": award, "award_served_on": award + timedelta(days=2), "result": "裁决"}
        update_arbitration(session, view.id, actor, **changes)  # type: ignore[arg-type]  # changes are the record's own field names


def _seed_supervision_and_levels(session: Session, today: date, actor: Actor) -> None:
    reopened = session.scalars(
        select(Dispatch.case_id).join(DispatchEvent, DispatchEvent.dispatch_id == Dispatch.id)
        .where(DispatchEvent.action == "reopen").distinct().order_by(Dispatch.case_id)).all()
    for n, case_id in enumerate(reopened):
        issue_supervision(session, case_id, "红", "回访不满意，请主办单位三日内重新处置并书面回告", today + timedelta(days=3 - n),
                          actor, issued_by="综治中心 李主任", issued_on=today - timedelta(days=n))
    hard = _cases(session, Case.stage == Stage.MEDIATE, Case.complexity == COMPLEX)[:3]
    for case in hard:
        _escalate(session, case, actor)
        record_consultation(session, case.id, today - timedelta(days=2), "综治中心 李主任",
                            ["矛盾纠纷调解中心", "玉门市司法局", "玉门镇人民政府", "玉门市公安局"],
                            "涉及多户群众，研究联合化解方案", actor, "由玉门镇牵头、司法所配合，十日内召开联合调解会")


def _escalate(session: Session, case: Case, actor: Actor) -> None:
    unit = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    while unit is not None and unit.parent_id is not None and unit.level != "乡镇":
        parent = session.get_one(OrgUnit, unit.parent_id)
        move_level(session, case.id, parent.id, "村级多次调解未化解，提请上级统筹", actor)
        unit = parent
