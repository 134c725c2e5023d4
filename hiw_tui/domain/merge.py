"""Merging two people's edits of one record, field by field (a three-way merge).

`base` is what the record held when a form was opened, `mine` what the form holds
now, `theirs` what someone else saved meanwhile. A field only one side changed takes
that side's value; a field both changed to the same value is no clash; a field both
changed differently is a clash, for the person saving to settle. The values are
compared as given, so callers pass them in one plain form (codes as text, dates as
ISO text, lists sorted).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

_UNKNOWN = object()


@dataclass(frozen=True)
class Merged:
    """The outcome of `merge`: `values` holds mine for each clash until it is `settled`."""

    values: dict[str, Any]
    theirs: dict[str, Any]
    clashes: tuple[str, ...]
    """Fields both sides changed, to different values, in the order of `mine`."""
    kept: tuple[str, ...]
    """Fields only they changed, whose values were taken from theirs."""

    def settled(self, take_theirs: Collection[str]) -> dict[str, Any]:
        """The merged values, with theirs for the clashing fields in `take_theirs` and
        mine for the other clashes."""
        return {
            name: self.theirs[name] if name in self.clashes and name in take_theirs else value
            for name, value in self.values.items()
        }


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merged:
    """Merge the fields of `mine` with `theirs`, relative to `base`.

    A field missing from `theirs` is one they could not have changed (the save does not
    report it), so mine stands. A field missing from `base` (the form could not tell what
    it held when opened) is a clash wherever mine and theirs differ: nobody can say whose
    change it is, so the person saving is asked rather than either side being lost.
    """
    values: dict[str, Any] = {}
    clashes: list[str] = []
    kept: list[str] = []
    for name, my_value in mine.items():
        their_value = theirs.get(name, _UNKNOWN)
        was = base.get(name, _UNKNOWN)
        values[name] = my_value
        if their_value is _UNKNOWN or their_value in (my_value, was):
            continue
        if was is not _UNKNOWN and my_value == was:
            values[name] = their_value
            kept.append(name)
        else:
            clashes.append(name)
    shared = {name: value for name, value in theirs.items() if name in mine}
    return Merged(values, shared, tuple(clashes), tuple(kept))


ABSENT: Any = object()
"""A key a dict-valued field does not hold (an area not scored yet, a note never made)."""


def flatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` with each dict-valued field spread into one entry per key, `field.key`, so
    that two people's changes to different keys (one score each) merge separately. An
    empty text in such a field counts as the key not being there, as an empty note is."""
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            flat.update({f"{name}.{key}": item for key, item in value.items() if item != ""})
        else:
            flat[name] = value
    return flat


def unflatten(values: Mapping[str, Any], fields: Collection[str]) -> dict[str, Any]:
    """`flatten` undone for the dict-valued `fields` (each kept, even when emptied); keys
    whose value is ABSENT are left out."""
    nested: dict[str, Any] = {name: {} for name in fields}
    for name, value in values.items():
        head, _, key = name.partition(".")
        if head in nested and key:
            if value is not ABSENT:
                nested[head][key] = value
        else:
            nested[name] = value
    return nested
