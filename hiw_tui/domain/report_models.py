"""What the programme reports hold: plain values, made by `hiw_tui.reports.queries.programme`
and shown by the reports screen and the `hiw-tui report` command alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass, field, fields

from hiw_tui.domain.counting import percent


@dataclass(frozen=True)
class Performance:
    """The two published tables: targets against actuals, and the counts."""

    households_started: int
    households_completed_activity: int
    households_significant_improvement: int
    households_into_work: int
    progress_measures: int
    steps: int
    job_outcomes: int
    work_related_activities: int
    courses: int

    @property
    def into_work_percent(self) -> float:
        return percent(self.households_into_work, self.households_started)

    @classmethod
    def total(cls, parts: Iterable[Performance]) -> Performance:
        """The figures of households counted in parts (each household in one): every
        measure counts households or things of theirs, so the whole is the parts' sum."""
        sums = [sum(values) for values in zip(*map(astuple, parts), strict=True)]
        return cls(*(sums or [0] * len(fields(cls))))

    def as_json(self) -> dict[str, int | float]:
        """Exactly the published measures, under their agreed keys."""
        values: dict[str, int | float] = asdict(self)
        ordered = list(values)
        ordered.insert(ordered.index("households_into_work") + 1, "into_work_percent")
        values["into_work_percent"] = self.into_work_percent
        return {key: values[key] for key in ordered}


@dataclass(frozen=True)
class AreaChange:
    """Distance travelled on one Star area, over people with two or more final readings
    who were scored on the area in both their first and their latest."""

    area: str
    people: int
    first_total: int
    latest_total: int
    improved: int
    unchanged: int
    worse: int

    @property
    def first_average(self) -> float:
        return round(self.first_total / self.people, 2) if self.people else 0.0

    @property
    def latest_average(self) -> float:
        return round(self.latest_total / self.people, 2) if self.people else 0.0


@dataclass(frozen=True)
class Share:
    """One line of a cohort table: how many people, and their share of everyone."""

    code: str
    label: str
    people: int
    percent: float
    published: float | None
    """The programme's published share (domain.md), where there is one."""


@dataclass(frozen=True)
class CohortProfile:
    people: int
    tables: dict[str, tuple[Share, ...]]
    """Support needs, needs per person, time since work, age, gender, ethnicity."""
    withheld: tuple[str, ...] = ()
    """Tables left out, with the sensitive needs, for a reader without the permission."""
    households: int = 0
    """The households started, which `household_tables` count."""
    household_tables: dict[str, tuple[Share, ...]] = field(default_factory=dict)
    """Tables of households rather than people (a `Share`'s `people` counts households):
    the programmes before HiW."""
