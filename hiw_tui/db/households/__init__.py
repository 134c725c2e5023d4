"""Households and their members: the scoped, paged list, the record, and saving with
version checks."""

from hiw_tui.db import reexport

__getattr__ = reexport(__name__, ("households", "people", "duplicates"))
