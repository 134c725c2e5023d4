"""Files the app writes: private to the user, audited where they may hold a person.

Every file the app writes is opened here: reports, the export's CSV files, subject-access
texts, the erasure log, backups and the error log. A file is mode 600; a folder the app
makes for one is mode 700 (every missing level of it). A folder the app keeps for itself
(the export folder of the settings) is tightened to 700 if found looser, and the write
is refused if that cannot be done; any other folder that exists already (one named on
the command line, the error log's) is left as its owner made it. A file that fails half
way is removed rather than left half written.

A file that may hold a person's data is recorded in the audit trail as it is written
(`record_file`), so that erasing a person can list the files that may still hold them;
the row is written only once the file is, and a file whose transaction then fails is
removed again.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event
from sqlmodel import Session

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.privacy.subject_access import find_person, subject_access

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700

FILE_KINDS = ("export", "report", "subject-access")
"""What the audit trail's `file` rows name as their entity."""


def private_folder(folder: Path, *, own: bool = False) -> None:
    """Make `folder` (and each missing level above it) mode 700. `own`: a folder the app
    keeps for itself, tightened to 700 if it exists with a looser mode."""
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        os.chmod(level, PRIVATE_FOLDER)  # exactly 700, whatever the umask
    if own and not missing and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        os.chmod(folder, PRIVATE_FOLDER)


def _private_descriptor(path: Path, *, append: bool) -> int:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, PRIVATE_FILE)  # a file already there, made looser
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


@contextmanager
def _private(path: Path, mode: str, append: bool, **text: Any) -> Iterator[IO[Any]]:
    private_folder(path.parent)
    descriptor = _private_descriptor(path, append=append)
    try:
        with os.fdopen(descriptor, mode, **text) as file:
            yield file
    except BaseException:
        if not append and path.is_file():
            path.unlink(missing_ok=True)
        raise


@contextmanager
def private_text(path: Path, *, append: bool = False, bom: bool = False) -> Iterator[IO[str]]:
    """`path` opened to write UTF-8 text (`bom`: with a byte-order mark, for a CSV file a
    spreadsheet opens), mode 600 in a folder made mode 700 if missing."""
    encoding = "utf-8-sig" if bom else "utf-8"
    with _private(path, "a" if append else "w", append, encoding=encoding, newline="") as file:
        yield file


@contextmanager
def private_binary(path: Path) -> Iterator[IO[bytes]]:
    """`path` opened to write bytes, as `private_text`."""
    with _private(path, "wb", False) as file:
        yield file


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, as `private_text`."""
    with private_text(path) as file:
        file.write(text)


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


def subject_access_file(
    session: Session,
    *,
    actor: UserPublic,
    person_ref: str,
    today: date,
    path: Path,
    own_folder: bool = False,
) -> Path:
    """Write the subject-access text for `person_ref` to `path` (audited as produced and
    as a file). A person who is not held and one outside the actor's scope are both "not
    held", in the same words: the answer never tells that a person exists elsewhere."""
    try:
        text = subject_access(session, actor=actor, person_ref=person_ref, today=today)
    except NotFound:
        raise NotFound(f"No person {person_ref} is held in your scope.") from None
    person = find_person(session, person_ref)
    private_folder(path.parent, own=own_folder)
    write_private(path, text)
    record_file(
        session,
        actor=actor,
        kind="subject-access",
        path=path,
        household_id=person.household_id,
        person_id=person.id,
    )
    return path
