"""The audit chain's key: a secret kept outside the database (see hiw_tui.db.audit.chain).

Given as a setting (`HIW_AUDIT_KEY`) it is used as it is; otherwise it is read from the
first line of a key file (`HIW_AUDIT_KEY_FILE`, by default `audit.key` in the data
folder). The file is made, with a random key, mode 600 in a folder only its owner may
open, the first time a database whose chain is still empty needs it, or the upgrade
that keys an existing chain. A chain that has rows is never given a new key: without
its key file audited work stops with `AuditKeyError`, so that a second machine, or a
lost file, cannot quietly start rows that nobody can verify.

The key travels with the engine as an execution option (`OPTION`), so every session on
the engine, and a migration run on one of its connections, finds it.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any

from hiw_tui.db.core.errors import DataError
from hiw_tui.db.core.private import private_text, touch_private
from hiw_tui.settings import KeyFileError, Settings, data_dir, first_line

OPTION = "hiw_audit_key"


class AuditKeyError(DataError):
    """The audit key cannot be had: its file is missing for a chain that has rows, or
    unreadable."""


class AuditKey:
    """Where one database's audit key comes from: `secret`, else `file`."""

    def __init__(self, secret: str | None = None, file: Path | None = None) -> None:
        self._key = secret.encode() if secret else None
        self.file = file or data_dir() / "audit.key"
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> AuditKey:
        """The key `settings` name (`audit_key`, else `audit_key_file`); by default those
        of the environment, as the command line reads them."""
        settings = settings or Settings()
        secret = settings.audit_key.get_secret_value() if settings.audit_key else None
        return cls(secret, settings.audit_key_file)

    def get(self, *, create: bool) -> bytes:
        """The key; with `create`, a missing key file is made with a new random key."""
        if self._key is not None:
            return self._key
        with self._lock:
            if self._key is None:
                if not self.file.exists():
                    if not create:
                        raise AuditKeyError(
                            f"the audit key file {self.file} is missing, and this database's "
                            "audit trail was written with a key: put the file back, or set "
                            "HIW_AUDIT_KEY_FILE (or HIW_AUDIT_KEY) to the key it was written with"
                        )
                    self._make()
                try:
                    self._key = first_line(self.file).encode()
                except KeyFileError as error:
                    raise AuditKeyError(str(error)) from error
            return self._key

    def _make(self) -> None:
        if touch_private(self.file):  # else made a moment ago by another process: use it
            with private_text(self.file) as out:
                out.write(secrets.token_hex(32) + "\n")


def audit_key(options: Any) -> AuditKey:
    """The key source among a connection's execution `options` (the settings' without one)."""
    found = options.get(OPTION)
    return found if isinstance(found, AuditKey) else AuditKey.from_settings()
