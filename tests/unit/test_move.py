"""Moving an office to another database (SQLite to PostgreSQL and back): every table's
rows arrive with their ids, the reports are the same, the audit chain still verifies
and goes on with the move, and a target that holds anything is refused untouched."""

from __future__ import annotations

import json
import stat
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from sqlalchemy import create_engine, insert, inspect, select, text, update
from sqlalchemy.engine import make_url

from hiw_tui.cli import main
from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.users import get_user
from hiw_tui.db.audit.chain import verify_chain
from hiw_tui.db.audit.key import AuditKey
from hiw_tui.db.casework.models import Contact, ExitCheckin, Referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, Person
from hiw_tui.db.core.schema import HEAD
from hiw_tui.db.households.people import update_person
from hiw_tui.db.ledger.posting import decide_spend
from hiw_tui.db.privacy.erasure import erasure_request
from hiw_tui.demo.generate import build_demo
from hiw_tui.domain.budget import DecisionInput
from hiw_tui.domain.counting import Period
from hiw_tui.domain.dates import as_utc
from hiw_tui.transfer.move import dump_tables, load_tables, move_office
from hiw_tui.transfer.table_files import MANIFEST, MoveError, moved_tables
from tests.helpers.clock import TODAY
from tests.helpers.database import sqlite_copy
from tests.helpers.dataset import report
from tests.helpers.factories import POLICY, person_input, register, spend
from tests.helpers.staff import add_staff

ODD_TEXTS = (
    "\\N",
    "\\",
    "\\\\N",
    "",
    "=1+2",
    "'=quoted",
    "-x",
    "@SUM(A1)",
    'line one\r\nline two, "quoted"',
    "\ttab first",
    " Zoë Ó'Brien £5 ",
)
"""Texts a cell must bring back exactly: the NULL marker and backslashes, formulas and
their quote, quotes, separators, line ends, tabs, spaces and accents."""
Rows = dict[str, list[dict[str, Any]]]


def _office(database: Database) -> None:
    """The demo, and rows in every table it leaves empty: a corrected record, an erased
    person (so the audit chain holds emptied rows), an SSH key, an approved spend,
    contacts with odd texts, a referral and a phased-exit check-in."""
    build_demo(database, households=40, seed=3, today=TODAY)
    manager = database.read(get_user, username="manager")
    advocate = database.read(get_user, username="advocate.liverpool.1")
    supervisor = database.read(get_user, username="supervisor.liverpool")
    record = register(
        database,
        manager,
        advocate,
        person_input(given_name="Ann"),
        person_input(role="secondary", given_name="Bea", family_name="Moss"),
    )
    primary, secondary = record.members
    for member, address in ((primary, "=SUM(A1) flat \\N"), (secondary, "1 Old Road")):
        database.write(
            update_person,
            actor=manager,
            person_id=member.id,
            version=member.version,
            data=person_input(
                role=member.role,
                given_name=member.given_name,
                family_name=member.family_name,
                address=address,
            ),
        )
    database.write(erasure_request, actor=manager, person_id=secondary.id, today=TODAY)
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    database.write(add_key, username="manager", text=key)
    waiting = spend(database, advocate, record.id, "300.00").lines[-1]
    database.write(
        decide_spend,
        actor=supervisor,
        entry_id=waiting.id,
        data=DecisionInput.model_validate({"decision": "approved", "note": "=ok"}),
        policy=POLICY,
    )
    with database.engine.begin() as connection:
        for day, odd in enumerate(ODD_TEXTS, start=1):
            connection.execute(
                insert(Contact).values(
                    household_id=record.id,
                    contacted_on=date(2026, 3, day),
                    mode="phone",
                    participants=odd,
                    purpose=odd or "-",
                    note=odd,
                    recontact="none",
                    entered_by=advocate.id,
                    version=1,
                )
            )
        connection.execute(
            insert(Referral).values(
                household_id=record.id,
                person_id=primary.id,
                partner_id=1,
                purpose="+44 food",
                status="made",
                made_on=TODAY,
                status_on=TODAY,
                entered_by=advocate.id,
            )
        )
        connection.execute(insert(ExitCheckin).values(household_id=record.id, due_on=TODAY))
        connection.execute(
            update(Household)
            .where(Household.id == record.id)
            .values(previous_programmes=ODD_TEXTS[8], exit_note="\\")
        )


def rows_of(database: Database) -> Rows:
    """Every table's rows in primary-key order, times in UTC."""

    def normal(value: Any) -> Any:
        return as_utc(value) if isinstance(value, datetime) else value

    with database.engine.connect() as connection:
        return {
            table.name: [
                {name: normal(value) for name, value in row._mapping.items()}
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in moved_tables()
        }


def assert_moved(before: Rows, target: Database, *, moves: int) -> None:
    """`target` holds exactly the rows of `before`, and after its audit rows `moves` more:
    the moves' own."""
    after = rows_of(target)
    copied = len(before["audit_event"])
    added = after["audit_event"][copied:]
    after["audit_event"] = after["audit_event"][:copied]
    for name, rows in before.items():
        assert after[name] == rows, name
    assert [row["action"] for row in added] == ["move"] * moves
    assert [row["seq"] for row in added] == list(range(copied + 1, copied + moves + 1))
    assert added[0]["changes"]["rows"][1] == {name: len(rows) for name, rows in before.items()}
    assert target.read(verify_chain).problems == []


def reports(database: Database) -> list[object]:
    manager = database.read(get_user, username="manager")
    return [
        report(database, manager, kind, period)
        for kind in ("performance", "cohort", "distance", "spend")
        for period in (Period(TODAY), Period(TODAY - timedelta(days=120)))
    ]


def _emptied(database: Database) -> list[str]:
    """The tables of `database` that hold a row (but the token a new schema has)."""
    with database.engine.connect() as connection:
        return [
            table.name
            for table in moved_tables()
            if table.name != "database_info" and connection.execute(select(table)).first()
        ]


@pytest.fixture
def empty_postgres(postgres_url: str) -> Iterator[str]:
    """A new PostgreSQL database with nothing in it, not even the schema; dropped after."""
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    name = f"hiw_move_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_every_table_moves_with_every_row(sqlite_database: Database, tmp_path: Path) -> None:
    """Every table the schema has is moved (a table added later too), each holds rows
    here, and they arrive unchanged in a new SQLite file."""
    _office(sqlite_database)
    before = rows_of(sqlite_database)
    schema = set(inspect(sqlite_database.engine).get_table_names()) - {"alembic_version"}
    assert set(before) == schema
    assert [name for name, rows in before.items() if not rows] == [], "give each table a row"
    target = Database(f"sqlite:///{tmp_path / 'moved' / 'hiw.db'}")
    moved = move_office(sqlite_database, target, tmp_path / "files")
    assert moved.tables == [(name, len(rows)) for name, rows in before.items()]
    assert moved.chain is not None and moved.chain.rows == len(before["audit_event"])
    assert moved.recorded == len(before["audit_event"]) + 1
    assert_moved(before, target, moves=1)
    assert reports(target) == reports(sqlite_database)
    target.dispose()


@pytest.mark.postgres
def test_an_office_moves_to_postgresql_and_back_unchanged(
    sqlite_database: Database, empty_postgres: str, tmp_path: Path
) -> None:
    _office(sqlite_database)
    before = rows_of(sqlite_database)
    postgres = Database(empty_postgres)
    move_office(sqlite_database, postgres, tmp_path / "there")
    assert_moved(before, postgres, moves=1)
    back = Database(f"sqlite:///{tmp_path / 'back.db'}")
    move_office(postgres, back, tmp_path / "back")
    assert_moved(before, back, moves=2)
    assert reports(postgres) == reports(sqlite_database) == reports(back)
    # New rows on PostgreSQL take the ids after the copied ones.
    manager = postgres.read(get_user, username="manager")
    advocate = postgres.read(get_user, username="advocate.liverpool.1")
    last = max(row["id"] for row in before["household"])
    assert register(postgres, manager, advocate, person_input()).id == last + 1
    assert postgres.read(verify_chain).problems == []
    postgres.dispose()
    back.dispose()


def test_a_target_that_holds_anything_is_refused_untouched(
    database: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    add_staff(database)
    held = rows_of(database)
    (tmp_path / "source").mkdir()
    source = sqlite_copy(sqlite_template, tmp_path / "source")
    add_staff(source)
    with pytest.raises(MoveError, match=r"holds rows \(in the table app_user\)"):
        move_office(source, database, tmp_path / "files")
    assert rows_of(database) == held
    assert not (tmp_path / "files").exists()
    source.dispose()


def test_a_target_with_another_audit_key_is_refused_and_left_empty(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """The copied chain does not verify with the target's key: the load is undone."""
    staff = add_staff(sqlite_database)
    register(sqlite_database, staff.manager, staff.ada, person_input())
    url = f"sqlite:///{tmp_path / 'target.db'}"
    target = Database(url, audit_key=AuditKey(secret="another key"))
    with pytest.raises(MoveError, match="audit key set for the target"):
        move_office(sqlite_database, target, tmp_path / "files")
    assert _emptied(target) == []
    target.dispose()


def test_a_source_written_with_another_audit_key_is_refused_first(
    sqlite_database: Database, tmp_path: Path
) -> None:
    staff = add_staff(sqlite_database)
    register(sqlite_database, staff.manager, staff.ada, person_input())
    source = Database(sqlite_database.url, audit_key=AuditKey(secret="not its key"))
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(MoveError, match="not the one the source's audit trail was written"):
        move_office(source, target, tmp_path / "files")
    assert inspect(target.engine).get_table_names() == []
    assert not (tmp_path / "files").exists()
    source.dispose()
    target.dispose()


@pytest.mark.postgres
def test_a_row_postgresql_refuses_leaves_it_empty(
    sqlite_database: Database, empty_postgres: str, tmp_path: Path
) -> None:
    """SQLite keeps a postcode longer than its column; PostgreSQL does not: the move
    names the table, and undoes the whole load."""
    staff = add_staff(sqlite_database)
    record = register(sqlite_database, staff.manager, staff.ada, person_input())
    with sqlite_database.engine.begin() as connection:
        connection.execute(
            update(Person).where(Person.household_id == record.id).values(postcode="L4 0TH" * 4)
        )
    postgres = Database(empty_postgres)
    with pytest.raises(MoveError, match=r"the table person could not be loaded \(value too long"):
        move_office(sqlite_database, postgres, tmp_path / "files")
    assert _emptied(postgres) == []
    postgres.dispose()


def test_files_changed_on_the_way_are_refused_with_nothing_loaded(
    sqlite_database: Database, tmp_path: Path
) -> None:
    staff = add_staff(sqlite_database)
    register(sqlite_database, staff.manager, staff.ada, person_input())
    files = tmp_path / "files"
    dump_tables(sqlite_database, files)
    people = files / "person.csv"
    header, row, *rest = people.read_text(encoding="utf-8").splitlines(keepends=True)
    born = header.split(",").index("date_of_birth")
    cells = row.split(",")
    cells[born] = "17/05/1988"
    people.write_text("".join([header, ",".join(cells), *rest]), encoding="utf-8")
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(MoveError, match=r"person\.csv row 2, column date_of_birth: not a value"):
        load_tables(target, files)
    assert _emptied(target) == []
    people.write_text("".join([header, *rest]), encoding="utf-8")
    with pytest.raises(MoveError, match="the table person has 0 rows in the target where"):
        load_tables(target, files)
    assert _emptied(target) == []
    target.dispose()


def test_db_move_on_the_command_line(
    sqlite_database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _office(sqlite_database)
    before = rows_of(sqlite_database)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    moved = f"sqlite:///{tmp_path / 'moved.db'}"
    assert main(["db", "move", "--to", moved, "--database", sqlite_database.url]) == 0
    out = capsys.readouterr().out
    assert f"Moved {sqlite_database.url} to {moved}." in out
    assert "The audit trail verifies in the new database" in out
    assert "The audit key was not copied" in out
    assert list(scratch.iterdir()) == [], "the temporary files are removed"
    assert main(["audit", "verify", "--database", moved]) == 0
    capsys.readouterr()

    assert main(["db", "move", "--to", moved, "--database", sqlite_database.url]) == 2
    assert "holds rows (in the table app_user)" in capsys.readouterr().err

    kept = tmp_path / "kept"
    second = f"sqlite:///{tmp_path / 'second.db'}"
    command = ["db", "move", "--to", second, "--keep", str(kept)]
    assert main([*command, "--database", sqlite_database.url]) == 0
    moves = Database(second).read(
        lambda session: session.execute(
            text("SELECT seq FROM audit_event WHERE action = 'move'")
        ).scalar_one()
    )
    assert f"recorded there as audit row {moves}." in capsys.readouterr().out
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700
    assert {stat.S_IMODE(file.stat().st_mode) for file in kept.iterdir()} == {0o600}
    manifest = json.loads((kept / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["format"], manifest["schema"]) == (1, HEAD)
    assert {entry["name"]: entry["rows"] for entry in manifest["tables"]} == {
        name: len(rows) for name, rows in before.items()
    }
    contacts = (kept / "contact.csv").read_text(encoding="utf-8")
    assert ",'=1+2," in contacts and ",\\\\N," in contacts  # a formula quoted; \N as text
    assert ",\\N," in (kept / "person.csv").read_text(encoding="utf-8")  # NULL
    files = Database(second).read(
        lambda session: list(
            session.execute(text("SELECT changes FROM audit_event WHERE action = 'file'"))
        )
    )
    assert str(kept.resolve()) in str(files[-1])
