"""`hiw-tui subject-access`, `retention`, `erase`, `backup`, `restore` and `erasure-log`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, acting_user, database_url, fail, ready

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import UserPublic
    from hiw_tui.settings import Settings

_NEEDS_USER = ("subject-access", "retention", "erase")


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    access = commands.add_parser(
        "subject-access",
        parents=[common],
        help="everything held about one person, for a subject-access request",
    )
    access.add_argument("person", metavar="PERSON_REF", help="the CRM reference, or #ID")
    access.add_argument("--out", type=Path, required=True, metavar="FILE")
    access.add_argument(
        "--format",
        choices=("text", "pdf"),
        help="plain text, or a PDF in large type (default: from the --out file's name)",
    )
    access.add_argument("--user", default=argparse.SUPPRESS, help="the user answering the request")
    retention = commands.add_parser(
        "retention",
        parents=[common],
        help="erase households closed longer than the retention period",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="list those --user may see; erase nothing"
    )
    retention.add_argument(
        "--user", default=argparse.SUPPRESS, help="the programme manager running it"
    )
    erase = commands.add_parser(
        "erase", parents=[common], help="erase one person's data at their request"
    )
    erase.add_argument("person", metavar="PERSON_REF", help="the CRM reference, or #ID")
    erase.add_argument("--user", default=argparse.SUPPRESS, help="the programme manager erasing")
    backup = commands.add_parser(
        "backup", parents=[common], help="back the SQLite database up to FILE (online, consistent)"
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="restore the SQLite database from FILE, then erase again whoever was erased since",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    log = commands.add_parser(
        "erasure-log",
        parents=[common],
        help="write the erasure log to FILE, or with --replay erase again what FILE names",
    )
    log.add_argument("file", type=Path, metavar="FILE")
    log.add_argument("--replay", action="store_true")
    for parser in (access, retention, erase, backup, restore, log):
        parser.set_defaults(handler=privacy_command)


def privacy_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.backup import BackupError, backup, restore
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.db.privacy.erasure import compact, erasure_request
    from hiw_tui.db.privacy.subject_access import person_id

    database = ready(database_url(args, settings), settings)
    username = acting_user(args, settings)
    today = date.today()
    try:
        actor = None
        if args.command in _NEEDS_USER:
            if not username:
                return fail("say who is doing this: --user USERNAME (or set HIW_USER)")
            actor = database.read(get_user, username=username)
        if args.command == "subject-access":
            assert actor is not None
            return _subject_access(database, actor, args, today)
        if args.command == "retention":
            assert actor is not None
            return _retention(database, actor, args.dry_run, settings.retention_months, today)
        if args.command == "erase":
            assert actor is not None
            erased = database.read(person_id, reference=args.person)
            done = database.write(erasure_request, actor=actor, person_id=erased, today=today)
            compact(database)
            print(f"Erased {args.person}." if done else f"{args.person} was erased already.")
            _list_files(done.files)
            return 0
        if args.command == "backup":
            backup(database, args.file)
            print(f"Backed up to {args.file}.")
            return 0
        if args.command == "restore":
            restored = restore(database, args.file, today=today)
            print(
                f"Restored {args.file} (schema {restored.revision}); "
                f"erased again since the backup: {restored.replayed}."
            )
            return 0
        return _erasure_log(database, args, today)
    except (DataError, BackupError, OSError, ValueError, TypeError) as error:
        return fail(str(error))


def _subject_access(
    database: Database, actor: UserPublic, args: argparse.Namespace, today: date
) -> int:
    from hiw_tui.reports.personal.files import subject_access_file

    fmt = args.format or ("pdf" if args.out.suffix.lower() == ".pdf" else "text")
    database.write(
        subject_access_file,
        actor=actor,
        person_ref=args.person,
        today=today,
        path=args.out,
        fmt=fmt,
    )
    print(f"Wrote everything held about {args.person} to {args.out}.")
    return 0


def _retention(
    database: Database, actor: UserPublic, dry_run: bool, months: int, today: date
) -> int:
    from hiw_tui.db.privacy.erasure import compact, retention_due, run_retention

    if dry_run:
        due = database.read(retention_due, actor=actor, today=today, months=months)
    else:
        due = database.write(run_retention, actor=actor, today=today, months=months)
        if due:
            compact(database)
    verb = "Would erase" if dry_run else "Erased"
    for household in due:
        print(f"{household.reference:24} {household.status:10} closed {household.end_date}")
    print(f"{verb} {len(due)} households closed {months} months or more.")
    _list_files(list(dict.fromkeys(path for household in due for path in household.files)))
    return 0


def _list_files(paths: Sequence[str]) -> None:
    """The files the app wrote that may hold what was erased: the app lists them, and
    the person erasing deletes or amends each (see hiw_tui.db.privacy.erased_trail)."""
    if not paths:
        return
    print(f"{len(paths)} file(s) the app wrote may hold what was erased; delete or amend each:")
    for path in paths:
        print(f"  {path}")


def _erasure_log(database: Database, args: argparse.Namespace, today: date) -> int:
    from hiw_tui.db.core.private import write_private
    from hiw_tui.db.privacy.erasure import LogEntry, compact, erasure_log, replay

    if not args.replay:
        entries = database.read(erasure_log)
        lines = [json.dumps(asdict(entry)) for entry in entries]
        write_private(args.file, "".join(f"{line}\n" for line in lines))
        print(f"Wrote {len(entries)} erasures to {args.file}.")
        return 0
    entries = [
        LogEntry(**json.loads(line))
        for line in args.file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    done = database.write(replay, entries=entries, today=today)
    compact(database)
    print(f"Erased again: {done} of {len(entries)} in the log.")
    return 0
