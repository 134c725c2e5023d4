"""`hiw-tui report caseload|exits|referrals|welfare|trends` in every format, on the small
programme of tests/helpers/evaluation.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from tests.helpers.evaluation import build_programme
from tests.helpers.staff import add_staff

FIRST_ROWS = {
    "caseload": ["advocate", "name", "referred", "active", "short_term", "exited", "withdrawn"],
    "exits": ["table", "code", "label", "count"],
    "referrals": ["partner", "kind", "made", "accepted", "attended", "declined", "closed"],
    "welfare": ["measure", "people", "households"],
    "trends": ["month", "started", "job_outcomes", "work_related_activities", "courses"],
}


@pytest.fixture
def programme(sqlite_database: Database) -> Database:
    build_programme(sqlite_database, add_staff(sqlite_database))
    return sqlite_database


def run(database: Database, *args: str) -> int:
    return main(
        [*args, "--as-of", "2026-03-31", "--user", "pat.manager", "--database", database.url]
    )


@pytest.mark.parametrize("kind", list(FIRST_ROWS))
def test_each_kind_as_table_csv_json_and_xlsx(
    programme: Database, kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(programme, "report", kind) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].endswith("Whole programme, as of 2026-03-31") or kind == "trends"
    assert [line for line in table.splitlines() if line.startswith("Total")]
    assert run(programme, "report", kind, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert rows[0][: len(FIRST_ROWS[kind])] == FIRST_ROWS[kind]
    assert len(rows) > 1
    assert run(programme, "report", kind, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data
    out = tmp_path / f"{kind}.xlsx"
    assert run(programme, "report", kind, "--format", "xlsx", "--out", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == [kind, "About"]
    assert [cell.value for cell in book[kind][1]][: len(FIRST_ROWS[kind])] == FIRST_ROWS[kind]


def test_the_json_is_plain_data(programme: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(programme, "report", "caseload", "--format", "json") == 0
    caseload = json.loads(capsys.readouterr().out)
    assert caseload["total"]["budget_left_pence"] == 552_500
    assert [line["advocate"] for line in caseload["advocates"]] == ["ada.adv", "ben.adv", "cal.adv"]
    assert run(programme, "report", "welfare", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["contactable"] == {"people": 2, "households": 2}
    args = ("report", "trends", "--from", "2026-01-01", "--format", "json")
    assert run(programme, *args) == 0
    months = json.loads(capsys.readouterr().out)
    assert [m["month"] for m in months] == ["2026-01", "2026-02", "2026-03"]
    assert [m["spent_pence"] for m in months] == [6_000, 0, 17_500]


def test_the_caseload_is_as_of_a_day_whatever_from_date_is_given(
    programme: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """It reads the records as they stand (its counts take no from date): its heading
    names no period it did not count."""
    assert run(programme, "report", "caseload") == 0
    plain = capsys.readouterr().out
    assert run(programme, "report", "caseload", "--from", "2025-04-01") == 0
    assert capsys.readouterr().out == plain


def test_another_area_is_refused_at_the_command_line(
    programme: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("report", "welfare", "--area", "wirral", "--as-of", "2026-03-31")
    assert main([*args, "--user", "sam.super", "--database", programme.url]) == 2
    assert "Wirral is outside your scope." in capsys.readouterr().err
