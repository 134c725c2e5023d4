"""`hiw-tui import DIR`: read, check and match every row, then write them all in one
transaction, or nothing.

New rows go in as batched inserts (100,000 households take minutes, not hours); rows
whose refs are already in the database are updated where they differ, each update
audited with its old and new values. The import as a whole is audited once, with what it
created. With `partial`, the good rows are written and the bad ones (and the rows that
depend on them) left out; every problem is still reported.

The ledger rows are posted through the ledger's one locked path (`post`), and the
budgets they go into are locked from before they are checked until the import commits,
so a spend recorded meanwhile waits and is checked against what the import wrote. Should
a budget still have moved between the check and the posting (a writer that took no
lock), `post` refuses the row and the import reports it as a problem naming its file
row, with nothing written (not even with `partial`): importing again checks it against
the budget as it now is.
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
from hiw_tui.db.ledger.posting import Overspent
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.framework import Framework
from hiw_tui.transfer.casework import CaseworkRows, read_casework  # the casework files
from hiw_tui.transfer.duplicates import duplicate_warnings
from hiw_tui.transfer.files import LEDGER
from hiw_tui.transfer.match import Matched, match
from hiw_tui.transfer.parse import Parsed, parse_directory
from hiw_tui.transfer.problems import FOLDER, Problem
from hiw_tui.transfer.reader import DEFAULT_ENCODING
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
    withheld: int = 0
    """People whose contact details the files say were withheld (not imported)."""
    warnings: list[Problem] = field(default_factory=list)
    """New people who may be someone held already (`hiw_tui.transfer.duplicates`):
    imported all the same."""


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
    encoding: str = DEFAULT_ENCODING,
) -> ImportResult:
    if not actor.can(Permission.OVERSEE):
        raise Forbidden("Only a supervisor (for their area) or a programme manager can import.")
    parsed = parse_directory(folder, today=today, progress=progress, encoding=encoding)
    casework = read_casework(folder, parsed, encoding)  # the casework files
    try:
        return database.write(
            _import,
            actor=actor,
            parsed=parsed,
            casework=casework,
            folder=folder,
            settings=(framework, today, policy),
            partial=partial,
            progress=progress,
        )
    except _BudgetMoved as moved:  # the transaction is rolled back: nothing is written
        return ImportResult(moved.problems, written=False)


class _BudgetMoved(Exception):
    """A budget refused a ledger row the import had checked: the problems to report."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def _moved(refused: Overspent) -> Problem:
    reason = f"the budget changed while importing: {refused.message} Import again."
    return Problem(LEDGER.name, refused.posting.line, "amount", reason)


def _import(
    session: Session,
    *,
    actor: UserPublic,
    parsed: Parsed,
    casework: CaseworkRows,
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
    matched.problems += casework.check(session, actor, matched)  # the casework files
    problems = sorted(parsed.problems + matched.problems)
    warnings = sorted(duplicate_warnings(session, actor, matched))
    # A folder that cannot be read at all (not as exported, no file the import reads):
    # nothing to write, even with `partial`.
    if problems and (not partial or FOLDER in parsed.unreadable):
        return ImportResult(problems, written=False, warnings=warnings)
    writer = Writer(session, actor, matched, framework, today, policy, progress)
    try:
        writer.counts |= casework.write_partners(session, actor)  # the casework files
        writer.write_all()
        writer.counts |= casework.write(session, actor, matched)  # the casework files
    except Overspent as refused:
        raise _BudgetMoved(sorted([*problems, _moved(refused)])) from refused
    _audit(session, actor, folder, matched, writer, warnings)
    return ImportResult(
        problems,
        written=True,
        counts={name: rows for name, rows in writer.counts.items() if name in parsed.present},
        new_advocates=sorted(matched.new_advocates),
        withheld=sum(person.withheld for person in parsed.people),
        warnings=warnings,
    )


def _audit(
    session: Session,
    actor: UserPublic,
    folder: Path,
    matched: Matched,
    writer: Writer,
    warnings: list[Problem],
) -> None:
    changes: dict[str, list[object]] = {
        name: [None, f"{created} new, {updated} updated, {same} unchanged"]
        for name, (created, updated, same) in writer.counts.items()
    }
    changes["folder"] = [None, str(folder)]
    if matched.new_advocates:
        changes["new advocates"] = [None, sorted(matched.new_advocates)]
    if warnings:  # people.csv's rows warned of; whom they named is in the importer's report
        changes["possible duplicates"] = [None, sorted({warning.row for warning in warnings})]
    trail.record(
        session, actor=actor, action="import", entity="import", entity_id=0, changes=changes
    )
