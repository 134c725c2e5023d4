"""Each final reading's scores keep the person's first scores

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02

`star_score.first_score` holds, on each score of a final reading that is not the
person's first under its framework, the same area's score in that first reading (see
hiw_tui.db.readings.progress), so distance travelled as of a past date reads each
person's latest reading by then and no other. Worked out here for what is already held,
with each household's distance travelled (`star_change`) from them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.readings.progress import refresh_changes, refresh_first_scores

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("star_score", sa.Column("first_score", sa.Integer(), nullable=True))
    refresh_first_scores(op.get_bind(), None)
    refresh_changes(op.get_bind(), None)


def downgrade() -> None:
    op.drop_column("star_score", "first_score")
