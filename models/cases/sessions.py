"""Mediation sessions (调解记录) as records: when and where, the mediators, who attended (parties,
agents, others), each party's statement, the mediator's proposal, the result and the next step.

A session with no result yet is *scheduled* (安排): it may lie in the future and shows in the
desk's day list (今日调解安排). Writing its result makes it a *held* session, which the printed
调解记录 reports, one page group per session, dated by the session. Services take the caller's
session, never commit, and check every value themselves (the dialog is not the only guard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from models import clock
from models.cases.entities import Agent, Case, Party, StageEvent
from models.cases.record_entities import MediationSession, SessionParty
from models.cases.service import load_case
from models.cases.stages import CLOSED_STAGES
from models.dto import Actor
from models.errors import EditConflict, NotFound, ValidationFailed
from models.org.entities import Role, User
from models.security.permissions import Permission, require

# Text limits (characters), the same in the dialog, the CLI and here.
PLACE_MAX = 100
OTHERS_MAX = 200
STATEMENT_MAX = 2000
PROPOSAL_MAX = 2000
RESULT_MAX = 1000
NEXT_STEP_MAX = 500
SCHEDULE_AHEAD = timedelta(days=366)  # a session booked further ahead is a typo in the year
SCHEDULED, HELD = "已安排", "已调解"
SESSION_EVENT = "mediation_session"  # the case history's row for each session saved


@dataclass(frozen=True)
class SessionPartyInput:
    party_id: int
    present: bool = True
    statement: str = ""


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    start_time: time
    place: str
    mediator_ids: tuple[int, ...]
    parties: tuple[SessionPartyInput, ...] = ()
    agent_ids: tuple[int, ...] = ()
    others: str = ""
    proposal: str = ""
    result: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class SessionPartyView:
    party_id: int
    name: str
    side: str
    present: bool
    statement: str


@dataclass(frozen=True)
class SessionView:
    id: int
    case_id: int
    case_number: str
    version: int
    held_on: date
    start_time: time
    place: str
    mediator_ids: tuple[int, ...]
    mediators: tuple[str, ...]
    parties: tuple[SessionPartyView, ...]
    agent_ids: tuple[int, ...]
    agents: tuple[str, ...]  # "王志强（李秀英的委托代理人）"
    others: str
    proposal: str
    result: str
    next_step: str
    recorder: str = ""

    @property
    def status(self) -> str:
        return HELD if self.result.strip() else SCHEDULED

    @property
    def has_statements(self) -> bool:
        """Whether anything was said that could be read back to the parties."""
        return any(p.statement.strip() for p in self.parties)

    @property
    def when(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.start_time:%H:%M}"


@dataclass(frozen=True)
class DayRow:
    """One line of 今日调解安排."""

    session_id: int
    case_id: int
    case_number: str
    start_time: time
    place: str
    mediators: str
    parties: str
    status: str


# --- writing --------------------------------------------------------------------------------------

def add_session(session: Session, case_id: int, data: SessionInput, actor: Actor) -> SessionView:
    """Schedule a session (no result yet) or record one that was held."""
    require(session, actor, Permission.CASE_RECORD)
    case = load_case(session, case_id)
    row = MediationSession(case_id=case.id, created_by_id=actor.user_id)
    _apply(session, case, row, data)
    session.add(row)
    _history(case, row, actor, "安排" if not row.result else "记录")
    session.flush()
    return _view(case, row)


def update_session(session: Session, session_id: int, data: SessionInput, actor: Actor,
                   base_version: int | None = None) -> SessionView:
    """Change a session (e.g. write the result of a scheduled one); refused if someone else saved it first."""
    require(session, actor, Permission.CASE_RECORD)
    row = _load(session, session_id)
    if base_version is not None and row.version != base_version:
        raise EditConflict("此调解记录已被他人修改，您的修改未保存。请重新打开后再提交。")
    case = load_case(session, row.case_id)
    was_scheduled = not row.result
    _apply(session, case, row, data)
    _history(case, row, actor, "记录" if was_scheduled and row.result else "修改")
    session.flush()
    return _view(case, row)


def _history(case: Case, row: MediationSession, actor: Actor, verb: str) -> None:
    when = f"{row.held_on:%Y-%m-%d} {row.start_time:%H:%M}"
    case.events.append(StageEvent(action=SESSION_EVENT, from_stage=case.stage, to_stage=case.stage,
                                  user_id=actor.user_id, desk_id=actor.desk_id,
                                  reason=f"{verb}调解：{when}，{row.place}"))


def _apply(session: Session, case: Case, row: MediationSession, data: SessionInput) -> None:
    problems = check_session(case, data, clock.today())
    mediators = _mediators(session, data.mediator_ids, problems)
    parties = {p.id: p for p in case.parties}
    agents = {a.id: a for p in case.parties for a in p.agents}
    if any(p.party_id not in parties for p in data.parties):
        problems["parties"] = "所选当事人不属于本案件"
    if any(a not in agents for a in data.agent_ids):
        problems["agents"] = "所选代理人不属于本案件的当事人"
    if problems:
        raise ValidationFailed("调解记录有误：" + "；".join(problems.values()), problems)
    row.held_on, row.start_time, row.place = data.held_on, data.start_time, data.place.strip()
    row.others, row.proposal = data.others.strip(), data.proposal.strip()
    row.result, row.next_step = data.result.strip(), data.next_step.strip()
    row.mediators = mediators
    row.agents = [agents[a] for a in dict.fromkeys(data.agent_ids)]
    row.parties = [SessionParty(party_id=p.party_id, present=p.present, statement=p.statement.strip())
                   for p in _unique(data.parties)]


def check_session(case: Case, data: SessionInput, today: date) -> dict[str, str]:
    """Every problem with `data` for `case`, keyed by field (empty when it may be saved)."""
    problems: dict[str, str] = {}
    if case.stage in CLOSED_STAGES:
        problems["case"] = f"案件已{case.stage}，不能再安排或记录调解"
    if data.held_on < case.received_date:
        problems["held_on"] = f"调解日期不能早于受理日期（{case.received_date:%Y-%m-%d}）"
    elif data.held_on > today + SCHEDULE_AHEAD:
        problems["held_on"] = "调解日期不能晚于一年以后，请检查年份"
    elif data.result.strip() and data.held_on > today:
        problems["result"] = f"调解尚未举行（{data.held_on:%Y-%m-%d}），不能填写调解结果"
    if not data.place.strip():
        problems["place"] = "请填写调解地点"
    for key, label, text, limit in (
        ("place", "调解地点", data.place, PLACE_MAX), ("others", "其他参加人", data.others, OTHERS_MAX),
        ("proposal", "调解意见", data.proposal, PROPOSAL_MAX), ("result", "调解结果", data.result, RESULT_MAX),
        ("next_step", "下一步安排", data.next_step, NEXT_STEP_MAX),
    ):
        if len(text.strip()) > limit:
            problems[key] = f"{label}不能超过{limit}个字（现有{len(text.strip())}个字）"
    if any(len(p.statement.strip()) > STATEMENT_MAX for p in data.parties):
        problems["statements"] = f"当事人陈述每人不能超过{STATEMENT_MAX}个字"
    if not data.mediator_ids:
        problems["mediators"] = "请至少选择一名调解员"
    attended = any(p.present for p in data.parties) or bool(data.agent_ids)
    if data.result.strip() and not attended:
        problems["parties"] = "已记录结果的调解须至少有一名当事人或代理人到场"
    return problems


def _mediators(session: Session, ids: tuple[int, ...], problems: dict[str, str]) -> list[User]:
    users = [session.get(User, i) for i in dict.fromkeys(ids)]
    found = [u for u in users if u is not None and u.active]
    if len(found) != len(users):
        problems["mediators"] = "所选调解员账户不存在或已停用"
    return found


def _unique(parties: tuple[SessionPartyInput, ...]) -> list[SessionPartyInput]:
    return list({p.party_id: p for p in parties}.values())


def _load(session: Session, session_id: int) -> MediationSession:
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFound(f"调解记录不存在（编号 {session_id}）")
    return row


# --- reading --------------------------------------------------------------------------------------

def case_sessions(session: Session, case_id: int, *, held_only: bool = False) -> tuple[SessionView, ...]:
    """The case's sessions by date and time (scheduled ones too unless `held_only`)."""
    case = load_case(session, case_id)
    rows = session.scalars(_ordered(select(MediationSession).where(MediationSession.case_id == case_id))).all()
    views = tuple(_view(case, r) for r in rows)
    return tuple(v for v in views if v.status == HELD) if held_only else views


def session_view(session: Session, session_id: int) -> SessionView:
    row = _load(session, session_id)
    return _view(load_case(session, row.case_id), row)


def sessions_on(session: Session, day: date, *, desk_id: int | None = None) -> list[DayRow]:
    """The day list: every session on `day` (of one desk's cases when `desk_id` is given)."""
    query = select(MediationSession).join(Case, Case.id == MediationSession.case_id).where(MediationSession.held_on == day)
    if desk_id is not None:
        query = query.where(Case.desk_id == desk_id)
    rows = session.scalars(_ordered(query).options(selectinload(MediationSession.mediators))).all()
    out = []
    for row in rows:
        view = _view(load_case(session, row.case_id), row)
        present = [p.name for p in view.parties if p.present] or [p.name for p in _case_parties(session, row.case_id)]
        out.append(DayRow(row.id, row.case_id, view.case_number, row.start_time, row.place, "、".join(view.mediators),
                          "、".join(present), view.status))
    return out


def _ordered(query: Select[MediationSession]) -> Select[MediationSession]:
    return query.order_by(MediationSession.held_on, MediationSession.start_time, MediationSession.id)


def _case_parties(session: Session, case_id: int) -> list[Party]:
    return list(session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.ordinal)))


def _agent_text(agent: Agent, parties: dict[int, Party]) -> str:
    party = parties.get(agent.party_id)
    return f"{agent.name}（{party.name}的{agent.kind}）" if party is not None else agent.name


def _view(case: Case, row: MediationSession) -> SessionView:
    parties = {p.id: p for p in case.parties}
    return SessionView(
        id=row.id, case_id=case.id, case_number=case.number, version=row.version, held_on=row.held_on,
        start_time=row.start_time, place=row.place, mediator_ids=tuple(u.id for u in row.mediators),
        mediators=tuple(u.display_name for u in row.mediators),
        parties=tuple(SessionPartyView(p.party_id, parties[p.party_id].name, parties[p.party_id].side, p.present,
                                       p.statement) for p in row.parties if p.party_id in parties),
        agent_ids=tuple(a.id for a in row.agents), agents=tuple(_agent_text(a, parties) for a in row.agents),
        others=row.others, proposal=row.proposal, result=row.result, next_step=row.next_step,
        recorder=row.created_by.display_name if row.created_by is not None else "",
    )


def mediator_choices(session: Session) -> list[tuple[int, str]]:
    """Active mediators (id, name) for the session form, by name."""
    rows = session.execute(select(User.id, User.display_name).where(User.role == Role.MEDIATOR, User.active)
                           .order_by(User.display_name, User.id))
    return [(uid, name) for uid, name in rows]


def agent_choices(session: Session, case_id: int) -> list[tuple[int, str]]:
    """The case's agents (id, "王志强（李四的委托代理人）") for the session form."""
    case = load_case(session, case_id)
    parties = {p.id: p for p in case.parties}
    return [(a.id, _agent_text(a, parties)) for p in case.parties for a in p.agents]
