"""The audit trail as a hash chain, and its verification.

Every audit row carries `seq` (1, 2, 3, ... with no gaps), the previous row's hash and
its own: SHA-256 over the previous hash and the row's fields in a canonical form, where
the changes stand as their `digest` (SHA-256 of a random `nonce` and the changes). A row
changed afterwards no longer matches its digest or hash; a row removed leaves a gap in
`seq` and a broken link. Erasure empties a row's changes and nonce and keeps its digest
(`is_erased`), so the chain still verifies and the old values cannot be guessed back.
Only an erasure may empty a row: the triggers let the UPDATE through only for a row the
erasure has first written into `erasure_audit` (see hiw_tui.db.privacy.erasure), and the
erasure's own audit row ("erase") names every row it emptied under "blanked", so that
`verify_chain` finds any emptied row that no erasure vouches for. (Triggers refuse every
other UPDATE and every DELETE; the chain catches what is done around them, e.g. with the
triggers dropped or the file edited.)

The hash is an HMAC keyed with a secret kept outside the database (hiw_tui.db.audit.key),
so someone who can write SQL but not read the key cannot recompute the chain after
changing, adding or removing rows. Removing the newest rows leaves a chain that is whole
but shorter: `verify_chain` checks that a head kept elsewhere (`Kept`: `audit verify
--expect`, or its checkpoint file) is still in it. The unkeyed SHA-256 of earlier schemas
(`UNKEYED`) is kept for the upgrades that built chains with it; migration 0010 keys them.

Rows are chained when their transaction commits: `hiw_tui.db.audit.trail.record` queues them
on the session and `append_queued` (a `before_commit` hook) takes the chain's lock (on
PostgreSQL an advisory lock; an SQLite write transaction already holds the database's),
reads the head and inserts the queued rows after it. Taking the lock last, just before
commit, keeps it short and out of any deadlock with row locks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, insert, text
from sqlmodel import Session, col, select

from hiw_tui.db.audit.key import audit_key
from hiw_tui.db.core.models import AuditEvent, ErasedAudit

GENESIS = "0" * 64
UNKEYED = b""
"""The key of chains built before migration 0010: a plain SHA-256."""
VOUCHING = ("erase", "rekey")
"""Actions whose audit row names, under "blanked", the rows whose changes it emptied."""
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


def row_hash(prev_hash: str, row: dict[str, Any], key: bytes) -> str:
    """The hash of one audit row (its fields as in `AuditEvent`) after `prev_hash`: an
    HMAC-SHA256 with `key`, or a SHA-256 with `UNKEYED`."""
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
    if key == UNKEYED:
        return hashlib.sha256(body.encode()).hexdigest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


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


def chain(rows: list[dict[str, Any]], seq: int, prev_hash: str, key: bytes) -> list[dict[str, Any]]:
    """`rows` numbered and hashed with `key` after the row (`seq`, `prev_hash`); a row
    with a `nonce` gets its digest, one without keeps the `digest` it has."""
    chained = []
    for row in rows:
        seq += 1
        linked = {**row, "seq": seq, "prev_hash": prev_hash}
        if "nonce" in row:
            linked["digest"] = changes_digest(row["nonce"], row["changes"])
        prev_hash = linked["hash"] = row_hash(prev_hash, linked, key)
        chained.append(linked)
    return chained


_FIELDS = ("at", "actor_id", "action", "entity", "entity_id", "household_id", "changes")


def rebuild_chain(connection: sa.Connection, *, with_digests: bool) -> None:
    """Chain every audit row again, unkeyed, in the order written (for the upgrades to
    0006 and 0007); `with_digests` gives each row a nonce and digest."""
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
    for row in chain(rows, 0, GENESIS, UNKEYED):
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
    seq, prev_hash = _head(session)
    key = audit_key(session.connection().get_execution_options()).get(create=seq == 0)
    session.execute(insert(AuditEvent), chain(rows, seq, prev_hash, key))


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(QUEUE, None)


@dataclass(frozen=True)
class Kept:
    """A head of the chain kept outside the database: the row `seq` had `hash`."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Kept:
        """`SEQ:HASH`, as `audit verify` prints it."""
        seq, _, kept_hash = text.strip().partition(":")
        if not seq.isdigit() or len(kept_hash) != 64:
            raise ValueError(f"{text!r} is not SEQ:HASH, as audit verify prints the head")
        return cls(int(seq), kept_hash)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_seq: int
    head_hash: str
    problems: list[str]

    @property
    def head(self) -> Kept:
        return Kept(self.head_seq, self.head_hash)


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


def vouched(row: AuditEvent) -> list[int]:
    """The rows an erasure's audit row says it emptied."""
    if row.action not in VOUCHING:
        return []
    blanked = (row.changes or {}).get("blanked")
    if not isinstance(blanked, list) or len(blanked) != 2 or not isinstance(blanked[1], list):
        return []
    return [seq for seq in blanked[1] if isinstance(seq, int)]


def verify_chain(
    session: Session, *, expect: Iterable[Kept] = (), batch: int = 5_000
) -> ChainReport:
    """Walk the whole chain in order; every changed, missing or unchained row is a
    problem, and so is a row emptied by no erasure and each of `expect` not in the chain."""
    keys = audit_key(session.connection().get_execution_options())
    key = b""  # read at the first row: an empty trail needs no key (nor its file)
    problems: list[str] = []
    kept = {head.seq: head.hash for head in expect if (head.seq, head.hash) != (0, GENESIS)}
    emptied: list[int] = []
    declared: set[int] = set()
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
        erased = is_erased(event_row)
        digest_kept = erased or event_row.digest == changes_digest(
            event_row.nonce, event_row.changes
        )
        key = key or keys.get(create=False)
        if not digest_kept or row_hash(event_row.prev_hash or "", fields, key) != event_row.hash:
            problems.append(f"row {event_row.seq}: changed since it was written")
        else:
            declared.update(vouched(event_row))
        if erased:
            emptied.append(event_row.seq)
        if kept.get(event_row.seq, event_row.hash) == event_row.hash:
            kept.pop(event_row.seq, None)
        expected_seq, prev_hash = event_row.seq + 1, event_row.hash or ""
    logged = set(session.exec(select(ErasedAudit.seq)))
    for seq in emptied:
        if seq not in declared or seq not in logged:
            problems.append(f"row {seq}: its changes were emptied, but by no recorded erasure")
    for seq, kept_hash in sorted(kept.items()):
        problems.append(
            f"the kept head {seq}:{kept_hash} is not in the chain: rows were removed or changed"
        )
    return ChainReport(count, expected_seq - 1, prev_hash, problems)
