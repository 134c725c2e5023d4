"""Errors the query functions raise for the screens to explain."""

from __future__ import annotations

from typing import Any


class DataError(Exception):
    """Something a user asked for that the data does not allow."""


class NotFound(DataError):
    """The record does not exist, or lies outside the acting user's scope."""


class Forbidden(DataError):
    """The acting user's role does not allow this."""


class FieldError(DataError):
    """A value that is well-formed but clashes with the data, shown beside its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Conflict(DataError):
    """Someone else saved this record after it was opened; nothing was written.

    `current` holds the saved values, `yours` the values that were not saved, so the
    screen can show both versions side by side.
    """

    def __init__(
        self, entity: str, current: dict[str, Any], yours: dict[str, Any], current_version: int
    ) -> None:
        super().__init__(f"This {entity} was changed by someone else while you were editing.")
        self.entity = entity
        self.current = current
        self.yours = yours
        self.current_version = current_version

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(field, saved value, your value) for every field where the two differ."""
        return [
            (name, self.current.get(name), value)
            for name, value in self.yours.items()
            if self.current.get(name) != value
        ]
