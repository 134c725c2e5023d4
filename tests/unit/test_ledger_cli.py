"""`hiw-tui ledger check` and `hiw-tui ledger report` on a real database file."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from tests.helpers.factories import person_input, register, spend
from tests.helpers.staff import add_staff


@pytest.fixture
def spent(sqlite_database: Database) -> Database:
    staff = add_staff(sqlite_database)
    household = register(sqlite_database, staff.manager, staff.ada, person_input())
    spend(sqlite_database, staff.ada, household.id, "12.50", spent_on=date(2026, 2, 3))
    spend(sqlite_database, staff.ada, household.id, "7", category="travel")
    return sqlite_database


def test_the_check_passes_then_fails_on_a_difference(
    spent: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ledger", "check", "--database", spent.url]) == 0
    assert "Every budget adds up." in capsys.readouterr().out
    with spent.engine.begin() as connection:
        connection.execute(sql("UPDATE budget SET spent_pence = 0"))
    assert main(["ledger", "check", "--database", spent.url]) == 1
    out = capsys.readouterr().out
    assert "spent is kept as £0.00 but its rows say £19.50" in out
    assert "1 difference(s) found." in out


def test_the_report_as_csv_and_as_a_table(
    spent: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "spend.csv"
    command = ["report", "spend", "--database", spent.url, "--user", "sam.super"]
    assert main([*command, "--format", "csv", "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8-sig") as file:  # starts with a byte-order mark
        rows = list(csv.reader(file))
    assert rows == [
        ["month", "local_authority", "advocate", "category", "spends", "spent", "waiting"],
        ["2026-02", "liverpool", "ada.adv", "food", "1", "12.50", "0.00"],
        ["2026-03", "liverpool", "ada.adv", "travel", "1", "7.00", "0.00"],
    ]
    assert main([*command, "--from", "2026-03-01"]) == 0
    table = capsys.readouterr().out
    assert "Travel" in table and "£7.00" in table and "Food" not in table
    assert re.search(r"Total +1 +£7.00", table)
    with spent.engine.connect() as connection:
        exports = connection.execute(
            sql("SELECT count(*) FROM audit_event WHERE action = 'export'")
        ).scalar_one()
    assert exports == 2


def test_the_report_needs_a_user_it_knows(
    spent: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "spend", "--database", spent.url]) == 2
    assert main(["report", "spend", "--database", spent.url, "--user", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
