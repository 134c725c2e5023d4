"""Independent reads of one request run side by side, two at a time on two cores.

The board pack is several reports; one after another they took longer than a second at
100,000 households. The first call runs in the caller's session (so what it writes,
such as an export's audit row, lands in the caller's transaction); a second thread
takes the rest one after another in a read session of its own, and the caller's
thread takes what is left once its own is done. Both databases do their work outside
the interpreter's lock (SQLite's steps, PostgreSQL's server), so the two overlap.

Decided: each session reads as of its own start, a moment apart. The board pack is of
target periods that have ended, and each part is a table of its own, so a change saved
in that moment moves no figure between them. A database held in one process's memory
(`sqlite://`) has no second connection to the same data: there the calls run in turn.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from hiw_tui.db.core.engine import WRITE_OPTION, read_session

T = TypeVar("T")


def side_by_side(session: Session, calls: Sequence[Callable[[Session], T]]) -> list[T]:
    """Each call's result, in order. The first runs in `session`; the rest are taken in
    turn by a second thread and, once it is done with the first, by this one, so the
    two finish close together. Give the longest first."""
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    if bind.url.database in (None, "", ":memory:") or len(calls) < 2:
        return [call(session) for call in calls]
    results: dict[int, T] = {}
    waiting = deque(enumerate(calls))

    def take(own: Session) -> None:
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
            results[index] = first(session)
            take(session)
        except BaseException:
            waiting.clear()  # the other thread starts nothing more
            raise
        beside.result()
    return [results[index] for index in range(len(calls))]


def _in_a_session(engine: Engine, work: Callable[[Session], None]) -> None:
    with read_session(engine) as session:
        work(session)
