"""The app as the screens see it: what they may ask of the app they run in.

Screens sit below the app (`hiw_tui.app.HiwApp`, which fills this in), so they know it
only by this class: who is signed in, the database, the settings (and the budget policy
built from them), the Star framework, today's date, and the places a screen can send
the user to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from hiw_tui.db.casework.week import WeekItem
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import UserPublic
    from hiw_tui.domain.budget import BudgetPolicy
    from hiw_tui.domain.framework import Framework
    from hiw_tui.domain.targets import Targets
    from hiw_tui.settings import Settings


class CaseWorkApp(App[None]):
    data_ready: threading.Event
    """Set once the attributes below are loaded (see `hiw_tui.app.DataLayer`), or
    their loading failed (`load_error`): until then only the sign-in screen is up, and
    database work waits for it."""
    load_error: str | None
    """Why the data layer could not be loaded (the app is then ending, saying so)."""
    database: Database
    """Reached only through `hiw_tui.screens.base.work`, in a thread worker."""
    settings: Settings
    budget_policy: BudgetPolicy
    """The budget cap and approval threshold, built once from the settings."""
    framework: Framework
    """The Star framework new readings are made under."""
    targets: Targets
    """The periods and targets the reports count against."""
    today: Callable[[], date]
    remote: bool
    """An SSH session, rather than one at the terminal."""

    @property
    def loaded(self) -> bool:
        """Whether the data layer's attributes above are there to use."""
        return self.data_ready.is_set() and self.load_error is None

    @property
    def actor(self) -> UserPublic:
        """The signed-in user."""
        raise NotImplementedError

    def open_household(self, household_id: int, *, goto: WeekItem | None = None) -> None:
        """The household's record; `goto` is an item of the week to open within it."""
        raise NotImplementedError

    def register_household(self) -> None:
        """The registration form."""
        raise NotImplementedError

    def hold_keys(self) -> None:
        """Hold the keys typed from now on, however long, until `hand_on_keys`."""
        raise NotImplementedError

    def hand_on_keys(self, *, drop: bool = False) -> None:
        """Hand on the keys held since `hold_keys`, in order, or with `drop` forget them."""
        raise NotImplementedError

    def show_error(self, error: BaseException) -> None:
        """The error dialog, the one place a failure nobody explains in place is shown."""
        raise NotImplementedError
