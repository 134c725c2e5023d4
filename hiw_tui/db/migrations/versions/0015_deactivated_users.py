"""Deactivated users: when a leaver's account was deactivated

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

`app_user.deactivated_at` tells a leaver (deactivated by a supervisor or manager, with
`active` false) from an account only locked by an administrator (`active` false too,
and no date). Rows point at users, so the column is added in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "app_user", sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    # The older schema keeps a leaver inactive, without the date.
    op.drop_column("app_user", "deactivated_at")
