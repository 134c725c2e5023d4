"""Star readings: saving and correcting them, reading them back, and each reading's
progress counts."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("progress", "readings", "scores"))
