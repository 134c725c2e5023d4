"""The audit trail: writing a row with each change, its hash chain, and the audit browser's
query."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("chain", "log", "trail"))
