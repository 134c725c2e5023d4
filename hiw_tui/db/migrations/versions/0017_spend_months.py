"""Spending kept per advocate, area, month and category

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

`spend_month` holds the spend report's groups (see hiw_tui.db.ledger.monthly), worked
out here from the ledger already held, so the report gives the same figures as before
the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.ledger.monthly import restate_spend_months

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spend_month",
        sa.Column("advocate_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("local_authority", sa.String(length=32), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("entries", "spent_pence", "waiting_pence")
        ),
        sa.PrimaryKeyConstraint("advocate_id", "local_authority", "month", "category"),
    )
    restate_spend_months(op.get_bind(), None)


def downgrade() -> None:
    op.drop_table("spend_month")
