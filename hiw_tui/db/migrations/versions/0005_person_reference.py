"""A person's reference in the area's CRM, so that re-importing updates, not duplicates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column and a unique index: no table rebuild, so rows that point at people stay put
    op.add_column("person", sa.Column("reference", sa.String(length=40), nullable=True))
    op.create_index("ix_person_reference", "person", ["reference"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_person_reference", table_name="person")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("reference")
