"""Independent reads of one request side by side: the first in the caller's session and
transaction, the rest together on a second thread, in a read session that a writer's
transaction does not hold up; results in order, and a failure anywhere raised."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlmodel import Session

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.side_by_side import side_by_side


def _where(session: Session) -> tuple[int, int, int]:
    """(thread, session, households) for the call that ran in `session`."""
    count = session.execute(text("SELECT count(*) FROM household")).scalar_one()
    return threading.get_ident(), id(session), count


def test_the_first_runs_in_the_callers_session_and_the_rest_beside_it(
    database: Database,
) -> None:
    second_started = threading.Event()

    def first(session: Session) -> tuple[int, int, int]:
        assert second_started.wait(timeout=30), "the second waited for the first"
        return _where(session)

    def second(session: Session) -> tuple[int, int, int]:
        second_started.set()
        return _where(session)

    def run(session: Session) -> list[tuple[int, int, int]]:
        assert side_by_side(session, []) == []
        results = side_by_side(session, [first, second, _where, _where])
        assert results[0] == (threading.get_ident(), id(session), 0)
        return results

    # Inside a writer's transaction (on SQLite, BEGIN IMMEDIATE): the rest still read.
    mine, beside, *rest = database.write(run)
    assert beside[0] != mine[0] and beside[1] != mine[1]  # another thread and session
    assert all(result[:2] in (mine[:2], beside[:2]) for result in rest)  # whichever is free


def test_a_failure_in_either_is_raised(database: Database) -> None:
    def fails(session: Session) -> int:
        raise LookupError("no such period")

    with pytest.raises(LookupError, match="no such period"):
        database.read(side_by_side, [_where, fails])
    with pytest.raises(LookupError, match="no such period"):
        database.read(side_by_side, [fails, _where])


def test_a_database_in_memory_runs_them_in_turn() -> None:
    database = Database("sqlite://")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE household (id INTEGER)"))
    with Session(database.engine) as session:
        results = side_by_side(session, [_where, _where])
        assert results == [(threading.get_ident(), id(session), 0)] * 2
    database.dispose()


def test_calls_made_side_by_side_inside_one_run_in_turn(database: Database) -> None:
    """A part that is itself made side by side (the board pack's performance for each
    period) runs its calls in its own thread and session, not in two more threads."""

    def nested(session: Session) -> tuple[tuple[int, int, int], ...]:
        return side_by_side(session, (_where, _where))

    def run(session: Session) -> list[tuple[tuple[int, int, int], ...]]:
        return side_by_side(session, [nested, nested])

    for calls in database.read(run):
        assert isinstance(calls, tuple)
        assert calls[0] == calls[1]  # the same thread and session, one after the other
