"""The `hiw-tui` command line: argument parsing, then a call into the package."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiw_tui.settings import LOW_BANDWIDTH_ENVIRONMENT, Settings, demo_database_url

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import UserPublic

DEFAULT_DEMO_HOUSEHOLDS = 400
PRIVACY_COMMANDS = ("subject-access", "retention", "erase", "backup", "restore", "erasure-log")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        # Given before or after the subcommand: a subcommand's own default must not undo it.
        default=argparse.SUPPRESS,
        help="database URL (default: $HIW_DATABASE_URL, else an SQLite file in your data folder)",
    )
    common.add_argument(
        "--low-bandwidth",
        action="store_true",
        default=argparse.SUPPRESS,
        help="16 colours, no animation, no mouse: for slow links (always on over SSH)",
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
    add.add_argument("--role", required=True, choices=_role_codes())
    add.add_argument("--local-authority", choices=_area_codes())
    add.add_argument("--name", default="", help="display name")
    user.add_parser("list", parents=[common], help="list users")
    password = user.add_parser(
        "password",
        parents=[common],
        help="set a user's password (asked for twice; read from standard input if piped)",
    )
    password.add_argument("username")
    add_key = user.add_parser(
        "add-key", parents=[common], help="let an SSH public key sign a user in"
    )
    add_key.add_argument("username")
    add_key.add_argument("keyfile", type=Path, help="an OpenSSH public key file (id_ed25519.pub)")

    ledger = commands.add_parser("ledger", help="support budgets").add_subparsers(
        dest="ledger_command"
    )
    ledger.required = True
    ledger.add_parser(
        "check",
        parents=[common],
        help="recompute every budget from its entries (exit 1 on a difference)",
    )
    _access_parsers(commands, common)
    _report_parser(commands, common)
    _transfer_parsers(commands, common)
    _privacy_parsers(commands, common)
    return parser


def _privacy_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    access = commands.add_parser(
        "subject-access",
        parents=[common],
        help="everything held about one person, for a subject-access request",
    )
    access.add_argument("person", metavar="PERSON_REF", help="the CRM reference, or #ID")
    access.add_argument("--out", type=Path, required=True, metavar="FILE")
    access.add_argument("--user", help="the user answering the request")
    retention = commands.add_parser(
        "retention",
        parents=[common],
        help="erase households closed longer than the retention period",
    )
    retention.add_argument("--dry-run", action="store_true", help="list them; erase nothing")
    retention.add_argument("--user", help="the programme manager running it")
    erase = commands.add_parser(
        "erase", parents=[common], help="erase one person's data at their request"
    )
    erase.add_argument("person", metavar="PERSON_REF", help="the CRM reference, or #ID")
    erase.add_argument("--user", help="the programme manager erasing")
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


def _access_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve-ssh", parents=[common], help="serve the app over SSH (public keys only)"
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=2222, help="port (default: 2222)")
    serve.add_argument(
        "--colors", choices=["256", "16"], default="16", help="colours sessions use (default 16)"
    )
    session = commands.add_parser(
        "ssh-session",
        parents=[common],
        help="the app as USER in an SSH session (run by serve-ssh or sshd, never by hand)",
    )
    session.add_argument("username")
    keys = commands.add_parser(
        "authorized-keys",
        parents=[common],
        help="authorized_keys lines for sshd (AuthorizedKeysCommand): every user's, or USER's",
    )
    keys.add_argument("username", nargs="?")
    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(
        dest="audit_command"
    )
    audit.required = True
    audit.add_parser(
        "verify", parents=[common], help="check the hash chain (exit 1 on a changed or missing row)"
    )


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


def _role_codes() -> list[str]:
    from hiw_tui.domain.codes import UserRole

    return [role.value for role in UserRole]


def _area_codes() -> list[str]:
    from hiw_tui.domain.codes import LocalAuthority

    return [area.value for area in LocalAuthority]


def _fail(message: str) -> int:
    print(f"hiw-tui: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    from hiw_tui.db.core.schema import SchemaError
    from hiw_tui.settings import KeyFileError

    args = _parser().parse_args(argv)
    args.database = getattr(args, "database", None)
    try:
        settings = Settings()
        if getattr(args, "low_bandwidth", False):
            settings = settings.model_copy(update={"low_bandwidth": True})
        return _dispatch(args, settings)
    except (KeyFileError, SchemaError) as error:
        return _fail(str(error))


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo":
        return _demo(args, settings)
    url = args.database or settings.database_url
    if args.command == "db":
        return _db(args.db_command, url)
    if args.command == "user":
        return _user(args, url)
    if args.command in ("serve-ssh", "ssh-session", "authorized-keys", "audit"):
        from hiw_tui.access_cli import access_command

        return access_command(args, url, settings)
    if args.command == "ledger":
        from hiw_tui.ledger_cli import ledger_command

        return ledger_command(_ready(url, settings))
    if args.command == "report":
        from hiw_tui.report_cli import report_command

        return report_command(args, _ready(url, settings), args.user or settings.user, settings)
    if args.command in PRIVACY_COMMANDS:
        from hiw_tui.privacy_cli import privacy_command

        return privacy_command(args, _ready(url, settings), args.user or settings.user, settings)
    if args.command in ("import", "export"):
        from hiw_tui.transfer_cli import transfer_command

        return transfer_command(args, _ready(url, settings), args.user or settings.user, settings)
    return _open(url, args.user or settings.user, settings)


def _database(url: str, settings: Settings | None = None) -> Database:
    from hiw_tui.db.core.engine import Database

    settings = settings or Settings()
    return Database(
        url, busy_timeout_ms=settings.sqlite_busy_timeout_ms, key=settings.encryption_key()
    )


def _ready(url: str, settings: Settings | None = None) -> Database:
    """The database, its schema checked (an empty one is created)."""
    from hiw_tui.db.core.schema import ensure_current

    database = _database(url, settings)
    ensure_current(database.engine)
    return database


def _open(url: str, username: str | None, settings: Settings) -> int:
    from hiw_tui.db.core.schema import SchemaError

    try:
        database = _ready(url, settings)
    except SchemaError as error:
        return _fail(str(error))
    return _run(database, settings, username=username or "")


def _run(
    database: Database, settings: Settings, *, username: str = "", actor: UserPublic | None = None
) -> int:
    """Open the app on a ready database: at the sign-in screen, or as `actor` (signed in
    by SSH key). Leaving it is audited as a sign-out."""
    from hiw_tui.domain.framework import FrameworkError, load_framework

    low_bandwidth = settings.low_bandwidth or actor is not None  # an SSH session
    if low_bandwidth:
        for name, value in LOW_BANDWIDTH_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    try:
        framework = load_framework(settings.star_framework)
    except FrameworkError as error:
        return _fail(str(error))
    from hiw_tui.app import HiwApp
    from hiw_tui.db.access.auth import record_session_event

    app = HiwApp(
        database=database,
        actor=actor,
        username=username,
        settings=settings,
        framework=framework,
        remote=actor is not None,
        low_bandwidth=low_bandwidth,
    )
    if actor is not None:
        database.write(record_session_event, actor=actor, action="ssh_sign_in")
    # The terminal went away (an SSH client disconnected, a window closed): leave as
    # from Ctrl+Q, so that the sign-out is recorded.
    signal.signal(signal.SIGHUP, lambda *_: app.exit())
    try:
        app.run(mouse=not low_bandwidth)
    finally:
        if app.signed_in:
            database.write(record_session_event, actor=app.actor, action="sign_out")
    database.optimize()
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.demo.generate import DEMO_PASSWORD, DemoRefused, build_demo

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
    print(f"Sign in as {args.user} with the password {DEMO_PASSWORD!r}.")
    return _run(database, settings, username=args.user)


def _db(command: str, url: str) -> int:
    from hiw_tui.db.core.schema import current_revision, head_revision, upgrade

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
    from hiw_tui.db.access.users import add_user, list_users
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.db.core.schema import SchemaError
    from hiw_tui.domain.codes import LocalAuthority, UserRole

    try:
        database = _ready(url)
        if args.user_command == "list":
            for user in database.read(list_users):
                where = user.local_authority or "all areas"
                print(f"{user.username:32} {user.role.value:18} {where:10} {user.display_name}")
            return 0
        if args.user_command == "password":
            return _password(database, args.username)
        if args.user_command == "add-key":
            from hiw_tui.db.access.keys import add_key

            key = database.write(add_key, username=args.username, text=_read_text(args.keyfile))
            print(f"Added {key.fingerprint} for {args.username}.")
            return 0
        area = LocalAuthority(args.local_authority) if args.local_authority else None
        user = database.write(
            add_user,
            username=args.username,
            display_name=args.name,
            role=UserRole(args.role),
            local_authority=area,
        )
    except (SchemaError, DataError, OSError) as error:
        return _fail(str(error))
    print(f"Added {user.username} ({user.role.label}).")
    return 0


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise OSError(f"{path} is not a public key file") from error


def _password(database: Database, username: str) -> int:
    """Never from the command line: asked for twice at a terminal, else one line of stdin."""
    import getpass

    from hiw_tui.db.access.auth import set_password

    if sys.stdin.isatty():
        password = getpass.getpass(f"New password for {username}: ")
        if getpass.getpass("Again: ") != password:
            return _fail("the two passwords differ; nothing changed")
    else:
        password = sys.stdin.readline().rstrip("\n")
    database.write(set_password, username=username, password=password)
    print(f"Password set for {username}.")
    return 0
