"""The crawler: from each start, every screen the keyboard reaches and the keys on it.

Each role explores a screen once (a full screen once more when its tables are empty),
from the first start that reaches it: from a fresh app, on a fresh copy of the
database, the keys that first reached it are replayed, then its keys are pressed in
turn. A key that covers the screen with another is followed by popping back to it; a
key that closes it, by replaying the keys to it again (keys known to close a screen
are pressed last). After every key the crawl fails on an exception, the error screen
(but for a refusal the data explains) or an exit, naming the keys that led there.

Which keys (`Crawler.choose`): each key a screen binds (the project's own bindings,
its widgets' and the app's) and each of `ALWAYS` is pressed at least once on every
screen, with rows in its tables and, for a full screen, without; each key that opened
another screen is pressed again by every role (what it opens may hold that role's own
keys: a supervisor's on the ledger); each binding is pressed again by the first role
for which it is enabled (or disabled) when it was not before, which finds a role's own
screens; beyond that a seeded sample, so that a run stays short.
"""

from __future__ import annotations

import inspect
import pkgutil
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from textual.pilot import Pilot
from textual.screen import Screen

import hiw_tui
from hiw_tui.app import HiwApp
from hiw_tui.db.core.errors import DataError, Forbidden
from hiw_tui.screens.dialogs.common import ErrorScreen
from tests.helpers.pilot import screen_text

ALWAYS = ("enter", "escape", "space", "j", "k", *"0123456789")
"""Keys pressed on every screen, whether or not it binds them."""
QUIT = "ctrl+q"
"""The one key that may end the app; the crawler never presses it."""
SAMPLE = 0.3
"""How often a screen whose keys have all been pressed gets a few pressed again."""


def screen_classes(package: ModuleType = hiw_tui) -> set[str]:
    """The names of every concrete Screen (and ModalScreen) defined in `package`."""
    found: set[str] = set()
    for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Screen)
                and cls.__module__ == module.__name__
                and not getattr(cls, "__parameters__", ())
            ):
                found.add(name)
    return found


@dataclass(frozen=True)
class Start:
    """Where a crawl begins: `prepare` runs once the app has settled, then `keys` are
    pressed. `empty` says whether the tables met from here have no rows."""

    name: str
    keys: tuple[str, ...] = ()
    prepare: Callable[[HiwApp], None] | None = None
    empty: bool = False
    signed_in: bool = True
    """False: the app opens at sign-in, with the role's name filled in."""
    shows: str = ""
    """Words the screen shows once `keys` are pressed (that the start is what it says)."""
    roles: frozenset[str] = frozenset()
    """The roles crawled from here (none: every role): a start that needs a role's own
    keys (adding a member) means nothing to another."""


@dataclass
class Crawl:
    """What the crawls saw: the screens each role reached (with the first keys that
    reached each), the keys pressed on each screen, and what went wrong."""

    reached: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    explored: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)
    """Per role, (screen, whether its tables were empty)."""
    pressed: set[tuple[str, str, bool]] = field(default_factory=set)
    """(screen, key, whether its tables were empty)."""
    closing: set[tuple[str, str]] = field(default_factory=set)
    """(screen, key) that closed the screen: pressed last."""
    opening: set[tuple[str, str]] = field(default_factory=set)
    """(screen, key) that opened another screen over it: pressed by every role, as the
    screen opened may have keys of that role's own (a supervisor's on the ledger)."""
    failures: list[str] = field(default_factory=list)


class CrawlFailure(Exception):
    """The app raised, showed its error screen or exited after a key."""


def bound_keys(screen: Screen[object]) -> dict[str, bool]:
    """The keys bound now by the screen, its focused widget or the app, and whether each
    is enabled: the project's own bindings, not the editing keys of Textual's widgets."""
    return {
        key: active.enabled
        for key, active in screen.active_bindings.items()
        if type(active.node).__module__.startswith("hiw_tui.") and key != QUIT
    }


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and what the last one set off has been handled (a
    quicker `tests.helpers.pilot.settle`, which also waits for the screen to stop
    changing)."""
    app = pilot.app
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not len(app.workers):
            return
    raise AssertionError("the app never settled: a worker kept starting another")


@dataclass(frozen=True)
class _Visit:
    """A screen to explore: the keys to it from the start, and the keys to press there."""

    path: tuple[str, ...]
    name: str
    keys: list[str]


class Crawler:
    """Crawls as a role from each `Start`, with a fresh app from `make_app(signed_in)`
    per replay.

    Which keys a screen gets (`choose`): every key not yet pressed on it (once with
    tables that have rows and, for a full screen, once with tables that have none),
    every key whose binding is enabled (or not) where it was not before (a role's own
    keys), and otherwise, now and then, a few at random; the keys known to close the
    screen come last."""

    def __init__(self, crawl: Crawl, rng: random.Random) -> None:
        self.crawl = crawl
        self.rng = rng
        self.enabled_seen: set[tuple[str, str, bool]] = set()
        self.by_role: set[tuple[str, str, str]] = set()
        """(role, screen, key) pressed."""

    async def run(self, role: str, make_app: Callable[[bool], HiwApp], start: Start) -> None:
        reached = self.crawl.reached.setdefault(role, {})
        explored = self.crawl.explored.setdefault(role, set())
        frontier: deque[_Visit] = deque([_Visit((), "", [])])
        while frontier and not self.crawl.failures:
            visit = frontier.popleft()
            session = _Session(self, role, make_app, start, visit)
            for path, name, modal, bound in await session.explore():
                reached.setdefault(name, (*start.keys, *path))
                kind = (name, start.empty and not modal)
                if kind not in explored:
                    explored.add(kind)
                    keys = self.choose(role, name, kind[1], bound)
                    if keys:
                        frontier.append(_Visit(path, name, keys))

    def choose(self, role: str, name: str, empty: bool, bound: dict[str, bool]) -> list[str]:
        chosen = [
            key
            for key in dict.fromkeys([*sorted(bound), *ALWAYS])
            if (name, key, empty) not in self.crawl.pressed
            or (key in bound and (name, key, bound[key]) not in self.enabled_seen)
            or ((name, key) in self.crawl.opening and (role, name, key) not in self.by_role)
        ]
        if not chosen and self.rng.random() < SAMPLE:
            chosen = self.rng.sample([*bound, *ALWAYS], 3)
        return sorted(chosen, key=lambda key: (name, key) in self.crawl.closing or key == "escape")

    def pressed(self, role: str, name: str, key: str, empty: bool, bound: dict[str, bool]) -> None:
        self.crawl.pressed.add((name, key, empty))
        self.by_role.add((role, name, key))
        if key in bound:
            self.enabled_seen.add((name, key, bound[key]))


_Found = tuple[tuple[str, ...], str, bool, dict[str, bool]]
"""A screen reached: the keys to it, its name, whether it is modal, its keys."""


class _Session:
    """Explores a visit's screen, replaying the keys to it whenever it has closed;
    reports each hiw_tui screen reached, with the keys to it."""

    def __init__(
        self,
        crawler: Crawler,
        role: str,
        make_app: Callable[[bool], HiwApp],
        start: Start,
        visit: _Visit,
    ) -> None:
        self.crawler, self.crawl = crawler, crawler.crawl
        self.role, self.make_app, self.start = role, make_app, start
        self.path, self.remaining = visit.path, list(visit.keys)
        self.first = not visit.path and not visit.keys
        self.found: list[_Found] = []
        self.typed: tuple[str, ...] = ()
        """The keys up to the last one pressed, to name when the app fails later."""

    async def explore(self) -> list[_Found]:
        while (self.first or self.remaining) and not self.crawl.failures:
            app = self.make_app(self.start.signed_in)
            exits: list[str] = []
            app.exit = _recording_exit(app.exit, exits)  # type: ignore[method-assign]
            try:
                async with app.run_test(size=(80, 24)) as pilot:
                    await self._replay(pilot, exits)
                    if self.first:
                        self._found((), app.screen)
                        return self.found
                    await self._press_all(pilot, app.screen, exits)
            except CrawlFailure as failure:
                self.crawl.failures.append(str(failure))
            except Exception as error:  # what the app raised, re-raised by run_test
                where = self._where(self.typed)
                self.crawl.failures.append(f"{where}: {type(error).__name__}: {error}")
            finally:
                app.database.dispose()
        return self.found

    def _found(self, path: tuple[str, ...], screen: Screen[object]) -> None:
        self.found.append((path, type(screen).__name__, screen.is_modal, bound_keys(screen)))

    def _where(self, keys: tuple[str, ...]) -> str:
        typed = " ".join((*self.start.keys, *keys)) or "(no key)"
        return f"{self.role}, from {self.start.name}: {typed}"

    async def _replay(self, pilot: Pilot[None], exits: list[str]) -> None:
        app = pilot.app
        assert isinstance(app, HiwApp)
        await settle(pilot)
        if self.start.prepare is not None:
            self.start.prepare(app)
            await settle(pilot)
        for key in self.start.keys:
            await self._press(pilot, key, (), exits)
        if self.start.shows not in screen_text(app):
            raise CrawlFailure(f"{self._where(())}: the screen does not show {self.start.shows!r}")
        for step, key in enumerate(self.path):
            await self._press(pilot, key, self.path[: step + 1], exits)

    async def _press_all(
        self, pilot: Pilot[None], screen: Screen[object], exits: list[str]
    ) -> None:
        app = pilot.app
        name = type(screen).__name__
        empty = self.start.empty and not screen.is_modal
        # The keys were chosen as the screen appeared; what it has loaded since may have
        # enabled more.
        fresh = self.crawler.choose(self.role, name, empty, bound_keys(screen))
        self.remaining += [key for key in fresh if key not in self.remaining]
        while self.remaining:
            if app.screen is not screen:
                if screen not in app.screen_stack:
                    return  # the screen has closed: replay the keys to it
                while app.screen is not screen:
                    await app.pop_screen()
                await settle(pilot)
            key = self.remaining.pop(0)
            bound = bound_keys(screen)
            await self._press(pilot, key, (*self.path, key), exits)
            self.crawler.pressed(self.role, name, key, empty, bound)
            if app.screen is not screen and type(app.screen).__module__.startswith("hiw_tui."):
                self._found((*self.path, key), app.screen)
                if screen in app.screen_stack:
                    self.crawl.opening.add((name, key))
            if screen not in app.screen_stack:
                self.crawl.closing.add((name, key))

    async def _press(
        self, pilot: Pilot[None], key: str, keys: tuple[str, ...], exits: list[str]
    ) -> None:
        app = pilot.app
        self.typed = keys
        await pilot.press(key)
        await settle(pilot)
        where = self._where(keys)
        if app._exception is not None:
            error = app._exception
            raise CrawlFailure(f"{where}: {type(error).__name__}: {error}") from error
        if exits:
            raise CrawlFailure(f"{where}: the app exited ({exits[0]})")
        for shown in app.screen_stack:
            if isinstance(shown, ErrorScreen) and not _explained(shown.error):
                raise CrawlFailure(f"{where}: the error screen showed {shown.message!r}")


def _explained(error: BaseException) -> bool:
    """A refusal the data explains (not a key offered to a role that may not use it)."""
    return isinstance(error, DataError) and not isinstance(error, Forbidden)


def _recording_exit(exit: Callable[..., None], exits: list[str]) -> Callable[..., None]:
    def recording(*args: object, **kwargs: object) -> None:
        exits.append(f"exit{args or ''}{kwargs or ''}")
        exit(*args, **kwargs)

    return recording
