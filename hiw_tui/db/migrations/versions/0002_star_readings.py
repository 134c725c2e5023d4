"""Star readings: readings, their scores, and the household's reading-due summary

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:21:55.238289
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "star_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "framework_version", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False
        ),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("completed_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("star_reading", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_star_reading_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            "ix_star_reading_person_taken", ["person_id", "taken_on"], unique=False
        )

    op.create_table(
        "star_score",
        sa.Column("reading_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reading_id"],
            ["star_reading.id"],
        ),
        sa.PrimaryKeyConstraint("reading_id", "area"),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(sa.Column("star_scored_through", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_household_star_scored_through"), ["star_scored_through"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_star_scored_through"))
        batch_op.drop_column("star_scored_through")

    op.drop_table("star_score")
    with op.batch_alter_table("star_reading", schema=None) as batch_op:
        batch_op.drop_index("ix_star_reading_person_taken")
        batch_op.drop_index(batch_op.f("ix_star_reading_household_id"))

    op.drop_table("star_reading")
