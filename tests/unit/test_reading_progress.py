"""Each final reading's stored count of areas better than the person's first reading, as
the performance report reads it, and each household's distance travelled per area, as
that report reads it: kept right through every change to a reading, and worked out
for readings held before the upgrades that added them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from alembic import command
from sqlalchemy import Connection, inspect, text

from hiw_tui.cli import main
from hiw_tui.db.core import schema
from hiw_tui.db.core.engine import Database
from hiw_tui.db.readings.readings import update_reading
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.validation import ReadingInput
from hiw_tui.reports.queries.programme import distance_travelled, performance
from tests.helpers.factories import add_reading, person_input, reading_input, register
from tests.helpers.staff import Staff

JAN, APR, JUL = date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 1)


def _stored(database: Database) -> list[tuple[str, int | None]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT taken_on, better_areas FROM star_reading ORDER BY taken_on, id")
        )
        return [(str(day), better) for day, better in rows]


def _latest(database: Database) -> tuple[str, int | None]:
    """The person's own copy: their latest final reading's date and count."""
    with database.engine.connect() as connection:
        day, better = connection.execute(
            text("SELECT star_latest_on, star_better_areas FROM person")
        ).one()
        return str(day), better


def _progress(database: Database, staff: Staff, as_of: date) -> tuple[int, int]:
    """(progress measures, households with a significant improvement)."""
    report = database.read(performance, actor=staff.manager, period=Period(as_of=as_of))
    return report.progress_measures, report.households_significant_improvement


def _distance(database: Database, staff: Staff, as_of: date) -> dict[str, tuple[int, ...]]:
    """Area -> (people, first total, latest total, improved, held, fell), areas with people."""
    changes = database.read(distance_travelled, actor=staff.manager, period=Period(as_of=as_of))
    return {
        change.area: (
            change.people,
            change.first_total,
            change.latest_total,
            change.improved,
            change.unchanged,
            change.worse,
        )
        for change in changes
        if change.people
    }


def _kept_changes(database: Database) -> list[tuple[int, ...]]:
    with database.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT people, first_total, latest_total, improved, held, fell"
                    " FROM star_change ORDER BY area"
                )
            )
        ]


def _two_readings(database: Database, staff: Staff) -> None:
    jo = register(database, staff.manager, staff.ada, person_input()).members[0]
    add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 2, 3, 4))
    add_reading(database, staff.ada, jo.id, reading_input(APR, 2, 3, 4, 5))


@contextmanager
def _downgraded(database: Database, revision: str) -> Iterator[Connection]:
    """The schema taken back to `revision`, as a database made before it was."""
    with database.engine.begin() as connection:
        config = schema._config(database.engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        yield connection


def _correct(database: Database, staff: Staff, saved, data: ReadingInput):  # type: ignore[no-untyped-def]
    return database.write(
        update_reading,
        actor=staff.ada,
        reading_id=saved.reading.id,
        version=saved.reading.version,
        framework=load_framework(),
        data=data,
    )


def test_each_change_to_a_reading_restates_the_progress_counted_from_it(
    database: Database, staff: Staff
) -> None:
    jo = register(database, staff.manager, staff.ada, person_input()).members[0]
    first = add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 2, 3, 4))
    add_reading(database, staff.ada, jo.id, reading_input(APR, 2, 2, 2, None))
    draft = add_reading(database, staff.ada, jo.id, reading_input(JUL, 5, 5, 5, status="draft"))
    # A blank score on either side is not a better area; a draft carries no count.
    assert _stored(database) == [("2025-12-01", 0), ("2026-03-01", 1), ("2026-06-01", None)]
    assert _latest(database) == ("2026-03-01", 1)
    assert _progress(database, staff, APR) == (1, 0)
    assert _progress(database, staff, date(2026, 2, 1)) == (0, 0)

    _correct(database, staff, first, reading_input(JAN, 1, 1, 1, 4, reason="misread"))
    assert _stored(database) == [("2025-12-01", 0), ("2026-03-01", 3), ("2026-06-01", None)]
    assert _latest(database) == ("2026-03-01", 3)
    assert _progress(database, staff, APR) == (3, 1)

    _correct(database, staff, draft, reading_input(JUL, 5, 5, 5, 5))
    assert _stored(database)[2] == ("2026-06-01", 4)
    assert _latest(database) == ("2026-06-01", 4)
    assert _progress(database, staff, JUL) == (4, 1)  # the person's own copy
    assert _progress(database, staff, APR) == (3, 1)  # an earlier as-of date: the April one


def test_readings_held_before_the_upgrade_get_their_counts(
    database: Database, staff: Staff
) -> None:
    _two_readings(database, staff)
    before = _stored(database), _latest(database)
    with _downgraded(database, "0007") as connection:
        columns = {
            table: {column["name"] for column in inspect(connection).get_columns(table)}
            for table in ("star_reading", "person")
        }
        assert "better_areas" not in columns["star_reading"]
        assert "star_latest_on" not in columns["person"]
    database.dispose()
    assert main(["db", "upgrade", "--database", database.url]) == 0
    assert (_stored(database), _latest(database)) == before
    assert before == ([("2025-12-01", 0), ("2026-03-01", 4)], ("2026-03-01", 4))


def test_distance_travelled_follows_each_change_to_a_reading(
    database: Database, staff: Staff
) -> None:
    """Kept per household for the readings of all; a report as of a date before the
    latest reading compares the readings themselves, and both agree with the scores."""
    household = register(database, staff.manager, staff.ada, person_input())
    jo = household.members[0]
    first = add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 2, 3, 4))
    assert _distance(database, staff, APR) == {} and _kept_changes(database) == []
    add_reading(database, staff.ada, jo.id, reading_input(APR, 2, 2, 2, None))
    skills, stability, money = load_framework().codes[:3]
    expected = {skills: (1, 1, 2, 1, 0, 0), stability: (1, 2, 2, 0, 1, 0)}
    expected[money] = (1, 3, 2, 0, 0, 1)  # the fourth area, left blank, is not compared
    assert {a: expected[a] for a in (skills, stability, money)} == {
        a: _distance(database, staff, APR)[a] for a in (skills, stability, money)
    }
    assert len(_distance(database, staff, APR)) == len(_kept_changes(database)) == 7

    _correct(database, staff, first, reading_input(JAN, 1, 1, 1, 4, reason="misread"))
    assert _distance(database, staff, APR)[stability] == (1, 1, 2, 1, 0, 0)
    assert _distance(database, staff, APR)[money] == (1, 1, 2, 1, 0, 0)

    add_reading(database, staff.ada, jo.id, reading_input(JUL, 5, 5, 5, 5))
    assert _distance(database, staff, JUL)[skills] == (1, 1, 5, 1, 0, 0)
    assert len(_distance(database, staff, JUL)) == 8  # the fourth area scored in both
    # As of April, before the July reading: the April reading is the latest.
    assert _distance(database, staff, APR)[skills] == (1, 1, 2, 1, 0, 0)
    assert len(_distance(database, staff, APR)) == 7


def test_distance_travelled_held_before_its_upgrade_is_worked_out(
    database: Database, staff: Staff
) -> None:
    _two_readings(database, staff)
    before = _kept_changes(database)
    with _downgraded(database, "0015") as connection:
        assert "star_change" not in inspect(connection).get_table_names()
    database.dispose()
    assert main(["db", "upgrade", "--database", database.url]) == 0
    assert _kept_changes(database) == before and len(before) == 8


def test_first_scores_held_before_their_upgrade_are_worked_out(
    database: Database, staff: Staff
) -> None:
    """Distance travelled as of a date before a household's latest reading reads the
    first scores kept with the readings: an upgraded database gives what it gave."""
    _two_readings(database, staff)
    jo = database.read(lambda session: session.execute(text("SELECT id FROM person")).scalar())
    add_reading(database, staff.ada, jo, reading_input(JUL, 5, 5, 5, None))
    before = _distance(database, staff, APR), _distance(database, staff, JUL)
    with _downgraded(database, "0018") as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("star_score")}
        assert "first_score" not in columns
    database.dispose()
    assert main(["db", "upgrade", "--database", database.url]) == 0
    assert (_distance(database, staff, APR), _distance(database, staff, JUL)) == before
    skills = load_framework().codes[0]
    assert before[0][skills] == (1, 1, 2, 1, 0, 0) and before[1][skills] == (1, 1, 5, 1, 0, 0)
    assert len(before[1]) == 7  # the fourth area, blank in July, is not compared
