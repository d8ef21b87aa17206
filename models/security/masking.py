"""The one decision to mask personal numbers: which fields are personal and how each is shown.

Screens, the CLI, the audit trail and exports all ask `shown(field, value)`; only a caller holding
an audited unmask grant passes `unmasked=True`. The masks themselves (which digits stay) are the
pure functions in templates.privacy, so documents print exactly what screens show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from models.dto import PartyView
from templates.privacy import mask_id, mask_phone

PERSONAL_FIELDS: dict[str, Callable[[str], str]] = {"id_number": mask_id, "phone": mask_phone}


def shown(field: str, value: str | None, *, unmasked: bool = False) -> str:
    """`value` as it may be shown: masked when `field` is personal, unless the caller holds a grant."""
    if not value:
        return ""
    mask = PERSONAL_FIELDS.get(field)
    return value if unmasked or mask is None else mask(value)


def masked_party(party: PartyView) -> PartyView:
    """The party with its personal numbers masked (the default in every view)."""
    return replace(party, id_number=party.id_number and shown("id_number", party.id_number),
                   phone=party.phone and shown("phone", party.phone))
