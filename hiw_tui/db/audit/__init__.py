"""The audit trail: writing a row with each change, its keyed hash chain and its key, and
the audit browser's query."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("chain", "key", "log", "trail"))
