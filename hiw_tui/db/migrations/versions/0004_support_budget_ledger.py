"""Support budget ledger: budgets, caps, entries and decisions, the last three append-only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:26:39.805952
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from hiw_tui.db.core.append_only import allow_changes, refuse_changes

APPEND_ONLY = ("budget_cap", "ledger_entry", "ledger_decision")


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("cap_pence", sa.Integer(), nullable=False),
        sa.Column("spent_pence", sa.Integer(), nullable=False),
        sa.Column("committed_pence", sa.Integer(), nullable=False),
        sa.CheckConstraint("spent_pence + committed_pence <= cap_pence", name="ck_budget_cap"),
        sa.CheckConstraint("spent_pence >= 0 AND committed_pence >= 0", name="ck_budget_positive"),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("household_id"),
    )
    op.create_table(
        "budget_cap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("cap_pence", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["set_by"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("budget_cap", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_cap_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("payee", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("receipt_ref", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.CheckConstraint("amount_pence > 0", name="ck_ledger_entry_amount"),
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
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["ledger_entry.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
        sa.UniqueConstraint("reverses_id"),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_entry_household_on", ["household_id", "spent_on"], unique=False
        )
        batch_op.create_index("ix_ledger_entry_spent_on", ["spent_on"], unique=False)

    op.create_table(
        "ledger_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ledger_entry.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id"),
    )
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY:
        for statement in refuse_changes(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY:
        for statement in allow_changes(dialect, table):
            op.execute(statement)
    op.drop_table("ledger_decision")
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_entry_spent_on")
        batch_op.drop_index("ix_ledger_entry_household_on")

    op.drop_table("ledger_entry")
    with op.batch_alter_table("budget_cap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_cap_household_id"))

    op.drop_table("budget_cap")
    op.drop_table("budget")
