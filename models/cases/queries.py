"""Read side: the case list (filtered, sorted, paged by keyset or offset), its count, and one
case's detail. Everything returns frozen dataclasses from models.dto."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from models.cases import counts, search
from models.cases.catalog import DisputeType
from models.cases.entities import Case, Party, StageEvent
from models.cases.mediators import co_mediator_names
from models.cases.mine import mine_condition
from models.cases.service import case_facts, find_case_id, load_case
from models.cases.stages import Stage, action_label, blockers, transitions_from
from models.dto import AgentView, CaseDetail, CaseRow, EventView, Page, PartyView
from models.errors import ValidationFailed
from models.org.entities import Committee, Desk, OrgUnit, User
from models.workflow.timeline import workflow_events

STAGE_ALIASES = {"closed": Stage.CLOSED, "archived": Stage.ARCHIVED, **{s.value: s for s in Stage}}


@dataclass(frozen=True)
class CaseFilter:
    stage: str | None = None
    desk_id: int | None = None
    dispute_type_code: str | None = None  # a parent code also matches its sub-codes
    risk_colour: str | None = None
    committee_id: int | None = None
    search: str | None = None
    mine_user_id: int | None = None  # 我的案件: assigned to, registered by or waiting for this user


SORT_COLUMNS: dict[str, tuple[Any, ...]] = {
    "received": (Case.received_date, Case.id),
    "number": (Case.year, Case.seq, Case.id),
    "stage": (Case.stage, Case.received_date, Case.id),
    "type": (Case.dispute_type_code, Case.received_date, Case.id),
}
# Only NOT NULL columns can be keyset keys: a NULL in a row-value comparison would drop rows.


def parse_stage(raw: str) -> str:
    stage = STAGE_ALIASES.get(raw.strip())
    if stage is None:
        raise ValidationFailed(f"未知的阶段：{raw}（可选：诊、调、裁、诉、closed、archived）")
    return stage.value


def filter_conditions(session: Session, flt: CaseFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if flt.stage:
        found.append(Case.stage == flt.stage)
    if flt.desk_id is not None:
        found.append(Case.desk_id == flt.desk_id)
    if flt.dispute_type_code:
        found.append(search.starts_with(Case.dispute_type_code, flt.dispute_type_code))
    if flt.risk_colour:
        found.append(Case.risk_colour == flt.risk_colour)
    if flt.committee_id is not None:
        found.append(Case.committee_id == flt.committee_id)
    if flt.search and flt.search.strip():
        found.append(search.search_condition(session, flt.search))
    if flt.mine_user_id is not None:
        found.append(mine_condition(session, flt.mine_user_id))
    return found


def count_cases(session: Session, flt: CaseFilter) -> int:
    """Exact: from the trigger-kept counter table when the filter allows (models/cases/counts.py),
    else on the cases through the same conditions as the list."""
    found = counts.counted(session, flt)
    if found is not None:
        return found
    if flt.search and dataclasses.replace(flt, search=None) == CaseFilter():  # a search alone
        return search.count_matches(session, flt.search)
    return int(session.scalar(select(func.count()).select_from(Case).where(*filter_conditions(session, flt))) or 0)


# Built once: only the ids change from page to page (statement construction is most of the
# Python cost of a page).
_DETAILS = (
    select(
        Case.id, Case.number, Case.received_date, Case.stage, Desk.name, DisputeType.name,
        Case.risk_colour, Case.summary, Case.voided_at,
    )
    .outerjoin(Desk, Desk.id == Case.desk_id)
    .join(DisputeType, DisputeType.code == Case.dispute_type_code)
    .where(Case.id.in_(bindparam("ids", expanding=True)))
)
_PARTY_NAMES = (
    select(Party.case_id, Party.side, Party.name)
    .where(Party.case_id.in_(bindparam("ids", expanding=True)))
    .order_by(Party.case_id, Party.ordinal)
)


def _details(session: Session, ids: list[int]) -> dict[int, Any]:
    return {row[0]: row for row in session.connection().execute(_DETAILS, {"ids": ids})}


def list_cases(
    session: Session,
    flt: CaseFilter = CaseFilter(),
    *,
    sort: str = "received",
    descending: bool = True,
    after: tuple | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page:
    """One page of the list. Pass the previous page's `next_cursor` as `after` (keyset, O(1) at
    any depth); `offset` counts rows after that (a jump into the middle goes through `Jumps`,
    which turns a deep offset into a bookmark plus a short offset).

    The page's keys are found first on the narrow sort index, then the row details are fetched
    by id: an OFFSET over the joined rows would join every skipped row (0.9 s at row 500,000)."""
    columns = SORT_COLUMNS[sort]
    query = select(*columns).where(*filter_conditions(session, flt))
    if after is not None:
        key, bound = tuple_(*columns), tuple_(*after)
        query = query.where(key < bound if descending else key > bound)
    order = [c.desc() if descending else c.asc() for c in columns]
    # Core execution on the session's connection: these are plain rows, the ORM loading layer
    # would only add per-row overhead (measured: ~1 ms a page).
    keys = session.connection().execute(query.order_by(*order).offset(offset).limit(limit)).all()
    ids = [k[-1] for k in keys]
    details, names = _details(session, ids), _party_names(session, ids)
    page = tuple(_case_row(details[i], names.get(i, "")) for i in ids)
    return Page(page, tuple(keys[-1]) if len(keys) == limit else None)


JUMP_STRIDE = 1000


class Jumps:
    """Scrolling anywhere in one list (filter, sort, order) without repeated OFFSET scans: the
    sort keys of every JUMP_STRIDE-th row ("bookmarks") are read once, in one pass over the narrow
    sort index, on the second jump deeper than a stride; every jump is then a keyset seek to the
    bookmark before the row and an offset of fewer than JUMP_STRIDE rows. The bookmarks belong
    to the list as loaded (the view makes a new Jumps whenever it reloads), like its pages."""

    def __init__(self, flt: CaseFilter, sort: str = "received", descending: bool = True) -> None:
        self.flt, self.sort, self.descending = flt, sort, descending
        self._bookmarks: list[tuple] | None = None
        self._deep_jumps = 0

    def page(self, session: Session, row: int, limit: int = 100) -> Page:
        """The page of `limit` rows starting at row index `row`."""
        block = row // JUMP_STRIDE
        self._deep_jumps += block > 0
        if block == 0 or (self._bookmarks is None and self._deep_jumps == 1):
            # The first deep jump is one narrow-index OFFSET (0.15 s at row 500,000 on PostgreSQL),
            # cheaper than the bookmark pass (1.4 s there); a second one means the user is
            # dragging the scroll bar, and the pass pays for itself.
            return list_cases(session, self.flt, sort=self.sort, descending=self.descending, offset=row, limit=limit)
        bookmarks = self.bookmarks(session)
        if block > len(bookmarks):
            return Page((), None)
        return list_cases(session, self.flt, sort=self.sort, descending=self.descending,
                          after=bookmarks[block - 1], offset=row - block * JUMP_STRIDE, limit=limit)

    def bookmarks(self, session: Session) -> list[tuple]:
        """The sort key of rows JUMP_STRIDE-1, 2·JUMP_STRIDE-1, … (the last row of each block)."""
        if self._bookmarks is None:
            columns = SORT_COLUMNS[self.sort]
            order = [c.desc() if self.descending else c.asc() for c in columns]
            numbered = select(*columns, func.row_number().over(order_by=order).label("rn")).where(
                *filter_conditions(session, self.flt)).subquery()
            query = select(*(numbered.c[c.key] for c in columns)).where(numbered.c.rn % JUMP_STRIDE == 0)
            self._bookmarks = [tuple(k) for k in session.connection().execute(query.order_by(numbered.c.rn))]
        return self._bookmarks


def _case_row(r: Any, parties: str) -> CaseRow:
    return CaseRow(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7], parties, r[8] is not None)


def _party_names(session: Session, case_ids: list[int]) -> dict[int, str]:
    """'张三、李四 与 王五' for each case, in one query for the whole page."""
    if not case_ids:
        return {}
    sides: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, side, name in session.connection().execute(_PARTY_NAMES, {"ids": case_ids}):
        sides[case_id][side].append(name)
    return {
        cid: " 与 ".join("、".join(s[k]) for k in ("申请方", "被申请方") if s.get(k)) for cid, s in sides.items()
    }


def case_detail(session: Session, number: str | None = None, case_id: int | None = None) -> CaseDetail:
    """Everything the detail view and `case show` need, by number or id."""
    case = load_case(session, case_id if case_id is not None else find_case_id(session, number or ""))
    facts = case_facts(session, case)
    names = _user_names(session, case)
    return CaseDetail(
        id=case.id, number=case.number, version=case.version,
        committee=session.get_one(Committee, case.committee_id).name,
        desk=_name_of(session, Desk, case.desk_id), org_unit=_name_of(session, OrgUnit, case.org_unit_id),
        source_channel=case.source_channel, dispute_type_code=case.dispute_type_code,
        dispute_type=session.get_one(DisputeType, case.dispute_type_code).name,
        risk_colour=case.risk_colour, complexity=case.complexity, amount=case.amount,
        people_involved=case.people_involved, mass_incident=case.mass_incident, summary=case.summary,
        facts=case.facts, claims=case.claims, stage=case.stage, received_date=case.received_date,
        registered_at=case.registered_at, first_handler=names.get(case.first_handler_id),
        mediator=names.get(case.mediator_id), mediation_outcome=case.mediation_outcome,
        arbitration_track=case.arbitration_track, arbitration_result=case.arbitration_result,
        court_outcome=case.court_outcome, followup_satisfaction=case.followup_satisfaction,
        parties=tuple(_party_view(p) for p in case.parties),
        events=_events(session, case.id),
        co_mediators="、".join(co_mediator_names(session, case.id)) or None, leader=names.get(case.leader_id),
        allowed_actions=() if case.voided_at else tuple(
            (t.action, t.label) for t in transitions_from(case.stage) if not blockers(facts, t.action, "理由")
        ),
        voided_at=case.voided_at, void_reason=case.void_reason,
    )


def _name_of(session: Session, entity: Any, key: int | None) -> str | None:
    row = session.get(entity, key) if key is not None else None
    return row.name if row is not None else None


def _user_names(session: Session, case: Case) -> dict[int | None, str]:
    ids = {case.first_handler_id, case.mediator_id, case.leader_id} - {None}
    if not ids:
        return {}
    return {uid: name for uid, name in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))}


def _party_view(p: Party) -> PartyView:
    agents = tuple(AgentView(a.kind, a.name, a.unit, a.authority, a.phone, a.id_number, a.license_no) for a in p.agents)
    return PartyView(
        p.id, p.side, p.kind, p.name, p.sex, p.ethnicity, p.birth_date, p.occupation, p.address, p.phone,
        p.id_type, p.id_number, p.uscc, p.legal_rep, p.legal_rep_title, agents,
    )


def _events(session: Session, case_id: int) -> tuple[EventView, ...]:
    actor, desk = aliased(User), aliased(Desk)
    query = (
        select(StageEvent, actor.display_name, desk.name)
        .outerjoin(actor, actor.id == StageEvent.user_id)
        .outerjoin(desk, desk.id == StageEvent.desk_id)
        .where(StageEvent.case_id == case_id)
        .order_by(StageEvent.id)
    )
    stages = [EventView(e.at, action_label(e.action), e.from_stage, e.to_stage, user, desk_name, e.reason)
              for e, user, desk_name in session.execute(query)]
    # A step known only by its day goes after that day's timed events (its hour is unknown).
    return tuple(sorted([*stages, *workflow_events(session, case_id)],
                        key=lambda e: (e.at.astimezone().date(), e.day_only, e.at)))


def list_desks(session: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in session.execute(select(Desk.id, Desk.name).where(Desk.active).order_by(Desk.sort_order, Desk.id))]


def find_desk_id(session: Session, name: str) -> int:
    found = session.scalar(select(Desk.id).where(Desk.name == name.strip()))
    if found is None:
        known = "、".join(n for _, n in list_desks(session)[:8])
        raise ValidationFailed(f"找不到窗口：{name}（现有：{known}…）")
    return found


def list_committees(session: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in session.execute(select(Committee.id, Committee.name).order_by(Committee.id))]


def list_dispute_types(session: Session) -> list[tuple[str, str, str | None]]:
    query = select(DisputeType.code, DisputeType.name, DisputeType.parent_code).where(DisputeType.active)
    return [(c, n, p) for c, n, p in session.execute(query.order_by(DisputeType.code))]
