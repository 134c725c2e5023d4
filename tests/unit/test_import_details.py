"""Format 3's columns: who took part in a contact, by person_ref (contacts.csv's
`participant_refs`), and the programmes before HiW by code (households.csv's
`previous_programme_codes`); a folder of format 2, without them, still imports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hiw_tui.db.access.users import add_user
from hiw_tui.db.casework.contacts import household_contacts
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import open_household
from hiw_tui.domain.codes import UserRole
from hiw_tui.transfer.export import export_directory
from tests.helpers.casework import casework
from tests.helpers.database import sqlite_copy
from tests.helpers.dataset import run_import
from tests.helpers.factories import register
from tests.helpers.staff import Staff

NEW_COLUMNS = {
    "contacts.csv": "participant_refs",
    "households.csv": "previous_programme_codes",
}
"""The columns format 3 added, by file."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.DictWriter(file, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _export(database: Database, staff: Staff, folder: Path) -> None:
    casework(database, staff)
    database.write(export_directory, actor=staff.manager, folder=folder)


def test_participants_go_out_by_ref_and_come_back_to_the_same_members(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    _export(database, staff, folder)
    contacts = _rows(folder / "contacts.csv")
    people = {row["person_ref"]: row for row in _rows(folder / "people.csv")}
    named = [
        sorted(people[ref]["given_name"] for ref in row["participant_refs"].split(";"))
        for row in contacts
    ]
    assert sorted(named) == [["Al", "Jo"], ["Al", "Jo"], ["Wyn"]]
    assert json.loads((folder / "manifest.json").read_text())["version"] == 3
    for row in contacts:  # a changed member list is an update (Wyn's alone is not)
        row["participant_refs"] = row["participant_refs"].split(";")[0]
    _write(folder / "contacts.csv", contacts, list(contacts[0]))
    (folder / "manifest.json").unlink()
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.counts["contacts.csv"] == [0, 2, 1]
    household = database.read(household_contacts, actor=staff.ada, household_id=1)
    assert [len(contact.participant_ids) for contact in household] == [1, 1]


def test_a_participant_of_another_household_or_none_is_a_problem(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    _export(database, staff, folder)
    contacts = _rows(folder / "contacts.csv")
    wyn = contacts[-1]["participant_refs"]
    contacts[0]["participant_refs"] = wyn
    contacts[1]["participant_refs"] = "NOBODY-1"
    _write(folder / "contacts.csv", contacts, list(contacts[0]))
    (folder / "manifest.json").unlink()
    result = run_import(database, staff.manager, folder)
    assert not result.written
    assert [(p.file, p.row, p.column, p.reason) for p in result.problems] == [
        ("contacts.csv", 2, "participant_refs", f"{wyn} is a member of another household"),
        (
            "contacts.csv",
            3,
            "participant_refs",
            "no person 'NOBODY-1' in people.csv or in your scope",
        ),
    ]


def test_a_format_2_folder_without_the_new_columns_imports(
    database: Database, staff: Staff, tmp_path: Path, sqlite_template: Path
) -> None:
    folder = tmp_path / "export"
    _export(database, staff, folder)
    for name, column in NEW_COLUMNS.items():
        rows = _rows(folder / name)
        _write(folder / name, rows, [c for c in rows[0] if c != column])
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(manifest | {"version": 2}))
    (tmp_path / "empty").mkdir()
    empty = sqlite_copy(sqlite_template, tmp_path / "empty")
    manager = empty.write(
        add_user,
        username="pat.manager",
        display_name="Pat Manager",
        role=UserRole.PROGRAMME_MANAGER,
        local_authority=None,
    )
    result = run_import(empty, manager, folder)
    assert result.problems == [] and result.written
    contacts = empty.read(household_contacts, actor=manager, household_id=1)
    assert [contact.participant_ids for contact in contacts] == [(), ()]
    assert "previous_programme_codes" not in _rows(folder / "households.csv")[0]
    empty.dispose()


def test_programmes_before_hiw_go_out_as_codes_and_are_read_in_any_case(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    record = register(
        database,
        staff.ada,
        staff.ada,
        previous_programme_codes=["work_programme", "troubled_families"],
        previous_programmes="Sure Start",
    )
    folder = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=folder)
    households = _rows(folder / "households.csv")
    (row,) = households
    assert row["previous_programme_codes"] == "troubled_families;work_programme"
    assert row["previous_programmes"] == "Sure Start"
    row["previous_programme_codes"] = "Talent_Match; JCP_SUPPORT"
    _write(folder / "households.csv", households, list(row))
    (folder / "manifest.json").unlink()
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.counts["households.csv"] == [0, 1, 0]
    stored = database.write(open_household, actor=staff.manager, household_id=record.id)
    assert stored.previous_programme_codes == ("jcp_support", "talent_match")
    row["previous_programme_codes"] = "none;bogus"
    _write(folder / "households.csv", households, list(row))
    result = run_import(database, staff.manager, folder)
    assert [(p.file, p.column) for p in result.problems] == [
        ("households.csv", "previous_programme_codes")
    ]
