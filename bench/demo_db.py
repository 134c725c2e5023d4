"""The benchmarks' demo database: built once under bench/.data/ (or into the empty
PostgreSQL database named), with each person's Star read every `READING_WEEKS` weeks for
the volume of a long-running service."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household
from hiw_tui.db.core.schema import ensure_current
from hiw_tui.demo.generate import build_demo

DATA = Path(__file__).parent / ".data"
FIXED_TODAY = date(2026, 11, 1)
READING_WEEKS = 4


def build(url: str, households: int) -> Database:
    """The database at `url`, with the demo's `households` built into it if it is empty."""
    database = Database(url)
    ensure_current(database.engine)
    with database.engine.connect() as connection:
        present = connection.scalar(select(func.count()).select_from(Household))
    if not present:
        started = time.perf_counter()
        build_demo(
            database,
            households=households,
            seed=1,
            today=FIXED_TODAY,
            reading_weeks=READING_WEEKS,
        )
        print(
            f"built {households:,} households in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
    return database
