"""The one visibility rule: what a reader may see of a household's data, on every path.

Two things are held back, and both checks fail closed:

- **Safe contact.** A household flagged safe contact shows its members' addresses,
  postcodes, phone numbers and emails to its own (current) advocate only; the flag must
  be explicitly off for anyone else to see them. Everyone else reads
  "(withheld: safe contact)".
- **Special-category data** (ethnicity, the health, abuse and offending needs, the
  Physical Health and Emotional Health Star areas' scores and notes, a contact's note)
  shows only to a role holding `Permission.SENSITIVE`: an auditor reads "(hidden)", or
  the area is left out.

`sight` works out what one reader may see of one household; the pure rules that apply
it to a value of each shape are in `hiw_tui.domain.sensitive`. Every path that emits a
household's data goes through here: the record (`shown_person`), the audit browser and
a household's history (`shown_event`, masked as they are *read*, so a household flagged
later hides its older rows too), the readings and chart (`shown_reading`), the contact
log (`shown_contact`), conflicts (`shown_conflict`), the subject-access file and errors
(`shown_error`). The export and reports hold no contact details, and the export needs
the permission, since it holds special-category data; the reports leave out the
sensitive needs and the health areas for a reader without it (`hidden_areas`).
`tests/unit/test_visibility_paths.py` lists every output path and fails when a new one
is not covered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import ContactPublic
from hiw_tui.db.core.errors import Conflict
from hiw_tui.db.core.models import (
    Household,
    Person,
    PersonPublic,
    ReadingPublic,
    StarSummary,
    UserPublic,
)
from hiw_tui.db.core.prefix import starts_with
from hiw_tui.domain.access import Permission
from hiw_tui.domain.sensitive import (
    CONTACT_FIELDS,
    HIDDEN,
    WITHHELD,
    Sight,
    open_needs,
    shown_areas,
    shown_changes,
    shown_values,
)
from hiw_tui.domain.text import phone_search, postcode_key

__all__ = ["CONTACT_FIELDS", "Sight"]

SEARCH_TERM = "term"
"""The field in which a search's audit row keeps what was typed."""
POSTCODE_TERM = 5
"""Characters of a postcode (without spaces) from which a typed term can point at one."""


def sight(actor: UserPublic, *, safe_contact: bool | None, advocate_id: int | None) -> Sight:
    """What `actor` may see of a household with this flag and advocate (both None for a
    row about no household)."""
    contact = safe_contact is False or (
        safe_contact is None and advocate_id is None  # about no household at all
    )
    if not contact:
        contact = actor.active and advocate_id is not None and actor.id == advocate_id
    return Sight(contact=contact, sensitive=actor.can(Permission.SENSITIVE))


def household_sight(actor: UserPublic, household: Household) -> Sight:
    return sight(actor, safe_contact=household.safe_contact, advocate_id=household.advocate_id)


def contact_visible(actor: UserPublic, household: Household) -> bool:
    return household_sight(actor, household).contact


def withhold_contact(values: dict[str, Any]) -> dict[str, Any]:
    """A form's values with the contact details blank (the form shows them empty)."""
    return {**values, **dict.fromkeys(CONTACT_FIELDS, "")}


def shown_person(
    values: dict[str, Any], *, actor: UserPublic, household: Household
) -> PersonPublic:
    """`values` (a person's columns, needs and Star summary) as `actor` may read them."""
    seen = household_sight(actor, household)
    if not seen.contact:
        values = {**withhold_contact(values), "contact_hidden": True}
    if not seen.sensitive:
        star = values.get("star")
        values = {
            **values,
            "ethnicity": HIDDEN,
            "support_needs": open_needs(values["support_needs"]),
            "sensitive_hidden": True,
            "star": shown_summary(star, seen) if isinstance(star, StarSummary) else star,
        }
    return PersonPublic.model_validate(values)


def shown_summary(summary: StarSummary, seen: Sight) -> StarSummary:
    return summary.model_copy(
        update={
            "latest": shown_areas(summary.latest, seen),
            "changes": shown_areas(summary.changes, seen),
        }
    )


def shown_reading(reading: ReadingPublic, seen: Sight) -> ReadingPublic:
    """A reading without the areas `seen` hides (their scores and notes)."""
    if seen.sensitive:
        return reading
    return reading.model_copy(
        update={
            "scores": shown_areas(reading.scores, seen),
            "area_notes": shown_areas(reading.area_notes, seen),
        }
    )


def shown_contact(contact: ContactPublic, seen: Sight) -> ContactPublic:
    """A logged contact with its note hidden from a reader without the permission."""
    values = shown_values("contact", {"note": contact.note}, seen)
    return contact if values["note"] == contact.note else contact.model_copy(update=values)


def shown_event(
    actor: UserPublic,
    *,
    entity: str,
    changes: dict[str, Any],
    safe_contact: bool | None,
    advocate_id: int | None,
) -> dict[str, Any]:
    """An audit row's changes as `actor` may read them, the household's flag and advocate
    as they are now."""
    seen = sight(actor, safe_contact=safe_contact, advocate_id=advocate_id)
    return changes if seen.full else shown_changes(entity, changes, seen)


def shown_conflict(conflict: Conflict, seen: Sight) -> Conflict:
    """A conflict whose saved and unsaved values are fit for `seen` to compare. Withheld
    contact details are blank, as the form showed them (a save keeps the stored ones)."""
    if seen.full:
        return conflict

    def shown(values: dict[str, Any]) -> dict[str, Any]:
        if not seen.contact:
            values = {name: values[name] for name in values if name not in CONTACT_FIELDS}
            values = withhold_contact(values) if conflict.entity == "person" else values
        return shown_values(conflict.entity, values, Sight(contact=True, sensitive=seen.sensitive))

    return Conflict(
        conflict.entity, shown(conflict.current), shown(conflict.yours), conflict.current_version
    )


def withheld_terms(
    session: Session, actor: UserPublic, rows: Iterable[dict[str, Any]]
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What shows of search rows' changes (among `rows`) to `actor`: a term that begins a
    postcode or phone number of a safe-contact household whose advocate `actor` is not
    reads as withheld. Searches are audited without a household, so this is looked up."""
    terms = {
        str(changes[SEARCH_TERM][-1])
        for changes in rows
        if isinstance(changes.get(SEARCH_TERM), list) and changes[SEARCH_TERM]
    }
    if not terms:
        return lambda changes: changes

    def points_at_one(term: str) -> bool:
        code, phone = postcode_key(term), phone_search(term)
        keys = [
            *([starts_with(Person.postcode_key, code)] if len(code) >= POSTCODE_TERM else []),
            *([starts_with(Person.phone_key, phone)] if phone is not None else []),
        ]
        return (
            bool(keys)
            and session.exec(
                select(Person.id)
                .join(Household, col(Household.id) == col(Person.household_id))
                .where(
                    col(Household.safe_contact) == True,  # noqa: E712  (as its partial index says)
                    col(Household.advocate_id) != actor.id,
                    or_(*keys),
                )
                .limit(1)
            ).first()
            is not None
        )

    hidden = {term for term in terms if points_at_one(term)}

    def shown(changes: dict[str, Any]) -> dict[str, Any]:
        values = changes.get(SEARCH_TERM)
        if isinstance(values, list) and values and str(values[-1]) in hidden:
            return {**changes, SEARCH_TERM: [None, WITHHELD]}
        return changes

    return shown


def shown_error(text: str) -> str:
    """An error's text fit for the error screen and the error log: without the lines in
    which the database server quotes a row's values (PostgreSQL's "DETAIL: Failing row
    contains ..." and "Key (...)=(...)"). Pydantic models are configured not to quote
    input, and the engine not to quote parameters, so nothing else carries a value."""
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("DETAIL:"))
