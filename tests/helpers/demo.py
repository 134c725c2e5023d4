"""The demo at the programme's own size, built once a test run for the demo's tests, and
the plain SQL they read it with."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from hiw_tui.demo.generate import build_demo
from hiw_tui.demo.timeline import default_households
from tests.helpers.clock import TODAY
from tests.helpers.database import sqlite_copy

SEED = 1
"""The seed `hiw-tui demo` uses by default."""
_built: list[Path] = []


def programme_demo(template: Path, factory: pytest.TempPathFactory) -> Database:
    """The demo of the default size (`default_households(TODAY)`, about 8,200 households
    from March 2018 to TODAY), built on SQLite once a run and only read by the tests."""
    if not _built:
        database = sqlite_copy(template, factory.mktemp("programme-demo"))
        build_demo(database, households=default_households(TODAY), seed=SEED, today=TODAY)
        database.dispose()
        _built.append(Path(database.url.removeprefix("sqlite:///")))
    return Database(f"sqlite:///{_built[0]}")


def rows(database: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def day(value: Any) -> Any:
    """A date column's value as a date (SQLite hands back text)."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))
