"""Star progress kept with the readings and the people, and indexes for the reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Each final reading gains its count of areas better than the person's first reading, and
each person their latest final reading's date and count, worked out here for what is
already held (see hiw_tui.db.readings.progress), so the performance report gives the
same figures as before the upgrade. Three indexes gain the columns the report reads, so
it reads the indexes alone; two more serve the household list's "reading due" filter
and its search by postcode.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.readings.progress import refresh_better_areas

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


READING = ("ix_star_reading_person_taken", "star_reading", ["person_id", "taken_on"])
STEP = ("ix_plan_step_household_status", "plan_step", ["household_id", "status"])
HOUSEHOLD = ("ix_household_status", "household", ["status"])


def upgrade() -> None:
    op.add_column("star_reading", sa.Column("better_areas", sa.Integer(), nullable=True))
    op.add_column("person", sa.Column("star_latest_on", sa.Date(), nullable=True))
    op.add_column("person", sa.Column("star_better_areas", sa.Integer(), nullable=True))
    refresh_better_areas(op.get_bind(), None)
    for name, table, columns, more in (
        (*READING, ["id", "status", "better_areas"]),
        (*STEP, ["done_on"]),
        (*HOUSEHOLD, ["start_date"]),
    ):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [*columns, *more])
    op.create_index("ix_household_due", "household", ["status", "star_scored_through"])
    op.create_index(
        "ix_household_safe_contact",
        "household",
        ["advocate_id"],
        sqlite_where=sa.text("safe_contact = 1"),
        postgresql_where=sa.text("safe_contact"),
    )


def downgrade() -> None:
    op.drop_index("ix_household_due", table_name="household")
    op.drop_index("ix_household_safe_contact", table_name="household")
    for name, table, columns in (READING, STEP, HOUSEHOLD):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    op.drop_column("star_reading", "better_areas")
    op.drop_column("person", "star_better_areas")
    op.drop_column("person", "star_latest_on")
