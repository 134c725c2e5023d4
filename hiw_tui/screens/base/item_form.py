"""The form for one row of a household's case-work lists (a referral, an outcome, a
contact): it adds a row, or edits one at the version it was opened at."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.screens.base.form import FormScreen


class Row(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...


M = TypeVar("M", bound=BaseModel)
I = TypeVar("I", bound=Row)  # noqa: E741  (the item type, beside M for the model)


class ItemForm(FormScreen[M, list[Any]], Generic[M, I]):
    """Subclasses name the query function that saves (`SAVE`, which returns the
    household's list) and its keyword for the row being edited (`ROW_ARGUMENT`)."""

    SAVE: ClassVar[Callable[..., list[Any]]]
    ROW_ARGUMENT: ClassVar[str]
    HEADINGS: ClassVar[tuple[str, str]] = ("Add", "Edit")
    """The heading when adding, and when editing."""

    def __init__(self, record: HouseholdPublic, today: date, item: I | None = None) -> None:
        super().__init__(version=item.version if item is not None else None)
        self.record, self.today, self.item = record, today, item
        self.heading = self.HEADINGS[item is not None]

    def save(self, data: M) -> Query[list[Any]]:
        arguments: dict[str, Any] = {"household_id": self.record.id}
        if self.item is not None:
            arguments |= {self.ROW_ARGUMENT: self.item.id, "version": self.version}
        return partial(type(self).SAVE, data=data, **arguments)
