"""The application: styles, the global keys, the command palette and the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from hiw_tui.commands import HouseholdCommands
from hiw_tui.db.engine import Database
from hiw_tui.db.models import HouseholdPublic, UserPublic
from hiw_tui.domain.codes import UserRole
from hiw_tui.domain.framework import Framework, load_framework
from hiw_tui.screens import ErrorScreen, HelpScreen, HouseholdForm, HouseholdListScreen
from hiw_tui.settings import Settings

if TYPE_CHECKING:
    from hiw_tui.db.week import WeekItem


def styles_dir() -> Path:
    """`styles/` as shipped inside the wheel, or beside the package in a source checkout."""
    packaged = Path(__file__).with_name("styles")
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "styles"


class HiwApp(App[None]):
    """Acts as `actor` throughout: every query it makes is scoped to that user."""

    CSS_PATH = [styles_dir() / "app.tcss"]
    TITLE = "Households into Work"
    COMMANDS = App.COMMANDS | {HouseholdCommands}
    BINDINGS = [
        # Tab moves focus before the keys typed after it are routed (they arrive in one
        # burst over slow links), so "Jo<Tab>Bloggs" fills two fields, not one.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("w", "my_week", "My week"),
        Binding("A", "approvals", "Approvals", show=False),
        Binding("R", "reports", "Reports", key_display="R"),
        Binding("dollar_sign", "reports('spend')", "Spending", key_display="$", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        database: Database,
        actor: UserPublic,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
        framework: Framework | None = None,
    ) -> None:
        super().__init__()
        self.database = database
        self.actor = actor
        self.settings = settings or Settings()
        self.framework = framework or load_framework(self.settings.star_framework)
        """The Star framework new readings are made under."""
        self.today = today
        """Today's date; tests fix it so that months and ages do not move."""

    def on_mount(self) -> None:
        area = (
            f", {self.actor.local_authority.replace('_', ' ').title()}"
            if self.actor.local_authority
            else ""
        )
        self.sub_title = f"{self.actor.display_name} ({self.actor.role.label}{area})"
        self.push_screen(HouseholdListScreen())

    def open_household(self, household_id: int, *, goto: WeekItem | None = None) -> None:
        """The household's record; `goto` is an item of the week to open within it."""
        from hiw_tui.screens.household_record import HouseholdRecordScreen  # see hiw_tui.screens

        self.push_screen(HouseholdRecordScreen(household_id, goto=goto))

    def action_my_week(self) -> None:
        from hiw_tui.screens.my_week import MyWeekScreen  # see hiw_tui.screens

        if not isinstance(self.screen, MyWeekScreen):
            self.push_screen(MyWeekScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "approvals":
            return self.actor.role is not UserRole.ADVOCATE
        return True

    def action_approvals(self) -> None:
        """Spends waiting for a supervisor (supervisors and programme managers)."""
        from hiw_tui.screens.approvals import ApprovalsScreen  # see hiw_tui.screens

        if self.actor.role is not UserRole.ADVOCATE and not isinstance(
            self.screen, ApprovalsScreen
        ):
            self.push_screen(ApprovalsScreen())

    def action_reports(self, kind: str = "performance") -> None:
        """The programme reports; `$` opens them at spending."""
        from hiw_tui.screens.reports import ReportsScreen  # see hiw_tui.screens

        if isinstance(self.screen, ReportsScreen):
            self.screen.action_show(kind)
        else:
            self.push_screen(ReportsScreen(kind))

    def register_household(self) -> None:
        """The registration form; a household once saved opens at its record."""

        def registered(record: HouseholdPublic | None) -> None:
            if record is not None:
                self.open_household(record.id)

        self.push_screen(HouseholdForm(actor=self.actor, today=self.today()), registered)

    def show_error(self, error: BaseException) -> None:
        self.push_screen(ErrorScreen(error))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
