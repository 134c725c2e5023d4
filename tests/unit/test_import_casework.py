"""The casework files (partners, consents, referrals, contacts, check-ins): an export
imported into an empty database and exported again gives the same bytes; imported into
the same database it changes nothing; a CRM's file without references keeps repeated
rows; an imported referral needs the consent (as of its day) a referral made here needs;
a supervisor exports only their area."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from hiw_tui.db.access.users import add_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.domain.codes import UserRole
from hiw_tui.transfer.casework import CASEWORK_FILES
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.identity import database_token
from tests.helpers.casework import casework
from tests.helpers.database import row_counts, sqlite_copy
from tests.helpers.dataset import run_import
from tests.helpers.factories import add_partner, person_input, register
from tests.helpers.staff import Staff

FILES = [spec.name for spec in CASEWORK_FILES]
TABLES = ("partner", "consent", "referral", "contact", "exit_checkin")


def counts(database: Database) -> dict[str, int]:
    return row_counts(database, TABLES)


def _empty(sqlite_template: Path, tmp_path: Path) -> tuple[Database, UserPublic]:
    """An empty database of its own, with only a programme manager to import into it (the
    users the files name come in users.csv)."""
    folder = tmp_path / "empty"
    folder.mkdir()
    empty = sqlite_copy(sqlite_template, folder)
    manager = empty.write(
        add_user,
        username="pat.manager",
        display_name="Pat Manager",
        role=UserRole.PROGRAMME_MANAGER,
        local_authority=None,
    )
    return empty, manager


def test_an_export_imported_into_an_empty_database_exports_the_same_bytes(
    database: Database, staff: Staff, tmp_path: Path, sqlite_template: Path
) -> None:
    casework(database, staff)
    exported = tmp_path / "export"
    written = database.write(export_directory, actor=staff.manager, folder=exported)
    assert [written[name] for name in FILES] == [4, 4, 4, 3, 3]
    empty, manager = _empty(sqlite_template, tmp_path)
    result = run_import(empty, manager, exported)
    assert result.problems == [] and result.written
    assert [result.counts[name] for name in FILES] == [
        [4, 0, 0],
        [4, 0, 0],
        [4, 0, 0],
        [3, 0, 0],
        [3, 0, 0],
    ]
    assert counts(empty) == counts(database)
    again = tmp_path / "again"
    empty.write(export_directory, actor=manager, folder=again)
    for name in FILES:
        assert (again / name).read_bytes() == (exported / name).read_bytes(), name
    assert "'=Riverside College" in (exported / "partners.csv").read_text(encoding="utf-8-sig")
    with empty.engine.connect() as connection:
        due = connection.execute(
            text("SELECT next_contact_on FROM household WHERE next_contact_on IS NOT NULL")
        ).scalar_one()
    assert str(due) == "2026-03-09"  # restated from the imported contacts (weekly)
    kept = select(Person.contact_consent_on, Person.contactable)  # as the consents say
    held = Counter(database.read(lambda session: session.execute(kept).tuples().all()))
    assert Counter(empty.read(lambda session: session.execute(kept).tuples().all())) == held
    assert any(on is not None for on, _ in held)  # a consent to be contacted is kept
    empty.dispose()


def test_an_export_imported_into_the_same_database_changes_nothing(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    casework(database, staff)
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    before = counts(database)
    result = run_import(database, staff.liverpool_supervisor, exported, partial=True)
    # A Liverpool supervisor: the Wirral household's rows are refused, the rest unchanged.
    assert sorted((p.file, p.row) for p in result.problems if p.file in FILES) == [
        ("checkins.csv", 2),
        ("checkins.csv", 3),
        ("checkins.csv", 4),
        ("consents.csv", 5),
        ("contacts.csv", 4),
        ("referrals.csv", 5),
    ]
    assert [result.counts[name] for name in FILES] == [
        [0, 0, 4],
        [0, 0, 3],
        [0, 0, 3],
        [0, 0, 2],
        [0, 0, 0],
    ]
    result = run_import(database, staff.manager, exported)
    assert result.problems == [] and result.written
    for name in FILES:
        created, updated, same = result.counts[name]
        assert (created, updated) == (0, 0) and same > 0, name
    assert counts(database) == before


def _edit(path: Path, old: str, new: str) -> None:
    """Change the first `old` in the file to `new`."""
    content = path.read_text(encoding="utf-8-sig")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_a_reference_finds_its_row_and_a_change_is_audited(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    casework(database, staff)
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    _edit(exported / "contacts.csv", "Welfare check", "Welfare call")  # its natural key
    _edit(
        exported / "partners.csv", "North Food Bank,food_bank,,", "North Food Bank,food_bank,Ann,"
    )
    _edit(
        exported / "referrals.csv",
        "Parcel,made,2026-03-02,2026-03-02",
        "Parcel,attended,2026-03-02,2026-03-04",
    )
    _edit(exported / "checkins.csv", "2026-03-15", "2026-03-16")
    consents = exported / "consents.csv"
    lines = consents.read_text(encoding="utf-8-sig").splitlines()
    consents.write_text("\n".join([lines[0], lines[1].replace(",yes,", ",no,")]), encoding="utf-8")
    (exported / "manifest.json").unlink()  # the files are edited: no longer as exported
    result = run_import(database, staff.manager, exported)
    assert [str(problem) for problem in result.problems] == [
        "consents.csv row 2, column given: a consent is never changed: record a new one"
    ]
    consents.write_text(lines[0], encoding="utf-8")
    result = run_import(database, staff.manager, exported)
    assert result.problems == []
    assert [result.counts[name] for name in FILES if name != "consents.csv"] == [
        [0, 1, 3],
        [0, 1, 3],
        [0, 1, 2],
        [0, 1, 2],
    ]
    with database.engine.connect() as connection:
        purposes = connection.execute(text("SELECT purpose FROM contact ORDER BY id")).scalars()
        audited = dict(
            connection.execute(
                text(
                    "SELECT entity, changes FROM audit_event"
                    " WHERE action = 'import' AND entity != 'import'"
                )
            ).all()
        )
    assert list(purposes) == ["Welfare call", "Welfare check", "=Visit"]
    assert sorted(audited) == ["contact", "exit_checkin", "partner", "referral"]
    assert "Welfare call" in str(audited["contact"]) and "2026-03-16" in str(
        audited["exit_checkin"]
    )
    assert "attended" in str(audited["referral"]) and "Ann" in str(audited["partner"])


def test_a_crm_file_without_references_keeps_identical_contacts(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    record = register(database, staff.ada, staff.ada, person_input())
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        "household_ref,contacted_on,mode,purpose,note\n"
        f"{record.reference},02/03/2026,phone,Welfare check,Left a message\n"
        f"{record.reference},02/03/2026,phone,Welfare check,Left a message\n"
        f"{record.reference},03/03/2026,video,Welfare check,\n",
        encoding="utf-8",
    )
    first = run_import(database, staff.liverpool_supervisor, folder)
    assert first.problems == [] and first.counts["contacts.csv"] == [3, 0, 0]
    again = run_import(database, staff.liverpool_supervisor, folder)
    assert again.problems == [] and again.counts["contacts.csv"] == [0, 0, 3]
    with (folder / "contacts.csv").open("a", encoding="utf-8") as file:
        file.write(f"{record.reference},02/03/2026,phone,Welfare check,Left a message\n")
    third = run_import(database, staff.liverpool_supervisor, folder)
    assert third.counts["contacts.csv"] == [1, 0, 3]
    assert counts(database)["contact"] == 4
    with database.engine.connect() as connection:
        entered_by = connection.execute(text("SELECT DISTINCT entered_by FROM contact")).scalar()
    assert entered_by == staff.liverpool_supervisor.id


def test_an_imported_referral_needs_consent_as_of_its_day_or_an_override(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    record = register(database, staff.ada, staff.ada, person_input())
    bank = add_partner(database, staff.ada, "North Food Bank")
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    people = (exported / "people.csv").read_text(encoding="utf-8-sig").splitlines()
    person_ref = people[1].split(",")[0]
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "referrals.csv").write_text(
        "household_ref,person_ref,partner,purpose,made_on,consent_override\n"
        f"{record.reference},{person_ref},North Food Bank,Parcel,2026-03-02,\n"
        f"{record.reference},,North Food Bank,Parcel,2026-03-02,\n"
        f"{record.reference},{person_ref},North Food Bank,Rent,2026-03-02,Arrears: urgent\n",
        encoding="utf-8",
    )
    refused = run_import(database, staff.manager, folder, partial=True)
    reason = (
        "No consent to share with this partner: give the reason for sharing anyway. "
        "(as of 2026-03-02, in consents.csv or held)"
    )
    assert [str(problem) for problem in refused.problems] == [
        f"referrals.csv row 2, column consent_override: {reason}",
        f"referrals.csv row 3, column consent_override: {reason}",
    ]
    assert refused.counts["referrals.csv"] == [1, 0, 0]  # the override's row
    header = "person_ref,purpose,partner,given,on\n"
    consent = f"{person_ref},share_partner,North Food Bank,yes,"
    (folder / "consents.csv").write_text(header + consent + "2026-03-03\n", encoding="utf-8")
    later = run_import(database, staff.manager, folder)  # consent given the day after
    assert [problem.row for problem in later.problems] == [2, 3] and not later.written
    (folder / "consents.csv").write_text(header + consent + "2026-03-02\n", encoding="utf-8")
    held = run_import(database, staff.manager, folder)
    assert held.problems == [] and held.counts["referrals.csv"] == [2, 0, 1]
    assert held.counts["consents.csv"] == [1, 0, 0]
    with database.engine.connect() as connection:
        overrides = connection.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'consent_override'")
        ).scalar_one()
        referrals = connection.execute(
            text("SELECT partner_id, purpose, consent_override FROM referral ORDER BY id")
        ).all()
    assert overrides == 1  # the one referral made without consent, on its reason
    assert referrals == [
        (bank, "Rent", "Arrears: urgent"),
        (bank, "Parcel", ""),
        (bank, "Parcel", ""),
    ]


def test_a_supervisor_exports_only_their_area(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    casework(database, staff)
    exported = tmp_path / "wirral"
    written = database.write(export_directory, actor=staff.wirral_supervisor, folder=exported)
    assert [written[name] for name in FILES] == [1, 1, 1, 1, 3]
    partners = (exported / "partners.csv").read_text(encoding="utf-8-sig").splitlines()
    assert partners[1:] == ["Ways to Work Wirral,ways_to_work,,yes"]
    for name in ("referrals.csv", "contacts.csv", "checkins.csv"):
        rows = (exported / name).read_text(encoding="utf-8-sig").splitlines()[1:]
        wirral = {row.split(",")[1] for row in rows}
        assert len(wirral) == 1, name
    everything = tmp_path / "all"
    written = database.write(export_directory, actor=staff.manager, folder=everything)
    assert written["partners.csv"] == 4  # a manager's export: the partners never used too


def test_what_a_casework_row_names_must_be_there(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    record = register(database, staff.ada, staff.ada, person_input())
    person_ref = f"{database.read(database_token)}-P{record.members[0].id}"
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "partners.csv").write_text(
        "partner,kind\nNorth Food Bank,food_bank\nNorth Food Bank,training\nBad,nonsense\n",
        encoding="utf-8",
    )
    (folder / "contacts.csv").write_text(
        "household_ref,contacted_on,mode,purpose,entered_by\n"
        f"{record.reference},2026-03-02,phone,Call,nobody\n"
        "LIV-09999,2026-03-02,phone,Call,\n",
        encoding="utf-8",
    )
    (folder / "consents.csv").write_text(
        "person_ref,purpose,partner,given,on\n"
        "P404,hold_data,,yes,2026-03-02\n"
        f"{person_ref},share_partner,Bad,yes,2026-03-02\n"
        f"{person_ref},hold_data,North Food Bank,yes,2026-03-02\n"
        f"{person_ref},share_partner,North Food Bank,yes,2026-03-02\n",
        encoding="utf-8",
    )
    result = run_import(database, staff.manager, folder, partial=True)
    assert [str(problem) for problem in result.problems if problem.column != "kind"] == [
        "consents.csv row 2, column person_ref: no person 'P404' in people.csv or in your scope",
        "consents.csv row 3, column partner: partner Bad: its row in partners.csv has a problem",
        "consents.csv row 4, column partner: only a consent to share with a partner names one",
        "contacts.csv row 2, column entered_by: no user 'nobody' here or in users.csv",
        "contacts.csv row 3, column household_ref: no household 'LIV-09999' in households.csv "
        "or in your scope",
        "partners.csv row 3, column partner: North Food Bank is already on row 2",
    ]
    assert [(p.file, p.row) for p in result.problems if p.column == "kind"] == [("partners.csv", 4)]
    assert [result.counts[name] for name in FILES if name in result.counts] == [
        [1, 0, 0],
        [1, 0, 0],
        [0, 0, 0],
    ]


def test_a_newer_format_is_refused_in_one_problem(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "newer"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"format": "hiw-tui", "version": 99, "files": {}}')
    (folder / "contacts.csv").write_text("household_ref,contacted_on,mode,purpose\nX,,,\n")
    result = run_import(database, staff.manager, folder)
    assert [problem.file for problem in result.problems] == ["manifest.json"]
