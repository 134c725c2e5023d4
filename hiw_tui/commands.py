"""Command palette (Ctrl+P): open a household by reference or name, register one, or
see what is due this week."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from hiw_tui.db.households import HouseholdFilter, list_households
from hiw_tui.domain.codes import HouseholdStatus
from hiw_tui.widgets.text import user_text

if TYPE_CHECKING:
    from hiw_tui.app import HiwApp

MATCHES = 8
REGISTER = "Households: register a new household"
WEEK = "My week: steps, readings and contacts due"


class HouseholdCommands(Provider):
    """Households matching what is typed (reference, name or postcode prefix)."""

    @property
    def _app(self) -> HiwApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        yield DiscoveryHit(REGISTER, self._app.register_household, help="Opens the form")
        yield DiscoveryHit(WEEK, self._app.action_my_week, help="w from any screen")

    async def search(self, query: str) -> Hits:
        app = self._app
        matcher = self.matcher(query)
        for command, callback in ((REGISTER, app.register_household), (WEEK, app.action_my_week)):
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
        for row in rows:
            label = Text.assemble(
                "Open ", Text(row.reference, style="bold"), " ", user_text(row.primary_name)
            )
            status = HouseholdStatus(row.status).label
            yield Hit(1.0, label, partial(app.open_household, row.id), help=status)
