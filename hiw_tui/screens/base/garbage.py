"""Garbage is collected while the user reads a screen, not while they wait for one.

Python frees most objects as soon as nothing refers to them, but a closed screen's
widgets refer to each other, so they wait for the garbage collector's full collection,
which Python starts by itself as objects come and go. It went through everything the
app had ever loaded, about 150,000 objects (the code of Textual, SQLAlchemy and the
app), each time: 100-200 ms, a pause that fell now and then on the key that opened a
screen. So, once the data layer is loaded:

- what is loaded by then, which lasts as long as the app, is put out of the
  collector's sight (`gc.freeze`); objects frozen then that are thrown away later, such
  as the sign-in screen's, are kept: a few hundred kilobytes, once;
- Python's own full collection waits far longer (`FULL_COLLECTION_THRESHOLD` instead
  of 10 collections of the younger objects), and
- once a screen has closed, the full collection is made as soon as nothing has been
  typed for `IDLE_SECONDS`, while the user reads what is on the screen.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

IDLE_SECONDS = 1.0
"""How long nothing has been typed before the closed screens are collected."""
FULL_COLLECTION_THRESHOLD = 100
"""Python's full collection comes after this many collections of the middle generation
(its default is 10): with a second of rest now and then, never."""


class IdleCollector:
    """Collects the closed screens' garbage once the user has been idle a moment."""

    def __init__(self, idle_for: Callable[[], float]) -> None:
        """`idle_for` tells how many seconds have passed since the last key or click."""
        self._idle_for = idle_for
        self._garbage = False

    def start(self) -> None:
        """Freeze what is loaded, and leave the full collections to `collect_if_idle`."""
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)

    def screen_closed(self) -> None:
        self._garbage = True

    def collect_if_idle(self) -> None:
        """Run often (every `IDLE_SECONDS` or so): collect, if a screen has closed since
        the last time and nothing has been typed for a moment."""
        if self._garbage and self._idle_for() >= IDLE_SECONDS:
            self._garbage = False
            gc.collect()
