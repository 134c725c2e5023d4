"""Fixtures: a fresh database per test on SQLite and, when its URL is set, PostgreSQL.

PostgreSQL: set HIW_TEST_POSTGRES_URL to a server URL whose user may create databases
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test). The suite creates its own
database beside the one named, and drops it at the end.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.schema import upgrade
from tests.helpers.database import (
    POSTGRES_ENV,
    TABLES,
    new_postgres_database,
    new_token,
    postgres_server,
    sqlite_copy,
)
from tests.helpers.staff import Staff, add_staff
from tests.helpers.world import World, seed_world

AUDIT_KEY_ENV = "HIW_AUDIT_KEY_FILE"


@pytest.fixture(scope="session", autouse=True)
def _audit_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One audit key for the whole run, so a database made by a module's fixture is read
    with the key it was written with by every test, and by the app in a subprocess."""
    os.environ[AUDIT_KEY_ENV] = str(tmp_path_factory.mktemp("audit-key") / "audit.key")
    yield
    os.environ.pop(AUDIT_KEY_ENV, None)


@pytest.fixture(autouse=True)
def _garbage_collector_as_python_sets_it() -> Iterator[None]:
    """An app freezes what it has loaded and defers Python's full collections
    (`hiw_tui.screens.base.garbage`), for the rest of its process: the tests run many
    apps in one, so after each test what it froze can go, and the thresholds are
    Python's again."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing from the developer's own environment, data or config folder (a keymap
    file) leaks into a test."""
    for name in list(os.environ):
        if name.startswith("HIW_") and name not in (POSTGRES_ENV, AUDIT_KEY_ENV):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # The same colours on every machine: the Star chart draws a radar in 256 colours or
    # more, and a bar table in 16 colours or with NO_COLOR.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the current schema, migrated once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "hiw.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with new_postgres_database(postgres_server()) as url:
        database = Database(url)
        upgrade(database.engine)
        database.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[Database]:
    """A fresh, empty, migrated database; one test body runs on each backend."""
    if request.param == "sqlite":
        db = sqlite_copy(sqlite_template, tmp_path)
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        new_token(db)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    db = sqlite_copy(sqlite_template, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def staff(database: Database) -> Staff:
    return add_staff(database)


@pytest.fixture
def world(sqlite_database: Database) -> World:
    """25 households: 15 on Ada's caseload (Liverpool), 10 on Cal's (Wirral)."""
    return seed_world(sqlite_database)
