"""App users, their passwords and sign-in, and their SSH keys."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("accounts", "auth", "keys", "users"))
