"""Benchmark: exporting N households (default 100,000) and importing the files.

    python bench/transfer.py [--households N] [--postgres URL]

In one run: builds a demo database of N households (the baseline: the generator's own
batched inserts of the same rows), exports it with `hiw-tui export`'s code, and imports
the files into an empty database as a programme manager would. Reports each time and
the import's ratio to the baseline. Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hiw_tui.db.access.users import add_user, get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.schema import ensure_current
from hiw_tui.demo.generate import DEMO_MANAGER, build_demo
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.codes import UserRole
from hiw_tui.domain.framework import load_framework
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.load import import_directory

sys.path.insert(0, str(Path(__file__).parent))
import quiet

TODAY = date(2026, 11, 1)
IMPORT_TARGET = 2.0
"""The import of an export, at most this many times the demo's own batched inserts."""


def _fresh(url: str | None, folder: Path, name: str) -> Database:
    if url is None:
        return Database(f"sqlite:///{folder / name}.db")
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return Database(make_url(url).set(database=name).render_as_string(hide_password=False))


def run(households: int, url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hiw-transfer-"))
    try:
        source = _fresh(url, folder, "hiw_bench_source")
        ensure_current(source.engine)
        notes = [quiet.check("the build")]
        started = time.perf_counter()
        build_demo(source, households=households, seed=1, today=TODAY)
        built = time.perf_counter() - started
        manager = source.read(get_user, username=DEMO_MANAGER)
        notes.append(quiet.check("the export"))
        started = time.perf_counter()
        counts = source.write(export_directory, actor=manager, folder=folder / "crm")
        exported = time.perf_counter() - started
        target = _fresh(url, folder, "hiw_bench_target")
        ensure_current(target.engine)
        importer = target.write(
            add_user, username="importer", display_name="Importer", role=UserRole.PROGRAMME_MANAGER
        )
        notes.append(quiet.check("the import"))
        started = time.perf_counter()
        result = import_directory(
            target,
            actor=importer,
            folder=folder / "crm",
            today=date.today(),
            framework=load_framework(),
            policy=BudgetPolicy(cap_pence=100_000, approval_threshold_pence=25_000),
        )
        imported = time.perf_counter() - started
        assert result.written and not result.problems, result.problems[:5]
        rows = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        backend = "PostgreSQL" if url else "SQLite"
        print(f"{backend}, {households:,} households ({rows})")
        print(f"  baseline: demo build        {built:7.1f} s")
        print(f"  export to CSV               {exported:7.1f} s")
        ratio = imported / built
        verdict = "met" if ratio <= IMPORT_TARGET else "missed"
        print(f"  import from CSV             {imported:7.1f} s  ({ratio:.1f}x baseline)")
        print(f"  target: import at most {IMPORT_TARGET}x the baseline: {verdict}")
        for note in filter(None, notes):
            print(f"  measured while the machine was {note}")
        source.dispose()
        target.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    args = parser.parse_args()
    run(args.households, None)
    if args.postgres:
        run(args.households, args.postgres)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
