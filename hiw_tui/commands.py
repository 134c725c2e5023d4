"""Command palette (Ctrl+P): open a household by reference or name, register one."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from hiw_tui.db.households import HouseholdFilter, list_households

if TYPE_CHECKING:
    from hiw_tui.app import HiwApp

MATCHES = 8


class HouseholdCommands(Provider):
    """Households matching what is typed (reference, name or postcode prefix)."""

    @property
    def _app(self) -> HiwApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        yield DiscoveryHit("Households: register a new household", self._new, help="Opens the form")

    async def search(self, query: str) -> Hits:
        app = self._app
        matcher = self.matcher(query)
        new = "Households: register a new household"
        if matcher.match(new):
            yield Hit(matcher.match(new), matcher.highlight(new), self._new)
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
                "Open ", Text(row.reference, style="bold"), " ", Text(row.primary_name)
            )
            yield Hit(1.0, label, partial(app.open_household, row.id), help=row.status)

    def _new(self) -> None:
        screen = self._app.screen
        if hasattr(screen, "action_new"):
            screen.action_new()
