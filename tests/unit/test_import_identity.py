"""Every row has a reference the import knows: an export imported into the same database
changes nothing; a file naming households or people made in the app adds to them; rows
whose natural key repeats are kept as distinct rows, never refused."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.demo.generate import build_demo
from hiw_tui.transfer.export import export_directory
from tests.helpers.clock import TODAY
from tests.helpers.database import row_counts
from tests.helpers.dataset import DATASET, load_dataset, run_import
from tests.helpers.factories import person_input, register, spend
from tests.helpers.staff import Staff, add_staff

TABLES = ("household", "person", "star_reading", "plan_step", "outcome", "ledger_entry")


def counts(database: Database) -> dict[str, int]:
    return row_counts(database, TABLES)


def _address_and_flag(database: Database, household_id: int) -> tuple[str, bool]:
    """The household's member's address and its safe-contact flag, as held."""
    with database.engine.connect() as connection:
        address, flag = connection.execute(
            text(
                "SELECT p.address, h.safe_contact FROM person p JOIN household h "
                "ON h.id = p.household_id WHERE h.id = :id"
            ),
            {"id": household_id},
        ).one()
    return address, bool(flag)


def test_the_demo_exported_and_imported_into_itself_is_unchanged(
    database: Database, tmp_path: Path
) -> None:
    build_demo(database, households=40, seed=3, today=TODAY)
    manager = database.read(get_user, username="manager")
    exported = tmp_path / "export"
    database.write(export_directory, actor=manager, folder=exported)
    before = counts(database)
    result = run_import(database, manager, exported)
    assert result.problems == [] and result.written
    assert counts(database) == before
    for name, (created, updated, same) in result.counts.items():
        assert (created, updated) == (0, 0), name
        assert same > 0, name


def test_a_ledger_file_alone_adds_to_a_household_made_in_the_app(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    record = register(database, staff.ada, staff.ada, person_input())
    spend(database, staff.ada, record.id, "20.00")
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description\n"
        f"{record.reference},2026-01-05,30.00,food,Food parcel\n"
    )
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.written
    assert result.counts["ledger.csv"] == [1, 0, 0]
    assert counts(database)["ledger_entry"] == 2


def test_rows_whose_natural_key_repeats_are_kept_and_found_again(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """Two "Attend Jobcentre appointment" steps in one area, two identical outcomes and two
    identical readings of one person: each kept, and the same file again changes nothing."""
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    with (folder / "steps.csv").open("a") as steps:
        steps.write("P1,skills,Attend Jobcentre appointment,planned,2026-05-01,\n" * 2)
    with (folder / "outcomes.csv").open("a") as outcomes:
        outcomes.write("P1,volunteering,2026-02-01,,4,Food bank\n" * 2)
    load_dataset(database, staff.manager, folder)
    before = counts(database)
    with database.engine.connect() as connection:
        repeated = connection.execute(
            text(
                "SELECT count(*) FROM plan_step WHERE description = 'Attend Jobcentre appointment'"
            )
        ).scalar_one()
    assert repeated == 2
    again = run_import(database, staff.manager, folder)
    assert again.problems == [] and again.written
    assert counts(database) == before
    assert again.counts["steps.csv"][:2] == [0, 0]
    assert again.counts["outcomes.csv"][:2] == [0, 0]
    # A third identical row is a third step.
    with (folder / "steps.csv").open("a") as steps:
        steps.write("P1,skills,Attend Jobcentre appointment,planned,2026-05-01,\n")
    third = run_import(database, staff.manager, folder)
    assert third.counts["steps.csv"][0] == 1


def test_a_crm_id_updates_its_row_even_when_the_row_changes(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    (folder / "outcomes.csv").write_text(
        "person_ref,kind,start_date,end_date,hours,description,outcome_ref\n"
        "P1,job,2026-01-05,,20,Care assistant,CRM-O-1\n"
    )
    load_dataset(database, staff.manager, folder)
    (folder / "outcomes.csv").write_text(
        "person_ref,kind,start_date,end_date,hours,description,outcome_ref\n"
        "P1,job,2026-01-12,,22,Senior care assistant,CRM-O-1\n"
    )
    result = run_import(database, staff.manager, folder)
    assert result.counts["outcomes.csv"] == [0, 1, 0]
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT ref, description, hours FROM outcome WHERE person_id IN "
                "(SELECT id FROM person WHERE reference = 'P1')"
            )
        ).all()
    assert [tuple(row) for row in rows] == [("CRM-O-1", "Senior care assistant", 22.0)]


def test_a_safe_contact_address_leaves_only_with_its_advocate_and_is_kept_on_import(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """The manager's export of a safe-contact household withholds its members' contact
    details and says so; importing it back keeps what is held, and the flag stays."""
    record = register(
        database,
        staff.ada,
        staff.ada,
        person_input(address="1 Hidden Lane", postcode="L1 8JQ", phone="07700 900123"),
        safe_contact=True,
    )
    by_manager, by_advocate = tmp_path / "manager", tmp_path / "advocate"
    database.write(export_directory, actor=staff.manager, folder=by_manager)
    database.write(export_directory, actor=staff.ada, folder=by_advocate)
    assert "Hidden Lane" not in (by_manager / "people.csv").read_text(encoding="utf-8-sig")
    assert "Hidden Lane" in (by_advocate / "people.csv").read_text(encoding="utf-8-sig")
    result = run_import(database, staff.manager, by_manager)
    assert result.problems == [] and result.written
    assert all(updated == 0 for _, updated, _ in result.counts.values())
    assert _address_and_flag(database, record.id) == ("1 Hidden Lane", True)


def test_users_csv_only_adds_users_and_only_what_the_importer_may_add(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "users"
    folder.mkdir()
    (folder / "users.csv").write_text(
        "username,display_name,role,local_authority,active\n"
        "ada.adv,Someone Else,programme_manager,,yes\n"
        "new.adv,New Advocate,advocate,liverpool,yes\n"
        "new.boss,New Boss,programme_manager,,yes\n"
    )
    refused = run_import(database, staff.liverpool_supervisor, folder)
    assert [(p.row, p.column) for p in refused.problems] == [(4, "role")]
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.counts["users.csv"] == [2, 0, 1]
    with database.engine.connect() as connection:
        users = dict(connection.execute(text("SELECT username, role FROM app_user")).all())
        hashes = connection.execute(
            text(
                "SELECT count(*) FROM app_user WHERE password_hash IS NOT NULL "
                "AND username IN ('new.adv', 'new.boss')"
            )
        ).scalar_one()
    assert users["ada.adv"] == "advocate"  # a held account is never changed by a file
    assert users["new.boss"] == "programme_manager" and hashes == 0


def test_a_row_naming_an_unknown_user_is_a_problem_on_its_cell(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    lines = (folder / "outcomes.csv").read_text().splitlines()
    lines[0] += ",entered_by"
    lines[1:] = [line + ",nobody.here" for line in lines[1:]]
    (folder / "outcomes.csv").write_text("\n".join(lines) + "\n")
    result = run_import(database, staff.manager, folder)
    assert not result.written
    assert {(p.file, p.column) for p in result.problems} == {("outcomes.csv", "entered_by")}
    assert "no user 'nobody.here'" in result.problems[0].reason


def test_an_export_is_versioned_and_a_newer_format_is_refused_in_one_problem(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    load_dataset(database, staff.manager)
    folder = tmp_path / "export"
    counts = database.write(export_directory, actor=staff.manager, folder=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest == {"format": "hiw-tui", "version": 3, "files": counts}
    assert (folder / "manifest.json").stat().st_mode & 0o777 == 0o600
    manifest["version"] = 4
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = run_import(database, staff.manager, folder)
    assert [str(problem) for problem in result.problems] == [
        "manifest.json: written by a newer hiw-tui (format 4); this one reads up to 3: "
        "upgrade hiw-tui to import it"
    ]
    assert not result.written


def test_an_import_neither_confirms_nor_changes_contact_details_withheld_from_it(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """A supervisor's file naming a safe-contact member's address, right or wrong, changes
    nothing and says "unchanged" either way; nor can it clear the household's flag."""
    record = register(
        database,
        staff.ada,
        staff.ada,
        person_input(address="1 Hidden Lane", postcode="L1 8JQ"),
        safe_contact=True,
    )
    folder = tmp_path / "export"
    database.write(export_directory, actor=staff.liverpool_supervisor, folder=folder)
    people = list(csv.DictReader((folder / "people.csv").open(encoding="utf-8-sig")))
    households = (folder / "households.csv").read_text(encoding="utf-8-sig")
    (folder / "households.csv").write_text(households.replace(",yes,", ",no,"))
    for address, postcode in (("1 Hidden Lane", "L1 8JQ"), ("2 Wrong Road", "L2 2AA")):
        guessed = {"address": address, "postcode": postcode, "contact_withheld": "no"}
        with (folder / "people.csv").open("w", newline="") as file:
            out = csv.DictWriter(file, fieldnames=list(people[0]))
            out.writeheader()
            out.writerows(row | guessed for row in people)
        result = run_import(database, staff.liverpool_supervisor, folder)
        assert result.problems == [] and result.written
        assert result.counts["people.csv"][1] == 0, address
    assert _address_and_flag(database, record.id) == ("1 Hidden Lane", True)


def test_with_partial_a_file_that_cannot_be_read_leaves_out_what_names_it(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    households = (folder / "households.csv").read_text()
    (folder / "households.csv").write_text(households.replace(",", ";"))
    result = run_import(database, staff.manager, folder, partial=True)
    assert [problem.file for problem in result.problems] == ["households.csv"]
    assert result.written and counts(database)["ledger_entry"] == 0


def test_users_csv_names_every_advocate_and_for_a_manager_every_user(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    register(database, staff.manager, staff.ben, person_input())
    by_manager, by_supervisor = tmp_path / "manager", tmp_path / "supervisor"
    database.write(export_directory, actor=staff.manager, folder=by_manager)
    database.write(export_directory, actor=staff.liverpool_supervisor, folder=by_supervisor)

    def names(folder: Path) -> list[str]:
        rows = csv.DictReader((folder / "users.csv").open(encoding="utf-8-sig"))
        return [row["username"] for row in rows]

    assert names(by_manager) == sorted(user.username for user in vars(staff).values())
    # The household's advocate, whom nothing but the household names.
    assert names(by_supervisor) == ["ben.adv"]


def test_a_folder_the_import_cannot_take_is_refused_in_one_line_each(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert [str(p) for p in run_import(database, staff.manager, empty).problems] == [
        "empty: no file the import reads (users.csv, households.csv, people.csv, ...)"
    ]
    misnamed = tmp_path / "misnamed"
    shutil.copytree(DATASET, misnamed)
    (misnamed / "households.csv").rename(misnamed / "Households.csv")
    assert [str(p) for p in run_import(database, staff.manager, misnamed).problems] == [
        "Households.csv: not a file the import reads; did you mean households.csv?"
    ]
    load_dataset(database, staff.manager)
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    (exported / "caps.csv").unlink()
    ledger = (exported / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()
    (exported / "ledger.csv").write_text("\n".join(ledger[:-1]) + "\n")
    problems = [str(p) for p in run_import(database, staff.manager, exported).problems]
    assert [p.split(":")[0] for p in problems] == ["caps.csv", "ledger.csv"]
    assert problems[1].startswith(f"ledger.csv: {len(ledger) - 2} rows, but the manifest lists")
    assert problems[1].endswith("(to import the files as they are, remove manifest.json)")
    audited = row_counts(database, ("audit_event",))["audit_event"]
    partly = run_import(database, staff.manager, exported, partial=True)
    assert [str(p) for p in partly.problems] == problems and not partly.written
    assert row_counts(database, ("audit_event",))["audit_event"] == audited  # no import row


def test_the_import_reports_the_files_it_was_given_and_export_needs_a_folder(
    database: Database, staff: Staff, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hiw_tui.cli import main

    folder = tmp_path / "people"
    folder.mkdir()
    shutil.copy(DATASET / "households.csv", folder)
    assert main(["import", str(folder), "--user", "pat.manager", "--database", database.url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out if ".csv" in line] == ["households.csv"]
    afile = tmp_path / "afile"
    afile.touch()
    assert main(["export", str(afile), "--user", "pat.manager", "--database", database.url]) == 2
    assert "is a file: export writes its files into a folder" in capsys.readouterr().err


def test_an_erased_person_goes_out_and_comes_back(
    database: Database, tmp_path: Path, sqlite_template: Path
) -> None:
    """What an erasure empties that the forms require (a family name, a step's words, a
    spend's payee) is written "(erased)", so the files import and export the same again,
    and import into the database they came from unchanged."""
    from hiw_tui.db.privacy.erasure import erase_person
    from tests.helpers.database import sqlite_copy

    build_demo(database, households=12, seed=4, today=TODAY)
    manager = database.read(get_user, username="manager")
    for person_id in (1, 5):
        database.write(
            erase_person, actor=manager, person_id=person_id, reason="request", today=TODAY
        )
    first = tmp_path / "first"
    database.write(export_directory, actor=manager, folder=first)
    again = run_import(database, manager, first)
    assert again.problems == []
    assert all(updated == 0 for _, updated, _ in again.counts.values()), again.counts
    (tmp_path / "empty").mkdir()
    empty = sqlite_copy(sqlite_template, tmp_path / "empty")
    importer = add_staff(empty).manager
    result = run_import(empty, importer, first)
    assert result.problems == [] and result.written
    second = tmp_path / "second"
    empty.write(export_directory, actor=importer, folder=second)
    for path in sorted(first.iterdir()):
        if path.name != "users.csv" and path.name != "manifest.json":
            assert (second / path.name).read_bytes() == path.read_bytes(), path.name
    empty.dispose()


@pytest.mark.parametrize(
    "name", ["outcomes.csv", "readings.csv", "consents.csv", "steps.csv", "goals.csv"]
)
def test_a_file_naming_people_alone_finds_them_in_the_database(
    database: Database, tmp_path: Path, name: str
) -> None:
    """A file naming people (not their households) imported without people.csv: every
    row found again, none silently left out."""
    build_demo(database, households=20, seed=3, today=TODAY)
    manager = database.read(get_user, username="manager")
    exported = tmp_path / "export"
    database.write(export_directory, actor=manager, folder=exported)
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(exported / name, alone / name)
    with (alone / name).open(encoding="utf-8-sig") as file:
        rows = len(list(csv.DictReader(file)))
    result = run_import(database, manager, alone)
    assert result.problems == [] and result.written
    assert result.counts[name] == [0, 0, rows] and rows > 0


def test_an_outcome_file_alone_adds_to_a_person_held(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    load_dataset(database, staff.manager)
    folder = tmp_path / "outcomes"
    folder.mkdir()
    (folder / "outcomes.csv").write_text(
        "person_ref,kind,start_date,end_date,hours,description\n"
        "P1,course,2026-02-01,2026-02-10,10,Forklift\n"
    )
    before = counts(database)["outcome"]
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.written
    assert result.counts["outcomes.csv"] == [1, 0, 0]
    assert counts(database)["outcome"] == before + 1
