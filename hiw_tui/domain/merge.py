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
