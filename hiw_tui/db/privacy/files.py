"""Files the app writes that may hold a person: audited as written.

Every file the app writes is opened through `hiw_tui.db.core.private` (mode 600, in
folders made 700): reports, the export's CSV files, subject-access files and hand-over
packs (written by `hiw_tui.reports.personal.files`), the erasure log, backups, the error
log, the database file, the audit key and checkpoint.

A file that may hold a person's data is recorded in the audit trail as it is written
(`record_file`), so that erasing a person can list the files that may still hold them;
the row is written only once the file is, and a file whose transaction then fails is
removed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import UserPublic

FILE_KINDS = ("export", "report", "subject-access", "handover")
"""What the audit trail's `file` rows name as their entity."""


def record_file(
    session: Session,
    *,
    actor: UserPublic,
    kind: str,
    path: Path,
    household_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Audit `path` as written (`kind`: one of `FILE_KINDS`; `person_id` for a file about
    one person); if the transaction then fails, the file is removed."""
    changes: dict[str, Any] = {"path": [None, str(path.resolve())]}
    if person_id is not None:
        changes["person_id"] = [None, person_id]
    trail.record(
        session,
        actor=actor,
        action="file",
        entity=kind,
        entity_id=person_id or 0,
        household_id=household_id,
        changes=changes,
    )
    remove_on_rollback(session, [path])


def remove_on_rollback(session: Session, paths: Iterable[Path]) -> None:
    """Remove `paths` if the session's transaction rolls back: a file nobody may know
    was written (its audit row lost) is not left behind."""
    held = list(paths)

    def remove(_: Session) -> None:
        for path in held:
            if path.is_file():
                path.unlink(missing_ok=True)

    event.listen(session, "after_rollback", remove, once=True)
