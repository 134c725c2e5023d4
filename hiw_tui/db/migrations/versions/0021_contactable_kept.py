"""Each person keeps whether they may be contacted

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04

The welfare checks report asks, for each member of a contacted household, whether a
consent to be contacted stands. `person.contact_consent_on` (the latest day of their
consent rows for a way of contact) and `person.contactable` (whether one stands once
all are read) answer it for a report as of that day or later (see
hiw_tui.db.privacy.contactable); worked out here for the consents already held.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.privacy.contactable import refresh_contactable

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("contact_consent_on", sa.Date(), nullable=True))
    op.add_column("person", sa.Column("contactable", sa.Boolean(), nullable=True))
    refresh_contactable(op.get_bind(), None)


def downgrade() -> None:
    op.drop_column("person", "contactable")
    op.drop_column("person", "contact_consent_on")
