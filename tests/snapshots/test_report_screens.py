"""The reports screen at 80x24: performance against the targets, and distance travelled
as a chart with its table, on the hand-built dataset as of 2026-03-31; the evaluation's
reports on the small programme of tests/helpers/evaluation.py, and the wide caseload
scrolled to its last column."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from hiw_tui.db.core.engine import Database
from tests.helpers.dataset import load_dataset, reports_app
from tests.helpers.evaluation import build_programme
from tests.helpers.pilot import SIZE, settle
from tests.helpers.staff import add_staff


@pytest.mark.parametrize(
    "keys", [(), ("2",), ("3",), ("4",)], ids=["performance", "cohort", "distance", "spending"]
)
def test_report(snap_compare, sqlite_database: Database, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    staff = add_staff(sqlite_database)
    load_dataset(sqlite_database, staff.manager)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("R", *keys)
        await settle(pilot)

    app = reports_app(sqlite_database, staff)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    "keys",
    [
        ("6",),
        ("6", "l", "l", "l", "l", "l"),
        ("7",),
        ("8",),
        ("9",),
        ("left_square_bracket",),
        ("c",),
    ],
    ids=["caseload", "caseload-sideways", "exits", "referrals", "welfare", "trends", "chooser"],
)
def test_evaluation_report(snap_compare, sqlite_database: Database, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    staff = add_staff(sqlite_database)
    build_programme(sqlite_database, staff)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("R", *keys)
        await settle(pilot)

    app = reports_app(sqlite_database, staff)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
