"""Who took part in a contact as household members; programmes before HiW as codes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

`contact.participant_ids` lists the household members who took part in a contact (their
`person.id`s), beside the free text `participants`, which stays for anyone else there.
`household.previous_programme_codes` lists the codes of the programmes the household
took part in before HiW (`hiw_tui.domain.codes.Programme`), beside the free text
`previous_programmes`, which stays for any other. Both are JSON lists, as a person's
benefits are, filled with an empty list: what was typed before stays free text as it
was, since a name or programme written freely cannot be told for sure.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = (("contact", "participant_ids"), ("household", "previous_programme_codes"))


def upgrade() -> None:
    for table, column in _COLUMNS:
        op.add_column(table, sa.Column(column, sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table, column in _COLUMNS:
        op.drop_column(table, column)
