"""Data protection: what a reader may see, consent, subject access and erasure."""

from hiw_tui.db import reexport

__getattr__ = reexport(
    __name__, ("consent", "consent_rows", "erasure", "files", "subject_access", "visibility")
)
