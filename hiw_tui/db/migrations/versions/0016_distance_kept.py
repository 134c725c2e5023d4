"""Distance travelled kept per household and Star area

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`star_change` holds, per household and area, how its people's latest final readings
stand against their first (see hiw_tui.db.readings.progress), worked out here for what
is already held, so the distance-travelled report gives the same figures as before the
upgrade. `household.star_latest_on`, its people's latest final reading, tells the
report the households with a reading after its as-of date, which it compares from
their readings.

Both are worked out by 0019, from the first scores it keeps with the readings.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "star_change",
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("people", "first_total", "latest_total", "improved", "held", "fell")
        ),
        sa.PrimaryKeyConstraint("household_id", "area"),
    )
    op.add_column("household", sa.Column("star_latest_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("household", "star_latest_on")
    op.drop_table("star_change")
