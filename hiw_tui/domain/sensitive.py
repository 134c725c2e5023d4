"""The special-category fields: what is hidden from roles without `Permission.SENSITIVE`.

Which fields and support needs these are is read from `hiw_tui.domain.classification`.

UK GDPR special-category data (health and mental health, racial or ethnic origin) and
criminal-offence data. A person's ethnicity and these support needs are never shown,
counted, searched or exported for a role without the permission, and their values are
never copied into the audit trail (a change to them is recorded as a change, without
the values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from hiw_tui.domain.classification import NEED_CATEGORY, PROTECTED, protected_fields

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
