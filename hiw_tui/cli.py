"""The `hiw-tui` command line: argument parsing, then a call into the package."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiw_tui.settings import Settings, demo_database_url

if TYPE_CHECKING:
    from hiw_tui.db.engine import Database

DEFAULT_DEMO_HOUSEHOLDS = 400


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $HIW_DATABASE_URL, else an SQLite file in your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="hiw-tui", description="Households into Work case work.", parents=[common]
    )
    parser.add_argument("--user", help="username to act as (default: $HIW_USER)")
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo", parents=[common], help="build a demo database and open it")
    demo.add_argument("--households", type=int, default=DEFAULT_DEMO_HOUSEHOLDS, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--user", default="manager", help="demo user to open as (default: manager)")
    demo.add_argument("--no-open", action="store_true", help="build the database only")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command")
    db.required = True
    db.add_parser("upgrade", parents=[common], help="bring the schema up to date")
    db.add_parser("status", parents=[common], help="show the schema version")

    user = commands.add_parser("user", help="app users").add_subparsers(dest="user_command")
    user.required = True
    add = user.add_parser("add", parents=[common], help="add a user")
    add.add_argument("username")
    add.add_argument(
        "--role", required=True, choices=["advocate", "supervisor", "programme_manager"]
    )
    add.add_argument("--local-authority", choices=_area_codes())
    add.add_argument("--name", default="", help="display name")
    user.add_parser("list", parents=[common], help="list users")

    ledger = commands.add_parser("ledger", help="support budgets").add_subparsers(
        dest="ledger_command"
    )
    ledger.required = True
    ledger.add_parser(
        "check",
        parents=[common],
        help="recompute every budget from its entries (exit 1 on a difference)",
    )
    _report_parser(commands, common)
    _transfer_parsers(commands, common)
    return parser


def _report_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    from hiw_tui.reports.build import REPORTS
    from hiw_tui.reports.formats import FORMATS

    report = commands.add_parser(
        "report",
        parents=[common],
        help="programme reports: performance, cohort profile, distance travelled, spending",
    )
    report.add_argument("kind", choices=REPORTS)
    report.add_argument("--user", help="username whose scope the report covers")
    report.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        metavar="DATE",
        help="count nothing dated after DATE (default: today)",
    )
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="DATE")
    report.add_argument("--local-authority", choices=_area_codes())
    report.add_argument("--advocate", metavar="USERNAME")
    report.add_argument("--format", choices=FORMATS, default="table")
    report.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not the terminal")


def _transfer_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    load = commands.add_parser(
        "import",
        parents=[common],
        help="import a CRM's CSV files (households.csv, people.csv, ...)",
    )
    load.add_argument("folder", type=Path, metavar="DIR")
    load.add_argument("--user", help="the supervisor or programme manager importing")
    load.add_argument(
        "--partial",
        action="store_true",
        help="import the good rows even when others have problems (default: all or nothing)",
    )
    dump = commands.add_parser(
        "export", parents=[common], help="export everything in your scope as the import's CSV files"
    )
    dump.add_argument("folder", type=Path, metavar="DIR")
    dump.add_argument("--user", help="the user whose scope is exported")


def _area_codes() -> list[str]:
    from hiw_tui.domain.codes import LocalAuthority

    return [area.value for area in LocalAuthority]


def _fail(message: str) -> int:
    print(f"hiw-tui: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    if args.command == "demo":
        return _demo(args, settings)
    url = args.database or settings.database_url
    if args.command == "db":
        return _db(args.db_command, url)
    if args.command == "user":
        return _user(args, url)
    if args.command == "ledger":
        from hiw_tui.ledger_cli import ledger_command

        return ledger_command(_ready(url, settings))
    if args.command == "report":
        from hiw_tui.report_cli import report_command

        return report_command(args, _ready(url, settings), args.user or settings.user, settings)
    if args.command in ("import", "export"):
        from hiw_tui.transfer_cli import transfer_command

        return transfer_command(args, _ready(url, settings), args.user or settings.user, settings)
    return _open(url, args.user or settings.user, settings)


def _database(url: str, settings: Settings | None = None) -> Database:
    from hiw_tui.db.engine import Database

    timeout = (settings or Settings()).sqlite_busy_timeout_ms
    return Database(url, busy_timeout_ms=timeout)


def _ready(url: str, settings: Settings | None = None) -> Database:
    """The database, its schema checked (an empty one is created)."""
    from hiw_tui.db.schema import ensure_current

    database = _database(url, settings)
    ensure_current(database.engine)
    return database


def _open(url: str, username: str | None, settings: Settings) -> int:
    from hiw_tui.db.schema import SchemaError

    if not username:
        return _fail("say who you are: --user USERNAME (or set HIW_USER)")
    try:
        database = _ready(url, settings)
    except SchemaError as error:
        return _fail(str(error))
    return _run(database, username, settings)


def _run(database: Database, username: str, settings: Settings) -> int:
    """Open the app on a ready database as `username`."""
    from hiw_tui.db.errors import NotFound
    from hiw_tui.db.users import get_user

    try:
        actor = database.read(get_user, username=username)
    except NotFound as error:
        return _fail(str(error))
    if not actor.active:
        return _fail(f"user {username} is not active")
    from hiw_tui.domain.framework import FrameworkError, load_framework

    try:
        framework = load_framework(settings.star_framework)
    except FrameworkError as error:
        return _fail(str(error))
    from hiw_tui.app import HiwApp

    HiwApp(database=database, actor=actor, settings=settings, framework=framework).run()
    database.optimize()
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.demo.generate import DemoRefused, build_demo

    if args.households < 0:
        return _fail("--households must be 0 or more")
    url = args.database or demo_database_url()
    if not args.database:
        # The default demo file is the demo's own: it is rebuilt on every run.
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    try:
        database = _ready(url, settings)
        summary = build_demo(
            database, households=args.households, seed=args.seed, today=date.today()
        )
    except DemoRefused as error:
        return _fail(str(error))
    print(f"Demo database {url}: {summary.households} households, {summary.people} people.")
    if args.no_open:
        return 0
    return _run(database, args.user, settings)


def _db(command: str, url: str) -> int:
    from hiw_tui.db.schema import current_revision, head_revision, upgrade

    database = _database(url)
    if command == "upgrade":
        before = current_revision(database.engine)
        upgrade(database.engine)
        print(f"Schema {before or 'empty'} -> {head_revision(database.engine)}")
        return 0
    current, head = current_revision(database.engine), head_revision(database.engine)
    print(f"Schema {current or 'empty'}; this hiw-tui needs {head}.")
    return 0 if current == head else 1


def _user(args: argparse.Namespace, url: str) -> int:
    from hiw_tui.db.errors import FieldError
    from hiw_tui.db.schema import SchemaError
    from hiw_tui.db.users import add_user, list_users
    from hiw_tui.domain.codes import LocalAuthority, UserRole

    try:
        database = _ready(url)
        if args.user_command == "list":
            for user in database.read(list_users):
                where = user.local_authority or "all areas"
                print(f"{user.username:32} {user.role.value:18} {where:10} {user.display_name}")
            return 0
        area = LocalAuthority(args.local_authority) if args.local_authority else None
        user = database.write(
            add_user,
            username=args.username,
            display_name=args.name,
            role=UserRole(args.role),
            local_authority=area,
        )
    except (SchemaError, FieldError) as error:
        return _fail(str(error))
    print(f"Added {user.username} ({user.role.label}).")
    return 0
