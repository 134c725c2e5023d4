"""A form that, before saving someone new, looks for possible duplicates and asks.

Ctrl+S on a valid form first looks (`possible_duplicates`, which audits a warning); with
nothing found it saves at once. Otherwise the warning (`DuplicatesScreen`) asks: open a
listed household (over the form, which is there as typed on coming back), save anyway,
or go back to the form. The decision is audited. Saving anyway is remembered for that
person, so a save refused for another reason (a role taken) does not ask again; a change
to their name, date of birth, phone or email does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from pydantic import BaseModel
from textual import on
from textual.message import Message

from hiw_tui.db.households.duplicates import (
    DuplicateCheck,
    Sought,
    possible_duplicates,
    record_duplicate_decision,
)
from hiw_tui.domain.duplicates import Candidate
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.work import Done
from hiw_tui.screens.dialogs.duplicates import BACK, OPEN, SAVE, DuplicateChoice, DuplicatesScreen

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

NOT_SAVED = "⚠ Not saved yet: a possible duplicate is held. Ctrl+S asks again."


class DuplicateCheckForm(FormScreen[M, R], Generic[M, R]):
    """Subclasses say whom a submitted model enters (`sought`): None saves at once."""

    @dataclass
    class Checked(Message):
        check: DuplicateCheck

    _pending: tuple[M, Sought] | None = None
    """What was submitted while its check runs or its warning is shown."""
    _cleared: Candidate | None = None
    """The person the user chose to save anyway."""

    def sought(self, data: M) -> Sought | None:
        """The person `data` enters and the household they join; None to check nobody."""
        return None

    def submit(self, data: M) -> None:
        sought = self.sought(data)
        if sought is None or sought[0] == self._cleared:
            super().submit(data)
            return
        candidate, household_id = sought
        self._pending = (data, sought)
        self._set_saving(True)
        self.run_db(
            partial(possible_duplicates, candidate=candidate, household_id=household_id),
            self.Checked,
            write=True,  # a warning is audited
            group="duplicates",
        )

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        self._set_saving(False)
        pending, self._pending = self._pending, None
        if pending is None or self.app.screen is not self:  # the user went elsewhere
            return
        data, sought = pending
        if not message.check.found:
            super().submit(data)
            return
        self.app.push_screen(DuplicatesScreen(message.check), partial(self._decided, data, sought))

    def _decided(self, data: M, sought: Sought, choice: DuplicateChoice | None) -> None:
        choice = choice or DuplicateChoice(BACK)
        self.run_db(
            partial(
                record_duplicate_decision,
                household_id=sought[1],
                decision=choice.decision,
                opened=choice.household_id,
            ),
            Done,
            write=True,
            group="audit",
        )
        if choice.decision == SAVE:
            self._cleared = sought[0]
            super().submit(data)
            return
        self.show_message(NOT_SAVED)
        if choice.decision == OPEN and choice.household_id is not None:
            self.hiw_app.open_household(choice.household_id)
