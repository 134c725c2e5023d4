"""Build a demo database: users for every area and households drawn from the published
profile over the programme's history (see `hiw_tui.demo`).

A seed and a `today` always give the same database. Rows are drawn in batches with their
ids assigned in Python and inserted as plain batches; budgets move only through the
ledger's posting function and referrals are made through the referral import's path,
which checks the consent each needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select, text, update
from sqlmodel import Session

from hiw_tui.db.access.auth import hash_password
from hiw_tui.db.access.users import add_user, get_user
from hiw_tui.db.casework.models import Partner
from hiw_tui.db.casework.referrals import import_referrals
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.households.people import refresh_need_counts
from hiw_tui.db.ledger.posting import post
from hiw_tui.db.privacy.contactable import refresh_contactable
from hiw_tui.db.readings.progress import refresh_progress
from hiw_tui.demo import places
from hiw_tui.demo.households import Drawer
from hiw_tui.demo.ledger import POLICY
from hiw_tui.demo.referrals import DEMO_PARTNERS
from hiw_tui.demo.rows import TABLES, Rows
from hiw_tui.domain.codes import UserRole

BATCH = 5_000
DEMO_MANAGER = "manager"
DEMO_AUDITOR = "auditor"
DEMO_PASSWORD = "demo-password"
"""Every demo user's password (the demo's data is fictional)."""
_SEQUENCES = (
    *("household", "person", "star_reading", "plan", "plan_goal", "plan_step", "outcome"),
    *("ledger_entry", "contact", "exit_checkin", "referral", "partner"),
)
"""PostgreSQL tables whose ids the demo gives: their sequences move on past them."""


class DemoRefused(Exception):
    """The target database already holds households: the demo never mixes with real data."""


@dataclass(frozen=True)
class DemoSummary:
    households: int
    people: int
    users: int


@dataclass(frozen=True)
class _Staff:
    manager: UserPublic
    advocates: dict[str, list[int]]
    supervisors: dict[str, int]

    @property
    def users(self) -> int:
        return sum(len(ids) for ids in self.advocates.values()) + len(self.supervisors) + 2


def _add_users(session: Session) -> _Staff:
    add_user(
        session, username=DEMO_MANAGER, display_name="Pat Manager", role=UserRole.PROGRAMME_MANAGER
    )
    add_user(session, username=DEMO_AUDITOR, display_name="Alex Auditor", role=UserRole.AUDITOR)
    advocates: dict[str, list[int]] = {}
    supervisors: dict[str, int] = {}
    for area, count in places.ADVOCATES_PER_AREA.items():
        supervisors[area.value] = add_user(
            session,
            username=f"supervisor.{area.value}",
            display_name=f"{area.label} Supervisor",
            role=UserRole.SUPERVISOR,
            local_authority=area,
        ).id
        advocates[area.value] = [
            add_user(
                session,
                username=f"advocate.{area.value}.{n}",
                display_name=places.ADVOCATE_NAMES[area][n - 1],
                role=UserRole.ADVOCATE,
                local_authority=area,
            ).id
            for n in range(1, count + 1)
        ]
    session.execute(update(User).values(password_hash=hash_password(DEMO_PASSWORD)))
    manager = get_user(session, username=DEMO_MANAGER)
    return _Staff(manager, advocates, supervisors)


def _add_partners(session: Session) -> None:
    session.execute(
        insert(Partner.__table__),  # type: ignore[attr-defined]
        [
            {
                "id": id_,
                "name": name,
                "kind": kind.value,
                "contact": "",
                "active": True,
                "version": 1,
            }
            for id_, name, kind, _ in DEMO_PARTNERS
        ],
    )


def _write(session: Session, staff: _Staff, rows: Rows) -> None:
    """Insert a batch's rows (parents first), make its referrals, post its budgets."""
    for name, model in TABLES.items():
        if getattr(rows, name):
            session.execute(insert(model.__table__), getattr(rows, name))
    if rows.referrals:
        import_referrals(session, actor=staff.manager, rows=rows.referrals)
    post(session, actor=staff.manager, policy=POLICY, postings=rows.postings)
    if rows.decisions:
        post(session, actor=staff.manager, policy=POLICY, postings=rows.decisions)
    households = [row["id"] for row in rows.households]
    refresh_progress(session, households)
    refresh_contactable(session, households)
    refresh_need_counts(session, households)


def build_demo(
    database: Database, *, households: int, seed: int, today: date, reading_weeks: int = 12
) -> DemoSummary:
    """Fill an empty (migrated) database with demo users and `households` households
    started over the programme's history up to `today`, each person's Star read about
    every `reading_weeks` weeks (the programme's 12 by default; the benchmarks read more
    often, for the volume of a long-running service)."""
    with database.engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Household)):
            raise DemoRefused(
                "This database already holds households; the demo needs an empty one."
            )
    people = 0
    with Session(database.engine) as session, session.begin():
        staff = _add_users(session)
        _add_partners(session)
        drawer = Drawer(
            seed=seed,
            today=today,
            households=households,
            advocates=staff.advocates,
            supervisors=staff.supervisors,
            reading_weeks=reading_weeks,
        )
        rows = Rows()
        for household_id in range(1, households + 1):
            drawer.household(household_id, rows)
            if len(rows.households) >= BATCH or household_id == households:
                _write(session, staff, rows)
                people += len(rows.people)
                rows = Rows()
        if database.engine.dialect.name == "postgresql":
            for serial in _SEQUENCES:
                last = f"(SELECT coalesce(max(id), 0) + 1 FROM {serial})"
                session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{serial}', 'id'), {last}, false)")
                )
    # Fresh statistics, so the query planner knows how selective each index is; on
    # PostgreSQL a vacuum too (outside a transaction), so covering indexes answer alone.
    if database.engine.dialect.name == "postgresql":
        outside = database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with outside as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return DemoSummary(households=households, people=people, users=staff.users)
