"""What is hidden from whom, as pure rules: special-category data from roles without
`Permission.SENSITIVE`, and a safe-contact household's contact details from everyone
but its advocate.

Which fields, support needs and Star areas are special category is read from
`hiw_tui.domain.classification`. Who may see what of one household is a `Sight`, which
`hiw_tui.db.privacy.visibility` works out for a reader; the functions here apply it to a
value of each shape the app emits (a row's fields, an audit row's changes, a reading's
scores and notes).

UK GDPR special-category data (health and mental health, racial or ethnic origin) and
criminal-offence data. A person's ethnicity, these support needs, the health Star areas'
scores and notes and a contact's note are never shown, counted, searched or exported for
a role without the permission. Ethnicity and needs are also never copied into the audit
trail (a change to them is recorded as a change, without the values); the rest is kept
in the trail and masked when it is read, so that a household flagged safe contact later
hides its older rows too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from hiw_tui.domain.classification import (
    AREA_CATEGORY,
    NEED_CATEGORY,
    PROTECTED,
    protected_fields,
)

V = TypeVar("V")

SENSITIVE_NEEDS: frozenset[str] = frozenset(
    need for need, category in NEED_CATEGORY.items() if category in PROTECTED
)
SENSITIVE_FIELDS = protected_fields("person")
"""Person fields whose whole value is special category (from the classification)."""
NEED_FIELDS = frozenset({"support_needs"})
"""Fields holding a list of support-need codes, some of which may be sensitive."""

Hidden = Literal["(hidden)"]
"""The type of `HIDDEN`, for a read-model field that holds it in place of a value."""
HIDDEN: Hidden = "(hidden)"
"""What a person without the permission reads in place of a sensitive value."""
REDACTED = "(sensitive)"
"""What the audit trail keeps in place of a sensitive value."""
WITHHELD = "(withheld: safe contact)"
"""What a reader other than a safe-contact household's advocate reads for its details."""

CONTACT_FIELDS = ("address", "postcode", "phone", "email")
"""A person's contact details: what a safe-contact household shows its advocate only."""
SENSITIVE_AREAS: frozenset[str] = frozenset(
    area for area, category in AREA_CATEGORY.items() if category in PROTECTED
)
"""Star areas whose scores and notes are special category (health)."""


@dataclass(frozen=True)
class Sight:
    """What one reader may see of one household's data."""

    contact: bool
    """Its members' contact details (False: a safe-contact household, not its advocate)."""
    sensitive: bool
    """Special-category and criminal-offence data (the role's `Permission.SENSITIVE`)."""

    @property
    def full(self) -> bool:
        return self.contact and self.sensitive


def open_needs(needs: Iterable[str]) -> tuple[str, ...]:
    """The needs anyone in scope may see."""
    return tuple(need for need in needs if need not in SENSITIVE_NEEDS)


def redact_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A change set fit for the audit trail: sensitive values replaced, the fact kept."""
    redacted: dict[str, Any] = {}
    for name, values in changes.items():
        if name in SENSITIVE_FIELDS and isinstance(values, list):
            redacted[name] = [None if value is None else REDACTED for value in values]
        elif name in NEED_FIELDS and isinstance(values, list):
            redacted[name] = [_redact_needs(value) for value in values]
        else:
            redacted[name] = values
    return redacted


def _redact_needs(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    shown = [need for need in value if need not in SENSITIVE_NEEDS]
    hidden = len(value) - len(shown)
    return shown + ([f"{REDACTED} x{hidden}"] if hidden else [])


def hidden_areas(sight: Sight) -> frozenset[str]:
    """The Star areas whose scores and notes `sight` does not show."""
    return frozenset() if sight.sensitive else SENSITIVE_AREAS


def shown_areas(values: Mapping[str, V], sight: Sight) -> dict[str, V]:
    """A reading's scores or notes (area -> value) with the areas `sight` hides left out."""
    if sight.sensitive:
        return dict(values)
    return {area: value for area, value in values.items() if area not in SENSITIVE_AREAS}


def _masked(values: Any, mask: str) -> Any:
    """`values` with every value that holds something replaced by `mask`."""
    if isinstance(values, list):
        return [value if value in (None, "", []) else mask for value in values]
    return values if values in (None, "", []) else mask


def _shown_needs(value: Any) -> Any:
    """Needs as a list of codes, or an audit row's [old, new] pair of such lists."""
    if isinstance(value, list | tuple) and any(isinstance(item, list | tuple) for item in value):
        return [_redact_needs(list(item)) if item is not None else None for item in value]
    return _redact_needs(list(value)) if isinstance(value, list | tuple) else value


def _area_of(name: str) -> str:
    """The area a flattened field names: `score.<area>`, `scores.<area>`, `note.<area>`."""
    return name.rpartition(".")[2]


def _hidden_field(entity: str, name: str) -> bool:
    """Whether a field of `entity` holds special-category data by itself."""
    return (
        name in SENSITIVE_FIELDS
        or name in protected_fields(entity)
        or ("." in name and _area_of(name) in SENSITIVE_AREAS)
    )


def shown_values(entity: str, values: Mapping[str, Any], sight: Sight) -> dict[str, Any]:
    """A record's fields (a row, a form's values, a conflict's side) as `sight` may read
    them: contact details withheld, special-category values hidden, a nested dict of
    areas without the hidden areas."""
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if not sight.contact and name in CONTACT_FIELDS:
            shown[name] = _masked(value, WITHHELD)
        elif sight.sensitive:
            shown[name] = value
        elif _hidden_field(entity, name):
            shown[name] = _masked(value, HIDDEN)
        elif name in NEED_FIELDS:
            shown[name] = _shown_needs(value)
        elif isinstance(value, Mapping):
            shown[name] = shown_areas(value, sight)
        else:
            shown[name] = value
    return shown


def shown_changes(entity: str, changes: Mapping[str, Any], sight: Sight) -> dict[str, Any]:
    """An audit row's changes ({field: [old, new]} or {field: fact}) as `sight` may read
    them; a list of old and new area dicts (an import's scores) loses the hidden areas."""
    shown = shown_values(entity, changes, sight)
    if not sight.sensitive:
        for name, value in shown.items():
            if isinstance(value, list):
                shown[name] = [
                    shown_areas(item, sight) if isinstance(item, Mapping) else item
                    for item in value
                ]
    return shown
