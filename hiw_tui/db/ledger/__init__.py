"""The support-budget ledger: its tables, the one locked posting path, the register and the
integrity check."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("check", "models", "posting", "register", "sums"))
