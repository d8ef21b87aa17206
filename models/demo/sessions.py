"""Demo mediation sessions and follow-up visits, dated relative to the clock: the sittings that led
to each agreement, a first sitting and the next one booked (some today) for cases still in
mediation, and 回访 records after performance fell due — so 今日调解安排 and 待回访 have rows
whenever the demo is seeded. Uses no random numbers (the demo's cases stay what they were)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.cases.entities import Case
from models.cases.followups import FollowUpInput, record_followup
from models.cases.record_entities import MediationSession
from models.cases.sessions import SessionInput, SessionPartyInput, add_session
from models.cases.stages import PERFORMED, Stage
from models.dto import Actor

PLACES = ("矛盾纠纷调解中心第一调解室", "矛盾纠纷调解中心第二调解室", "村委会调解室", "人民法院诉调对接中心调解室")
STATEMENTS = {"申请方": "陈述纠纷经过，要求对方依法承担责任并尽快解决", "被申请方": "对部分事实有异议，愿意在合理范围内协商解决",
              "第三方": "说明了解的情况，愿意配合调解"}
TODAY_TIMES = (time(9, 0), time(10, 30), time(14, 30), time(16, 0))
VISIT_AFTER = timedelta(days=20)  # a visit some three weeks after performance fell due


def _place(case: Case) -> str:
    return PLACES[case.id % len(PLACES)]


def _parties(case: Case, *, statements: bool) -> tuple[SessionPartyInput, ...]:
    return tuple(SessionPartyInput(p.id, True, STATEMENTS.get(p.side, "") if statements else "") for p in case.parties)


def _sitting(case: Case, day: date, at: time, result: str, next_step: str, *, statements: bool = True,
             proposal: str = "") -> SessionInput:
    return SessionInput(
        held_on=day, start_time=at, place=_place(case), mediator_ids=tuple(i for i in (case.mediator_id,) if i),
        parties=_parties(case, statements=statements) if result else (), proposal=proposal, result=result, next_step=next_step,
    )


def sittings_before_agreement(session: Session, case_id: int, signed: date, actor: Actor) -> None:
    """The sittings of a case that reached an agreement on `signed`: a first one a few days after
    receipt when there was time, then the one where the agreement was reached (clock pinned to each)."""
    case = session.get_one(Case, case_id)
    first = case.received_date + timedelta(days=3)
    if first < signed:
        with clock.pinned(first, time(16, 30)):
            add_session(session, case_id, _sitting(case, first, time(9, 30), "双方分歧较大，未达成一致",
                                                   "双方回去考虑调解方案，择日再次调解",
                                                   proposal="建议双方互谅互让，依法依规协商解决"), actor)
    with clock.pinned(signed, time(11, 30)):
        add_session(session, case_id, _sitting(case, signed, time(9, 0), "双方自愿达成调解协议", "制作调解协议书，督促履行",
                                               proposal="按照调解方案解决，履行后双方再无争议"), actor)


def visit_day(signed: date, deadline: date | None) -> date:
    """When the demo's mediator visits: some weeks after performance fell due (or after signing)."""
    return max(signed, deadline or signed) + VISIT_AFTER


def visit(session: Session, case_id: int, day: date, satisfaction: str, actor: Actor) -> bool:
    """A 回访 on `day` (clock pinned to it) visiting every party; True if the case was re-opened."""
    case = session.get_one(Case, case_id)
    performance = PERFORMED if satisfaction != "不满意" else "未履行"
    notes = "协议已按期履行完毕，双方关系缓和" if performance == PERFORMED else "被申请方未按期履行，申请方要求重新调解"
    with clock.pinned(day, time(15, 0)):
        view = record_followup(session, case_id, FollowUpInput(
            visited_on=day, method=("电话", "上门", "当面")[case.id % 3], party_ids=tuple(p.id for p in case.parties),
            performance=performance, satisfaction=satisfaction, notes=notes), actor)
    return view.reopened


def seed_open_sittings(session: Session, today: date) -> int:
    """For every case still in mediation: a first sitting when received long enough ago, and the
    next one booked — every third case today (at the desk's usual hours), the rest within a week."""
    open_cases = session.scalars(select(Case).where(Case.stage == Stage.MEDIATE, Case.mediator_id.is_not(None))
                                 .order_by(Case.id)).all()
    booked = 0
    for n, case in enumerate(open_cases):
        actor = Actor(case.mediator_id, case.desk_id)
        if _booked(session, case.id, today):
            continue
        first = case.received_date + timedelta(days=3)
        if first < today and not _booked(session, case.id, first):  # (a re-opened case has had its sittings)
            add_session(session, case.id, _sitting(case, first, time(9, 30), "双方各执己见，未达成一致",
                                                   "补充证据材料后再次调解"), actor)
        day = today if n % 3 == 0 else today + timedelta(days=1 + n % 6)
        at = TODAY_TIMES[(n // 3) % len(TODAY_TIMES)] if day == today else time(9, 30)
        add_session(session, case.id, _sitting(case, day, at, "", "", statements=False), actor)
        booked += 1
    return booked


def _booked(session: Session, case_id: int, since: date) -> bool:
    """Whether the case has a sitting on or after `since`."""
    query = select(MediationSession.id).where(MediationSession.case_id == case_id, MediationSession.held_on >= since)
    return session.scalar(query.limit(1)) is not None
