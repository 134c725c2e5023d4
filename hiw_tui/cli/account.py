"""`hiw-tui user lock`, `user unlock` and `user show`: an account's state, for
administrators (the keys `user remove-key` takes are listed by `show`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hiw_tui.db.access.accounts import AccountState
    from hiw_tui.db.core.engine import Database


def account_command(database: Database, command: str, username: str) -> int:
    """Raises DataError (a user not found), which the caller reports."""
    from hiw_tui.db.access.accounts import account_state, lock_user, unlock_user

    if command == "lock":
        database.write(lock_user, username=username)
        print(f"Locked {username}: no sign-in until `hiw-tui user unlock {username}`.")
    elif command == "unlock":
        database.write(unlock_user, username=username)
        print(f"Unlocked {username}.")
    else:
        state = database.read(account_state, username=username, now=datetime.now(UTC))
        for line in state_lines(state):
            print(line)
    return 0


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def state_lines(state: AccountState) -> list[str]:
    from hiw_tui.db.access.accounts import AccountStatus

    user = state.user
    status = {
        AccountStatus.OPEN: "open",
        AccountStatus.LOCKED_OUT: f"locked after wrong passwords until {_when(state.locked_until)}",
        AccountStatus.LOCKED: "locked by an administrator (hiw-tui user unlock)",
        AccountStatus.DEACTIVATED: f"deactivated {_when(state.deactivated_at)} "
        "(hiw-tui user reactivate)",
    }[state.status]
    keys = [f"                 {key.fingerprint} {key.comment}".rstrip() for key in state.keys]
    return [
        f"User:            {user.username} ({user.display_name})",
        f"Role:            {user.role.label}, {user.local_authority or 'all areas'}",
        f"Account:         {status}",
        f"Password:        {'set' if state.has_password else 'none (SSH key only)'}",
        f"SSH keys:        {len(state.keys)}",
        *keys,
        f"Wrong in a row:  {state.wrong_in_a_row}",
        f"Last sign-in:    {_when(state.last_sign_in)}",
        f"Last failure:    {_when(state.last_failure)}",
    ]
