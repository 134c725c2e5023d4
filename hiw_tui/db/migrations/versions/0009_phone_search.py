"""Search by phone number: each person's phone folded into an indexed key

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The household list finds a household by a member's phone number from its start, as
it does by postcode; the key is worked out here for the phones already held (see
hiw_tui.domain.text.phone_key).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.domain.text import phone_key

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    key_type = sa.String(length=120).with_variant(
        sa.String(length=120, collation="C"), "postgresql"
    )
    # Added in place, not by copying the table (SQLite's batch mode), which the rows
    # that refer to a person forbid; the default fills the rows held, and goes where the
    # database can drop it (SQLite cannot without the copy, and the key is always set).
    op.add_column("person", sa.Column("phone_key", key_type, nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column("person", "phone_key", server_default=None)
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("phone", sa.String))
    keys = [
        {"person_id": person_id, "key": phone_key(phone)}
        for person_id, phone in bind.execute(
            sa.select(person.c.id, person.c.phone).where(person.c.phone != "")
        )
    ]
    if keys:
        bind.execute(sa.text("UPDATE person SET phone_key = :key WHERE id = :person_id"), keys)
    op.create_index("ix_person_phone_key", "person", ["phone_key"])


def downgrade() -> None:
    op.drop_index("ix_person_phone_key", table_name="person")
    op.drop_column("person", "phone_key")  # in place, as it was added
