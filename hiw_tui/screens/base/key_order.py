"""Keys apply in the order they were typed, however many arrive at once.

Over SSH, or on a busy machine, the keys typed in a moment reach the app in one read.
Textual (8.2) passes each key of a read on as soon as it has parsed it (`App.on_event`
forwards it to the focused widget), and a key then takes effect at different depths:
an `Input` inserts a printable character the moment the key reaches it, but Backspace,
Ctrl+U, Home, End and Enter, and every key of a screen, are bindings, matched only once
the key has bubbled from the widget through each of its parents to the app
(`App._on_key`), one message queue after another. The letters typed after a Backspace
reach the field first. Focus and screen changes are made by messages too, so the keys
typed after one go to the widget or the screen that was there before, which drops
them. A bare `Input` in a bare Textual app shows the first of these.

So the app hands the keys on one at a time (`KeyOrder`). The fix belongs here, between
the terminal and the widgets, rather than in each field or screen: every binding,
screen and form gets the keys in order without knowing about bursts.

Esc typed just before other keys reaches the app as Esc: see
`hiw_tui.cli.terminal_keys`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.worker import Worker

CHECK_SECONDS = 0.002
"""How often a held key looks whether the app has finished with the key before it.

The checks are scheduled on the event loop itself, not with Textual's `set_timer`: a
Textual one-shot timer that starts later than its delay (the app's thread waiting for
a database worker to let go of the interpreter, or for the CPU, on a busy machine)
skips its only tick and never fires, which left a held key, and every key after it,
held for good."""

HOLD_LIMIT_SECONDS = 1.0
"""The longest a key waits for the one before it. A screen that takes longer to load
(a large report) gets the key anyway, rather than the keyboard seeming dead."""


class KeyOrder:
    """Holds a key, or a paste, while the app is still busy with the keys before it.

    The app is done with a key once its own message queue and those of the current
    screen and all its widgets are empty, every widget there is mounted (so a screen a
    key opened is ready and focused), and the database work started since the key was
    passed on has finished (so a list a search reloads is there for the key after it).
    The first key of a burst goes straight through; each later one waits until the app
    is done with the one before it, checked every `CHECK_SECONDS` (a few milliseconds a
    key), or for `HOLD_LIMIT_SECONDS` at most. Mouse events are not held: they carry
    their own position, and a held mouse move would make pointing lag.
    """

    def __init__(
        self,
        app: App[Any],
        deliver: Callable[[events.Event], Awaitable[None]],
        *,
        quits: Callable[[events.Key], bool] = lambda key: False,
    ) -> None:
        self._app = app
        self._deliver = deliver
        """Textual's own handling of an event that reached the app."""
        self._quits = quits
        """Whether a key quits the app: while keys are paused it still goes through."""
        self._held: deque[events.Event] = deque()
        self._waiting = False
        """Whether the first held key is being waited for (or handed on) already."""
        self._waiting_since = 0.0
        self._workers_before: set[Worker[Any]] = set()
        """The workers already under way when the last key was passed on."""
        self._paused = False

    def pause(self) -> None:
        """Hold every key from now on, however long, until `resume`: for work whose
        outcome decides where the keys typed after it belong (a password being checked,
        which can take longer than `HOLD_LIMIT_SECONDS` while the data layer loads).
        A key that quits is never kept waiting: one already held goes through now."""
        self._paused = True
        for event in [e for e in self._held if isinstance(e, events.Key) and self._quits(e)]:
            self._held.remove(event)
            self._app.call_later(self._deliver, event)

    def resume(self, *, drop: bool = False) -> None:
        """Hand on the keys held since `pause`, in order, or with `drop` forget them."""
        self._paused = False
        if drop:
            self._held.clear()
        self._wait_for_the_app()

    def hold(self, event: events.Event) -> bool:
        """Keep `event` back if keys before it are still being handled, and say so; a key
        kept back is handed to `deliver` once the app is done with those."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if self._paused and isinstance(event, events.Key) and self._quits(event):
            return False  # however long the wait, the user can still leave
        if self._held or self._paused or not self._done():
            self._held.append(event)
        else:
            self._workers_before = set(self._app.workers)
            return False
        self._wait_for_the_app()
        return True

    def _wait_for_the_app(self) -> None:
        """Wait for the app to be done before handing on the first held key, unless that
        wait is under way already (or keys are paused)."""
        if self._waiting or self._paused or not self._held:
            return
        self._waiting = True
        self._waiting_since = monotonic()
        self._check_soon()

    def _check_soon(self) -> None:
        asyncio.get_running_loop().call_later(CHECK_SECONDS, self._app.call_next, self._check)

    def _check(self) -> None:
        """Runs on the app's queue: the key is passed on in the app's own task, as any
        key is."""
        if self._paused:
            self._waiting = False  # `resume` waits again
        elif self._done() or monotonic() - self._waiting_since >= HOLD_LIMIT_SECONDS:
            self._app.call_later(self._release)
        else:
            self._check_soon()

    async def _release(self) -> None:
        if self._held and not self._paused:
            event = self._held.popleft()
            self._workers_before = set(self._app.workers)
            await self._deliver(event)
        self._waiting = False
        self._wait_for_the_app()

    def _done(self) -> bool:
        """Whether the app has finished with the keys passed on so far."""
        app = self._app
        if app.message_queue_size or not app.screen_stack:
            return False
        nodes = app.screen.walk_children(Widget, with_self=True)
        if any(not node.is_mounted or node.message_queue_size for node in nodes):
            return False
        return all(
            worker.is_finished for worker in app.workers if worker not in self._workers_before
        )
