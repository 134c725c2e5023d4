"""Independent reads of one request run side by side, two at a time on two cores.

One after another, the reads of the board pack, the performance report and the cohort
profile took longer than a second at 100,000 households. The first call runs in the
caller's session (so what it writes, such as an export's audit row, lands in the
caller's transaction); a second thread takes the rest one after another in a read
session of its own, and the caller's thread takes what is left once its own is done.
Both databases do their work outside the interpreter's lock (SQLite's steps,
PostgreSQL's server), so the two overlap. A call made side by side that itself runs
calls side by side (the board pack's performance for each period) runs them in turn.

Decided: each session reads as of its own start, a moment apart. On PostgreSQL each
statement of one transaction already reads as of its own start (READ COMMITTED), so
this is no change there; on SQLite a change saved in that moment, such as a household
started, may be in one of a report's figures and not another's. A report of a period
that has ended, as the board pack's are, is the same either way. A database held in
one process's memory (`sqlite://`) has no second connection to the same data: there
the calls run in turn.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, overload

from sqlalchemy import Engine
from sqlmodel import Session

from hiw_tui.db.core.engine import WRITE_OPTION, read_session

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")
Call = Callable[[Session], T]

_beside = threading.local()
"""Set in a thread running calls side by side: calls it makes side by side in turn run
one after another (two cores are busy already)."""


@overload
def side_by_side(session: Session, calls: tuple[Call[A], Call[B]]) -> tuple[A, B]: ...
@overload
def side_by_side(session: Session, calls: tuple[Call[A], Call[B], Call[C]]) -> tuple[A, B, C]: ...
@overload
def side_by_side(
    session: Session, calls: tuple[Call[A], Call[B], Call[C], Call[D]]
) -> tuple[A, B, C, D]: ...
@overload
def side_by_side(session: Session, calls: list[Call[T]]) -> list[T]: ...
def side_by_side(session: Session, calls: Sequence[Call[Any]]) -> Sequence[Any]:
    """Each call's result, in order (a tuple of calls gives a tuple of their results).
    The first runs in `session`; the rest are taken in turn by a second thread and,
    once it is done with the first, by this one, so the two finish close together.
    Give the longest first."""
    results = _run(session, calls)
    return tuple(results) if isinstance(calls, tuple) else results


def _run(session: Session, calls: Sequence[Call[T]]) -> list[T]:
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    alone = bind.url.database in (None, "", ":memory:") or getattr(_beside, "on", False)
    if alone or len(calls) < 2:
        return [call(session) for call in calls]
    results: dict[int, T] = {}
    waiting = deque(enumerate(calls))

    def take(own: Session) -> None:
        _beside.on = True
        while True:
            try:
                index, call = waiting.popleft()
            except IndexError:
                return
            results[index] = call(own)

    reader = bind.execution_options(**{WRITE_OPTION: False})  # BEGIN, not BEGIN IMMEDIATE
    index, first = waiting.popleft()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="side-by-side") as pool:
        beside = pool.submit(_in_a_session, reader, take)
        try:
            _beside.on = True
            results[index] = first(session)
            take(session)
        except BaseException:
            waiting.clear()  # the other thread starts nothing more
            raise
        finally:
            _beside.on = False
        beside.result()
    return [results[index] for index in range(len(calls))]


def _in_a_session(engine: Engine, work: Callable[[Session], None]) -> None:
    with read_session(engine) as session:
        work(session)
