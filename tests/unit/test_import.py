"""`hiw-tui import`: malformed files report every problem with file, row, column and
reason, and write nothing; re-importing updates instead of duplicating; export then
import into an empty database gives identical reports."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from hiw_tui.db.ledger.posting import reverse_spend
from hiw_tui.domain.budget import ReversalInput
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.load import import_directory
from tests.helpers.database import row_counts
from tests.helpers.dataset import (
    AS_OF,
    copy_dataset,
    load_dataset,
    replace_line,
    report,
    run_import,
)
from tests.helpers.factories import POLICY, person_input, register, spend
from tests.helpers.staff import Staff, add_staff

COUNTED = ("household", "person", "star_reading", "plan_step", "outcome", "ledger_entry")


def counts(database: Database) -> dict[str, int]:
    return row_counts(database, COUNTED)


def test_every_problem_is_reported_and_nothing_is_written(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = copy_dataset(tmp_path)
    replace_line(
        folder,
        "households.csv",
        "WIR-00002,wirral,adv.three,short_term",
        "WIR-00002,wirral,adv.three,paused",
    )
    replace_line(
        folder,
        "people.csv",
        "P4,LIV-00002,secondary,Dev,Kowalski,1970-03-01",
        "P4,LIV-00002,secondary,Dev,Kowalski,1970-02-30",
    )
    replace_line(
        folder, "readings.csv", "P1,2025-09-10,3,3,2,3,2,3,2,3", "P1,2025-09-10,3,3,2,3,2,3,2,6"
    )
    replace_line(folder, "outcomes.csv", "P7,volunteering", "P77,volunteering")
    replace_line(folder, "people.csv", "P11,LIV-00005,primary,Kim", "P10,LIV-00005,primary,Kim")
    replace_line(folder, "ledger.csv", "WIR-00001,2025-11-03", "WIR-00009,2025-11-03")
    (folder / "steps.csv").write_text("person,area\nP1,skills\n", encoding="utf-8")
    result = run_import(database, staff.manager, folder)
    assert not result.written
    assert [str(problem) for problem in result.problems] == [
        "households.csv row 6, column status: 'paused' is not a code here; expected "
        "'referred', 'active', 'short_term', 'exited' or 'withdrawn'",
        "ledger.csv row 6, column household_ref: no household 'WIR-00009' in households.csv "
        "or in your scope",
        "outcomes.csv row 6, column person_ref: person P4: its row in people.csv has a problem",
        "outcomes.csv row 8, column person_ref: no person 'P77' in people.csv or in your scope",
        "outcomes.csv row 10, column person_ref: person P9: its row in people.csv has a problem",
        "outcomes.csv row 11, column person_ref: no person 'P11' in people.csv or in your scope",
        "people.csv row 5, column date_of_birth: '1970-02-30' is not a real date",
        "people.csv row 10, column household_ref: household WIR-00002: its row in "
        "households.csv has a problem",
        "people.csv row 12, column person_ref: P10 is already on row 11",
        "readings.csv row 3, column aspiration_motivation: '6' is not a score from 1 to 5",
        "readings.csv row 9, column person_ref: person P4: its row in people.csv has a problem",
        "readings.csv row 16, column person_ref: person P9: its row in people.csv has a problem",
        "readings.csv row 17, column person_ref: person P9: its row in people.csv has a problem",
        "steps.csv row 1: wrong header: missing person_ref, star_area, description, status, "
        "due_date, done_date; unknown 'person', 'area'",
    ]
    assert counts(database) == dict.fromkeys(COUNTED, 0)
    assert database.read(_stored_user, username="adv.one") is None


def _stored_user(session: object, *, username: str) -> object:
    from sqlmodel import Session, select

    from hiw_tui.db.core.models import User

    assert isinstance(session, Session)
    return session.exec(select(User).where(User.username == username)).first()


def test_a_row_with_many_problems_reports_each_cell(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        "household_ref,local_authority,advocate,status,referral_source,start_date,end_date\n"
        "X,mersey,,active,jcp,2025-13-01,\n"
        "LIV-00010,liverpool,adv.one,exited,jcp,2025-06-01,\n"
        "LIV-00011,liverpool,sam.super,active,jcp,2025-06-01,\n"
        "LIV-00012,liverpool,cal.adv,active,jcp,2025-06-01\n",
        encoding="utf-8",
    )
    result = run_import(database, staff.manager, folder)
    assert [str(problem) for problem in result.problems] == [
        "households.csv row 2, column advocate: required",
        "households.csv row 3, column end_date: An exited or withdrawn household needs an "
        "end date.",
        "households.csv row 4, column advocate: sam.super is a supervisor, not an advocate",
        "households.csv row 5: 6 cells, but the header has 7",
    ]
    (folder / "households.csv").write_text(
        "household_ref,local_authority,advocate,status,referral_source,start_date,end_date\n"
        "X,mersey,adv.one,active,jcp,2025-13-01,\n"
        "LIV-00012,liverpool,cal.adv,active,jcp,2025-06-01,\n",
        encoding="utf-8",
    )
    result = run_import(database, staff.manager, folder)
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "household_ref"),
        (2, "local_authority"),
        (2, "start_date"),
        (3, "advocate"),
    ]
    assert "cal.adv is an advocate in Wirral, not Liverpool" in str(result.problems[-1])


def test_reimporting_the_same_files_adds_nothing_and_a_change_updates(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = copy_dataset(tmp_path)
    load_dataset(database, staff.manager, folder)
    before = counts(database)
    again = run_import(database, staff.manager, folder)
    assert again.written and again.problems == []
    assert counts(database) == before
    assert all(created == updated == 0 for created, updated, _ in again.counts.values())
    replace_line(
        folder, "outcomes.csv", "P4,job,2026-03-01,2026-03-29,16", "P4,job,2026-03-01,2026-03-29,12"
    )
    changed = run_import(database, staff.manager, folder)
    assert changed.counts["outcomes.csv"] == [0, 1, 9]
    assert counts(database) == before
    figures = report(database, staff.manager, "performance", Period(AS_OF))
    assert figures["job_outcomes"] == 1  # type: ignore[index]
    with database.engine.connect() as connection:
        audited = connection.execute(
            text("SELECT changes FROM audit_event WHERE action = 'import' AND entity = 'outcome'")
        ).scalar_one()
    assert "hours" in str(audited)


def test_the_budget_and_reversals_are_checked(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = copy_dataset(tmp_path)
    with (folder / "ledger.csv").open("a", encoding="utf-8") as file:
        file.write("LIV-00002,2025-06-01,990.00,furniture,Beds\n")
        file.write("LIV-00002,2025-06-02,-20.00,food,Never spent\n")
    result = run_import(database, staff.manager, folder)
    assert [str(problem) for problem in result.problems] == [
        "ledger.csv row 7, column amount: £990.00 is more than the £987.66 left of "
        "LIV-00002's £1,000.00 budget",
        "ledger.csv row 8, column amount: no earlier £20.00 food spend of LIV-00002 to reverse",
    ]
    partial = run_import(database, staff.manager, folder, partial=True)
    assert partial.written and len(partial.problems) == 2
    assert counts(database)["ledger_entry"] == 5


def test_a_supervisor_imports_only_into_their_area(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    result = run_import(database, staff.liverpool_supervisor, copy_dataset(tmp_path))
    assert {(p.file, p.row, p.column) for p in result.problems} >= {
        ("households.csv", 5, "local_authority"),
        ("households.csv", 6, "local_authority"),
    }
    assert not result.written


def test_export_then_import_into_an_empty_database_gives_identical_reports(
    database: Database, staff: Staff, tmp_path: Path, sqlite_template: Path
) -> None:
    load_dataset(database, staff.manager)
    # What the app adds beyond a CRM file: people with no CRM ref, a spend waiting for
    # approval, and a reversal made on the ledger.
    ada = staff.ada
    record = register(
        database,
        ada,
        ada,
        person_input(),
        person_input(role="secondary", given_name="Al"),
        start_date=date(2025, 12, 1),
    )
    spend(database, ada, record.id, "400.00", spent_on=date(2026, 1, 5))
    view = spend(database, ada, record.id, "25.00", spent_on=date(2026, 1, 6))
    database.write(
        reverse_spend,
        actor=ada,
        household_id=record.id,
        entry_id=next(line.id for line in view.lines if line.amount == 2500),
        data=ReversalInput(reason="Wrong household"),
        today=date(2026, 2, 1),
        policy=POLICY,
    )
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)

    from tests.helpers.database import sqlite_copy

    (tmp_path / "empty").mkdir()
    empty = sqlite_copy(sqlite_template, tmp_path / "empty")
    empty_staff = add_staff(empty)
    result = run_import(empty, empty_staff.manager, exported)
    assert result.problems == [] and result.written
    for period in (
        Period(AS_OF),
        Period(date(2026, 3, 28)),
        Period(AS_OF, date(2025, 9, 1)),
        Period(AS_OF, local_authority="liverpool"),
        Period(AS_OF, advocate="adv.one"),
    ):
        for kind in ("performance", "cohort", "distance", "spend"):
            assert report(empty, empty_staff.manager, kind, period) == report(
                database, staff.manager, kind, period
            ), (kind, period)
    again = tmp_path / "again"
    empty.write(export_directory, actor=empty_staff.manager, folder=again)
    for name in (
        "households.csv",
        "people.csv",
        "readings.csv",
        "steps.csv",
        "outcomes.csv",
        "ledger.csv",
    ):
        assert (again / name).read_text() == (exported / name).read_text(), name
    empty.dispose()


def test_exported_text_is_a_value_not_a_formula() -> None:
    from hiw_tui.domain.cells import neutralised, safe_row

    assert neutralised('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralised("@SUM(A1)") == "'@SUM(A1)"
    assert neutralised("-45.00") == "-45.00"
    assert safe_row([-45]) == [-45]


def test_a_reimport_changes_only_what_the_files_carry(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = copy_dataset(tmp_path)
    first = import_directory(
        database,
        actor=staff.manager,
        folder=folder,
        today=date(2026, 10, 1),
        framework=load_framework(),
        policy=POLICY,
    )
    assert first.written
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE person SET postcode = 'L4 0TH', postcode_key = 'l40th', "
                "benefits = '[\"universal_credit\"]' WHERE reference = 'P1'"
            )
        )
        connection.execute(
            text("UPDATE outcome SET organisation = 'Anfield Care Home' WHERE hours = 20")
        )
    replace_line(
        folder,
        "people.csv",
        "P1,LIV-00001,primary,Ann,Ashworth",
        "P1,LIV-00001,primary,Ann,Ashworth-Lee",
    )
    later = run_import(database, staff.manager, folder)  # weeks on: steps did not change

    assert later.problems == []
    assert later.counts["people.csv"] == [0, 1, 10]
    assert later.counts["steps.csv"] == [0, 0, 7]
    assert later.counts["outcomes.csv"] == [0, 0, 10]
    with database.engine.connect() as connection:
        person = connection.execute(
            text(
                "SELECT family_name, postcode, postcode_key, benefits, family_key "
                "FROM person WHERE reference = 'P1'"
            )
        ).one()
        organisation = connection.execute(
            text("SELECT organisation FROM outcome WHERE hours = 20")
        ).scalar_one()
        listed = connection.execute(
            text("SELECT primary_name FROM household WHERE reference = 'LIV-00001'")
        ).scalar_one()
    assert person[:3] == ("Ashworth-Lee", "L4 0TH", "l40th")
    assert "universal_credit" in str(person[3])
    assert organisation == "Anfield Care Home"
    assert listed == "Ashworth-Lee, Ann"


def test_the_demo_exported_then_imported_gives_identical_reports(
    database: Database, tmp_path: Path, sqlite_template: Path
) -> None:
    """Everything the demo makes (plans with several steps, outcomes, spending) goes out
    and comes back in: a person's two steps in one area once shared a description, which
    the import takes for the same step."""
    from hiw_tui.db.access.users import get_user
    from hiw_tui.demo.generate import build_demo
    from tests.helpers.clock import TODAY
    from tests.helpers.database import sqlite_copy

    build_demo(database, households=60, seed=5, today=TODAY)
    manager = database.read(get_user, username="manager")
    exported = tmp_path / "export"
    database.write(export_directory, actor=manager, folder=exported)
    (tmp_path / "empty").mkdir()
    empty = sqlite_copy(sqlite_template, tmp_path / "empty")
    importer = add_staff(empty).manager
    result = import_directory(
        empty,
        actor=importer,
        folder=exported,
        today=TODAY,
        framework=load_framework(),
        policy=POLICY,
    )
    assert result.problems == [] and result.written
    for period in (Period(TODAY), Period(TODAY - timedelta(days=120))):
        for kind in ("performance", "cohort", "distance", "spend"):
            assert report(empty, importer, kind, period) == report(
                database, manager, kind, period
            ), (kind, period)
    empty.dispose()
