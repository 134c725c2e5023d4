"""`hiw-tui import DIR`: read, check and match every row, then write them all in one
transaction, or nothing.

New rows go in as batched inserts (100,000 households take minutes, not hours); rows
whose refs are already in the database are updated where they differ, each update
audited with its old and new values. The import as a whole is audited once, with what it
created. With `partial`, the good rows are written and the bad ones (and the rows that
depend on them) left out; every problem is still reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from hiw_tui.db.audit import trail
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Forbidden
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.framework import Framework
from hiw_tui.transfer.match import Matched, match
from hiw_tui.transfer.parse import Parsed, Problem, parse_directory
from hiw_tui.transfer.write import Writer

Progress = Callable[[str, int, int], None]
"""progress(what, done, total), called as each batch is written."""
IMPORT_LOCK = 4_812_337
"""PostgreSQL advisory lock held by an import: two imports never interleave."""


@dataclass
class ImportResult:
    problems: list[Problem]
    written: bool
    counts: dict[str, list[int]] = field(default_factory=dict)
    """file -> [created, updated, unchanged]"""
    new_advocates: list[str] = field(default_factory=list)


def import_directory(
    database: Database,
    *,
    actor: UserPublic,
    folder: Path,
    today: date,
    framework: Framework,
    policy: BudgetPolicy,
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    if not actor.can(Permission.OVERSEE):
        raise Forbidden("Only a supervisor (for their area) or a programme manager can import.")
    parsed = parse_directory(folder, today=today, progress=progress)
    return database.write(
        _import,
        actor=actor,
        parsed=parsed,
        folder=folder,
        settings=(framework, today, policy),
        partial=partial,
        progress=progress,
    )


def _import(
    session: Session,
    *,
    actor: UserPublic,
    parsed: Parsed,
    folder: Path,
    settings: tuple[Framework, date, BudgetPolicy],
    partial: bool,
    progress: Progress | None,
) -> ImportResult:
    """Match, then (with no problems, or `partial`) write: all in one transaction."""
    framework, today, policy = settings
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    matched = match(session, actor, parsed, policy)
    problems = sorted(parsed.problems + matched.problems)
    if problems and not partial:
        return ImportResult(problems, written=False)
    writer = Writer(session, actor, matched, framework, today, policy, progress)
    writer.write_all()
    _audit(session, actor, folder, matched, writer)
    return ImportResult(
        problems, written=True, counts=writer.counts, new_advocates=sorted(matched.new_advocates)
    )


def _audit(
    session: Session, actor: UserPublic, folder: Path, matched: Matched, writer: Writer
) -> None:
    changes: dict[str, list[object]] = {
        name: [None, f"{created} new, {updated} updated, {same} unchanged"]
        for name, (created, updated, same) in writer.counts.items()
    }
    changes["folder"] = [None, str(folder)]
    if matched.new_advocates:
        changes["new advocates"] = [None, sorted(matched.new_advocates)]
    trail.record(
        session, actor=actor, action="import", entity="import", entity_id=0, changes=changes
    )
