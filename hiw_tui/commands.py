"""Command palette (Ctrl+P): open a household by reference or name, register one, see
what is due this week, the programme reports and spending, and (supervisors) spends
waiting for approval and the users they look after."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from hiw_tui.widgets.text import user_text

if TYPE_CHECKING:
    from hiw_tui.app import HiwApp

MATCHES = 8


class HouseholdCommands(Provider):
    """Households matching what is typed (reference, name or postcode prefix), and the
    app's own places.

    The palette searches again at each key. The search is audited once, as the palette
    closes, with the last term looked up: auditing each search filled the trail with
    the fragments of one ("HH", "HH-", "HH-0"...)."""

    _searched: str | None = None
    """The last term households were looked up by, audited as the palette closes."""

    @property
    def _app(self) -> HiwApp:
        return cast("HiwApp", self.app)  # the palette opens inside HiwApp

    def _places(self) -> list[tuple[str, Callable[[], None], str]]:
        """(command, what it does, help) for each place the palette goes to."""
        from hiw_tui.domain.access import Permission

        app = self._app
        places: list[tuple[str, Callable[[], None], str]] = [
            (
                "Households: register a new household",
                app.register_household,
                "Opens the form",
            ),
            (
                "My week: steps, readings and contacts due",
                app.action_my_week,
                "w from any screen",
            ),
            ("Reports: performance against the targets", app.action_reports, "R from any screen"),
            ("Reports: cohort profile", partial(app.action_reports, "cohort"), "R, then 2"),
            ("Reports: distance travelled", partial(app.action_reports, "distance"), "R, then 3"),
            ("Budget: spend report", partial(app.action_reports, "spend"), "$ from any screen"),
        ]
        if app.actor.can(Permission.AUDIT_LOG):
            places.append(("Audit trail: who did what", app.action_audit_log, "L from any screen"))
        if app.actor.can(Permission.OVERSEE):
            places.append(
                ("Budget: spends waiting for approval", app.action_approvals, "A from any screen")
            )
            places.append(
                (
                    "Users: leavers, SSH keys, moving a caseload",
                    app.action_users,
                    "U from any screen",
                )
            )
        return places

    async def discover(self) -> Hits:
        for command, callback, help_text in self._places():
            yield DiscoveryHit(command, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        from hiw_tui.db.households.households import HouseholdFilter, list_households

        app = self._app
        matcher = self.matcher(query)
        for command, callback, _help in self._places():
            if matcher.match(command):
                yield Hit(matcher.match(command), matcher.highlight(command), callback)
        term = query.strip()
        if len(term) < 2:
            return
        rows = await asyncio.to_thread(
            app.database.read,
            list_households,
            actor=app.actor,
            where=HouseholdFilter(search=term),
            limit=MATCHES,
        )
        self._searched = term
        for row in rows:
            label = Text.assemble(
                "Open ", Text(row.reference, style="bold"), " ", user_text(row.primary_name)
            )
            status = row.status.label
            yield Hit(1.0, label, partial(app.open_household, row.id), help=status)

    async def shutdown(self) -> None:
        from hiw_tui.db.audit.trail import record_search

        if self._searched is not None:
            app = self._app
            await asyncio.to_thread(
                app.database.write,
                record_search,
                actor=app.actor,
                term=self._searched,
                place="palette",
            )
