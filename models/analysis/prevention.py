"""Recording a 防激化 achievement on a case (防止民转刑, 防止自杀, 防止群体性上访, 防止群体性械斗):
the statistics count these in 件 and 人 by the day they were recorded."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import clock
from models.analysis.entities import PREVENTION_KINDS, PreventionRecord
from models.cases.service import load_case
from models.dto import Actor
from models.errors import ValidationFailed
from models.security.permissions import Permission, require_on_case


def record_prevention(session: Session, case_id: int, kind: str, persons: int, actor: Actor,
                      note: str = "", on: date | None = None) -> int:
    """Add one 防激化 record; refuses an unknown kind, a count below one or a day in the future."""
    require_on_case(session, actor, Permission.CASE_RECORD, load_case(session, case_id))
    problems = []
    if kind not in PREVENTION_KINDS:
        problems.append(f"防激化类别无效：{kind}（可选：{'、'.join(PREVENTION_KINDS)}）")
    if persons < 1:
        problems.append("涉及人数至少为 1")
    day = on or clock.today()
    if day > clock.today():
        problems.append("记录日期不能晚于今天")
    if problems:
        raise ValidationFailed("；".join(problems))
    load_case(session, case_id)
    row = PreventionRecord(case_id=case_id, kind=kind, persons=persons, recorded_on=day, note=note.strip(),
                           user_id=actor.user_id)
    session.add(row)
    session.flush()
    return row.id
