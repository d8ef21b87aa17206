"""The one home for masking personal numbers: which fields are personal, how each is shown, and
masking that cannot be undone.

Screens, the CLI, drafts, the audit trail and exports all ask `shown(field, value)` (one value) or
`mask_party_fields` / `masked_party` (a whole party); only a caller holding an audited unmask grant
passes `unmasked=True`. The masks themselves (which digits stay) are the pure functions in
templates.privacy, so documents print exactly what screens show.

An 18-digit ID masked 前6后4 hides exactly the birth date (digits 7–14): printing the birth date,
birth year or age beside it gives the number back. So wherever an ID is masked, the birth date is
withheld too and only 性别 is shown (`mask_party_fields`).

The audit trail stores masked IDs and phones plus an HMAC-SHA256 under a key kept outside the
database (`audit.key` in the data directory, 0600, or MEDIATION_AUDIT_KEY): whoever holds the key
can prove that a trail row concerned a given number; whoever holds only the database cannot
brute-force the ~40,000 possible birth dates back out of it. PostgreSQL desks share one key
(same file on every desk, or the environment variable)."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from typing import Any

from models.dto import AgentView, PartyView
from models.security.files import data_dir, write_private
from templates.privacy import mask_id, mask_phone

KEY_ENV = "MEDIATION_AUDIT_KEY"
KEY_FILE = "audit.key"
_KEY: list[bytes] = []

PERSONAL_FIELDS: dict[str, Callable[[str], str]] = {"id_number": mask_id, "phone": mask_phone}
# Columns that would reveal the hidden digits of a masked ID: never shown beside one.
REVEALING = frozenset({"birth_date", "birth_year", "age"})

# --- the decision --------------------------------------------------------------------------------

def shown(field: str, value: str | None, *, unmasked: bool = False) -> str:
    """`value` as it may be shown: masked when `field` is personal, unless the caller holds a grant."""
    if not value:
        return ""
    mask = PERSONAL_FIELDS.get(field)
    return value if unmasked or mask is None else mask(value)


def mask_party_fields(fields: dict[str, Any], masker: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """A party's (or agent's) fields with ID and phone masked (by `shown`, or `masker`) and the
    revealing fields withheld whenever an ID number is present (so only 性别 remains beside it)."""
    mask = masker or shown
    result = dict(fields)
    for column in PERSONAL_FIELDS:
        if isinstance(result.get(column), str) and result[column]:
            result[column] = mask(column, result[column])
    if result.get("id_number"):
        for column in REVEALING & result.keys():
            result[column] = None
    return result


def masked_party(party: PartyView) -> PartyView:
    """The party and its agents with personal numbers masked and no birth date beside a masked ID:
    the default in every view."""
    agents = tuple(dataclasses.replace(agent, **_masked_fields(agent)) for agent in party.agents)
    return dataclasses.replace(party, **_masked_fields(party), agents=agents)


def _masked_fields(view: PartyView | AgentView) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(view)} & (PERSONAL_FIELDS.keys() | REVEALING)
    return mask_party_fields({name: getattr(view, name) for name in names})


# --- the keyed hash ------------------------------------------------------------------------------

def audit_key() -> bytes:
    """The key of the keyed hash: from the environment, else the data directory (created once)."""
    if _KEY:
        return _KEY[0]
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        key = from_env.encode()
    else:
        path = data_dir() / KEY_FILE
        if not path.exists():
            write_private(path, secrets.token_hex(32).encode())
        key = path.read_bytes().strip()
    _KEY.append(key)
    return key


def forget_key() -> None:
    """Drop the cached key (tests that change the key or the data directory)."""
    _KEY.clear()


def keyed_hash(value: str) -> str:
    """128 bits of HMAC-SHA256 in groups of 8 hex digits: never a run of digits a scan for full ID
    numbers (18 digits) could mistake for one."""
    digest = hmac.new(audit_key(), value.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    return "-".join(digest[i:i + 8] for i in range(0, 32, 8))


def masked_with_proof(column: str, value: str) -> str:
    """`620921********2270 #hmac:…`: the masked form, and the keyed hash proving which value it was."""
    return f"{shown(column, value)} #hmac:{keyed_hash(value)}"
