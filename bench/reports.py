"""Every report at 100,000 households, as the reports screen and `hiw-tui report` make it.

    python bench/reports.py [--households N] [--runs R] [--postgres URL]

The demo database of bench/run.py (built once under bench/.data/, or into the empty
PostgreSQL database named) has no referrals, contacts or exit reasons yet, so this adds
them once, straight into the tables (a copy on SQLite, so bench/run.py's database stays
as it is): 1 to 3 referrals for most started households (the exited ones' last made on
leaving, flagged onward), 1 to 4 contacts each with a re-contact frequency, and an exit
reason and destination for each exited household. Then it times `build_report` for each
kind as the programme manager, a supervisor and an advocate, as of the demo's today:
medians, with the count of what each report counted.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text, update

from hiw_tui.db.access.users import get_user
from hiw_tui.db.casework.models import Contact, Partner, Referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, User
from hiw_tui.domain.codes import Destination, ExitReason, Recontact, ReferralStatus
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.targets import load_targets
from hiw_tui.reports.build import build_report
from hiw_tui.reports.kinds import REPORTS

sys.path.insert(0, str(Path(__file__).parent))
import quiet
import targets
from demo_db import DATA, FIXED_TODAY, build

USERS = ("manager", "supervisor.liverpool", "advocate.liverpool.1")
TARGET_MS = 1000
"""Every report, for every user, on either database."""
BATCH = 20_000


def add_casework(database: Database, seed: int = 1) -> None:
    """Referrals, contacts and exit reasons for the demo's households, once."""
    rng = random.Random(seed)
    with database.engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(Referral)):
            return
        partners = list(connection.scalars(select(Partner.id)))
        entered_by = connection.scalar(select(User.id).where(User.username == "manager"))
        households = connection.execute(
            select(
                Household.id, Household.status, Household.start_date, Household.end_date
            ).order_by(Household.id)
        ).all()
        referrals, contacts = [], []
        for household_id, status, start, end in households:
            if start is None:
                continue
            last = min(end or FIXED_TODAY, FIXED_TODAY)
            span = max((last - start).days, 1)
            for n in range(rng.choice((0, 1, 1, 2, 3))):
                onward = status == "exited" and n == 0
                made = end if onward else start + timedelta(days=rng.randrange(span))
                assert made is not None
                changed = min(made + timedelta(days=rng.randrange(60)), FIXED_TODAY)
                referrals.append(
                    {
                        "household_id": household_id,
                        "partner_id": rng.choice(partners),
                        "purpose": "Support",
                        "status": rng.choice(list(ReferralStatus)).value,
                        "made_on": made,
                        "status_on": changed,
                        "onward": onward,
                        "entered_by": entered_by,
                    }
                )
            for _ in range(rng.randint(1, 4)):
                contacts.append(
                    {
                        "household_id": household_id,
                        "contacted_on": start + timedelta(days=rng.randrange(span)),
                        "mode": "phone",
                        "purpose": "Welfare check",
                        "recontact": rng.choice(list(Recontact)).value,
                        "entered_by": entered_by,
                    }
                )
        # Core inserts: these rows stand for an import's, whose consent was checked there.
        for table, rows in ((Referral.__table__, referrals), (Contact.__table__, contacts)):
            for start_at in range(0, len(rows), BATCH):
                connection.execute(insert(table), rows[start_at : start_at + BATCH])
        for reason, destination in zip(ExitReason, Destination, strict=False):
            connection.execute(
                update(Household)
                .where(
                    Household.status == "exited",
                    Household.id % 5 == list(ExitReason).index(reason) % 5,
                )
                .values(exit_reason=reason.value, exit_destination=destination.value)
            )
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))  # as a database in use would have been
    print(f"added {len(referrals):,} referrals and {len(contacts):,} contacts", file=sys.stderr)


def time_reports(database: Database, runs: int) -> list[tuple[str, str, float]]:
    """Each report's median time per user; a time taken while the machine was not quiet
    is said so (on standard error) as it is taken."""
    targets, framework = load_targets(), load_framework()
    results = []
    for kind in REPORTS:
        for username in USERS:
            actor = database.read(get_user, username=username)
            quiet.check(f"{kind} as {username}")
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                database.write(
                    build_report,
                    actor=actor,
                    kind=kind,
                    period=Period(FIXED_TODAY),
                    targets=targets,
                    framework=framework,
                )
                timings.append(time.perf_counter() - started)
            results.append((kind, username, statistics.median(timings) * 1000))
    return results


def databases(households: int, postgres: str | None) -> list[tuple[str, Database]]:
    """The demo databases with their casework added: a copy of bench/run.py's SQLite
    one, and the PostgreSQL one named, if any."""
    source = DATA / f"bench-{households}.db"
    build(f"sqlite:///{source}", households).dispose()
    copy = DATA / f"reports-{households}.db"
    if not copy.exists():  # SQLite's own copy: a file's copy misses what is in its WAL
        partial = copy.with_suffix(".partial")
        with closing(sqlite3.connect(source)) as read, closing(sqlite3.connect(partial)) as made:
            read.backup(made)
        partial.rename(copy)
    legs = [("SQLite", Database(f"sqlite:///{copy}"))]
    if postgres:
        legs.append(("PostgreSQL", build(postgres, households)))
    for _, database in legs:
        add_casework(database)
    return legs


def report(names: list[str], timed: list[list[tuple[str, str, float]]]) -> str:
    lines = [
        "| report | user | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for rows in zip(*timed, strict=True):
        kind, username, _ = rows[0]
        lines.append(
            f"| {kind} | {username} | " + " | ".join(f"{ms:,.0f} ms" for *_, ms in rows) + " |"
        )
    return "\n".join(lines)


def target_row(timed: list[list[tuple[str, str, float]]]) -> targets.Target:
    """The slowest report, of any user on either database, against the target."""
    kind, username, slowest = max((row for rows in timed for row in rows), key=lambda r: r[2])
    return targets.Target(
        f"every report (slowest: {kind} as {username})", slowest, TARGET_MS, "{:,.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", help="also on this PostgreSQL URL (an empty database)")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    legs = databases(args.households, args.postgres)
    timed = [time_reports(database, args.runs) for _, database in legs]
    print(f"## every report, {args.households:,} households, median of {args.runs} runs\n")
    print(report([name for name, _ in legs], timed))
    print("\n" + targets.table([target_row(timed)]))


if __name__ == "__main__":
    main()
