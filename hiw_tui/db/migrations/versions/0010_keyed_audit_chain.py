"""A keyed audit chain, and audit rows emptied only by a recorded erasure

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

The audit rows already written are chained again in their order with the audit key
(HMAC-SHA256; see hiw_tui.db.audit.key for where the key is kept, made here on first use).
`erasure_audit` records each audit row an erasure empties, and the audit table's
triggers let a row be emptied only once it is recorded there. Rows emptied before this
upgrade are recorded without an erasure and vouched for by one "rekey" audit row, added
only when there are such rows. The downgrade chains the rows again without the key.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from alembic import op

from hiw_tui.db.audit.chain import GENESIS, UNKEYED, chain
from hiw_tui.db.audit.key import audit_key
from hiw_tui.db.core.append_only import (
    ERASURE_RECORDED,
    allow_changes,
    erase_only,
    refuse_changes,
)
from hiw_tui.db.core.models import utcnow

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_LINKS = ("seq", "prev_hash", "hash")
_AUDIT = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("seq", sa.Integer()),
    *(sa.column(name, sa.String()) for name in ("prev_hash", "hash", "nonce", "digest")),
    *(sa.column(name, sa.String()) for name in ("action", "entity")),
    *(sa.column(name, sa.Integer()) for name in ("actor_id", "entity_id", "household_id")),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("changes", sa.JSON()),
)
_ERASED = sa.table("erasure_audit", sa.column("seq", sa.Integer()))


def _rechain(bind: sa.Connection, key: bytes) -> tuple[list[dict[str, Any]], list[int]]:
    """Chain every audit row again with `key`, keeping each row's digest; the rows, and
    the seqs of those whose changes were emptied (see `is_erased`)."""
    rows, emptied = [], []
    for row in bind.execute(sa.select(_AUDIT).order_by(_AUDIT.c.seq, _AUDIT.c.id)):
        fields = dict(row._mapping)
        nonce = fields.pop("nonce")  # without it, `chain` keeps the digest the row has
        rows.append(fields)
        if not nonce and not fields["changes"] and fields["digest"]:
            emptied.append(len(rows))
    chained = chain(rows, 0, GENESIS, key)
    for row in chained:
        bind.execute(
            _AUDIT.update()
            .where(_AUDIT.c.id == row["id"])
            .values({name: row[name] for name in _LINKS})
        )
    return chained, emptied


def upgrade() -> None:
    op.create_table(
        "erasure_audit",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("erasure_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["erasure_id"], ["erasure.id"]),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_erasure_audit_erasure_id", "erasure_audit", ["erasure_id"])
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in allow_changes(dialect, "audit_event"):
        op.execute(statement)
    if bind.execute(sa.select(sa.func.count()).select_from(_AUDIT)).scalar():
        key = audit_key(bind.get_execution_options()).get(create=True)
        chained, emptied = _rechain(bind, key)
        if emptied:
            bind.execute(sa.insert(_ERASED), [{"seq": seq} for seq in emptied])
            last = chained[-1]
            row = {
                "at": utcnow(),
                "actor_id": None,
                "action": "rekey",
                "entity": "audit",
                "entity_id": 0,
                "household_id": None,
                "changes": {"blanked": [None, emptied]},
                "nonce": secrets.token_hex(16),
            }
            (linked,) = chain([row], last["seq"], last["hash"], key)
            bind.execute(sa.insert(_AUDIT).values(linked))
    for statement in erase_only(bind, "audit_event", ERASURE_RECORDED):
        op.execute(statement)
    for statement in refuse_changes(dialect, "erasure_audit"):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in allow_changes(dialect, "audit_event"):
        op.execute(statement)
    _rechain(bind, UNKEYED)
    for statement in [*erase_only(bind, "audit_event"), *allow_changes(dialect, "erasure_audit")]:
        op.execute(statement)
    op.drop_index("ix_erasure_audit_erasure_id", "erasure_audit")
    op.drop_table("erasure_audit")
