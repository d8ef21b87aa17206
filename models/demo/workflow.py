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
from models.cases.agreements import effective_day
from models.cases.catalog import DisputeType
from models.cases.entities import Case, Dispatch, DispatchTarget
from models.cases.stages import CLOSED_STAGES, COMMERCIAL_TRACK, LABOUR_TRACK, LAND_TRACK, Stage
from models.deadlines import COMPLEX, colour_of_days, compute_due, rules_for
from models.dto import Actor
from models.liaison.service import (
    ReferralInput,
    apply_confirmation,
    record_confirmation_accepted,
    record_decree,
    record_enforcement,
    record_performance,
    record_referral_outcome,
    record_ruling,
    record_trial_concluded,
    register_referral,
    transfer_to_filing,
)
from models.org.entities import Desk, OrgUnit, Role, User
from models.workflow.arbitration import open_arbitration, update_arbitration
from models.workflow.calendar_store import thresholds, work_calendar
from models.workflow.deadline_service import centre_rules
from models.workflow.dispatch import TargetInput, evaluate_dispatch, move_dispatch, open_dispatch
from models.workflow.entities import ArbitrationRecord, CourtReferral, DispatchEvent
from models.workflow.escalation import move_level, record_consultation
from models.workflow.supervision import issue_supervision

COURT, TRIBUNALS = "玉门市人民法院", ("花海人民法庭", "赤金人民法庭", "玉门镇人民法庭", None)
CAUSES = {"0401": "民间借贷纠纷", "0403": "房屋租赁合同纠纷", "13": "机动车交通事故责任纠纷", "14": "物业服务合同纠纷",
          "1102": "网络购物合同纠纷", "12": "医疗损害责任纠纷", "03": "宅基地使用权纠纷", "0101": "离婚纠纷"}
HANDLERS = ("玉门镇人民政府", "赤金镇人民政府", "花海镇人民政府", "玉门市住房和城乡建设局", "玉门市人力资源和社会保障局")
HELPERS = ("玉门镇司法所", "赤金派出所", "花海镇综治中心", None)
# The colour each showcase loop's deadline shows today (None: not yet due soon); the start day is
# found on the centre's calendar so that every colour is present whatever weekday "today" is.
SHOWCASE_DISPATCH_COLOURS = ("蓝", "黄", "红", None, "蓝", "黄")
RECEIPT_COLOURS = ("红", "黄", "黄", "蓝", "蓝", "蓝", None, None)
LONG_TRIAL = timedelta(days=140)  # 简易程序's three months and some: a demo trial filed earlier has ended


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
    _seed_open_windows(session, today, actor)
    _seed_trials(session, rng, today, actor)
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
        received = _receipt_day(session, case, index, today, rng)
        register_referral(session, case.id, ReferralInput(
            court=COURT, tribunal=rng.choice(TRIBUNALS), kind="委派", referred_on=case.received_date,
            pre_suit_number=f"（{year}）甘0981民诉前调{numbers.pre_suit}号",
            odr_number=f"ODR{year}0981{numbers.pre_suit:06d}", cause=CAUSES.get(case.dispute_type_code) or session.get_one(DisputeType, case.dispute_type_code).name,
            claim_amount=case.amount or Decimal(rng.randrange(2, 200) * 500), received_on=received,
        ), actor)
        _conclude_referral(session, rng, case, received, numbers, actor)


def _receipt_day(session: Session, case: Case, index: int, today: date, rng: random.Random) -> date:
    """Open referrals are received so that their 30-day clocks land around today in every colour."""
    if case.stage == Stage.MEDIATE:
        colour = RECEIPT_COLOURS[index % len(RECEIPT_COLOURS)]
        start = start_for_colour(session, "court_referral_received", {"referral": "委派", "procedure": ""}, today, colour)
        return max(case.received_date, start)  # received on or after the referral
    return case.received_date + timedelta(days=rng.randrange(0, 3))


def start_for_colour(session: Session, trigger: str, facts: dict[str, str], today: date, colour: str | None) -> date:
    """The latest start day whose deadline (first rule of `trigger`) shows `colour` today."""
    found = _start_for_colour(session, trigger, facts, today, colour)
    if found is None:
        raise AssertionError(f"no start day gives {colour} for {trigger}")  # overdue colours always exist
    return found


def _start_for_colour(session: Session, trigger: str, facts: dict[str, str], today: date, colour: str | None,
                      *, not_past: bool = False) -> date | None:
    rule = rules_for(trigger, facts, centre_rules(session))[0]
    calendar, limits = work_calendar(session), thresholds(session)
    for back in range(400):
        start = today - timedelta(days=back)
        left = (compute_due(rule, start, calendar).due_date - today).days
        if colour_of_days(left, limits) == colour and (left >= 0 or not not_past):
            return start
    return None


def _conclude_referral(session: Session, rng: random.Random, case: Case, received: date, numbers: Counters,
                       actor: Actor) -> None:
    if case.stage == Stage.MEDIATE and case.mediation_outcome is None:
        return
    ended = received + timedelta(days=rng.randrange(5, 28))
    if case.mediation_outcome in ("书面协议", "口头协议"):
        roll = rng.random()
        closing = "申请司法确认" if roll < 0.55 else ("申请出具调解书" if roll < 0.65 else "诉讼外调解结案")
        on_file = effective_day(session, case.id)  # the agreement's own date when the centre recorded one
        record_referral_outcome(session, case.id, "达成协议", closing, ended, actor,
                                agreement_effective_on=None if on_file else ended)
        if closing == "申请司法确认":
            _confirm(session, rng, case, on_file or ended, numbers, actor)
        elif closing == "申请出具调解书":
            numbers.confirmation += 1
            record_decree(session, case.id, f"（{ended.year}）甘0981诉前调书{numbers.confirmation}号", actor,
                          decree_on=ended + timedelta(days=7))
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
    ruled = accepted + timedelta(days=rng.randrange(3, 14))
    ruling = rng.choices(("确认有效", "驳回申请"), (9, 1))[0]
    record_ruling(session, case.id, ruling, ruled, actor)
    if ruling == "确认有效":
        _perform(session, rng, case, ruled, numbers, actor)


def _perform(session: Session, rng: random.Random, case: Case, ruled: date, numbers: Counters, actor: Actor) -> None:
    """After a confirmed agreement: performed, or not performed and then 申请执行 (with its 执 number)."""
    due = ruled + timedelta(days=15)
    performance = rng.choices(("已履行", "部分履行", "未履行"), (6, 2, 2))[0]
    record_performance(session, case.id, performance, due, actor)
    if performance != "已履行" and due + timedelta(days=10) <= clock.today():
        numbers.enforcement += rng.randrange(3, 30)
        record_enforcement(session, case.id, due + timedelta(days=10), f"（{due.year}）甘0981执{numbers.enforcement}号",
                           actor)


def _seed_open_windows(session: Session, today: date, actor: Actor) -> None:
    """司法确认 windows still open today, in blue (days left) and yellow (the last day), on open referrals;
    a red window cannot exist: an unused window lapses instead (the parties may let it run out)."""
    open_ones = _cases(session, Case.source_channel == "法院委派", Case.stage == Stage.MEDIATE, Case.mediation_outcome.is_(None))
    for case, colour in zip(open_ones[-3:], ("蓝", "黄", "蓝"), strict=False):
        # yellow is the window's last day, which exists only on a working day (the last day rolls)
        effective = _start_for_colour(session, "agreement_effective", {}, today, colour, not_past=True)
        if effective is None:
            continue
        record_referral_outcome(session, case.id, "达成协议", "申请司法确认", effective, actor,
                                agreement_effective_on=effective)


def _seed_trials(session: Session, rng: random.Random, today: date, actor: Actor) -> None:
    """Half of the referrals 转立案 long enough ago have their trial concluded."""
    for row in session.scalars(select(CourtReferral).where(CourtReferral.filed_on.is_not(None))
                               .order_by(CourtReferral.id)):
        assert row.filed_on is not None  # selected by filed_on IS NOT NULL
        ended = row.filed_on + timedelta(days=rng.randrange(40, 80))
        # a trial filed long ago, or of a case since closed, has ended: its 审限 no longer runs
        long_ago = row.filed_on < today - LONG_TRIAL or session.get_one(Case, row.case_id).stage in CLOSED_STAGES
        if ended <= today and (rng.random() < 0.5 or long_ago):
            record_trial_concluded(session, row.case_id, ended, actor)


# ---- 双派单 closed loops ---------------------------------------------------------------------


def _grid_name(session: Session, case: Case) -> str:
    unit = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    parent = session.get(OrgUnit, unit.parent_id) if unit and unit.parent_id else None
    return f"{parent.name if parent else ''}{unit.name if unit else '网格'}"


def _seed_departments(session: Session) -> dict[str, tuple[int, int]]:
    """The departments dispatches go to, each a desk (category 部门) with its liaison's account (bmNN)."""
    found: dict[str, tuple[int, int]] = {}
    names = [*HANDLERS, *(h for h in HELPERS if h)]
    for n, name in enumerate(names, start=1):
        desk = Desk(name=name, category="部门", sort_order=900 + n)
        session.add(desk)
        session.flush()
        user = User(username=f"bm{n:02d}", display_name=f"{name.removeprefix('玉门市')[:6]}联络员", role=Role.DEPT_LIAISON,
                    desk_id=desk.id)
        session.add(user)
        session.flush()
        found[name] = (desk.id, user.id)
    return found


def dispatch_accounts(session: Session) -> list[tuple[str, str]]:
    """The department and grid-worker accounts named on the demo's dispatches (to sign in as them)."""
    query = (select(User.username, User.role).join(DispatchTarget, DispatchTarget.user_id == User.id)
             .where(User.role.in_((Role.DEPT_LIAISON, Role.GRID_WORKER))).distinct().order_by(User.username))
    return [(name, role) for name, role in session.execute(query)]


def _targets(session: Session, rng: random.Random, case: Case,
             departments: dict[str, tuple[int, int]]) -> list[TargetInput]:
    lead = rng.choice(HANDLERS)
    targets = [TargetInput("主办", lead, desk_id=departments[lead][0], user_id=departments[lead][1])]
    helper = rng.choice(HELPERS)
    if helper:
        targets.append(TargetInput("协办", helper, desk_id=departments[helper][0], user_id=departments[helper][1]))
    worker = session.scalar(select(User.id).where(User.org_unit_id == case.org_unit_id))
    targets.append(TargetInput("属地监督", _grid_name(session, case) + "网格员", user_id=worker))
    return targets


def _seed_dispatches(session: Session, rng: random.Random, today: date, actor: Actor) -> None:
    departments = _seed_departments(session)
    open_cases = _cases(session, Case.stage == Stage.MEDIATE, Case.source_channel.in_(("网格上报", "来访", "12345热线")))
    for index, case in enumerate(open_cases[:30]):
        case.complexity = "一般"
        colour = SHOWCASE_DISPATCH_COLOURS[index % len(SHOWCASE_DISPATCH_COLOURS)]
        started = start_for_colour(session, "case_dispatched", {"complexity": "一般"}, today, colour)
        view = open_dispatch(session, case.id, _targets(session, rng, case, departments), actor, "请于时限内化解并反馈", on=started)
        _advance_loop(session, rng, view.id, index, started, today, actor)
    session.flush()


def _advance_loop(session: Session, rng: random.Random, dispatch_id: int, index: int, started: date, today: date,
                  actor: Actor) -> None:
    """Leave the loops in every state: dispatched, fed back, sent back, verified, re-opened, archived."""
    step = index % 6

    def day(n: int) -> date:  # a step n days after the dispatch, never after today
        return min(started + timedelta(days=n), today)

    if step == 0:
        return
    move_dispatch(session, dispatch_id, "feedback", actor, "已上门走访双方，初步达成一致意见", on=day(1))
    if step == 1:
        return
    if step == 2:
        move_dispatch(session, dispatch_id, "verify_fail", actor, "电话回访当事人，问题尚未实际解决", on=day(2))
        return
    move_dispatch(session, dispatch_id, "verify_pass", actor, on=day(2))
    if step == 3:
        return
    if step == 4:
        evaluate_dispatch(session, dispatch_id, "不满意", actor, "当事人反映赔偿款仍未到位", on=day(3))
        return
    evaluate_dispatch(session, dispatch_id, rng.choice(("满意", "基本满意")), actor, on=day(3))
    move_dispatch(session, dispatch_id, "archive", actor, on=day(3))


# ---- 裁, 督办, levels, 会诊 ----------------------------------------------------------------


COMMISSIONS = {LABOUR_TRACK: "玉门市劳动人事争议仲裁委员会", LAND_TRACK: "玉门市农村土地承包仲裁委员会",
               COMMERCIAL_TRACK: "酒泉仲裁委员会"}


def apply_for_arbitration(session: Session, case_id: int, track: str, actor: Actor) -> None:
    """The application a demo case goes to 裁 with: an agreement for 商事, the employment relation for 劳动."""
    open_arbitration(session, case_id, track, COMMISSIONS[track], actor, has_agreement=track == COMMERCIAL_TRACK,
                     employment_relation=track == LABOUR_TRACK)


def _seed_arbitration(session: Session, rng: random.Random, actor: Actor) -> None:
    """Dates on every application: applied, accepted, and for decided cases the award and its service."""
    records = session.execute(select(ArbitrationRecord, Case).join(Case, Case.id == ArbitrationRecord.case_id)
                              .order_by(ArbitrationRecord.id)).all()
    for n, (row, case) in enumerate(records, start=1):
        applied = case.received_date + timedelta(days=rng.randrange(10, 40))
        accepted = applied + timedelta(days=rng.randrange(1, 5))
        changes: dict[str, object] = {"knew_on": case.received_date - timedelta(days=20), "applied_on": applied,
                                      "accepted_on": accepted, "case_number": f"玉仲案字〔{accepted.year}〕{n}号"}
        if case.arbitration_result:
            award = accepted + timedelta(days=rng.randrange(20, 44))
            changes |= {"award_on": award, "award_served_on": award + timedelta(days=2), "result": "裁决"}
        update_arbitration(session, row.id, actor, **changes)  # type: ignore[arg-type]  # changes are the record's own field names


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
