"""The files about one member that the record writes: everything held about them (`D`,
subject access) and their hand-over pack (`P`). Each asks PDF or plain text, writes to
the export folder (mode 600, audited as a file about them) and says where it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from textual.message import Message

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import PersonPublic
from hiw_tui.reports.personal.files import SUFFIXES, handover_file, subject_access_file
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.file_format import FileFormatScreen

SUBJECT_ACCESS = "subject-access"
HANDOVER = "handover"
WHAT = {SUBJECT_ACCESS: "Subject-access file", HANDOVER: "Hand-over pack"}


class PersonFiles(DatabaseWork):
    """For the household record: `write_person_file`, and the note of where it went."""

    @dataclass
    class Written(Message):
        what: str
        path: Path

    def write_person_file(self, kind: str, person: PersonPublic) -> None:
        """Ask which format, then write `kind` (`SUBJECT_ACCESS`, `HANDOVER`) of `person`."""

        def chosen(fmt: str | None) -> None:
            if fmt is None:
                return
            today = self.hiw_app.today()
            # Whose and when: one user's file never replaces another's.
            made = f"{self.hiw_app.actor.username}-{datetime.now():%Y%m%d-%H%M%S}"
            path = self.hiw_app.settings.export_dir / f"{kind}-{person.id}-{made}{SUFFIXES[fmt]}"
            write: Query[Path]
            if kind == HANDOVER:
                write = partial(
                    handover_file,
                    person_id=person.id,
                    framework=self.hiw_app.framework,
                    today=today,
                    path=path,
                    fmt=fmt,
                    own_folder=True,
                )
            else:
                write = partial(
                    subject_access_file,
                    person_ref=f"#{person.id}",
                    today=today,
                    path=path,
                    fmt=fmt,
                    own_folder=True,
                )
            self.run_db(write, partial(self.Written, WHAT[kind]), write=True)

        self.app.push_screen(FileFormatScreen(WHAT[kind], person.full_name), chosen)

    def on_person_files_written(self, message: Written) -> None:
        # The name, then the folder: each on its own line, whole.
        path = message.path
        self.app.notify(f"{message.what} {path.name}\nin {path.parent}", markup=False, timeout=10)
