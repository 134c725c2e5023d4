"""The app creates an empty database, and refuses one at another schema version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.core import schema
from hiw_tui.db.core.engine import Database
from tests.helpers.database import new_postgres_database, postgres_server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new database with no schema yet, on each backend."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield database
        database.dispose()
        return
    with new_postgres_database(postgres_server()) as url:
        database = Database(url)
        yield database
        database.dispose()


def _differences(database: Database) -> list[object]:
    """How the database's schema differs from the models' (nothing, when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with database.engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), SQLModel.metadata))


def test_an_empty_database_is_created_at_the_current_schema(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new.db'}")
    schema.ensure_current(database.engine)
    assert schema.current_revision(database.engine) == schema.head_revision(database.engine)


def test_head_names_the_newest_migration(sqlite_database: Database) -> None:
    assert schema.head_revision(sqlite_database.engine) == schema.HEAD


def test_an_older_schema_is_refused_with_the_command_that_upgrades_it(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "HEAD", "a-later-revision")
    with pytest.raises(schema.SchemaError, match=r"older .* hiw-tui db upgrade"):
        schema.ensure_current(sqlite_database.engine)


def test_a_newer_schema_is_refused(sqlite_database: Database) -> None:
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    with pytest.raises(schema.SchemaError, match="newer than this hiw-tui"):
        schema.ensure_current(sqlite_database.engine)


def test_a_foreign_database_is_not_touched(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'other.db'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE accounts (id INTEGER PRIMARY KEY)"))
    with pytest.raises(schema.SchemaError, match="did not create"):
        schema.ensure_current(database.engine)


def test_db_upgrade_and_status_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["db", "status", "--database", url]) == 1
    assert main(["db", "upgrade", "--database", url]) == 0
    assert main(["db", "status", "--database", url]) == 0
    assert f"Schema empty -> {schema.HEAD}" in capsys.readouterr().out


def test_opening_a_database_at_an_old_schema_says_what_to_do(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(schema, "HEAD", "a-later-revision")
    assert main(["--database", sqlite_database.url, "--user", "anyone"]) == 2
    assert "hiw-tui db upgrade" in capsys.readouterr().err


def test_upgrading_from_the_first_schema_keeps_households_and_marks_them_due(
    tmp_path: Path,
) -> None:
    """A database made before Star readings upgrades in place; nobody has a reading yet."""
    from alembic import command

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = schema._config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, role, local_authority, active,"
                " version) VALUES (1, 'ada', 'Ada', 'advocate', 'liverpool', 1, 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO household (id, reference, local_authority, advocate_id, status,"
                " referral_route, start_date, previous_programmes, primary_name, member_count,"
                " need_count, created_at, updated_at, version) VALUES (1, 'LIV-00001',"
                " 'liverpool', 1, 'active', 'jcp', '2026-01-05', '', 'Bloggs, Jo', 2, 0,"
                " '2026-01-05 09:00:00', '2026-01-05 09:00:00', 1)"
            )
        )
    with pytest.raises(schema.SchemaError, match="older"):
        schema.ensure_current(database.engine)
    assert main(["db", "upgrade", "--database", database.url]) == 0
    schema.ensure_current(database.engine)
    with database.engine.connect() as connection:
        row = connection.execute(text("SELECT reference, star_scored_through FROM household")).one()
        assert tuple(row) == ("LIV-00001", None)
        assert connection.execute(text("SELECT count(*) FROM star_reading")).scalar() == 0


def test_upgrading_chains_the_audit_rows_already_written(tmp_path: Path) -> None:
    from alembic import command

    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.audit.chain import verify_chain
    from hiw_tui.db.audit.trail import record

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = schema._config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, role, active, version)"
                " VALUES (1, 'pm', 'Pat', 'programme_manager', 1, 1)"
            )
        )
        for n in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_event (at, actor_id, action, entity, entity_id, changes)"
                    f" VALUES ('2026-01-0{n + 1} 09:00:00.000000', 1, 'view', 'household', {n},"
                    ' \'{"note": [null, "é"]}\')'
                )
            )
    assert main(["db", "upgrade", "--database", database.url]) == 0
    before = database.read(verify_chain)
    assert (before.rows, before.head_seq, before.problems) == (3, 3, [])
    pm = database.read(get_user, username="pm")
    database.write(record, actor=pm, action="view", entity="household", entity_id=9)
    after = database.read(verify_chain)
    assert (after.rows, after.head_seq, after.problems) == (4, 4, [])


def test_the_migrations_make_the_schema_the_models_describe(database: Database) -> None:
    """Every table, column and index of the models, as the migrations made them."""
    assert _differences(database) == []


def test_upgrading_to_referred_households_keeps_the_rows_pointing_at_households(
    empty_database: Database,
) -> None:
    """The start date becomes optional in place, with households and their members held:
    nothing is lost, the schema is the models', and a referral can be saved unstarted."""
    from alembic import command

    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.households.households import create_household, open_household
    from tests.helpers.factories import household_input

    database = empty_database
    config = schema._config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0011")
        connection.execute(
            text(
                "INSERT INTO app_user (username, display_name, role, local_authority, active,"
                " version, failed_sign_ins) VALUES ('ada', 'Ada', 'advocate', 'liverpool',"
                " :yes, 1, 0)"
            ),
            {"yes": True},
        )
        for reference, status, start in (
            ("LIV-00001", "active", date(2026, 1, 5)),
            ("LIV-00002", "referred", date(2026, 2, 9)),
        ):
            connection.execute(
                text(
                    "INSERT INTO household (reference, local_authority, advocate_id, status,"
                    " referral_route, start_date, previous_programmes, primary_name,"
                    " member_count, need_count, created_at, updated_at, version, exit_note,"
                    " safe_contact) SELECT :reference, 'liverpool', id, :status, 'jcp', :start,"
                    " '', 'Bloggs, Jo', 1, 0, :at, :at, 1, '', :no FROM app_user"
                ),
                {"reference": reference, "status": status, "start": start, "no": False}
                | {"at": "2026-01-05 09:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO person (household_id, role, given_name, family_name,"
                    " date_of_birth, gender, ethnicity, address, postcode, phone, email,"
                    " time_since_work, benefits, qualification, family_key, full_name_key,"
                    " postcode_key, phone_key, version) SELECT id, 'primary', 'Jo', 'Bloggs',"
                    " :born, 'female', 'white_british', '', '', '', '', '36m+', '[]',"
                    " 'unknown', 'bloggs', 'jo bloggs', '', '', 1 FROM household"
                    " WHERE reference = :reference"
                ),
                {"born": date(1988, 5, 17), "reference": reference},
            )
    assert main(["db", "upgrade", "--database", database.url]) == 0
    schema.ensure_current(database.engine)
    with database.engine.connect() as connection:
        held = connection.execute(
            text(
                "SELECT h.reference, h.status, h.start_date, h.referred_on, p.given_name"
                " FROM household h JOIN person p ON p.household_id = h.id ORDER BY h.reference"
            )
        ).all()
    assert [
        (ref, status, str(start), referred, name) for ref, status, start, referred, name in held
    ] == [
        ("LIV-00001", "active", "2026-01-05", None, "Jo"),
        ("LIV-00002", "referred", "2026-02-09", None, "Jo"),
    ]
    assert _differences(database) == []
    ada = database.read(get_user, username="ada")
    data = household_input(ada, status="referred", start_date=None, referred_on=date(2026, 3, 2))
    saved = database.write(create_household, actor=ada, data=data)
    stored = database.write(open_household, actor=ada, household_id=saved.id)
    assert (stored.start_date, stored.referred_on) == (None, date(2026, 3, 2))


def test_upgrading_to_case_details_keeps_what_was_typed_as_free_text(
    empty_database: Database,
) -> None:
    """Contact participants and programmes before HiW typed before schema 0014 stay free
    text, with no member or programme code chosen; the schema is then the models'."""
    from alembic import command

    database = empty_database
    config = schema._config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0012")
        connection.execute(
            text(
                "INSERT INTO app_user (username, display_name, role, local_authority, active,"
                " version, failed_sign_ins) VALUES ('ada', 'Ada', 'advocate', 'liverpool',"
                " :yes, 1, 0)"
            ),
            {"yes": True},
        )
        connection.execute(
            text(
                "INSERT INTO household (reference, local_authority, advocate_id, status,"
                " referral_route, start_date, previous_programmes, primary_name, member_count,"
                " need_count, created_at, updated_at, version, exit_note, safe_contact)"
                " SELECT 'LIV-00001', 'liverpool', id, 'active', 'jcp', :start,"
                " 'Work Programme (2016)', 'Bloggs, Jo', 1, 0, :at, :at, 1, '', :no"
                " FROM app_user"
            ),
            {"start": date(2026, 1, 5), "at": "2026-01-05 09:00:00", "no": False},
        )
        connection.execute(
            text(
                "INSERT INTO contact (household_id, contacted_on, mode, participants, purpose,"
                " note, recontact, entered_by, created_at, version) SELECT h.id, :on, 'phone',"
                " 'Jo and her sister', 'Check in', '', 'none', u.id, :at, 1"
                " FROM household h, app_user u"
            ),
            {"on": date(2026, 1, 6), "at": "2026-01-06 09:00:00"},
        )
    assert main(["db", "upgrade", "--database", database.url]) == 0
    with database.engine.connect() as connection:
        household = connection.execute(
            text("SELECT previous_programmes, previous_programme_codes FROM household")
        ).one()
        contact = connection.execute(
            text("SELECT participants, participant_ids FROM contact")
        ).one()
    assert household[0] == "Work Programme (2016)" and household[1] in ("[]", [])
    assert contact[0] == "Jo and her sister" and contact[1] in ("[]", [])
    assert _differences(database) == []


def test_databases_created_at_once_on_several_threads_all_reach_the_head(tmp_path: Path) -> None:
    """Alembic installs its `context` module's names process-wide for each run; two
    runs at once (an SSH session's database opening beside another's) took the
    names from under each other (`KeyError: 'config'`)."""
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"sqlite:///{tmp_path / f'new-{n}.db'}" for n in range(6)]

    def create(url: str) -> str | None:
        database = Database(url)
        try:
            schema.ensure_current(database.engine)
            return schema.current_revision(database.engine)
        finally:
            database.dispose()

    with ThreadPoolExecutor(len(urls)) as pool:
        assert list(pool.map(create, urls)) == [schema.HEAD] * len(urls)
