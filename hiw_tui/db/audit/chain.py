"""The audit trail as a hash chain, and its verification.

Every audit row carries `seq` (1, 2, 3, ... with no gaps), the previous row's hash and
its own: SHA-256 over the previous hash and the row's fields in a canonical form, where
the changes stand as their `digest` (SHA-256 of a random `nonce` and the changes). A row
changed afterwards no longer matches its digest or hash; a row removed leaves a gap in
`seq` and a broken link. Erasure empties a row's changes and nonce and keeps its digest
(`is_erased`), so the chain still verifies and the old values cannot be guessed back.
(Triggers refuse any other UPDATE and every DELETE; the chain catches what is done
around them, e.g. with the triggers dropped or the file edited.)

Rows are chained when their transaction commits: `hiw_tui.db.audit.trail.record` queues them
on the session and `append_queued` (a `before_commit` hook) takes the chain's lock (on
PostgreSQL an advisory lock; an SQLite write transaction already holds the database's),
reads the head and inserts the queued rows after it. Taking the lock last, just before
commit, keeps it short and out of any deadlock with row locks.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, insert, text
from sqlmodel import Session, col, select

from hiw_tui.db.core.models import AuditEvent

GENESIS = "0" * 64
QUEUE = "hiw_audit_queue"
_PG_LOCK = 7_146_923  # any constant: the advisory lock every audited transaction takes


def normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` as it will read back from the database's JSON column."""
    normal: dict[str, Any] = json.loads(json.dumps(changes))
    return normal


def _utc_text(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def changes_digest(nonce: str, changes: dict[str, Any]) -> str:
    canonical = json.dumps(changes, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((nonce + canonical).encode()).hexdigest()


def is_erased(row: AuditEvent) -> bool:
    """The row's changes were erased (its digest stands for them)."""
    return not row.nonce and not row.changes and bool(row.digest)


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The hash of one audit row (its fields as in `AuditEvent`) after `prev_hash`."""
    digest = row.get("digest") or changes_digest(row.get("nonce") or "", row["changes"])
    body = json.dumps(
        [
            prev_hash,
            row["seq"],
            _utc_text(row["at"]),
            row["actor_id"],
            row["action"],
            row["entity"],
            row["entity_id"],
            row["household_id"],
            digest,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def queue(session: Session, row: dict[str, Any]) -> None:
    session.info.setdefault(QUEUE, []).append({**row, "nonce": secrets.token_hex(16)})


def _head(session: Session) -> tuple[int, str]:
    last = session.exec(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(col(AuditEvent.seq).is_not(None))
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).first()
    return (last[0] or 0, last[1] or GENESIS) if last else (0, GENESIS)


def chain(rows: list[dict[str, Any]], seq: int, prev_hash: str) -> list[dict[str, Any]]:
    """`rows` numbered and hashed after the row (`seq`, `prev_hash`)."""
    chained = []
    for row in rows:
        seq += 1
        linked = {**row, "seq": seq, "prev_hash": prev_hash}
        if "nonce" in row:
            linked["digest"] = changes_digest(row["nonce"], row["changes"])
        prev_hash = linked["hash"] = row_hash(prev_hash, linked)
        chained.append(linked)
    return chained


_FIELDS = ("at", "actor_id", "action", "entity", "entity_id", "household_id", "changes")


def rebuild_chain(connection: sa.Connection, *, with_digests: bool) -> None:
    """Chain every audit row again in the order written (for a schema upgrade that
    changes what the hash covers); `with_digests` gives each row a nonce and digest."""
    links = ["seq", "prev_hash", "hash", *(["nonce", "digest"] if with_digests else [])]
    audit = sa.table(
        "audit_event",
        sa.column("id", sa.Integer()),
        *(sa.column(name, sa.Integer() if name == "seq" else sa.String()) for name in links),
        sa.column("at", sa.DateTime(timezone=True)),
        *(sa.column(name) for name in _FIELDS[1:6]),
        sa.column("changes", sa.JSON()),
    )
    written = connection.execute(
        sa.select(audit.c.id, *(audit.c[name] for name in _FIELDS)).order_by(
            audit.c.seq, audit.c.id
        )
    )
    rows = [
        {**row._mapping, **({"nonce": secrets.token_hex(16)} if with_digests else {})}
        for row in written
    ]
    for row in chain(rows, 0, GENESIS):
        connection.execute(
            audit.update()
            .where(audit.c.id == row["id"])
            .values({name: row[name] for name in links})
        )


@event.listens_for(Session, "before_commit")
def append_queued(session: Session) -> None:
    rows = session.info.pop(QUEUE, None)
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    session.execute(insert(AuditEvent), chain(rows, *_head(session)))


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(QUEUE, None)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_seq: int
    head_hash: str
    problems: list[str]


def _stream(session: Session, batch: int) -> Iterator[AuditEvent]:
    after: int | None = None
    while True:
        statement = select(AuditEvent).order_by(col(AuditEvent.seq).asc().nulls_first())
        if after is not None:
            statement = statement.where(col(AuditEvent.seq) > after)
        rows = list(session.exec(statement.limit(batch)))
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].seq


def verify_chain(session: Session, *, batch: int = 5_000) -> ChainReport:
    """Walk the whole chain in order; every changed, missing or unchained row is a problem."""
    problems: list[str] = []
    count, expected_seq, prev_hash = 0, 1, GENESIS
    for event_row in _stream(session, batch):
        count += 1
        if event_row.seq is None:
            problems.append(f"row {event_row.id}: not in the chain (no sequence number)")
            continue
        if event_row.seq != expected_seq:
            missing = f"{expected_seq}" + (
                f"-{event_row.seq - 1}" if event_row.seq - 1 > expected_seq else ""
            )
            problems.append(f"row {missing} missing (the chain jumps to {event_row.seq})")
        if event_row.prev_hash != prev_hash and event_row.seq == expected_seq:
            problems.append(f"row {event_row.seq}: its link to the row before is broken")
        fields = event_row.model_dump()
        digest_kept = is_erased(event_row) or event_row.digest == changes_digest(
            event_row.nonce, event_row.changes
        )
        if not digest_kept or row_hash(event_row.prev_hash or "", fields) != event_row.hash:
            problems.append(f"row {event_row.seq}: changed since it was written")
        expected_seq, prev_hash = event_row.seq + 1, event_row.hash or ""
    return ChainReport(count, expected_seq - 1, prev_hash, problems)
