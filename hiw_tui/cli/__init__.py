"""The `hiw-tui` command line: argument parsing, then a call into the package.

Each command group is a module holding its parsers (`register`) and the handlers they
name: launch (the app, `demo`), db, user, ledger, access (SSH, audit), report, transfer
(import, export) and privacy. What they share is in shared."""

from __future__ import annotations

import argparse
import os
import sys

from hiw_tui.cli.shared import Handler, fail


def common_options() -> argparse.ArgumentParser:
    """The options every command takes, before or after its name."""
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
    return common


def app_options(common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of `hiw-tui` itself, with no command: they open the app."""
    options = argparse.ArgumentParser(prog="hiw-tui", add_help=False, parents=[common])
    options.add_argument("--user", help="username to act as (default: $HIW_USER)")
    return options


def build_parser() -> argparse.ArgumentParser:
    from hiw_tui.cli import access, db, launch, ledger, privacy, report, transfer, user

    common = common_options()
    parser = argparse.ArgumentParser(
        prog="hiw-tui",
        description="Households into Work case work.",
        parents=[app_options(common)],
    )
    # No command opens the app (`launch.open_app`); each command's parser names its own
    # handler. In the order `hiw-tui --help` lists them.
    commands = parser.add_subparsers(dest="command")
    for register in (
        launch.register,
        db.register,
        user.register,
        ledger.register,
        access.register,
        report.register,
        transfer.register,
        privacy.register,
    ):
        register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command. What the data layer refuses (a role, a missing record) is one line
    on stderr and exit status 2, whichever command met it; output cut short by the
    reader (`| head`) ends quietly.

    With no command, only the app's own options are read (and nothing more imported):
    its sign-in screen is drawn first, and the data layer loads behind it (see
    `launch.open_app`). A command, or `--help`, is parsed by the whole parser."""
    opening, rest = app_options(common_options()).parse_known_args(argv)
    if not rest:
        from hiw_tui.cli.launch import open_app

        return open_app(defaults(opening))
    args = defaults(build_parser().parse_args(argv))
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


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    """`args` with the common options that were not given."""
    args.database = getattr(args, "database", None)
    args.low_bandwidth = getattr(args, "low_bandwidth", False)
    return args
