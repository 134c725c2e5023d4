"""Test databases: the PostgreSQL setting, the tables to empty, a copy of the template."""

from __future__ import annotations

import shutil
from pathlib import Path

from hiw_tui.db.core.engine import Database

POSTGRES_ENV = "HIW_TEST_POSTGRES_URL"
TABLES = (
    "erasure",
    "consent",
    "audit_event",
    "ledger_decision",
    "ledger_entry",
    "budget_cap",
    "budget",
    "exit_checkin",
    "contact",
    "outcome",
    "referral",
    "plan_step",
    "plan_goal",
    "plan",
    "partner",
    "star_score",
    "star_reading",
    "person_need",
    "person",
    "household",
    "user_key",
    "app_user",
)


def sqlite_copy(template: Path, folder: Path) -> Database:
    """A copy of the migrated template database in `folder`."""
    path = folder / "hiw.db"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")
