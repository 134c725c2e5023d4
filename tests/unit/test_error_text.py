"""Errors quote no value: what reaches the error screen and the error log never carries
a safe-contact detail typed into a form or stored in a row."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from hiw_tui.db.core.engine import Database
from hiw_tui.screens.base.failures import log_failure
from hiw_tui.screens.dialogs.common import ErrorScreen
from tests.helpers.canaries import ADDRESS, CONTACT_CANARIES, found
from tests.helpers.factories import person_input


def test_an_error_never_echoes_a_value_typed(tmp_path: Path) -> None:
    """A validation error that reached the error screen and the error log."""
    with pytest.raises(ValidationError) as caught:
        person_input(email=f"{ADDRESS} is not an email")
    log = tmp_path / "errors.log"
    log_failure(log, caught.value, where="PersonForm")
    assert found(log.read_text(), CONTACT_CANARIES) == []
    assert found(ErrorScreen(caught.value).message, CONTACT_CANARIES) == []


def test_a_database_error_never_echoes_a_value_written(database: Database, tmp_path: Path) -> None:
    """A failed statement's message (on the error screen, in the log) names no value."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError) as caught, database.engine.begin() as connection:
        connection.execute(text("INSERT INTO person (address) VALUES (:a)"), {"a": ADDRESS})
    log = tmp_path / "errors.log"
    log_failure(log, caught.value, where="PersonForm")
    assert found(log.read_text(), CONTACT_CANARIES) == []
    assert found(ErrorScreen(caught.value).message, CONTACT_CANARIES) == []
