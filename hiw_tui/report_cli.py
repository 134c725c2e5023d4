"""`hiw-tui report KIND`: a programme report for the actor's scope, to the terminal or a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import IO

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import NotFound
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.reports.build import build_report
from hiw_tui.reports.formats import write_report
from hiw_tui.settings import Settings


def report_command(
    args: argparse.Namespace, database: Database, username: str | None, settings: Settings
) -> int:
    if not username:
        return _fail("say whose report it is: --user USERNAME (or set HIW_USER)")
    if args.date_from is not None and args.date_from > args.as_of:
        return _fail("--from is after --as-of")
    binary = args.format == "xlsx"
    if binary and args.out is None and sys.stdout.isatty():
        return _fail("an XLSX workbook goes to a file: --out FILE (or redirect the output)")
    period = Period(args.as_of, args.date_from, args.local_authority, args.advocate)
    try:
        actor = database.read(get_user, username=username)
        report = database.write(
            build_report,
            actor=actor,
            kind=args.kind,
            period=period,
            targets=settings.targets(),
            framework=load_framework(settings.star_framework),
            audited=True,
        )
    except NotFound as error:
        return _fail(str(error))
    mode = "wb" if binary else "w"
    out: IO[str] | IO[bytes]
    if args.out is not None:
        out = args.out.open(mode, **({} if binary else {"newline": "", "encoding": "utf-8"}))
    else:
        out = sys.stdout.buffer if binary else sys.stdout
    try:
        write_report(
            report,
            args.format,
            text_out=None if binary else out,  # type: ignore[arg-type]  # text when not binary
            binary_out=out if binary else None,  # type: ignore[arg-type]  # opened as "wb"
            made_by=actor.username,
            today=date.today(),
        )
    finally:
        if args.out is not None:
            out.close()
    return 0


def _fail(message: str) -> int:
    print(f"hiw-tui: {message}", file=sys.stderr)
    return 2
