"""The `hiw-tui` command line: argument parsing, then a call into the package.

Each command group is a module holding its parsers (`register`) and the handlers they
name: launch (the app, `demo`), db, user, ledger, access (SSH, audit), report, transfer
(import, export) and privacy. What they share is in shared."""

from __future__ import annotations

import argparse
import os
import sys

from hiw_tui.cli import access, db, launch, ledger, privacy, report, transfer, user
from hiw_tui.cli.shared import Handler, fail

# In the order `hiw-tui --help` lists their commands.
GROUPS = (
    launch.register,
    db.register,
    user.register,
    ledger.register,
    access.register,
    report.register,
    transfer.register,
    privacy.register,
)


def build_parser() -> argparse.ArgumentParser:
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
    # No command opens the app (`launch.open_app`); each command's parser names its own
    # handler.
    commands = parser.add_subparsers(dest="command")
    for register in GROUPS:
        register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command. What the data layer refuses (a role, a missing record) is one line
    on stderr and exit status 2, whichever command met it; output cut short by the
    reader (`| head`) ends quietly.

    Opening the app imports nothing more here: its sign-in screen is drawn first, and
    the data layer loads behind it (see `launch.open_app`)."""
    args = build_parser().parse_args(argv)
    args.database = getattr(args, "database", None)
    args.low_bandwidth = getattr(args, "low_bandwidth", False)
    if args.command is None:
        return launch.open_app(args)
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.db.core.schema import SchemaError
    from hiw_tui.settings import KeyFileError, Settings

    try:
        settings = Settings()
        if args.low_bandwidth:
            settings = settings.model_copy(update={"low_bandwidth": True})
        handler: Handler = args.handler
        return handler(args, settings)
    except (KeyFileError, SchemaError, DataError) as error:
        return fail(str(error))
    except BrokenPipeError:
        # Nothing more is read: send what is left nowhere, so exiting writes nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
