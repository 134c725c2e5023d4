"""Possible duplicates: people looked up by date of birth and by email

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Before a person is saved, the app looks for people held with the same date of birth
(then compares names), phone or email (see hiw_tui.db.households.duplicates). The date
of birth gets an index; the email is folded into an indexed key, worked out here for the
emails already held (hiw_tui.domain.duplicates.email_key), as 0009 did for phones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.domain.duplicates import email_key

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_date_of_birth", "person", ["date_of_birth"])
    key_type = sa.String(length=120).with_variant(
        sa.String(length=120, collation="C"), "postgresql"
    )
    # In place, as 0009 added the phone's key (rows refer to a person).
    op.add_column("person", sa.Column("email_key", key_type, nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column("person", "email_key", server_default=None)
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("email", sa.String))
    keys = [
        {"person_id": person_id, "key": email_key(email)}
        for person_id, email in bind.execute(
            sa.select(person.c.id, person.c.email).where(person.c.email != "")
        )
    ]
    if keys:
        bind.execute(sa.text("UPDATE person SET email_key = :key WHERE id = :person_id"), keys)
    op.create_index("ix_person_email_key", "person", ["email_key"])


def downgrade() -> None:
    op.drop_index("ix_person_email_key", table_name="person")
    op.drop_column("person", "email_key")  # in place, as it was added
    op.drop_index("ix_person_date_of_birth", table_name="person")
