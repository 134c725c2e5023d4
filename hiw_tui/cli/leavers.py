"""`hiw-tui user deactivate`, `reactivate`, `remove-key` and `reassign-caseload`: what a
supervisor (in their own local authority) or a programme manager (anywhere) does for a
leaver, as themselves (`--user`), through the same functions as the users screen."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, acting_user, fail

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import UserPublic
    from hiw_tui.settings import Settings

LEAVER_COMMANDS = frozenset({"deactivate", "reactivate", "remove-key", "reassign-caseload"})
ACTING = "the supervisor or programme manager doing this (default: $HIW_USER)"


def register_leavers(user: Commands, common: argparse.ArgumentParser) -> None:
    """Add the commands to `hiw-tui user`'s subcommands."""
    deactivate = user.add_parser(
        "deactivate",
        parents=[common],
        help="a leaver: no sign-in, by password or key, and a session open now ends",
    )
    deactivate.add_argument("username")
    reactivate = user.add_parser(
        "reactivate", parents=[common], help="give a deactivated account back, as it was"
    )
    reactivate.add_argument("username")
    remove_key = user.add_parser(
        "remove-key",
        parents=[common],
        help="remove one of a user's SSH keys (user show lists them)",
    )
    remove_key.add_argument("username")
    remove_key.add_argument("fingerprint", help="the key's SHA256:… fingerprint")
    move = user.add_parser(
        "reassign-caseload",
        parents=[common],
        help="move an advocate's households to another advocate, with a reason",
    )
    move.add_argument("from_user", metavar="FROM", help="the advocate they move from")
    move.add_argument("to_user", metavar="TO", help="the active advocate they move to")
    move.add_argument("--reason", required=True, help="why (kept on each household's trail)")
    move.add_argument(
        "--household",
        action="append",
        metavar="REF",
        help="only this household (again for more); without it, every one still on FROM's "
        "caseload (not exited or withdrawn)",
    )
    for parser in (deactivate, reactivate, remove_key, move):
        # Given before the command too (`hiw-tui --user U user ...`): no default here to undo it.
        parser.add_argument("--user", default=argparse.SUPPRESS, help=ACTING)


def leaver_command(database: Database, args: argparse.Namespace, settings: Settings) -> int:
    """Raises DataError (refused, not found), which the caller reports."""
    from hiw_tui.db.access.users import get_user

    username = acting_user(args, settings)
    if not username:
        return fail("say who is doing this: --user USERNAME (or set HIW_USER)")
    actor = database.read(get_user, username=username)
    if not actor.active:
        return fail(f"{actor.username} cannot sign in, so cannot act")
    command = args.user_command
    if command == "reassign-caseload":
        return _reassign(database, actor, args)
    if command == "remove-key":
        from hiw_tui.db.access.leavers import remove_key

        user = database.write(
            remove_key, actor=actor, username=args.username, fingerprint=args.fingerprint
        )
        print(f"Removed the key {args.fingerprint} of {user.username}.")
        return 0
    if command == "reactivate":
        from hiw_tui.db.access.leavers import reactivate_user

        user = database.write(reactivate_user, actor=actor, username=args.username)
        print(f"Reactivated {user.username}: they sign in as before.")
        return 0
    return _deactivate(database, actor, args.username)


def _deactivate(database: Database, actor: UserPublic, username: str) -> int:
    from hiw_tui.db.access.leavers import deactivate_user

    done = database.write(deactivate_user, actor=actor, username=username)
    name = done.user.username
    print(f"Deactivated {name}: no sign-in, by password or key; a session open now ends.")
    if done.households:
        print(
            f"{done.households} household(s) are still on their caseload; move them with\n"
            f"  hiw-tui user reassign-caseload {name} TO --reason TEXT --user {actor.username}"
        )
    return 0


def _reassign(database: Database, actor: UserPublic, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from hiw_tui.db.access.caseloads import reassign_caseload
    from hiw_tui.domain.case_inputs import CaseloadMoveInput
    from hiw_tui.domain.validation import field_errors

    try:
        data = CaseloadMoveInput(
            to_advocate=args.to_user, households=args.household, reason=args.reason
        )
    except ValidationError as error:
        return fail("; ".join(f"{k}: {v}" for k, v in field_errors(error).items()))
    moved = database.write(reassign_caseload, actor=actor, username=args.from_user, data=data)
    print(
        f"Moved {len(moved.references)} household(s) from {moved.moved_from.username} "
        f"to {moved.moved_to.username}: {', '.join(moved.references)}"
    )
    return 0
