"""What an erasure does to the audit trail, and the files it lists.

An audit row is emptied (its changes and nonce; its digest stays, so the chain still
verifies) only after the erasure has written its seq into `erasure_audit`: the triggers
refuse to empty any other (see hiw_tui.db.core.append_only). The erasure's own audit
row then names the rows it emptied, under "blanked", for `audit verify` to check each
emptied row against (see hiw_tui.db.audit.chain). Erasure rows hold only ids and are
never emptied.

The files: every file the app writes is recorded as an audit row (action "file"; its
kind as entity; `household_id` when it is about one household; changes {"path": [None,
PATH]}). An erasure lists the files that may hold what it erased: those about the
household, and every export and report written since the household was created, read
before the rows are emptied. It lists them rather than deleting them: a file may have
been moved, shared or kept by law elsewhere, and one file holds many households; the
person running the erasure deletes or amends each (see the README, "Retention and
erasure").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, update
from sqlmodel import Session, SQLModel, col, select

from hiw_tui.db.audit.chain import VOUCHING
from hiw_tui.db.core.models import AuditEvent, ErasedAudit, Person
from hiw_tui.domain.classification import Erase, table_columns

WIDE_FILES = ("export", "report")
"""Kinds of file that hold many households: each written since a household was created
may hold it."""
_IDENTIFYING = ("given_name", "family_name", "reference", "address", "postcode", "phone")
_CHUNK = 500


def emptied(model: type[SQLModel]) -> dict[str, Any]:
    """The values that empty `model`'s columns the classification marks to be emptied."""
    table = model.__table__  # type: ignore[attr-defined]  # set on every table=True model
    values: dict[str, Any] = {}
    for name in table_columns(table.name, Erase.BLANK):
        column = table.c[name]
        values[name] = None if column.nullable else {} if name == "changes" else ""
    return values


def words(people: Iterable[Person]) -> set[str]:
    """What identifies these people in free text (folded; 3 letters or more)."""
    found = set()
    for person in people:
        for name in _IDENTIFYING:
            value = (getattr(person, name) or "").strip().casefold()
            if len(value) >= 3:
                found.add(value)
    return found


def names_any(text: Any, found: set[str]) -> bool:
    """`text` (any value, as text) names one of `found`."""
    folded = str(text).casefold()
    return any(word in folded for word in found)


def written_files(session: Session, *, household_id: int, created_at: datetime) -> list[str]:
    """The paths of the files the app wrote that may hold the household's records."""
    rows = session.exec(
        select(AuditEvent.changes)
        .where(
            AuditEvent.action == "file",
            AuditEvent.nonce != "",
            or_(
                col(AuditEvent.household_id) == household_id,
                and_(
                    col(AuditEvent.entity).in_(WIDE_FILES),
                    col(AuditEvent.at) >= created_at,
                ),
            ),
        )
        .order_by(col(AuditEvent.seq))
    )
    paths: dict[str, None] = {}
    for changes in rows:
        path = (changes or {}).get("path")
        if isinstance(path, list) and len(path) == 2 and isinstance(path[1], str):
            paths[path[1]] = None
    return list(paths)


def rows_to_empty(session: Session, where: Any, naming: set[str] | None = None) -> list[int]:
    """The seqs of the audit rows matching `where` that hold changes not yet emptied
    (with `naming`, only those whose changes name one of its words)."""
    rows = session.exec(
        select(AuditEvent.seq, AuditEvent.changes).where(
            where,
            AuditEvent.nonce != "",
            col(AuditEvent.action).not_in(VOUCHING),
            col(AuditEvent.seq).is_not(None),
        )
    )
    return [
        seq
        for seq, changes in rows
        if seq is not None and changes and (naming is None or names_any(changes, naming))
    ]


def empty_rows(session: Session, erasure_id: int, seqs: Iterable[int]) -> list[int]:
    """Record then empty the audit rows `seqs` for the erasure `erasure_id`; their seqs."""
    ordered = sorted(set(seqs))
    values = emptied(AuditEvent)
    for start in range(0, len(ordered), _CHUNK):
        part = ordered[start : start + _CHUNK]
        session.execute(
            insert(ErasedAudit), [{"seq": seq, "erasure_id": erasure_id} for seq in part]
        )
        session.execute(update(AuditEvent).where(col(AuditEvent.seq).in_(part)).values(values))
    return ordered
