"""App users, their passwords and sign-in, their SSH keys, the users a supervisor or
manager looks after, leavers and moving their caseloads."""

from hiw_tui.db import reexport

__getattr__ = reexport(
    __name__,
    ("accounts", "auth", "caseloads", "keys", "leavers", "sessions", "staff", "users"),
)
