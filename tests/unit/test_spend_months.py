"""The spending kept by month (`spend_month`): after spends, decisions, reversals and a
household's move to another advocate or area it is what the ledger's rows add up to,
the spend report over any dates equals the ledger added up alone, and the ledger check
finds a kept group that differs; on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql
from sqlmodel import col

from hiw_tui.db.access.caseloads import reassign_caseload
from hiw_tui.db.core import schema
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.households.households import update_household
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.models import LedgerEntry
from hiw_tui.db.ledger.monthly import ledger_groups
from hiw_tui.db.ledger.posting import decide_spend, reverse_spend
from hiw_tui.domain.budget import DecisionInput, ReversalInput
from hiw_tui.domain.case_inputs import CaseloadMoveInput
from hiw_tui.reports.queries.spend import spend_report
from tests.helpers.clock import TODAY
from tests.helpers.dataset import copy_dataset, replace_line, run_import
from tests.helpers.factories import POLICY, household_input, person_input, register, spend
from tests.helpers.staff import Staff, add_staff

DATES = [
    (None, None),
    (date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 1, 20), date(2026, 3, 5)),
    (date(2026, 2, 10), date(2026, 2, 20)),
    (date(2026, 2, 1), date(2026, 3, 10)),
    (date(2026, 1, 16), None),
    (None, date(2026, 2, 27)),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 20), date(2026, 2, 1)),
]
"""Whole months, parts of months at either end or both, one month's middle, open ends,
and dates the wrong way round."""


def _decide(database: Database, actor: UserPublic, entry_id: int, decision: str) -> None:
    data = DecisionInput.model_validate({"decision": decision, "note": "Checked"})
    database.write(decide_spend, actor=actor, entry_id=entry_id, data=data, policy=POLICY)


def _last_spend(view: Any) -> int:
    return int([line.id for line in view.lines if line.kind == "spend"][-1])


@pytest.fixture
def households(database: Database, staff: Staff) -> list[HouseholdPublic]:
    """Ada's household with spends counted, approved, rejected and one reversed (in
    March, TODAY's month), and Cal's in Wirral with one."""
    ada = register(database, staff.manager, staff.ada, person_input())
    cal = register(database, staff.manager, staff.cal, person_input(postcode="CH41 2AB"))
    spend(database, staff.ada, ada.id, "10", spent_on=date(2026, 1, 15))
    view = spend(database, staff.ada, ada.id, "7.20", category="travel", spent_on=date(2026, 2, 3))
    travel = _last_spend(view)
    approved = _last_spend(spend(database, staff.ada, ada.id, "300", spent_on=date(2026, 2, 28)))
    _decide(database, staff.liverpool_supervisor, approved, "approved")
    spend(database, staff.ada, ada.id, "30", spent_on=date(2026, 3, 1))
    rejected = _last_spend(spend(database, staff.ada, ada.id, "260", spent_on=date(2026, 2, 14)))
    _decide(database, staff.liverpool_supervisor, rejected, "rejected")
    spend(database, staff.ada, ada.id, "255", spent_on=date(2026, 3, 12))  # waits
    database.write(
        reverse_spend,
        actor=staff.ada,
        household_id=ada.id,
        entry_id=travel,
        data=ReversalInput(reason="Keyed twice"),
        today=TODAY,
        policy=POLICY,
    )
    spend(database, staff.cal, cal.id, "40", spent_on=date(2026, 2, 20))
    return [ada, cal]


def _reported(database: Database, actor: UserPublic, **narrowed: Any) -> list[tuple[Any, ...]]:
    return [
        (
            r.month,
            r.local_authority.value,
            r.advocate,
            r.category.value,
            r.entries,
            r.spent,
            r.waiting,
        )
        for r in database.read(spend_report, actor=actor, **narrowed)
    ]


def _from_ledger(database: Database, actor: UserPublic, **narrowed: Any) -> list[tuple[Any, ...]]:
    """The report as the ledger's rows alone group it."""
    spent_on = col(LedgerEntry.spent_on)
    conditions = [household_scope(actor)]
    if narrowed.get("date_from"):
        conditions.append(spent_on >= narrowed["date_from"])
    if narrowed.get("date_to"):
        conditions.append(spent_on <= narrowed["date_to"])
    rows = database.read(lambda session: session.execute(ledger_groups(conditions)).all())
    return sorted(
        (f"{int(y):04d}-{int(m):02d}", area, user, category, int(e), int(s), int(w))
        for _, user, area, y, m, category, e, s, w in rows
    )


def test_the_report_over_any_dates_is_the_ledger_added_up(
    database: Database, staff: Staff, households: list[HouseholdPublic]
) -> None:
    assert database.read(check_ledger) == []
    everything = _reported(database, staff.manager)
    assert ("2026-02", "liverpool", "ada.adv", "food", 1, 30_000, 0) in everything
    assert ("2026-02", "liverpool", "ada.adv", "education", 0, 0, 0) not in everything
    assert ("2026-03", "liverpool", "ada.adv", "food", 2, 3_000, 25_500) in everything
    assert ("2026-03", "liverpool", "ada.adv", "travel", 0, -720, 0) in everything
    for actor in (staff.manager, staff.liverpool_supervisor, staff.ada, staff.cal):
        for date_from, date_to in DATES:
            dates = {"date_from": date_from, "date_to": date_to}
            assert _reported(database, actor, **dates) == _from_ledger(database, actor, **dates)


def test_a_rejected_spend_alone_still_shows_its_month(
    database: Database, staff: Staff, households: list[HouseholdPublic]
) -> None:
    """Its group has a ledger row, as the report always showed: no entries, nothing spent."""
    february = _reported(
        database, staff.ada, date_from=date(2026, 2, 14), date_to=date(2026, 2, 14)
    )
    assert february == [("2026-02", "liverpool", "ada.adv", "food", 0, 0, 0)]


def test_spending_moves_with_a_household_edited_to_another_advocate_or_area(
    database: Database, staff: Staff, households: list[HouseholdPublic]
) -> None:
    ada, _ = households
    version = ada.version
    for actor, advocate, area, seen_by in (
        (staff.liverpool_supervisor, staff.ben, "liverpool", staff.ben),
        (staff.manager, staff.cal, "wirral", staff.wirral_supervisor),
    ):
        data = household_input(advocate, reference=ada.reference, local_authority=area)
        version = database.write(
            update_household, actor=actor, household_id=ada.id, version=version, data=data
        ).version
        assert {(row[1], row[2]) for row in _reported(database, seen_by)} == {
            (area, advocate.username)
        }
    assert _reported(database, staff.ada) == []
    assert _reported(database, staff.ben) == []
    assert {row[1] for row in _reported(database, staff.wirral_supervisor)} == {"wirral"}
    assert _reported(database, staff.liverpool_supervisor) == []
    assert database.read(check_ledger) == []


def test_spending_moves_with_a_caseload(
    database: Database, staff: Staff, households: list[HouseholdPublic]
) -> None:
    data = CaseloadMoveInput(to_advocate="ben.adv", reason="Ada has left")
    database.write(reassign_caseload, actor=staff.manager, username="ada.adv", data=data)
    assert _reported(database, staff.ada) == []
    assert _reported(database, staff.ben) == _from_ledger(database, staff.ben) != []
    assert database.read(check_ledger) == []


def test_the_check_finds_a_kept_group_that_differs(
    database: Database, staff: Staff, households: list[HouseholdPublic]
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            sql("UPDATE spend_month SET spent_pence = spent_pence + 1 WHERE category = 'travel'")
        )
        connection.execute(sql("DELETE FROM spend_month WHERE local_authority = 'wirral'"))
    problems = database.read(check_ledger)
    assert problems == [
        f"spending of advocate {staff.ada.id} in liverpool, 2026-02, travel: kept as 1 entries,"
        " £7.21 spent, £0.00 waiting but the ledger says 1 entries, £7.20 spent, £0.00 waiting",
        f"spending of advocate {staff.ada.id} in liverpool, 2026-03, travel: kept as 0 entries,"
        " -£7.19 spent, £0.00 waiting but the ledger says 0 entries, -£7.20 spent, £0.00 waiting",
        f"spending of advocate {staff.cal.id} in wirral, 2026-02, food: kept as nothing but the"
        " ledger says 1 entries, £40.00 spent, £0.00 waiting",
    ]


def test_spending_moves_with_a_household_an_import_moves(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = copy_dataset(tmp_path)
    assert run_import(database, staff.manager, folder).written
    before = {row[2] for row in _reported(database, staff.manager) if row[0] == "2025-08"}
    replace_line(
        folder,
        "households.csv",
        "LIV-00001,liverpool,adv.one,",
        "LIV-00001,liverpool,adv.two,",
    )
    assert run_import(database, staff.manager, folder).problems == []
    after = {row[2] for row in _reported(database, staff.manager) if row[0] == "2025-08"}
    assert (before, after) == ({"adv.one"}, {"adv.two"})
    assert database.read(check_ledger) == []


def test_an_upgrade_keeps_the_spending_already_held(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """The migration that made the table works it out from the ledger held: taken back
    and made again, it holds what the app kept."""
    from alembic import command

    staff = add_staff(sqlite_database)
    household = register(sqlite_database, staff.manager, staff.ada, person_input())
    spend(sqlite_database, staff.ada, household.id, "12.50", spent_on=date(2026, 1, 31))
    spend(sqlite_database, staff.ada, household.id, "300", spent_on=date(2026, 2, 1))
    kept = _reported(sqlite_database, staff.manager)
    config = schema._config(sqlite_database.engine)
    with sqlite_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
        command.upgrade(config, "head")
    assert _reported(sqlite_database, staff.manager) == kept != []
    assert sqlite_database.read(check_ledger) == []
