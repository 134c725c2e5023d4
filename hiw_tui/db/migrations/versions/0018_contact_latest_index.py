"""A household's contacts indexed to the newest one

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

`ix_contact_household_on` gains the contact's id after its date, so finding a
household's latest contact (the newest day, and of one day the last recorded: the
welfare checks report and the next contact due) is one step down the index, with
nothing left to sort.
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contact_household_on", table_name="contact")
    op.create_index("ix_contact_household_on", "contact", ["household_id", "contacted_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_contact_household_on", table_name="contact")
    op.create_index("ix_contact_household_on", "contact", ["household_id", "contacted_on"])
