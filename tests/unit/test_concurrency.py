"""Two people saving at the same moment: the check and the write happen under one lock."""

from __future__ import annotations

import threading

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.households.households import open_household
from hiw_tui.db.households.people import add_person
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff

WRITERS = 6


def test_only_one_of_many_simultaneous_primary_householders_is_saved(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada)
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []

    def add(n: int) -> None:
        barrier.wait()
        try:
            database.write(
                add_person,
                actor=staff.ada,
                household_id=record.id,
                data=person_input(given_name=f"P{n}"),
            )
            outcomes.append("saved")
        except FieldError as error:
            outcomes.append(error.field)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["role"] * (WRITERS - 1) + ["saved"]
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert [m.role for m in stored.members] == ["primary"]
