"""Settings, read from `HIW_*` environment variables (and command-line flags that override them)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_config_path, user_data_path
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "hiw-tui"


def data_dir() -> Path:
    """The per-user folder for the default SQLite databases."""
    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The per-user folder for a person's own preferences (the keymap file)."""
    return user_config_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'hiw.db'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.db'}"


LOW_BANDWIDTH_ENVIRONMENT = {
    "TEXTUAL_COLOR_SYSTEM": "standard",
    "TEXTUAL_ANIMATIONS": "none",
    "ESCDELAY": "400",
}
"""For slow links and thin clients: 16 colours (the shortest colour codes), nothing
animated (a spinner shows as still text) and 400 ms for an escape sequence to arrive
whole, so an arrow key split across two packets is not read as Esc and letters.
Set in the environment before Textual is imported; a value already set wins (so an
SSH server's `--colors 256` holds). Text cursors never blink, in any profile."""


class KeyFileError(ValueError):
    """The key file named by `database_key_file` (or `audit_key_file`) cannot be read."""


def first_line(file: Path) -> str:
    """The key on the first line of `file`, stripped; `KeyFileError` when there is none."""
    try:
        key = file.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError) as error:
        raise KeyFileError(f"the key file {file} cannot be read") from error
    if not key:
        raise KeyFileError(f"the key file {file} is empty")
    return key


class Settings(BaseSettings):
    """Everything an office can set. Each field is read from `HIW_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="HIW_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    """SQLAlchemy URL of the database: `sqlite:///path.db` (the default is a file in the
    user's data folder) or `postgresql+psycopg://user@host/dbname` for a shared server."""

    database_key: SecretStr | None = None
    """The SQLite database's encryption key (SQLCipher). Read from `HIW_DATABASE_KEY` (or the
    key file below), never from the command line; unset, the file is not encrypted."""

    database_key_file: Path | None = None
    """A file holding the key instead (its first line), readable by the service only."""

    audit_key: SecretStr | None = None
    """The secret the audit chain's hashes are keyed with (HMAC-SHA256), so that someone who
    can write to the database but not read this cannot forge or re-chain audit rows. Read
    from `HIW_AUDIT_KEY` (or the key file below), never from the command line."""

    audit_key_file: Path = Field(default_factory=lambda: data_dir() / "audit.key")
    """A file holding the audit key (its first line). Unset, the data folder's `audit.key`,
    made (mode 600) when the first audit row of a new database, or the upgrade that keys
    an existing chain, needs it. A database whose chain has rows is never given a new key:
    without its file (or `HIW_AUDIT_KEY`) audited work stops with a message saying so.
    Every machine that opens one PostgreSQL database needs the same key."""

    export_dir: Path = Field(default_factory=lambda: data_dir() / "exports")
    """Where a subject-access export made from a person's record, and a report exported
    from the reports screen, are written."""

    retention_months: int = Field(default=36, ge=1)
    """Months after a household closes before its personal data is erased."""

    user: str | None = None
    """Username the app acts as. Every query is scoped to this user's caseload or area."""

    low_bandwidth: bool = False
    """The low-bandwidth profile (also `--low-bandwidth`, and always over SSH): see
    `LOW_BANDWIDTH_ENVIRONMENT`, and no mouse reporting, so no hover effects either."""

    page_size: int = Field(default=100, ge=10, le=1000)
    """How many households the list loads from the database at a time."""

    star_framework: Path | None = None
    """A Star framework file (TOML, the shape of the shipped `hiw-default.toml`) holding an
    organisation's own licensed wording; the shipped framework when unset."""

    reading_due_weeks: int = Field(default=12, ge=1, le=104)
    """Weeks after a person's latest final Star reading when the next one falls due."""

    sqlite_busy_timeout_ms: int = Field(default=10_000, ge=0)
    """How long an SQLite writer waits for another writer's lock before giving up."""

    budget_cap_pence: int = Field(default=100_000, ge=0)
    """A household's support budget when it opens, in pence (£1,000). A budget keeps the
    cap it opened with; a supervisor raises one household's cap on its ledger."""

    approval_threshold_pence: int = Field(default=25_000, ge=0)
    """A spend above this, in pence (£250), waits for a supervisor other than the person
    who entered it; until then its money is held as committed."""

    idle_lock_minutes: float = Field(default=15, gt=0, le=24 * 60)
    """Minutes without a key press or click before the screen hides everything and asks
    for the password again."""

    sign_in_attempts: int = Field(default=5, ge=1, le=100)
    """Wrong passwords in a row that lock an account."""

    sign_in_lock_minutes: int = Field(default=15, ge=1)
    """How long a locked account stays locked."""

    error_log: Path = Field(default_factory=lambda: data_dir() / "errors.log")
    """Where an unexpected error is written, with its traceback (readable by the user
    alone), rather than to the terminal."""

    ssh_host_key: Path = Field(default_factory=lambda: data_dir() / "ssh_host_ed25519_key")
    """The embedded SSH server's host key: generated on first start, then kept."""

    ssh_sessions_per_user: int = Field(default=3, ge=1)
    """SSH sessions one user may have open at once."""

    ssh_failures_per_minute: int = Field(default=10, ge=1)
    """Refused keys from one address in a minute before it is cut off for the minute."""

    ssh_keepalive_seconds: float = Field(default=30, gt=0)
    """Seconds without a word from an SSH client before the server asks if it is there."""

    ssh_keepalive_count: int = Field(default=4, ge=1)
    """Unanswered asks after which the server ends the session (with the defaults, a
    link that went dead ends within two and a half minutes, freeing its slot)."""

    targets_file: Path | None = None
    """A targets file (TOML, the shape of the shipped `hiw_tui/domain/targets/programme.toml`):
    periods with their dates and targets, for the programme and optionally per local
    authority or advocate. The programme's published targets when unset."""

    theme: Literal["default", "terminal", "terminal-light", "high-contrast"] = "default"
    """The colours: `default`; `terminal` (or `terminal-light` on a light background) in
    the terminal's own palette, so a person's high-contrast colours apply; or
    `high-contrast`, white and yellow on black. Ctrl+P, "Theme", changes it for the
    session."""

    show_cursor: bool = False
    """Show the terminal's cursor. It always sits on the highlighted row, cell or field
    (hidden, it still guides screen readers that follow it); shown, magnifiers and
    readers that track only a visible cursor follow it too."""

    keymap_file: Path | None = None
    """A keymap file (TOML) rebinding keys; unset, `keys.toml` in the config folder if
    there is one. `hiw-tui keys` lists what can be rebound."""

    def encryption_key(self) -> str | None:
        """The database key from `database_key` or the first line of `database_key_file`."""
        if self.database_key is not None:
            return self.database_key.get_secret_value()
        if self.database_key_file is None:
            return None
        return first_line(self.database_key_file)
