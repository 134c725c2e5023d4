"""Consent, the erasure log, and audit rows whose changes erasure can empty

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

Audit rows gain a nonce and a digest of their changes, and the chain is rebuilt over the
digests (see hiw_tui.db.audit.chain). The append-only tables' triggers are recreated to
let erasure empty their personal free text and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.audit.chain import rebuild_chain
from hiw_tui.db.core.append_only import erase_only, refuse_changes

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ERASABLE = ("audit_event", "budget_cap", "ledger_entry", "ledger_decision")


def upgrade() -> None:
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.ForeignKeyConstraint(["partner_id"], ["partner.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_household_id", "consent", ["household_id"])
    op.create_index("ix_consent_person_purpose", "consent", ["person_id", "purpose", "partner_id"])
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_erasure_household_id", "erasure", ["household_id"])
    op.add_column("household", sa.Column("erased_on", sa.Date(), nullable=True))
    op.add_column("person", sa.Column("erased_on", sa.Date(), nullable=True))
    op.add_column(
        "referral",
        sa.Column("consent_override", sa.String(length=200), nullable=False, server_default=""),
    )
    dialect = op.get_context().dialect.name
    for table in ERASABLE:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.add_column(
        "audit_event",
        sa.Column("nonce", sa.String(length=32), nullable=False, server_default=""),
    )
    op.add_column(
        "audit_event",
        sa.Column("digest", sa.String(length=64), nullable=False, server_default=""),
    )
    rebuild_chain(op.get_bind(), with_digests=True)
    for table in ERASABLE:
        for statement in erase_only(op.get_bind(), table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for table in ERASABLE:
        for statement in refuse_changes(dialect, table):
            op.execute(statement)
    with op.batch_alter_table("referral") as batch_op:
        batch_op.drop_column("consent_override")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("erased_on")
    with op.batch_alter_table("household") as batch_op:
        batch_op.drop_column("erased_on")
    op.drop_index("ix_erasure_household_id", "erasure")
    op.drop_table("erasure")
    op.drop_index("ix_consent_person_purpose", "consent")
    op.drop_index("ix_consent_household_id", "consent")
    op.drop_table("consent")
    # audit_event keeps its nonce and digest columns: the chain is built over them.
