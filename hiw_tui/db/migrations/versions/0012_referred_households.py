"""Referred households: no start date until they start, and the day of the referral

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

A household only referred has not started, so `household.start_date` may be empty;
`household.referred_on` is the day the referral was received. Rows point at households,
so the table is changed in place, not copied (SQLite's batch mode, which would have to
drop the table they point at). SQLite cannot drop NOT NULL in place: there the column
is renamed, a nullable one added under its name and filled, and the old one dropped.

The downgrade gives a household without a start date its referral date (else the day
it was entered) as the start date the older schema needs; SQLite keeps the column
nullable, as the older version always fills it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_household_start_date", ["start_date"]),
    ("ix_household_status", ["status", "start_date"]),
)
_HELD = "start_date_held"
"""The old column's name while its dates are copied into the new one (SQLite)."""


def _start_date_nullable_on_sqlite() -> None:
    for name, _ in _INDEXES:  # a column in an index cannot be dropped
        op.drop_index(name, table_name="household")
    op.execute(f"ALTER TABLE household RENAME COLUMN start_date TO {_HELD}")
    op.add_column("household", sa.Column("start_date", sa.Date(), nullable=True))
    op.execute(f"UPDATE household SET start_date = {_HELD}")
    op.drop_column("household", _HELD)
    for name, columns in _INDEXES:
        op.create_index(name, "household", columns)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _start_date_nullable_on_sqlite()
    else:
        op.alter_column("household", "start_date", existing_type=sa.Date(), nullable=True)
    op.add_column("household", sa.Column("referred_on", sa.Date(), nullable=True))


def downgrade() -> None:
    household = sa.table(
        "household",
        sa.column("id", sa.Integer()),
        sa.column("start_date", sa.Date()),
        sa.column("referred_on", sa.Date()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    unstarted = sa.select(household.c.id, household.c.referred_on, household.c.created_at)
    for household_id, referred_on, created_at in bind.execute(
        unstarted.where(household.c.start_date.is_(None))
    ).all():
        bind.execute(
            household.update()
            .where(household.c.id == household_id)
            .values(start_date=referred_on or created_at.date())
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("household", "start_date", existing_type=sa.Date(), nullable=False)
    op.drop_column("household", "referred_on")
