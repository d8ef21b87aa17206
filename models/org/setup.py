"""First run: a new centre set up in one step — its name and level, its committees with their 代字,
its desks, the three administrators (三权分立: system, security and audit, each their own account)
and, optionally, this year's holiday calendar.

This is the one time accounts are made without a signed-in security administrator: each
administrator is made by the one bootstrap rule (`models.security.accounts.setup_first_admin`: one
of each administrator role, only while nobody holds that role), checked for all three before
anything is written; everything is written in one transaction (a refusal anywhere leaves the
database as it was) and recorded in the audit trail as the first-run setup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models.dto import Actor
from models.errors import ValidationFailed
from models.org.admin import ROOT_LEVELS, CommitteeInput, DeskInput, add_org_unit, save_committee, save_desk
from models.security.accounts import check_bootstrap, setup_first_admin
from models.security.audit import record_event
from models.security.permissions import ADMIN_ROLES
from models.workflow.calendar_store import import_calendar_csv

CENTRE_LEVELS = ROOT_LEVELS


@dataclass(frozen=True)
class AdminAccount:
    role: str
    username: str
    display_name: str
    password: str


@dataclass(frozen=True)
class CentreSetup:
    centre_name: str
    level: str
    committees: tuple[CommitteeInput, ...]
    desks: tuple[str, ...]
    admins: tuple[AdminAccount, ...]
    calendar_csv: Path | None = None
    existing_centre: bool = False  # the organisation is already there (e.g. the demo): admins only


def set_up_centre(session: Session, setup: CentreSetup) -> None:
    """Create the centre and its three administrators; refused (before anything is written) when
    any of their roles is already held (then only the security administrator makes accounts)."""
    for admin in setup.admins:
        check_bootstrap(session, admin.role)
    _check_admins(setup.admins)
    system = Actor()  # nobody is signed in yet: the first-run identity, recorded as such below
    record_event(session, system, "first_run_setup", "database", None, centre=setup.centre_name.strip())
    if not setup.existing_centre:
        _create_organisation(session, setup, system)
    for admin in setup.admins:
        setup_first_admin(session, admin.username, admin.display_name, admin.password, admin.role)
    if setup.calendar_csv is not None:
        import_calendar_csv(session, setup.calendar_csv, system)


def _create_organisation(session: Session, setup: CentreSetup, system: Actor) -> None:
    if setup.level not in {lv.value for lv in CENTRE_LEVELS}:
        raise ValidationFailed("中心层级只能是县（区）或乡镇（街道）", {"level": "请选择"})
    if not setup.committees:
        raise ValidationFailed("至少需要一个调解组织（填写名称和代字）", {"committees": "至少一个"})
    unit = add_org_unit(session, setup.centre_name, setup.level, None, system)
    desk_ids = [save_desk(session, DeskInput(name=name), system) for name in setup.desks]
    for index, committee in enumerate(setup.committees):
        desk = committee.desk_id or (desk_ids[index] if index < len(desk_ids) else None)
        save_committee(session, CommitteeInput(**{**committee.__dict__, "org_unit_id": unit, "desk_id": desk}), system)


def _check_admins(admins: tuple[AdminAccount, ...]) -> None:
    roles = sorted(a.role for a in admins)
    if roles != sorted(r.value for r in ADMIN_ROLES):
        raise ValidationFailed("须创建系统管理员、安全管理员、审计管理员各一个账户（三权分立）", {"admins": "三个各一"})
    names = {a.username.strip() for a in admins}
    if len(names) != len(admins):
        raise ValidationFailed("三个管理员须使用不同的用户名", {"admins": "用户名重复"})
