"""The casework files of the import and export format: partners, consents, referrals,
contacts and phased-exit check-ins (see the README's "Casework files")."""

from hiw_tui.transfer.casework.export import export_casework
from hiw_tui.transfer.casework.files import CASEWORK_FILES
from hiw_tui.transfer.casework.rows import CaseworkRows, read_casework

__all__ = ["CASEWORK_FILES", "CaseworkRows", "export_casework", "read_casework"]
