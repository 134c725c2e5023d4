"""A Star framework as data: its areas, its 1-5 scale, and what each point means.

The app ships its own wording (`frameworks/hiw-default.toml`); an organisation with
a licence for other wording points the `star_framework` setting at its own file of
the same shape. Every reading records the framework id and version it was made under.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hiw_tui.domain.toml_files import read_toml

DEFAULT_FRAMEWORK = Path(__file__).with_name("frameworks") / "hiw-default.toml"
SCORES = (1, 2, 3, 4, 5)

Words = Annotated[str, Field(min_length=1, max_length=300)]


class FrameworkError(ValueError):
    """A framework file that cannot be used, with what is wrong in it."""


class ScalePoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    score: int = Field(ge=1, le=5)
    label: Words


class Area(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    name: Words
    short: Annotated[str, Field(max_length=12)] = ""
    """A name of up to 12 characters for charts and narrow tables (the name, cut, if empty)."""
    points: tuple[Words, Words, Words, Words, Words]
    """What scores 1 to 5 mean in this area, in that order."""

    @property
    def short_name(self) -> str:
        return self.short or (self.name if len(self.name) <= 12 else self.name[:11] + "…")

    def meaning(self, score: int) -> str:
        return self.points[score - 1]


class Framework(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    version: Words
    name: Words
    scale: tuple[ScalePoint, ...]
    areas: tuple[Area, ...]

    @model_validator(mode="after")
    def _complete(self) -> Framework:
        if tuple(point.score for point in self.scale) != SCORES:
            raise ValueError("scale: needs the points 1, 2, 3, 4 and 5, in that order")
        codes = [area.code for area in self.areas]
        if not codes:
            raise ValueError("areas: needs at least one area")
        if len(set(codes)) != len(codes):
            raise ValueError("areas: each area code may appear once")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(area.code for area in self.areas)

    def area(self, code: str) -> Area:
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)

    def name_of(self, code: str, *, short: bool = False) -> str:
        """An area's name (or short name), or its code for an area this framework lacks
        (a goal or reading kept from an earlier framework)."""
        area = next((area for area in self.areas if area.code == code), None)
        if area is None:
            return code
        return area.short_name if short else area.name

    def label(self, score: int) -> str:
        return self.scale[score - 1].label


def load_framework(path: Path | str | None = None) -> Framework:
    """Read and check a framework file (TOML); the shipped one when `path` is None."""
    path = Path(path) if path else DEFAULT_FRAMEWORK
    return read_toml(path, Framework, what="Star framework file", error=FrameworkError)
