"""Settings, read from `HIW_*` environment variables (and command-line flags that override them)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "hiw-tui"


def data_dir() -> Path:
    """The per-user folder for the default SQLite databases."""
    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'hiw.db'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.db'}"


class Settings(BaseSettings):
    """Everything an office can set. Each field is read from `HIW_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="HIW_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    """SQLAlchemy URL of the database: `sqlite:///path.db` (the default is a file in the
    user's data folder) or `postgresql+psycopg://user@host/dbname` for a shared server."""

    user: str | None = None
    """Username the app acts as. Every query is scoped to this user's caseload or area."""

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

    target_households_started: int = Field(default=800, ge=0)
    """Published target: households started on the programme (the year to March 2020)."""

    target_households_completed_activity: int = Field(default=600, ge=0)
    """Published target: households where individuals completed at least one agreed activity."""

    target_households_significant_improvement: int = Field(default=500, ge=0)
    """Published target: households making significant improvements / moving closer to work."""

    target_into_work_percent: float = Field(default=20.0, ge=0, le=100)
    """Published target: households moved into employment (16 h/week for 4 weeks), in %."""

    def targets(self) -> dict[str, float]:
        """The targets by the performance report's keys. The household targets are the
        programme's: a report for one area or advocate shows them only for the percentage."""
        return {
            "households_started": self.target_households_started,
            "households_completed_activity": self.target_households_completed_activity,
            "households_significant_improvement": self.target_households_significant_improvement,
            "into_work_percent": self.target_into_work_percent,
        }
