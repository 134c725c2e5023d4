"""`hiw-tui import`, `hiw-tui report` and `hiw-tui export` from the command line."""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from hiw_tui.domain.codes import LocalAuthority
from hiw_tui.domain.counting import Period
from hiw_tui.reports.pdf import write_pdf
from hiw_tui.reports.tables import Report, Table
from tests.helpers.dataset import DATASET
from tests.helpers.pdf import pdf_text
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


TARGETS = """
[[period]]
name = "Year to March 2026"
to = 2026-03-31
[period.targets]
households_started = 5
into_work_percent = 20
[period.areas.wirral]
households_started = 2
"""


@pytest.fixture
def own_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An office's own targets file (`TARGETS`) in place of the published one."""
    (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")
    monkeypatch.setenv("HIW_TARGETS_FILE", str(tmp_path / "targets.toml"))


@pytest.mark.usefixtures("own_targets")
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
    assert "Performance: Wirral, as of 2026-03-31" in table
    assert "Households started on the programme" in table
    out = tmp_path / "performance.xlsx"
    assert run(imported, *args, "--format", "xlsx", "--out", str(out)) == 0
    book = load_workbook(out)
    sheet = book["performance"]
    assert [cell.value for cell in sheet[1]] == ["measure", "label", "target", "actual"]
    assert [cell.value for cell in sheet[2]] == [
        "households_started",
        "Households started on the programme",
        2,  # Wirral's own target, never the programme's
        1,
    ]
    assert [cell.value for cell in sheet[6]][2:] == [None, 0]  # no percentage target for Wirral
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


def test_the_user_may_be_given_before_the_command(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hiw-tui --user U report ...`, as the app itself is opened, not only after it."""
    args = ["--user", "pat.manager", "--database", imported.url, "report", "cohort"]
    assert main([*args, "--as-of", "2026-03-31", "--format", "csv"]) == 0
    assert "Age" in capsys.readouterr().out


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


def test_a_folder_not_as_exported_is_not_imported_even_in_part(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from hiw_tui.transfer.manifest import write_manifest

    add_staff(sqlite_database)
    write_manifest(tmp_path, {"households.csv": 3, "people.csv": 11})
    shutil.copy(DATASET / "people.csv", tmp_path / "people.csv")
    assert run(sqlite_database, "import", str(tmp_path), "--partial") == 1
    err = capsys.readouterr().err
    assert "households.csv: missing, but the manifest lists 3 rows" in err
    assert "Nothing imported: 1 problem(s). Mend them and import again.\n" in err


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


def test_the_board_pack_equals_the_single_period_reports(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two periods, each counted on its own, programme and areas side by side: every
    figure is what `report performance` gives for the same scope and dates."""
    periods = "2025-08-31,2026-03-31"
    assert run(imported, "report", "board", "--periods", periods, "--format", "json") == 0
    board = json.loads(capsys.readouterr().out)
    assert set(board) == {"periods", "by_area"}
    assert set(board["by_area"]) == {area.value for area in LocalAuthority}
    spans = (("2025-08-31", None), ("2026-03-31", "2025-09-01"))

    def single(as_of: str, start: str | None, *area: str) -> dict[str, object]:
        since = ("--from", start) if start else ()
        args = ("report", "performance", "--as-of", as_of, *since, *area, "--format", "json")
        assert run(imported, *args) == 0
        figures: dict[str, object] = json.loads(capsys.readouterr().out)
        return figures

    for index, (as_of, start) in enumerate(spans):
        column = board["periods"][index]
        assert set(column) == {"as_of", "targets", "actual"}
        assert column["as_of"] == as_of
        assert column["targets"] == {}  # the shipped targets are for 2019 and 2020
        assert column["actual"] == single(as_of, start)
        for area in ("liverpool", "wirral", "halton"):
            assert board["by_area"][area][index]["actual"] == single(as_of, start, "--area", area)
    assert board["periods"][0]["actual"]["households_started"] == 2  # LIV-00002, -00001
    args = ("report", "board", "--periods", periods, "--area", "wirral", "--format", "csv")
    assert run(imported, *args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert {row["scope"] for row in rows} == {"wirral"}  # the area's pack, not "all"
    assert board["periods"][1]["actual"]["households_started"] == 2  # LIV-00003, WIR-00001


@pytest.mark.usefixtures("own_targets")
def test_the_board_pack_shows_each_scopes_own_targets(
    imported: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(imported, "report", "board", "--as-of", "2026-11-30", "--format", "json") == 0
    board = json.loads(capsys.readouterr().out)
    assert [column["as_of"] for column in board["periods"]] == ["2026-03-31"]
    assert board["periods"][0]["targets"] == {"households_started": 5, "into_work_percent": 20.0}
    assert board["by_area"]["wirral"][0]["targets"] == {"households_started": 2}
    assert board["by_area"]["liverpool"][0]["targets"] == {}  # never the programme's
    assert run(imported, "report", "board", "--as-of", "2026-11-30") == 0
    table = capsys.readouterr().out
    assert "Board pack: Whole programme, as of 2026-03-31" in table
    assert "Wirral target" in table and "Liverpool target" not in table


def test_the_board_pack_as_a_workbook_and_a_pdf(imported: Database, tmp_path: Path) -> None:
    args = ("report", "board", "--periods", "2025-08-31,2026-03-31")
    assert run(imported, *args, "--format", "xlsx", "--out", str(tmp_path / "board.xlsx")) == 0
    book = load_workbook(tmp_path / "board.xlsx")
    assert book.sheetnames[:2] == ["Targets and actuals", "Improvements secured"]
    assert book.sheetnames[-1] == "About"
    assert len(set(book.sheetnames)) == len(book.sheetnames)
    for part in ("Exits", "Referrals", "Welfare", "Spending", "Trends"):
        assert any(name.startswith(part) for name in book.sheetnames)
    assert not any(name.startswith("Referrals - Referrals") for name in book.sheetnames)
    first = book["Targets and actuals"]
    assert [cell.value for cell in first[1]] == [
        "Measure",
        "2025 target",
        "2025 actual",
        "2026 target",
        "2026 actual",
    ]
    assert [cell.value for cell in first[2]] == ["Households started", None, 2, None, 2]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Scope"] == "Whole programme"
    assert about["Covers"] == "as of 2026-03-31"
    pdf = tmp_path / "board.pdf"
    assert run(imported, *args, "--format", "pdf", "--out", str(pdf)) == 0
    written = pdf.read_bytes()
    assert written.startswith(b"%PDF-") and written.rstrip().endswith(b"%%EOF")
    assert written.count(b"/Type /Page\n") >= 2
    assert pdf.stat().st_mode & 0o777 == 0o600


def test_a_report_pdf_prints_names_as_typed(tmp_path: Path) -> None:
    """The app's own font holds every letter of a name: Helvetica printed "?" for "Ł"."""
    table = Table("Caseload", ("Advocate", "Active"), [("Zoë Nowak-Łukasiewicz", 3)])
    report = Report("caseload", "Caseload", Period(date(2026, 3, 31)), [table], table, {})
    path = tmp_path / "caseload.pdf"
    with path.open("wb") as out:
        write_pdf(report, out, made_by="zoe.nowak", today=date(2026, 4, 1))
    assert "Zoë Nowak-Łukasiewicz 3" in pdf_text(path)


def test_a_board_pack_needs_a_period(
    imported: Database,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(imported, "report", "board", "--as-of", "2019-01-01") == 2
    assert "No target period ends by 2019-01-01" in capsys.readouterr().err
    assert run(imported, "report", "board", "--as-of", "2999-01-01") == 2
    assert "--as-of is after today" in capsys.readouterr().err
    assert run(imported, "report", "performance", "--out", str(tmp_path / "p.pdf")) == 0
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF-")  # the name says PDF
    assert run(imported, "report", "performance", "--periods", "2019-03-31") == 2
    assert "--periods is for the board pack" in capsys.readouterr().err
    (tmp_path / "targets.toml").write_text("[[period]]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("HIW_TARGETS_FILE", str(tmp_path / "targets.toml"))
    assert run(imported, "report", "board") == 2
    said = capsys.readouterr().err
    assert "The targets file" in said and "period.0.to: Field required" in said
