"""What a reader may see of a person: the sensitive fields, and a safe-contact household's
addresses and phone numbers.

Both checks fail closed: contact details show only when the household's flag is
explicitly off or the reader is its own advocate, and sensitive fields only to a role
holding `Permission.SENSITIVE`.
"""

from __future__ import annotations

from typing import Any

from hiw_tui.db.core.models import Household, PersonPublic, UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.sensitive import HIDDEN, open_needs

CONTACT_FIELDS = ("address", "postcode", "phone", "email")


def contact_visible(actor: UserPublic, household: Household) -> bool:
    if household.safe_contact is False:
        return True
    return actor.active and actor.id == household.advocate_id


def withhold_contact(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, **dict.fromkeys(CONTACT_FIELDS, "")}


def shown_person(
    values: dict[str, Any], *, actor: UserPublic, household: Household
) -> PersonPublic:
    """`values` (a person's columns, needs and Star summary) as `actor` may read them."""
    if not contact_visible(actor, household):
        values = {**withhold_contact(values), "contact_hidden": True}
    if not actor.can(Permission.SENSITIVE):
        values = {
            **values,
            "ethnicity": HIDDEN,
            "support_needs": open_needs(values["support_needs"]),
            "sensitive_hidden": True,
        }
    return PersonPublic.model_validate(values)
