"""The database schema's version: create, upgrade, or refuse with a clear message.

Opening the app checks the version with one query against `HEAD`, without loading
Alembic (a fifth of a second at start-up); Alembic runs only to create or upgrade.
A test keeps `HEAD` equal to the newest migration.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent.parent / "migrations"
HEAD = "0022"
"""The newest migration's revision: the schema this version of hiw-tui works with."""


_ALEMBIC = threading.Lock()
"""Alembic binds its `context` module to one run at a time, process-wide: runs on two
threads at once (two SSH sessions opening new databases) would take each other's
connection and names, so they run in turn."""


class SchemaError(Exception):
    """The database's schema is not the one this version of hiw-tui works with."""


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # the option interpolates
    return config


def head_revision(engine: Engine) -> str:
    """The newest revision among the migration scripts (what `HEAD` must say)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config(engine)).get_current_head()
    assert head is not None
    return head


def _known_revisions(engine: Engine) -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config(engine)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema up to this version's head (creating it in an empty database)."""
    from alembic import command

    config = _config(engine)
    with _ALEMBIC, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_current(engine: Engine) -> None:
    """Create the schema in an empty database; refuse one that is older or newer.

    An existing database is never upgraded silently: on a shared server one office's
    upgrade changes everybody's schema, so it is a deliberate `hiw-tui db upgrade`.
    """
    current = current_revision(engine)
    if current == HEAD:
        return
    if current is None:
        if inspect(engine).get_table_names():
            raise SchemaError(
                "This database holds tables that hiw-tui did not create; "
                "point --database at an empty database or an hiw-tui one."
            )
        upgrade(engine)
        return
    if current not in _known_revisions(engine):
        raise SchemaError(
            f"This database's schema ({current}) is newer than this hiw-tui understands "
            f"({HEAD}). Install the newer hiw-tui that upgraded it."
        )
    raise SchemaError(
        f"This database's schema ({current}) is older than this hiw-tui needs ({HEAD}). "
        "Back it up, then run: hiw-tui db upgrade"
    )
