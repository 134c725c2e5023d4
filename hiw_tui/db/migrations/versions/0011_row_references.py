"""A reference on every kind of row, and the database's own name for its rows

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Export writes, and import matches, a reference for every row (see
hiw_tui.transfer.identity). A row imported from a CRM or another database keeps the
reference it came with in `ref`; a row made here has none stored, and is named by this
database's token and its id, so the token is made here, once, and never changes.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.core.append_only import allow_changes, erase_only

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = (
    "star_reading",
    "plan_goal",
    "plan_step",
    "referral",
    "outcome",
    "contact",
    "consent",
    "exit_checkin",
    "ledger_entry",
    "budget_cap",
)
APPEND_ONLY = ("ledger_entry", "budget_cap")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def upgrade() -> None:
    # In place (no table copy): rows point at these tables, and the ledger's are append-only.
    for table in TABLES:
        op.add_column(table, sa.Column("ref", sa.String(length=60), nullable=True))
        op.create_index(f"ix_{table}_ref", table, ["ref"], unique=True)
    info = op.create_table(
        "database_info",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("value", sa.String(length=200), nullable=False),
    )
    for table in APPEND_ONLY:  # their triggers name every column: made again with `ref`
        for statement in erase_only(op.get_bind(), table):
            op.execute(statement)
    token = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    op.bulk_insert(info, [{"name": "token", "value": token}])


def downgrade() -> None:
    op.drop_table("database_info")
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY:  # a trigger naming the column would stop its drop
        for statement in allow_changes(dialect, table):
            op.execute(statement)
    for table in TABLES:
        op.drop_index(f"ix_{table}_ref", table_name=table)
        op.drop_column(table, "ref")
    for table in APPEND_ONLY:
        for statement in erase_only(op.get_bind(), table):
            op.execute(statement)
