"""`hiw-tui import`, `hiw-tui report` and `hiw-tui export` from the command line."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from tests.helpers.dataset import DATASET
from tests.helpers.staff import add_staff


@pytest.fixture
def imported(sqlite_database: Database, capsys: pytest.CaptureFixture[str]) -> Database:
    add_staff(sqlite_database)
    url = sqlite_database.url
    assert main(["import", str(DATASET), "--user", "pat.manager", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "households.csv           7 new" in out
    assert "New advocates: adv.one, adv.three, adv.two" in out
    return sqlite_database


def run(database: Database, *args: str) -> int:
    return main([*args, "--user", "pat.manager", "--database", database.url])


def test_performance_as_json_csv_table_and_xlsx(
    imported: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(imported, "report", "performance", "--as-of", "2026-03-31", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "households_started": 4,
        "households_completed_activity": 3,
        "households_significant_improvement": 3,
        "households_into_work": 2,
        "into_work_percent": 50.0,
        "progress_measures": 15,
        "steps": 3,
        "job_outcomes": 2,
        "work_related_activities": 1,
        "courses": 1,
    }
    assert run(imported, "report", "performance", "--as-of", "2026-03-31", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["measure", "label", "target", "actual"]
    assert rows[5] == ["into_work_percent", "Households moved into employment, %", "20.0", "50.0"]
    args = ("report", "performance", "--as-of", "2026-03-31", "--local-authority", "wirral")
    assert run(imported, *args) == 0
    table = capsys.readouterr().out
    assert "Performance: as of 2026-03-31, Wirral" in table
    assert "Households started on the programme" in table
    out = tmp_path / "performance.xlsx"
    assert run(imported, *args, "--format", "xlsx", "--out", str(out)) == 0
    book = load_workbook(out)
    sheet = book["performance"]
    assert [cell.value for cell in sheet[1]] == ["measure", "label", "target", "actual"]
    assert [cell.value for cell in sheet[2]] == [
        "households_started",
        "Households started on the programme",
        None,  # the programme's household targets are not an area's
        1,
    ]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Covers"] == "as of 2026-03-31, Wirral"


def test_cohort_and_distance_as_csv(imported: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(imported, "report", "cohort", "--as-of", "2026-03-31", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    ages = {row["code"]: row["percent"] for row in rows if row["table"] == "Age"}
    assert ages["56-65"] == "37.5"
    args = ("report", "distance", "--as-of", "2026-03-31", "--advocate", "adv.three")
    assert run(imported, *args, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["area"] == "skills" and rows[0]["improved"] == "1"


def test_bad_requests_are_refused_clearly(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(imported, "report", "performance", "--advocate", "nobody") == 2
    assert "No user called nobody." in capsys.readouterr().err
    args = ("report", "steps", "--as-of", "2026-03-31")
    with pytest.raises(SystemExit):
        run(imported, *args)
    assert run(imported, "report", "cohort", "--as-of", "2026-03-01", "--from", "2026-04-01") == 2
    assert "--from is after --as-of" in capsys.readouterr().err


def test_an_import_with_problems_exits_1_and_says_nothing_was_imported(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_staff(sqlite_database)
    (tmp_path / "people.csv").write_text("person_ref\nP1\n", encoding="utf-8")
    assert run(sqlite_database, "import", str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "people.csv row 1: wrong header: missing household_ref" in err
    assert "Nothing imported: 1 problem(s)." in err
    assert run(sqlite_database, "import", str(tmp_path / "missing")) == 2


def test_export_writes_the_import_files(
    imported: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(imported, "export", str(tmp_path / "out")) == 0
    assert "people.csv              11 rows" in capsys.readouterr().out
    written = (tmp_path / "out" / "readings.csv").read_bytes()
    assert written.startswith(codecs.BOM_UTF8)  # so a spreadsheet reads it as UTF-8
    header = written.decode("utf-8-sig").splitlines()[0]
    crm_header = (DATASET / "readings.csv").read_text().splitlines()[0]
    assert header.startswith(crm_header + ",")  # the CRM's columns, then the optional ones
