"""The field-by-field merge of two people's edits, checked over generated records."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hiw_tui.domain.merge import ABSENT, Merged, flatten, merge, unflatten

FIELDS = ["status", "notes", "due_on", "partner_id"]
VALUES = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["", "a", "b", "a long note"]))
RECORDS = st.fixed_dictionaries({name: VALUES for name in FIELDS})


@st.composite
def edits(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A base record and two edits of it, each changing some of its fields."""
    base = draw(RECORDS)

    def edited() -> dict[str, Any]:
        changes = draw(st.dictionaries(st.sampled_from(FIELDS), VALUES))
        return {**base, **changes}

    return base, edited(), edited()


@given(edits())
def test_a_field_only_they_changed_keeps_theirs(records: tuple[dict[str, Any], ...]) -> None:
    base, mine, theirs = records
    merged = merge(base, mine, theirs)
    for name in FIELDS:
        if mine[name] == base[name]:
            assert merged.values[name] == theirs[name]
            assert name not in merged.clashes


@given(edits())
def test_a_field_only_i_changed_takes_mine(records: tuple[dict[str, Any], ...]) -> None:
    base, mine, theirs = records
    merged = merge(base, mine, theirs)
    for name in FIELDS:
        if theirs[name] == base[name]:
            assert merged.values[name] == mine[name]
            assert name not in merged.clashes and name not in merged.kept


@given(edits())
def test_only_fields_both_changed_differently_clash(records: tuple[dict[str, Any], ...]) -> None:
    base, mine, theirs = records
    merged = merge(base, mine, theirs)
    assert set(merged.clashes) == {
        name for name in FIELDS if base[name] != mine[name] != theirs[name] != base[name]
    }
    assert set(merged.kept) == {name for name in FIELDS if mine[name] == base[name] != theirs[name]}


@given(edits(), st.sets(st.sampled_from(FIELDS)))
def test_every_value_comes_from_one_side(
    records: tuple[dict[str, Any], ...], take_theirs: set[str]
) -> None:
    """Nothing is made up, and a settled clash takes the side chosen for it."""
    base, mine, theirs = records
    merged = merge(base, mine, theirs)
    settled = merged.settled(take_theirs)
    assert set(settled) == set(FIELDS)
    for name, value in settled.items():
        assert value in (base[name], mine[name], theirs[name])
        if name in merged.clashes:
            assert value == (theirs[name] if name in take_theirs else mine[name])


@given(edits())
def test_untouched_fields_never_revert(records: tuple[dict[str, Any], ...]) -> None:
    """Whatever is chosen for the clashes, a field I did not touch ends as they saved it."""
    base, mine, theirs = records
    merged = merge(base, mine, theirs)
    for choice in (set(), set(FIELDS)):
        settled = merged.settled(choice)
        for name in FIELDS:
            if mine[name] == base[name]:
                assert settled[name] == theirs[name]


@given(RECORDS, RECORDS)
def test_nothing_saved_meanwhile_gives_mine(base: dict[str, Any], mine: dict[str, Any]) -> None:
    assert merge(base, mine, base) == Merged(mine, base, (), ())


@given(RECORDS, RECORDS)
def test_no_edits_of_mine_give_theirs(base: dict[str, Any], theirs: dict[str, Any]) -> None:
    merged = merge(base, base, theirs)
    assert merged.values == theirs and merged.clashes == ()


@given(edits())
def test_the_same_change_on_both_sides_is_no_clash(records: tuple[dict[str, Any], ...]) -> None:
    base, mine, _ = records
    merged = merge(base, mine, mine)
    assert merged.values == mine and merged.clashes == () and merged.kept == ()


@given(edits())
def test_merging_again_changes_nothing(records: tuple[dict[str, Any], ...]) -> None:
    """Idempotent: once merged, merging the result with theirs again is the result."""
    base, mine, theirs = records
    once = merge(base, mine, theirs).settled(())
    again = merge(base, once, theirs)
    assert again.settled(()) == once
    assert merge(theirs, once, theirs).values == once


@given(edits())
def test_swapping_sides_agrees_on_everything_but_the_clashes(
    records: tuple[dict[str, Any], ...],
) -> None:
    base, mine, theirs = records
    mine_first, theirs_first = merge(base, mine, theirs), merge(base, theirs, mine)
    assert mine_first.clashes == theirs_first.clashes
    assert mine_first.settled(()) == theirs_first.settled(FIELDS)


@given(RECORDS, RECORDS, RECORDS)
def test_without_a_base_every_difference_is_asked(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    merged = merge({}, mine, theirs)
    assert set(merged.clashes) == {name for name in FIELDS if mine[name] != theirs[name]}
    assert merged.values == mine


@given(edits())
def test_a_field_they_did_not_report_keeps_mine(records: tuple[dict[str, Any], ...]) -> None:
    base, mine, theirs = records
    merged = merge(base, mine, {name: theirs[name] for name in FIELDS[1:]})
    assert merged.values[FIELDS[0]] == mine[FIELDS[0]]
    assert FIELDS[0] not in merged.clashes


@given(
    st.dictionaries(st.sampled_from(["skills", "home", "money"]), st.none() | st.integers(1, 5)),
    st.dictionaries(st.sampled_from(["skills", "home"]), st.sampled_from(["a", "b c"])),
)
def test_scores_and_notes_spread_per_area_and_back(
    scores: dict[str, int | None], notes: dict[str, str]
) -> None:
    record = {"notes": "n", "scores": scores, "area_notes": notes}
    flat = flatten(record)
    assert {name for name in flat if name.startswith("scores.")} == {f"scores.{a}" for a in scores}
    assert unflatten(flat, {"scores", "area_notes"}) == record


def test_two_people_scoring_different_areas_keep_both() -> None:
    base = flatten({"scores": {"skills": 2, "home": 3}, "area_notes": {}})
    mine = flatten({"scores": {"skills": 4, "home": 3}, "area_notes": {}})
    theirs = flatten({"scores": {"skills": 2, "home": 5}, "area_notes": {"home": "moved"}})
    mine["area_notes.home"] = base["area_notes.home"] = ABSENT  # a note only they made
    merged = merge(base, mine, theirs)
    assert merged.clashes == ()
    assert unflatten(merged.values, {"scores", "area_notes"}) == {
        "scores": {"skills": 4, "home": 5},
        "area_notes": {"home": "moved"},
    }
