"""The programme's targets as data: periods, each with its dates and its targets for
the programme, and optionally for a local authority or an advocate.

The app ships the published targets (`programme.toml`); an organisation points the
`targets_file` setting at its own file of the same shape. A report shows the targets
of its own scope and period only: a report of one area shows that area's targets if
the file has them and none otherwise, never the programme's, and a report whose dates
are not a period's shows none (`Targets.matching`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hiw_tui.domain.codes import LocalAuthority
from hiw_tui.domain.counting import Period
from hiw_tui.domain.toml_files import read_toml

DEFAULT_TARGETS = Path(__file__).with_name("programme.toml")


class TargetsError(ValueError):
    """A targets file that cannot be used, with what is wrong in it."""


class Goals(BaseModel):
    """The four targeted measures, by the performance report's keys; any may be absent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    households_started: int | None = Field(default=None, ge=0)
    households_completed_activity: int | None = Field(default=None, ge=0)
    households_significant_improvement: int | None = Field(default=None, ge=0)
    into_work_percent: float | None = Field(default=None, ge=0, le=100)

    def as_dict(self) -> dict[str, float]:
        return {key: value for key, value in self.model_dump().items() if value is not None}


class TargetPeriod(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: Annotated[str, Field(min_length=1, max_length=60)]
    date_from: date | None = Field(default=None, alias="from")
    """The period's first day; none: counted from the beginning."""
    to: date
    targets: Goals = Goals()
    areas: dict[LocalAuthority, Goals] = {}
    advocates: dict[str, Goals] = {}

    @model_validator(mode="after")
    def _ordered(self) -> TargetPeriod:
        if self.date_from is not None and self.date_from > self.to:
            raise ValueError(f"{self.name}: 'from' is after 'to'")
        return self

    def goals(self, *, local_authority: str | None, advocate: str | None) -> dict[str, float]:
        """The targets for a report of the programme, one area or one advocate."""
        if advocate is not None:
            return self.advocates.get(advocate, Goals()).as_dict()
        if local_authority is not None:
            return self.areas.get(LocalAuthority(local_authority), Goals()).as_dict()
        return self.targets.as_dict()

    def describe(self) -> str:
        start = self.date_from.isoformat() if self.date_from else "the start"
        return f"{self.name} ({start} to {self.to.isoformat()})"


class Targets(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    period: tuple[TargetPeriod, ...] = ()

    @model_validator(mode="after")
    def _in_order(self) -> Targets:
        ends = [period.to for period in self.period]
        if ends != sorted(set(ends)):
            raise ValueError("period: each period ends on its own day, in date order")
        return self

    def matching(self, report: Period) -> dict[str, float]:
        """The targets of `report`'s scope, if its dates are a period's (its end date,
        and its from date or none where the period has none); otherwise none."""
        for period in self.period:
            if period.to == report.as_of and period.date_from == report.date_from:
                return period.goals(
                    local_authority=report.local_authority, advocate=report.advocate
                )
        return {}

    def up_to(self, day: date) -> tuple[TargetPeriod, ...]:
        """The periods ending on or before `day`."""
        return tuple(period for period in self.period if period.to <= day)

    def spans(self, ends: list[date]) -> tuple[TargetPeriod, ...]:
        """The periods ending on `ends`: the file's where it has one; otherwise a period
        from the day after the previous end (from the beginning for the first), with no
        targets."""
        known = {period.to: period for period in self.period}
        spans: list[TargetPeriod] = []
        for end in sorted(set(ends)):
            if end in known:
                spans.append(known[end])
                continue
            start = spans[-1].to + timedelta(days=1) if spans else None
            name = f"To {end.day} {end:%B %Y}"
            spans.append(TargetPeriod.model_validate({"name": name, "from": start, "to": end}))
        return tuple(spans)


def load_targets(path: Path | str | None = None) -> Targets:
    """Read and check a targets file (TOML); the shipped one when `path` is None."""
    path = Path(path) if path else DEFAULT_TARGETS
    return read_toml(path, Targets, what="targets file", error=TargetsError)
