"""Star framework loading and the counting rules for readings (pure, property-tested)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiw_tui.domain.framework import DEFAULT_FRAMEWORK, FrameworkError, load_framework
from hiw_tui.domain.star import (
    SIGNIFICANT_AREAS,
    IncomparableReadings,
    Reading,
    area_changes,
    change_mark,
    first_and_latest,
    household_due,
    next_due,
    progress_measures,
    significant_improvement,
    unscored_areas,
)

AREAS = (
    "skills",
    "stability_home",
    "money",
    "physical_health",
    "emotional_health",
    "family",
    "social_networks",
    "aspiration_motivation",
)


def test_the_shipped_framework_has_the_programmes_areas_and_scale() -> None:
    framework = load_framework()
    assert framework.codes == AREAS
    assert (framework.label(1), framework.label(5)) == ("Not managing", "Managing well")
    for area in framework.areas:
        assert len(set(area.points)) == 5  # a different meaning for every point


def test_an_organisation_can_load_its_own_framework(tmp_path: Path) -> None:
    own = DEFAULT_FRAMEWORK.read_text().replace('id = "hiw-default"', 'id = "licensed-star"')
    path = tmp_path / "own.toml"
    path.write_text(own.replace("Not managing", "Stuck"))
    framework = load_framework(path)
    assert (framework.id, framework.label(1)) == ("licensed-star", "Stuck")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('score = 5\nlabel = "Managing well"', 'score = 6\nlabel = "Beyond"'), "scale"),
        (('code = "money"', 'code = "skills"'), "each area code may appear once"),
        (('  "Driven and confident, with a realistic plan for work.",\n', ""), "points"),
        (("[[areas]]", "[[areas]"), "not valid TOML"),
    ],
)
def test_a_broken_framework_file_is_refused_with_what_is_wrong(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(DEFAULT_FRAMEWORK.read_text().replace(*change, 1))
    with pytest.raises(FrameworkError, match=message):
        load_framework(path)


def test_a_missing_framework_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="Cannot read"):
        load_framework(tmp_path / "absent.toml")


scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
score_maps = st.fixed_dictionaries({area: scores for area in AREAS})


def reading(values: dict[str, int | None], day: int = 0, framework: str = "hiw-default") -> Reading:
    return Reading(
        framework_id=framework, taken_on=date(2026, 1, 1) + timedelta(days=day), scores=values
    )


@given(score_maps, score_maps)
def test_changes_are_latest_minus_first_and_never_invented(first: dict, latest: dict) -> None:  # type: ignore[type-arg]
    changes = area_changes(reading(first), reading(latest, 90))
    for area in AREAS:
        if first[area] is None or latest[area] is None:
            assert changes[area] is None
        else:
            assert changes[area] == latest[area] - first[area]
            assert -4 <= changes[area] <= 4


@given(score_maps, score_maps)
def test_progress_counts_improved_areas_and_significance_needs_three(
    first: dict, latest: dict
) -> None:  # type: ignore[type-arg]
    before, after = reading(first), reading(latest, 90)
    improved = [
        a for a in AREAS if first[a] is not None and latest[a] is not None and latest[a] > first[a]
    ]
    assert progress_measures(before, after) == len(improved)
    assert significant_improvement(before, after) is (len(improved) >= SIGNIFICANT_AREAS)


@given(score_maps)
def test_a_reading_compared_with_itself_shows_no_progress(values: dict) -> None:  # type: ignore[type-arg]
    same = reading(values)
    assert progress_measures(same, same) == 0
    assert not significant_improvement(same, same)
    assert all(change in (0, None) for change in area_changes(same, same).values())


@given(score_maps, score_maps)
def test_swapping_first_and_latest_turns_progress_into_regression(
    first: dict, latest: dict
) -> None:  # type: ignore[type-arg]
    forward = area_changes(reading(first), reading(latest, 1))
    backward = area_changes(reading(latest), reading(first, 1))
    assert forward.keys() == backward.keys() == set(AREAS)
    for area in AREAS:
        f, b = forward[area], backward[area]
        assert (f is None and b is None) or (f is not None and b is not None and f == -b)


def test_exactly_three_areas_up_by_one_is_significant_and_two_is_not() -> None:
    first = dict.fromkeys(AREAS, 2)
    two_up = {**first, "skills": 3, "money": 3}
    three_up = {**two_up, "family": 3}
    assert not significant_improvement(reading(first), reading(two_up, 1))
    assert significant_improvement(reading(first), reading(three_up, 1))
    # A regression elsewhere does not cancel the three improvements.
    assert significant_improvement(reading(first), reading({**three_up, "physical_health": 1}, 1))


def test_readings_under_different_frameworks_are_never_compared() -> None:
    with pytest.raises(IncomparableReadings):
        area_changes(reading({"skills": 1}), reading({"skills": 5}, 1, framework="licensed-star"))


@given(
    st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12), st.integers(0, 400)
)
def test_first_and_latest_are_the_earliest_and_latest_up_to_the_as_of_date(
    days: list[int], cut: int
) -> None:
    readings = [reading({"skills": 3}, day) for day in days]
    as_of = date(2026, 1, 1) + timedelta(days=cut)
    found = first_and_latest(readings, as_of=as_of)
    counted = [day for day in days if day <= cut]
    if not counted:
        assert found is None
        return
    assert found is not None
    first, latest = found
    assert first.taken_on == date(2026, 1, 1) + timedelta(days=min(counted))
    assert latest.taken_on == date(2026, 1, 1) + timedelta(days=max(counted))


def test_a_from_date_leaves_out_earlier_readings() -> None:
    readings = [reading({"skills": 1}, 0), reading({"skills": 2}, 30), reading({"skills": 4}, 60)]
    found = first_and_latest(readings, as_of=date(2026, 12, 31), since=date(2026, 1, 15))
    assert found is not None and [r.scores["skills"] for r in found] == [2, 4]


@pytest.mark.parametrize(("change", "mark"), [(2, "▲ +2"), (-1, "▼ -1"), (0, "= 0"), (None, "n/s")])
def test_changes_read_without_colour(change: int | None, mark: str) -> None:
    assert change_mark(change) == mark


@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from(["hiw-default", "licensed-star"])),
        min_size=1,
        max_size=12,
    )
)
def test_first_and_latest_always_share_a_framework_so_they_can_be_compared(
    dated: list[tuple[int, str]],
) -> None:
    readings = [reading({"skills": 3}, day, framework) for day, framework in dated]
    found = first_and_latest(readings, as_of=date(2030, 1, 1))
    assert found is not None
    first, latest = found
    assert first.framework_id == latest.framework_id
    assert latest.taken_on == max(r.taken_on for r in readings)
    same = [r.taken_on for r in readings if r.framework_id == latest.framework_id]
    assert first.taken_on == min(same)
    progress_measures(first, latest)  # never raises IncomparableReadings


@given(st.dictionaries(st.sampled_from(AREAS), scores))
def test_unscored_areas_are_those_neither_scored_nor_marked_not_scored(
    given_scores: dict[str, int | None],
) -> None:
    missing = unscored_areas(AREAS, given_scores)
    assert set(missing) == set(AREAS) - set(given_scores)
    assert missing == [area for area in AREAS if area in missing]  # in framework order


@given(st.integers(1, 52), st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.booleans())
def test_a_reading_falls_due_weeks_after_the_latest_or_on_joining(
    weeks: int, day: date, scored: bool
) -> None:
    joined = date(2019, 6, 1)
    due = next_due(day if scored else None, weeks=weeks, joined=joined)
    assert due == (day + timedelta(weeks=weeks) if scored else joined)


@pytest.mark.parametrize(
    ("status", "members", "scored", "due"),
    [
        ("active", 2, date(2026, 1, 5), date(2026, 3, 30)),
        ("short_term", 1, None, date(2025, 12, 1)),
        ("active", 0, None, None),  # nobody to score
        ("referred", 2, None, None),  # not started
        ("exited", 2, date(2026, 1, 5), None),  # left the programme
    ],
)
def test_only_households_taking_part_fall_due(
    status: str, members: int, scored: date | None, due: date | None
) -> None:
    found = household_due(
        status=status, members=members, scored_through=scored, start=date(2025, 12, 1), weeks=12
    )
    assert found == due
