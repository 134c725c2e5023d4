"""Each person keeps how many needs they hold

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04

The cohort profile counts people by how many support needs each holds. Counted from
`person_need` for every person of the started households, then grouped with their age,
gender and the rest, it took most of the profile's second at 100,000 households;
`person.need_count` holds the count, restated with the household's summary (see
hiw_tui.db.households.people.refresh_summaries). Worked out here for what is held.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.households.people import refresh_need_counts

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "person", sa.Column("need_count", sa.Integer(), nullable=False, server_default="0")
    )
    refresh_need_counts(op.get_bind(), None)


def downgrade() -> None:
    op.drop_column("person", "need_count")
