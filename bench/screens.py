"""Opening each screen of a household, beside a bare Textual app pushing a comparable one.

    python bench/screens.py DATABASE_URL [--runs N]

Headless at 80x24 (Textual's own test driver, as the Pilot tests run the app), as the
programme manager: from the caseload, Enter opens the first household; from its
record each of its screens opens by its key. Each is timed from the key to the
screen settled (another screen up, its workers done, every widget's messages
handled, its footer's keys shown), then Escape goes back.
The bare app pushes, on Enter, a screen with a header, eight lines of facts, a 20-row
table and a footer, and is timed the same way, before the household's screens and again
after them. Target: every screen at most
`TARGET` times the bare push, medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets._footer import FooterKey

from hiw_tui.app import HiwApp
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.demo.generate import DEMO_MANAGER

sys.path.insert(0, str(Path(__file__).parent))
import quiet
import targets
from bare_app import BareApp

TARGET = 1.5
SIZE = (80, 24)
SCREENS = {
    "enter": "household record",
    "h": "readings",
    "p": "plan",
    "f": "referrals",
    "o": "outcomes",
    "c": "contacts",
    "b": "budget",
    "K": "consent",
    "T": "timeline",
}
"""Each screen of a household by its key (Enter from the caseload, the rest from the record)."""


class Pushed(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        for line in range(8):
            yield Static(f"Fact {line}: a line of what is known about the household")
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "What", "Who", "Status", "Note")
        table.add_rows((f"2026-11-{n:02d}", f"Thing {n}", "Ada", "done", "-") for n in range(1, 21))


class BarePush(BareApp):
    def on_data_table_row_selected(self) -> None:
        self.push_screen(Pushed())


CHARACTERS = {"enter": "\r", "escape": "\x1b"}


class _Timing:
    """Times keys in one app: from a key sent to the screen it opens settled."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.changed = asyncio.Event()
        app = pilot.app
        app.screen_change_signal.subscribe(app, lambda _: self.changed.set(), immediate=True)

    async def press(self, key: str) -> float:
        """Seconds from `key` arriving to the screen it opens (or goes back to) settled."""
        app = self.pilot.app
        self.changed.clear()
        started = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(events.Key(key, CHARACTERS.get(key, key)))
        await self._settled(key)
        return time.perf_counter() - started

    async def _settled(self, what: str) -> None:
        """Until another screen is up, no worker runs and every widget of it has handled
        what was sent to it (its data shown).

        Until the screen changes this only waits to be told (Textual's screen-change
        signal): asking every widget to report back meanwhile, as the Pilot's `press`
        and `pause` do, would keep their queues busy, and the app holds a key back
        until the keys before it are done (`hiw_tui.screens.base.key_order`), judged by
        those queues being empty, so the key itself would wait up to its 1 s limit."""
        app, pilot = self.pilot.app, self.pilot
        try:
            await asyncio.wait_for(self.changed.wait(), 30)
        except TimeoutError:
            raise RuntimeError(f"{what}: still on {type(app.screen).__name__} after 30 s") from None
        await pilot._wait_for_screen()  # composed and mounted, its workers started
        while len(app.workers):
            await app.workers.wait_for_complete()
            await pilot._wait_for_screen()
        # Textual's Footer composes its keys only after the screen's first refresh: a
        # screen is not settled until its keys show (the app's footer has them sooner).
        # Asked every millisecond: asking without a pause kept the loop too busy for the
        # footer to compose (the bare push took twice as long).
        waited = time.perf_counter()
        while any(not footer.query(FooterKey) for footer in app.screen.query(Footer)):
            if time.perf_counter() - waited > 30:
                raise RuntimeError(f"{what}: the footer showed no keys after 30 s")
            await asyncio.sleep(0.001)
        await pilot._wait_for_screen()  # each of its widgets too


async def _ours(database: Database, runs: int) -> dict[str, list[float]]:
    app = HiwApp(database=database, actor=database.read(get_user, username=DEMO_MANAGER))
    times: dict[str, list[float]] = {name: [] for name in SCREENS.values()}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        timing = _Timing(pilot)
        for _ in range(runs):
            times["household record"].append(await timing.press("enter"))
            for key, name in list(SCREENS.items())[1:]:
                times[name].append(await timing.press(key))
                await timing.press("escape")
            await timing.press("escape")
    return times


async def _bare(runs: int) -> list[float]:
    times = []
    async with BarePush().run_test(size=SIZE) as pilot:
        await pilot.pause(1.0)
        timing = _Timing(pilot)
        for _ in range(runs):
            times.append(await timing.press("enter"))
            await timing.press("escape")
    return times


def measure(database: Database, runs: int) -> tuple[float, dict[str, float]]:
    """Seconds, medians: the bare push (timed before the household's screens and again
    after them, so a change in the machine's load between the two counts both ways),
    and each screen of a household."""
    bare = asyncio.run(_bare(runs))
    ours = asyncio.run(_ours(database, runs))
    bare += asyncio.run(_bare(runs))
    return statistics.median(bare), {name: statistics.median(times) for name, times in ours.items()}


def report(bare: float, ours: dict[str, float], runs: int) -> str:
    lines = [
        f"bare Textual push: {bare * 1000:.1f} ms (median of {2 * runs}, before and after)",
        "| screen | median | ratio to bare | met |",
        "|---|---|---|---|",
    ]
    for name, median in ours.items():
        verdict = "met" if median / bare <= TARGET else "missed"
        lines.append(f"| {name} | {median * 1000:.1f} ms | {median / bare:.2f} | {verdict} |")
    return "\n".join(lines)


def target_row(pushes: dict[str, tuple[float, dict[str, float]]]) -> targets.Target:
    """The slowest screen to open, on any database named, as a ratio to the bare push."""
    ratio, name, database = max(
        (median / bare, screen, database)
        for database, (bare, ours) in pushes.items()
        for screen, median in ours.items()
    )
    return targets.Target(
        f"a household's screen, ratio to a bare push (slowest: {name}, {database})",
        ratio,
        TARGET,
        "{:.2f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    database = Database(args.url)
    note = quiet.check("opening screens")
    bare, ours = measure(database, args.runs)
    print(report(bare, ours, args.runs))
    print("\n" + targets.table([target_row({args.url: (bare, ours)})]))
    if note:
        print(f"measured while the machine was {note}")
    database.dispose()


if __name__ == "__main__":
    main()
