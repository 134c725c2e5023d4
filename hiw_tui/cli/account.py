"""`hiw-tui user lock`, `user unlock` and `user show`: an account's state, for
administrators."""

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
        for line in state_lines(database.read(account_state, username=username)):
            print(line)
    return 0


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def state_lines(state: AccountState) -> list[str]:
    user = state.user
    if not user.active:
        status = "locked by an administrator (hiw-tui user unlock)"
    elif state.locked_until is not None and state.locked_until > datetime.now(UTC):
        status = f"locked after wrong passwords until {_when(state.locked_until)}"
    else:
        status = "open"
    return [
        f"User:            {user.username} ({user.display_name})",
        f"Role:            {user.role.label}, {user.local_authority or 'all areas'}",
        f"Account:         {status}",
        f"Password:        {'set' if state.has_password else 'none (SSH key only)'}",
        f"SSH keys:        {state.keys}",
        f"Wrong in a row:  {state.wrong_in_a_row}",
        f"Last sign-in:    {_when(state.last_sign_in)}",
        f"Last failure:    {_when(state.last_failure)}",
    ]
