"""`hiw-tui user add`, `list`, `password`, `add-key`, `lock`, `unlock` and `show`: the
app's users, for whoever holds the database; and `deactivate`, `reactivate`,
`remove-key` and `reassign-caseload`, which a supervisor or programme manager runs as
themselves (`--user`), under the same rules as the users screen (see `hiw_tui.cli.leavers`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.leavers import LEAVER_COMMANDS, leaver_command, register_leavers
from hiw_tui.cli.shared import Commands, area_codes, database_url, fail, ready, role_codes

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Database
    from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser("user", help="app users")
    users.set_defaults(handler=user_command)
    user = users.add_subparsers(dest="user_command")
    user.required = True
    add = user.add_parser("add", parents=[common], help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=role_codes())
    add.add_argument("--local-authority", type=str.lower, choices=area_codes())
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
    for name, text in (
        ("lock", "lock an account: no sign-in, by password or key, until unlocked"),
        ("unlock", "unlock an account (also after too many wrong passwords)"),
        ("show", "show an account's state: locked or deactivated, keys, recent sign-ins"),
    ):
        user.add_parser(name, parents=[common], help=text).add_argument("username")
    register_leavers(user, common)


def user_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.access.users import add_user, list_users
    from hiw_tui.db.core.errors import DataError
    from hiw_tui.db.core.schema import SchemaError
    from hiw_tui.domain.codes import LocalAuthority, UserRole

    try:
        database = ready(database_url(args, settings))
        if args.user_command in LEAVER_COMMANDS:
            return leaver_command(database, args, settings)
        if args.user_command == "list":
            for user in database.read(list_users):
                where = user.local_authority or "all areas"
                name = user.display_name if user.active else f"{user.display_name} (inactive)"
                print(f"{user.username:32} {user.role.value:18} {where:10} {name}")
            return 0
        if args.user_command == "password":
            return _password(database, args.username)
        if args.user_command in ("lock", "unlock", "show"):
            from hiw_tui.cli.account import account_command

            return account_command(database, args.user_command, args.username)
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
        return fail(str(error))
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
            return fail("the two passwords differ; nothing changed")
    else:
        password = sys.stdin.readline().rstrip("\n")
    database.write(set_password, username=username, password=password)
    print(f"Password set for {username}.")
    return 0
