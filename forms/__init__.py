"""Qt-free form specs and validators (ID, USCC, phones, dates, money) with Chinese messages.

Every validator takes the raw typed string and returns a Result (ok, value, message, warning,
plus sex/birth_date for ID numbers); none raises on any string. Form specs (forms.specs) list
fields as data and validate_form() turns a dict of typed strings into typed cleaned values and
per-field Chinese messages.
"""

from forms.idcard import age_on, validate_id_card
from forms.phone import validate_mobile, validate_phone
from forms.result import Result
from forms.specs import (
    AGENT,
    CASE_INTAKE,
    FORMS,
    ORGANISATION_PARTY,
    PERSON_PARTY,
    FieldSpec,
    FormResult,
    FormSpec,
    validate_form,
)
from forms.uscc import validate_uscc
from forms.values import (
    validate_amount,
    validate_choice,
    validate_count,
    validate_date,
    validate_ethnicity,
    validate_name,
    validate_past_date,
    validate_text,
)

__all__ = [
    "AGENT",
    "CASE_INTAKE",
    "FORMS",
    "ORGANISATION_PARTY",
    "PERSON_PARTY",
    "FieldSpec",
    "FormResult",
    "FormSpec",
    "Result",
    "age_on",
    "validate_amount",
    "validate_choice",
    "validate_count",
    "validate_date",
    "validate_ethnicity",
    "validate_form",
    "validate_id_card",
    "validate_mobile",
    "validate_name",
    "validate_past_date",
    "validate_phone",
    "validate_text",
    "validate_uscc",
]
