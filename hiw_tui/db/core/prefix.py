"""A prefix match that uses a column's index: `key >= p AND key < p + TOP`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

TOP = "\U0010ffff"
"""Above every character a key can hold."""


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` begins with `prefix` (no LIKE, so no wildcard needs escaping)."""
    return and_(column >= prefix, column < prefix + TOP)
