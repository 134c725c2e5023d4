"""Independent reads of one request run side by side, two at a time on two cores.

The board pack is several reports; one after another they took longer than a second at
100,000 households. The first call runs in the caller's session (so what it writes,
such as an export's audit row, lands in the caller's transaction); the rest run one
after another in a read session of their own, on a second thread, while it does. Both
databases do their work outside the interpreter's lock (SQLite's steps, PostgreSQL's
server), so the two overlap.

Decided: each session reads as of its own start, a moment apart. The board pack is of
target periods that have ended, and each part is a table of its own, so a change saved
in that moment moves no figure between them. A database held in one process's memory
(`sqlite://`) has no second connection to the same data: there the calls run in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from hiw_tui.db.core.engine import WRITE_OPTION, read_session

T = TypeVar("T")


def side_by_side(session: Session, calls: Sequence[Callable[[Session], T]]) -> list[T]:
    """Each call's result, in order: the first in `session`, the rest beside it."""
    if not calls:
        return []
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    if bind.url.database in (None, "", ":memory:") or len(calls) == 1:
        return [call(session) for call in calls]
    reader = bind.execution_options(**{WRITE_OPTION: False})  # BEGIN, not BEGIN IMMEDIATE
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="side-by-side") as pool:
        rest = pool.submit(_in_turn, reader, calls[1:])
        first = calls[0](session)
        return [first, *rest.result()]


def _in_turn(engine: Engine, calls: Sequence[Callable[[Session], T]]) -> list[T]:
    with read_session(engine) as session:
        return [call(session) for call in calls]
