"""Each final reading's stored count of areas better than the person's first reading, as
the performance report reads it: kept right through every change to a reading, and
worked out for readings held before the upgrade that added it."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from hiw_tui.cli import main
from hiw_tui.db.core import schema
from hiw_tui.db.core.engine import Database
from hiw_tui.db.readings.readings import update_reading
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.validation import ReadingInput
from hiw_tui.reports.queries.programme import performance
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
    jo = register(database, staff.manager, staff.ada, person_input()).members[0]
    add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 2, 3, 4))
    add_reading(database, staff.ada, jo.id, reading_input(APR, 2, 3, 4, 5))
    before = _stored(database), _latest(database)
    with database.engine.begin() as connection:
        config = schema._config(database.engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
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
