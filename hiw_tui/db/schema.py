"""The database schema's version: create, upgrade, or refuse with a clear message."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaError(Exception):
    """The database's schema is not the one this version of hiw-tui works with."""


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema up to this version's head (creating it in an empty database)."""
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_current(engine: Engine) -> None:
    """Create the schema in an empty database; refuse one that is older or newer.

    An existing database is never upgraded silently: on a shared server one office's
    upgrade changes everybody's schema, so it is a deliberate `hiw-tui db upgrade`.
    """
    current, head = current_revision(engine), head_revision(engine)
    if current == head:
        return
    if current is None:
        if inspect(engine).get_table_names():
            raise SchemaError(
                "This database holds tables that hiw-tui did not create; "
                "point --database at an empty database or an hiw-tui one."
            )
        upgrade(engine)
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(_config(engine)).walk_revisions()}
    if current not in known:
        raise SchemaError(
            f"This database's schema ({current}) is newer than this hiw-tui understands "
            f"({head}). Install the newer hiw-tui that upgraded it."
        )
    raise SchemaError(
        f"This database's schema ({current}) is older than this hiw-tui needs ({head}). "
        "Back it up, then run: hiw-tui db upgrade"
    )
