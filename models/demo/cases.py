"""`mediation-desk demo`: seed a realistic demo centre (玉门 model: five sub-centres, "3+8"
committees, townships/villages/grids, staff) and 300+ cases driven through the real services so
every stage holds cases. Idempotent: a second run finds the centre and adds nothing.

seed_demo creates no passwords; `set_demo_passwords` (called only by the `demo` command, which
prints the password with a warning) lets a few staff accounts sign in. No administrator is created:
first-run setup still asks for one."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.agreements import AgreementInput, record_agreement
from models.cases.catalog import DESK_CATALOGUE, PROFESSIONAL_COMMITTEES, SUB_CENTRES
from models.cases.entities import Case
from models.cases.followups import FOLLOW_UP_AFTER
from models.cases.mediators import name_leader
from models.cases.service import advance_stage, record, register_case
from models.cases.stages import COMMERCIAL_TRACK, LABOUR_TRACK, LAND_TRACK, Stage
from models.deadlines import COMPLEXITIES
from models.demo import fakedata
from models.demo.casefile import complete_dossier
from models.demo.sessions import VISIT_AFTER, seed_open_sittings, sittings_before_agreement, visit, visit_day
from models.demo.workflow import apply_for_arbitration, dispatch_accounts, seed_workflow
from models.dto import Actor, CaseDraft, PartyInput
from models.org.entities import Committee, CommitteeKind, Desk, Level, OrgUnit, Role, User
from models.org.reference import ensure_reference_data
from models.security.accounts import Credential, reset_password
from models.security.permissions import PermissionDenied

CENTRE = "玉门市人民调解委员会"
TOWNSHIPS = {
    "玉门镇": ("代家滩村", "东渠村", "西湖村"),
    "赤金镇": ("赤金村", "光明村"),
    "花海镇": ("花海村", "金湾村"),
    "柳河镇": ("蘑菇台村", "红旗村"),
    "新市区街道": ("和平社区", "建设社区"),
}
STUDIOS = (("王德明首席调解员工作室", "德调"), ("李秀英首席调解员工作室", "秀调"), ("马国栋首席调解员工作室", "栋调"))
SUMMARIES = {
    "0101": "夫妻因感情不和就子女抚养和财产分割发生纠纷", "0103": "兄妹之间因老人赡养费用分担产生争执",
    "02": "相邻两户因排水沟渠堵塞引发邻里矛盾", "03": "两户因宅基地界址不清发生争议",
    "0401": "民间借款到期未还，双方对利息计算有争议", "0403": "商铺租赁合同提前解除，押金退还发生争议",
    "06": "饲养的牲畜毁坏邻居庄稼引发赔偿纠纷", "0701": "土地承包经营权流转费用支付产生纠纷",
    "1001": "建筑工地拖欠农民工工资", "1099": "员工离职经济补偿金数额存在争议",
    "1102": "网购商品质量问题引发退货退款纠纷", "12": "术后并发症引发医疗损害赔偿争议",
    "13": "两车追尾造成人员受伤，赔偿金额协商不成", "14": "业主拖欠物业费，物业公司停止部分服务",
    "15": "村集体收益分配方案引发村民不满", "99": "合伙经营散伙后账目结算发生争议",
}

DEMO_PASSWORD = "Demo#2026tiaojie"  # printed by `mediation-desk demo`; meets the 标准 policy (12+ chars)
DEMO_ACCOUNTS = (("tj00", Role.MEDIATOR), ("sd01", Role.LIAISON), ("sj01", Role.CLERK), ("ld01", Role.LEADER))

DESK_BY_SOURCE = {
    "来访": "群众来访接待中心", "网格上报": "综治中心(网格管理中心)", "12345热线": "矛盾纠纷调解中心",
    "法院委派": "人民法院诉调对接中心", "警情移交": "警调窗口", "信访转办": "信访接待窗口", "主动排查": "矛盾纠纷调解中心",
}


@dataclass(frozen=True)
class DemoResult:
    created: bool
    cases: int


def check_demo_target(session: Session) -> None:
    """`demo` writes only into an empty database or one that already holds the demo centre, never
    beside a centre's real cases or accounts (its staff passwords are public)."""
    is_demo = session.scalar(select(Committee.id).where(Committee.name == CENTRE)) is not None
    has_data = (session.scalar(select(Case.id).limit(1)) is not None
                or session.scalar(select(Credential.user_id).limit(1)) is not None)
    if has_data and not is_demo:
        raise PermissionDenied("此数据库已有案件或账户，不是演示数据库：演示数据只能写入空数据库或演示数据库")


def seed_demo(session: Session, *, cases: int = 320, seed: int = 20251) -> DemoResult:
    """Create the demo centre once; returns how many cases the database then holds."""
    ensure_reference_data(session)
    if session.scalar(select(Committee.id).where(Committee.name == CENTRE)) is None:
        rng = random.Random(seed)
        staff = _seed_organisation(session)
        for i in range(cases):
            _seed_case(session, rng, staff, i)
        seed_workflow(session)
        seed_open_sittings(session, clock.today())
        created = True
    else:
        created = False
    return DemoResult(created, int(session.scalar(select(func.count()).select_from(Case)) or 0))


def set_demo_passwords(session: Session, password: str = DEMO_PASSWORD) -> list[tuple[str, str]]:
    """Give the demo staff accounts that have no password yet `password` (never an administrator;
    a password someone already changed is left alone). Returns (username, role) of every demo account."""
    accounts = []
    for username, role in (*DEMO_ACCOUNTS, *dispatch_accounts(session)):
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            continue
        if session.get(Credential, user.id) is None:
            reset_password(session, Actor(), user.id, password)
            session.get(Credential, user.id).must_change = False  # type: ignore[union-attr]  # a demo, not a hand-over
        accounts.append((username, str(role)))
    return accounts


@dataclass
class Staff:
    desks: dict[str, int]
    committees: list[int]
    mediators: list[User]
    liaison: User
    grids: list[int]


def _seed_organisation(session: Session) -> Staff:
    desks = {name: _add(session, Desk(name=name, category="分中心", sort_order=i)).id for i, name in enumerate(SUB_CENTRES)}
    for i, name in enumerate(DESK_CATALOGUE, start=len(SUB_CENTRES)):
        desks[name] = _add(session, Desk(name=name, category="窗口", sort_order=i)).id
    county = _add(session, OrgUnit(name="玉门市", level=Level.COUNTY))
    grids = _seed_levels(session, county)
    mediation_desk = desks["矛盾纠纷调解中心"]
    committee_rows = [(CENTRE, "玉门", CommitteeKind.PEOPLES)]
    committee_rows += [(n, c, CommitteeKind.STUDIO) for n, c in STUDIOS]
    committee_rows += [(n, c, CommitteeKind.PROFESSIONAL) for n, c in PROFESSIONAL_COMMITTEES]
    committees = [
        _add(session, Committee(name=n, code=c, kind=k, org_unit_id=county.id, desk_id=mediation_desk)).id
        for n, c, k in committee_rows
    ]
    mediators = [_user(session, f"tj{i:02d}", Role.MEDIATOR, mediation_desk, committees[i % len(committees)])
                 for i in range(12)]
    liaison = _user(session, "sd01", Role.LIAISON, desks["人民法院诉调对接中心"], None)
    _user(session, "sj01", Role.CLERK, mediation_desk, None)
    _user(session, "ld01", Role.LEADER, desks["综治中心(网格管理中心)"], None)
    return Staff(desks, committees, mediators, liaison, grids)


def _seed_levels(session: Session, county: OrgUnit) -> list[int]:
    grids: list[int] = []
    for township, villages in TOWNSHIPS.items():
        town = _add(session, OrgUnit(name=township, level=Level.TOWNSHIP, parent_id=county.id))
        for village in villages:
            unit = _add(session, OrgUnit(name=village, level=Level.VILLAGE, parent_id=town.id))
            for n in ("第一网格", "第二网格"):
                grid = _add(session, OrgUnit(name=n, level=Level.GRID, parent_id=unit.id))
                grids.append(grid.id)
                _user(session, f"wg{grid.id:03d}", Role.GRID_WORKER, None, None, grid.id)
    return grids


_NAME_RNG = random.Random(7)


def _user(session: Session, login: str, role: str, desk: int | None, committee: int | None, unit: int | None = None) -> User:
    user = User(username=login, display_name=fakedata.person_name(_NAME_RNG), role=role, desk_id=desk,
                committee_id=committee, org_unit_id=unit, phone=fakedata.mobile(_NAME_RNG))
    return _add(session, user)


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def _seed_case(session: Session, rng: random.Random, staff: Staff, i: int) -> None:
    mediator = rng.choice(staff.mediators)
    actor = Actor(mediator.id, mediator.desk_id)
    code = rng.choice(list(SUMMARIES))
    source = rng.choices(("来访", "网格上报", "12345热线", "法院委派", "警情移交", "信访转办", "主动排查"),
                         (30, 20, 10, 12, 10, 8, 10))[0]
    received = _anchor() - timedelta(days=rng.randrange(0, 700))
    parties = _demo_parties(rng, code)
    draft = CaseDraft(
        committee_id=mediator.committee_id or staff.committees[0], source_channel=source, dispute_type_code=code,
        summary=SUMMARIES[code], received_date=received, parties=parties, desk_id=staff.desks[DESK_BY_SOURCE[source]],
        org_unit_id=rng.choice(staff.grids), facts=SUMMARIES[code] + "，双方多次协商未果，申请调解。",
        claims="请求依法调解，妥善解决争议。", risk_colour=rng.choices(("红", "黄", "蓝", None), (5, 20, 40, 35))[0],
        complexity=rng.choices(COMPLEXITIES, (40, 45, 15))[0],
        amount=Decimal(rng.randrange(0, 300)) * 500 if code not in ("02", "15") else None,
        people_involved=rng.choice((2, 2, 2, 3, 4, 6, 12)), mediator_id=mediator.id,
    )
    anchor = _anchor()
    with clock.pinned(received):  # the case's history starts on the day it was received
        ref = register_case(session, draft, Actor(mediator.id, staff.desks[DESK_BY_SOURCE[source]]))
        if draft.risk_colour == "红":  # a 红 case moves on only with a 包案领导 named (issue 10)
            name_leader(session, ref.id, _demo_user_id(session, "ld01"), Actor())
    age = (anchor - received).days
    _progress(session, rng, ref.id, ref.stage, actor, code, Age(age > STALE_DAYS, age > OPEN_MEDIATION_DAYS), anchor)


STALE_DAYS = 180
# A case left in mediation was received at most this long ago, so its one-month 化解时限 (longer for
# complex cases) is never more than 60 days overdue: the demo's open work looks like a working centre's.
OPEN_MEDIATION_DAYS = 88


@dataclass(frozen=True)
class Age:
    stale: bool  # too old to be left open at all
    past_mediation: bool  # too old to be still in mediation


def _anchor() -> date:
    """The newest demo case was received two days ago, whenever the demo is seeded."""
    return clock.today() - timedelta(days=2)


def _demo_parties(rng: random.Random, code: str) -> tuple[PartyInput, ...]:
    sides = ["申请方"] * rng.choice((1, 1, 2)) + ["被申请方"] * rng.choice((1, 1, 1, 2, 3))
    parties = [PartyInput(side=s, address=f"玉门市{rng.choice(list(TOWNSHIPS))}", **fakedata.person(rng))  # type: ignore[arg-type]  # fakedata.person yields PartyInput's own fields
               for s in sides]
    if code in ("1001", "1099", "14", "1102") and rng.random() < 0.7:
        parties[-1] = PartyInput(side="被申请方", kind="组织", name=rng.choice(("玉门市恒通建筑工程有限公司", "玉门市安居物业服务有限公司", "甘肃金海商贸有限公司")),
                                 address="玉门市新市区", phone="0937-" + str(rng.randrange(3000000, 3999999)),
                                 legal_rep=fakedata.person_name(rng), legal_rep_title="总经理")
    return tuple(parties)


def _progress(session: Session, rng: random.Random, case_id: int, stage: str, actor: Actor, code: str,
              age: Age, anchor: date) -> None:
    """Move a demo case along; an older case is not left open (a real centre closes or escalates
    it, and a list of cases overdue by a year would not look like one)."""
    roll = rng.random()
    if stage == Stage.DIAGNOSE:
        if roll < 0.15 and not age.stale:
            return
        received = session.get_one(Case, case_id).received_date
        with clock.pinned(received, time(11, 0)):  # 受理 (or the consultation) the day it came in
            if roll < 0.22:
                advance_stage(session, case_id, "close_consultation", actor, "经法律咨询，当事人表示自行协商解决")
                return
            advance_stage(session, case_id, "refer_mediation", actor)
    roll = rng.random()
    if roll < 0.25 and not age.stale:
        if age.past_mediation:  # too old to be still in mediation: it reached its agreement instead
            _close_with_agreement(session, None, case_id, actor, anchor)
        return
    if roll < 0.70:
        _close_with_agreement(session, rng, case_id, actor, anchor)
    elif roll < 0.85:
        _to_arbitration(session, rng, case_id, actor, code, age.stale)
    else:
        record(session, case_id, "mediation_outcome", "调解不成", actor, "双方分歧较大")
        advance_stage(session, case_id, "to_litigation", actor, "告知当事人依法向人民法院起诉")
        if rng.random() < 0.5 or age.stale:
            record(session, case_id, "court_outcome", rng.choice(("判决", "出具调解书", "撤诉")), actor)
            advance_stage(session, case_id, "close_litigation", actor)


def _close_with_agreement(session: Session, rng: random.Random | None, case_id: int, actor: Actor,
                          anchor: date) -> None:
    """Sittings, the agreement and closing on the day it was signed; a 回访 some weeks after
    performance fell due when that day has come (else the visit is still to do: 待回访). Without
    `rng` the case takes the plain path (written, visited, satisfied) and draws no random numbers,
    so the cases seeded after it stay what they were."""
    oral = rng.choice(("书面协议", "书面协议", "口头协议")) == "口头协议" if rng else False
    agreement = _demo_agreement(session.get_one(Case, case_id), oral, anchor)
    sittings_before_agreement(session, case_id, agreement.signed_on, actor)
    with clock.pinned(agreement.signed_on, time(16, 0)):
        record_agreement(session, case_id, agreement, actor)  # records the outcome
        advance_stage(session, case_id, "close_mediation", actor)
    roll = rng.random() if rng else 0.5
    drawn = rng.choices(("满意", "基本满意", "不满意"), (70, 22, 8))[0] if rng and roll >= 0.4 else None
    day = visit_day(agreement.signed_on, agreement.performance_deadline)
    recently_due = day - VISIT_AFTER + FOLLOW_UP_AFTER > anchor - timedelta(days=40)
    if day > anchor or (drawn is None and recently_due):
        return  # not visited yet: due now or soon, never long forgotten
    satisfaction = drawn or "满意"
    recent = day >= anchor - timedelta(days=20)
    if satisfaction == "不满意" and not recent:
        satisfaction = "基本满意"  # a case re-opened long ago would have been mediated again since
    elif recent and case_id % 3 == 0:
        satisfaction = "不满意"  # the demo shows a case the visit sent back to mediation
    if not visit(session, case_id, day, satisfaction, actor) and roll < 0.8:
        with clock.pinned(day, time(17, 0)):  # the 书记员 archives (a mediator may not); 归档 needs a complete 卷宗
            complete_dossier(session, case_id, actor)
            advance_stage(session, case_id, "archive", Actor(_demo_user_id(session, "sj01"), actor.desk_id))


def _demo_user_id(session: Session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


def _demo_agreement(case: Case, oral: bool, anchor: date) -> AgreementInput:
    """A plausible agreement for a demo case (consumes no random numbers: the demo stays stable)."""
    pay = "被申请方于协议签订之日起十五日内向申请方支付{amount}。" if case.amount else "被申请方向申请方赔礼道歉。"
    items = ("双方同意按照调解方案解决本纠纷。", pay, "本协议履行完毕后，双方就本纠纷再无其他争议。")
    signed = min(case.received_date + timedelta(days=12), anchor)
    return AgreementInput(items=items, signed_on=signed, performance="当面或银行转账方式一次性履行" if case.amount else "当场履行",
                          performance_deadline=signed + timedelta(days=15) if case.amount else None,
                          amount=case.amount or None, oral=oral)


def _to_arbitration(session: Session, rng: random.Random, case_id: int, actor: Actor, code: str,
                    stale: bool) -> None:
    record(session, case_id, "mediation_outcome", "调解不成", actor, "被申请方不同意调解方案")
    track = LABOUR_TRACK if code.startswith("10") else (LAND_TRACK if code == "0701" else COMMERCIAL_TRACK)
    if track == COMMERCIAL_TRACK and code.startswith("01"):  # family disputes cannot be arbitrated (仲裁法 Art. 3)
        advance_stage(session, case_id, "to_litigation", actor, "告知当事人依法向人民法院起诉")
        return
    record(session, case_id, "arbitration_track", track, actor)
    apply_for_arbitration(session, case_id, track, actor)
    advance_stage(session, case_id, "to_arbitration", actor, "引导当事人申请仲裁")
    if rng.random() < 0.6 or stale:
        record(session, case_id, "arbitration_result", "裁决", actor)
        if rng.random() < 0.4:
            advance_stage(session, case_id, "sue_after_award", actor, "当事人不服裁决，依法起诉")
        else:
            advance_stage(session, case_id, "close_arbitration", actor)
