"""`hiw-tui report KIND`: a programme report for the actor's scope, to the terminal or a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, acting_user, area_codes, database_url, fail, ready

if TYPE_CHECKING:
    from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    from hiw_tui.reports.formats import FORMATS
    from hiw_tui.reports.kinds import REPORTS

    report = commands.add_parser(
        "report",
        parents=[common],
        help="programme reports: performance, cohort profile, distance travelled, spending, "
        "the board pack, caseload, exits, referrals, welfare checks, trends",
    )
    report.add_argument("kind", choices=REPORTS)
    report.add_argument(
        "--user", default=argparse.SUPPRESS, help="username whose scope the report covers"
    )
    report.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        metavar="DATE",
        help="count nothing dated after DATE (default: today)",
    )
    report.add_argument(
        "--from",
        dest="date_from",
        type=date.fromisoformat,
        metavar="DATE",
        help="count nothing dated before DATE (trends: default 12 months to --as-of)",
    )
    report.add_argument("--local-authority", "--area", type=str.lower, choices=area_codes())
    report.add_argument("--advocate", metavar="USERNAME")
    report.add_argument(
        "--periods",
        type=_dates,
        default=(),
        metavar="DATE,DATE",
        help="board: the periods' last days (default: the targets file's periods to --as-of)",
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        help="default: from the --out file's name (.csv .json .xlsx .pdf), else table",
    )
    report.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not the terminal")
    report.set_defaults(handler=report_command)


def _format_of(out: Path | None) -> str:
    """The format a file's name asks for; a table for the terminal or another name."""
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    return suffix if suffix in ("csv", "json", "xlsx", "pdf") else "table"


def _dates(text: str) -> tuple[date, ...]:
    try:
        return tuple(date.fromisoformat(part.strip()) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not dates YYYY-MM-DD,YYYY-MM-DD: {text!r}") from error


def report_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.domain.counting import Period
    from hiw_tui.domain.framework import FrameworkError, load_framework
    from hiw_tui.domain.targets import TargetsError, load_targets
    from hiw_tui.reports.build import build_report
    from hiw_tui.reports.formats import BINARY, report_file, write_report

    database = ready(database_url(args, settings), settings)
    username = acting_user(args, settings)
    if not username:
        return fail("say whose report it is: --user USERNAME (or set HIW_USER)")
    if args.date_from is not None and args.date_from > args.as_of:
        return fail("--from is after --as-of")
    if args.as_of > date.today():
        return fail("--as-of is after today: nothing dated then has happened yet")
    args.format = args.format or _format_of(args.out)
    if args.periods and args.kind != "board":
        return fail("--periods is for the board pack: hiw-tui report board --periods ...")
    today = date.today()
    binary = args.format in BINARY
    if binary and args.out is None and sys.stdout.isatty():
        return fail(f"{args.format.upper()} goes to a file: --out FILE (or redirect the output)")
    period = Period(args.as_of, args.date_from, args.local_authority, args.advocate)
    try:
        targets = load_targets(settings.targets_file)
        framework = load_framework(settings.star_framework)
    except (FrameworkError, TargetsError) as error:
        return fail(str(error))
    try:
        actor = database.read(get_user, username=username)
        build = partial(
            build_report,
            kind=args.kind,
            period=period,
            targets=targets,
            framework=framework,
            audited=True,
            periods=args.periods,
            budget_cap_pence=settings.budget_cap_pence,
            reading_due_weeks=settings.reading_due_weeks,
        )
        if args.out is not None:
            database.write(
                report_file, actor=actor, build=build, fmt=args.format, path=args.out, today=today
            )
            return 0
        report = database.write(build, actor=actor)
    except DataError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"cannot write {args.out}: {error.strerror or error}")
    write_report(
        report,
        args.format,
        text_out=None if binary else sys.stdout,
        binary_out=sys.stdout.buffer if binary else None,
        made_by=actor.username,
        today=today,
    )
    return 0
