"""The import warns of new people who may be held already, in the importer's scope, and
imports them all the same; `hiw-tui import` lists the warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import AuditEvent, Person
from tests.helpers.dataset import run_import
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff

PEOPLE_HEADER = (
    "person_ref,household_ref,role,given_name,family_name,date_of_birth,gender,ethnicity,"
    "time_since_work,support_needs,phone,email\n"
)


def _held(database: Database, staff: Staff) -> tuple[str, str]:
    """Siobhan in Ada's caseload (Liverpool), Sean in Cal's (Wirral), and a safe-contact
    household of Ada's whose phone is 07700 900222; the first two's references."""
    liverpool = register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Siobhan", family_name="O'Donnell", date_of_birth=date(1990, 2, 3)),
    )
    wirral = register(
        database,
        staff.manager,
        staff.cal,
        person_input(given_name="Sean", family_name="McDonald", date_of_birth=date(1985, 1, 1)),
    )
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Kim", family_name="Shaw", phone="07700 900222"),
        safe_contact=True,
    )
    return liverpool.reference, wirral.reference


def _files(tmp_path: Path) -> Path:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        "household_ref,local_authority,advocate,status,referral_source,start_date,end_date\n"
        "LIV-09001,liverpool,ada.adv,referred,jcp,,\n",
        encoding="utf-8",
    )
    (folder / "people.csv").write_text(
        PEOPLE_HEADER
        + "N1,LIV-09001,primary,Siobhán,ODonnell,1990-02-03,female,white_british,36m+,,,\n"
        + "N2,LIV-09001,secondary,Seán,Mac Donald,1985-01-01,male,white_british,36m+,,,\n"
        + "N3,LIV-09001,member,Pat,Other,1970-06-01,male,white_british,36m+,,07700 900222,\n",
        encoding="utf-8",
    )
    return folder


def test_new_people_held_already_are_warnings_and_are_imported(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    siobhan, _ = _held(database, staff)
    result = run_import(database, staff.liverpool_supervisor, _files(tmp_path))
    assert result.written and result.problems == []
    assert [str(warning) for warning in result.warnings] == [
        f"people.csv row 2, column person_ref: possible duplicate of Siobhan O'Donnell of "
        f"household {siobhan} (born 1990-02-03, advocate Ada Adv): the same date of birth "
        "and a similar name",
        # Cal's household is in Wirral, outside the Liverpool supervisor's scope; and the
        # safe-contact household's phone (row 4) is never matched on.
        "people.csv row 3, column person_ref: A possible match is held in another caseload. "
        "Ask a programme manager (Pat Manager) before going on; nothing more about it is "
        "shown here.",
    ]

    def imported(session: Session) -> list[str]:
        refs = col(Person.reference).in_(["N1", "N2", "N3"])
        return sorted(ref or "" for ref in session.exec(select(Person.reference).where(refs)))

    assert database.read(imported) == ["N1", "N2", "N3"]

    def import_audit(session: Session) -> dict[str, object]:
        statement = select(AuditEvent).where(AuditEvent.action == "import")
        return session.exec(statement).one().changes

    assert database.read(import_audit)["possible duplicates"] == [None, [2, 3]]
    again = run_import(database, staff.liverpool_supervisor, tmp_path / "crm")
    assert again.warnings == []  # the same people, now held by their refs: not new


def test_a_programme_manager_is_told_who_in_every_area(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _, sean = _held(database, staff)
    result = run_import(database, staff.manager, _files(tmp_path))
    assert [warning.row for warning in result.warnings] == [2, 3]
    assert f"possible duplicate of Sean McDonald of household {sean}" in str(result.warnings[1])
    assert "advocate Cal Adv" in str(result.warnings[1])


def test_a_refused_import_still_lists_its_warnings(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _held(database, staff)
    folder = _files(tmp_path)
    with (folder / "people.csv").open("a", encoding="utf-8") as people:
        people.write("N4,LIV-09999,member,Bad,Row,1970-06-01,male,white_british,36m+,,,\n")
    result = run_import(database, staff.manager, folder)
    assert not result.written and len(result.problems) == 1
    assert [warning.row for warning in result.warnings] == [2, 3]


def test_the_import_command_lists_the_warnings(
    database: Database, staff: Staff, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _held(database, staff)
    folder = _files(tmp_path)
    argv = ["import", str(folder), "--database", database.url, "--user", "sam.super"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "warning: people.csv row 2, column person_ref: possible duplicate of Siobhan" in out
    assert "warning: people.csv row 3, column person_ref: A possible match is held" in out
    assert "2 new people may be held already (warnings above): imported all the same." in out
