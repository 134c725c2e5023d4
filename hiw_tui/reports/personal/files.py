"""Writing a document about one person to a file: the subject-access file and the
hand-over pack, as plain text or a PDF, private to the user (mode 600) and audited as a
file about that person (`hiw_tui.db.privacy.files.record_file`), in one transaction with
the reading of it: a file whose audit row is lost is removed again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.core.private import private_binary, private_folder, write_private
from hiw_tui.db.privacy.files import record_file
from hiw_tui.db.privacy.subject_access import find_person, subject_access_document
from hiw_tui.domain.document import Document
from hiw_tui.domain.framework import Framework
from hiw_tui.reports.personal.document_pdf import write_document_pdf
from hiw_tui.reports.personal.pack import handover_pack

FORMATS = ("text", "pdf")
SUFFIXES = {"text": ".txt", "pdf": ".pdf"}


def _write(document: Document, *, fmt: str, path: Path, own_folder: bool, made_by: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"not a format for a person's file: {fmt!r}")
    private_folder(path.parent, own=own_folder)
    if fmt == "pdf":
        with private_binary(path) as out:
            write_document_pdf(document, out, made_by=made_by)
    else:
        write_private(path, document.text())


def subject_access_file(
    session: Session,
    *,
    actor: UserPublic,
    person_ref: str,
    today: date,
    path: Path,
    fmt: str = "text",
    own_folder: bool = False,
) -> Path:
    """Write the subject-access file for `person_ref` to `path` (audited as produced and
    as a file). A person who is not held and one outside the actor's scope are both "not
    held", in the same words: the answer never tells that a person exists elsewhere."""
    try:
        document = subject_access_document(session, actor=actor, person_ref=person_ref, today=today)
    except NotFound:
        raise NotFound(f"No person {person_ref} is held in your scope.") from None
    person = find_person(session, person_ref)
    _write(document, fmt=fmt, path=path, own_folder=own_folder, made_by=actor.display_name)
    record_file(
        session,
        actor=actor,
        kind="subject-access",
        path=path,
        household_id=person.household_id,
        person_id=person.id,
    )
    return path


def handover_file(
    session: Session,
    *,
    actor: UserPublic,
    person_id: int,
    framework: Framework,
    today: date,
    path: Path,
    fmt: str,
    own_folder: bool = False,
) -> Path:
    """Write the hand-over pack of `person_id` (`hiw_tui.reports.personal.pack`) to
    `path` (audited as a file about them)."""
    document = handover_pack(
        session, actor=actor, person_id=person_id, framework=framework, today=today
    )
    person = session.get(Person, person_id)
    assert person is not None  # the pack has found them
    _write(document, fmt=fmt, path=path, own_folder=own_folder, made_by=actor.display_name)
    record_file(
        session,
        actor=actor,
        kind="handover",
        path=path,
        household_id=person.household_id,
        person_id=person_id,
    )
    return path
