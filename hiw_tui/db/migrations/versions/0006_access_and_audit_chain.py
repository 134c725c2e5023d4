"""Sign-in and SSH keys, the safe-contact flag, and the audit trail as a hash chain

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 05:49:14.386519

Existing audit rows are chained in the order they were written, then the table is made
append-only like the ledger.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from hiw_tui.db.audit.chain import rebuild_chain
from hiw_tui.db.core.append_only import allow_changes, refuse_changes

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fingerprint"),
    )
    op.create_index("ix_user_key_user_id", "user_key", ["user_id"])
    op.add_column(
        "app_user",
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    )
    op.add_column(
        "app_user",
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.add_column(
        "household",
        sa.Column("safe_contact", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # audit_event is referenced by nothing, so SQLite may rebuild it for the nullable actor.
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=True)
    rebuild_chain(op.get_bind(), with_digests=False)
    op.create_index("ix_audit_event_seq", "audit_event", ["seq"], unique=True)
    dialect = op.get_context().dialect.name
    for statement in refuse_changes(dialect, "audit_event"):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for statement in allow_changes(dialect, "audit_event"):
        op.execute(statement)
    op.drop_index("ix_audit_event_seq", "audit_event")
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    with op.batch_alter_table("household") as batch_op:
        batch_op.drop_column("safe_contact")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")
        batch_op.drop_column("password_hash")
    op.drop_index("ix_user_key_user_id", "user_key")
    op.drop_table("user_key")
