"""The archive checklist: how the case ended decides which 卷宗 items it must hold (categories.REQUIRED);
what is neither attached nor issued is missing, and 归档 is refused with that list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.casefile.categories import (
    COURT,
    ORAL,
    OTHER,
    REJECTED,
    REQUIRED,
    TERMINATED,
    WRITTEN,
    Requirement,
    section_of_kind,
)
from models.casefile.entities import AgreementSigning, Attachment
from models.cases.agreements import IssuedDocument
from models.cases.entities import Case, StageEvent

COURT_SOURCES = ("法院委派", "法院委托")  # as models.cases.service: a court-referred case
_BY_OUTCOME = {"书面协议": WRITTEN, "口头协议": ORAL, "调解不成": TERMINATED, "撤回": TERMINATED, "转警情": TERMINATED}


def case_ending(session: Session, case: Case) -> str:
    """How the case ended, as the checklist table knows it."""
    rejected = session.scalar(select(StageEvent.id).where(StageEvent.case_id == case.id, StageEvent.action == "reject"))
    if rejected is not None and not case.mediation_outcome:
        return REJECTED
    if case.source_channel in COURT_SOURCES:
        return COURT
    return _BY_OUTCOME.get(case.mediation_outcome or "", OTHER)


def requirements(session: Session, case: Case) -> tuple[Requirement, ...]:
    ending = case_ending(session, case)
    found = REQUIRED[ending]
    if ending == COURT and case.mediation_outcome in ("书面协议", "口头协议"):
        found += tuple(r for r in REQUIRED[_BY_OUTCOME[case.mediation_outcome]][-1:])
    return found


def present_sections(session: Session, case_id: int) -> set[str]:
    """The sections that hold something: attachments by category, issued documents by kind."""
    found = set(session.scalars(select(Attachment.category).where(Attachment.case_id == case_id).distinct()))
    for kind in session.scalars(select(IssuedDocument.kind).where(IssuedDocument.case_id == case_id).distinct()):
        section = section_of_kind(kind)
        if section is not None:
            found.add(section.key)
    return found


def missing_items(session: Session, case: Case) -> list[str]:
    """The checklist's missing items for `case`, in 卷内目录 order; empty when it may be archived."""
    present = present_sections(session, case.id)
    signed = session.scalar(select(AgreementSigning.agreement_id).where(AgreementSigning.case_id == case.id))
    missing = []
    for need in requirements(session, case):
        if (need.signed and signed is None) or (not need.signed and not present.intersection(need.sections)):
            missing.append(need.label)
    return missing


def checklist(session: Session, case: Case) -> list[tuple[str, bool]]:
    """Every required item with whether it is there (the case view's checklist)."""
    missing = set(missing_items(session, case))
    return [(need.label, need.label not in missing) for need in requirements(session, case)]
