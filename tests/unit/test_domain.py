"""Validation, text hygiene and date rules: pure functions, no database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hiw_tui.domain.dates import age_on, months_on_programme, whole_months
from hiw_tui.domain.text import clean_block, clean_line, postcode_key, search_key
from hiw_tui.domain.validation import HouseholdInput, PersonInput, field_errors
from hiw_tui.transfer.cell_checks import validated
from hiw_tui.transfer.problems import RowError
from tests.helpers.factories import person_input


@given(st.text())
def test_clean_line_never_leaves_control_characters(value: str) -> None:
    cleaned = clean_line(value)
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in cleaned)
    assert cleaned == cleaned.strip()
    assert clean_line(cleaned) == cleaned  # idempotent


@given(st.text())
def test_clean_block_keeps_lines_but_no_other_control_characters(value: str) -> None:
    cleaned = clean_block(value)
    assert not any((ord(ch) < 32 and ch != "\n") or 127 <= ord(ch) < 160 for ch in cleaned)


def test_escape_sequences_are_removed_whole_and_markup_is_left_as_text() -> None:
    assert clean_line("Smith\x1b[31m red\x1b[0m") == "Smith red"
    assert clean_line("\x1b]8;;http://x\x07link\x1b]8;;\x07") == "link"
    assert clean_line("[@click=app.quit]Jo[/]") == "[@click=app.quit]Jo[/]"
    assert clean_line("  two\tspaces\n") == "two spaces"


def test_search_keys_fold_case_and_postcode_spacing() -> None:
    assert search_key("O'Brien ") == "o'brien"
    assert postcode_key("l4 0th") == postcode_key("L40TH") == "l40th"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("l4 0th", "L4 0TH"), ("CH412AB", "CH41 2AB"), ("wa10 1aa", "WA10 1AA"), ("", "")],
)
def test_postcodes_are_normalised(raw: str, stored: str) -> None:
    assert person_input(postcode=raw).postcode == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "LIVERPOOL", "Not a UK postcode"),
        ("phone", "call me", "Digits and spaces only"),
        ("email", "jo at home", "Not an email address"),
        ("given_name", "   ", "This is required."),
        ("date_of_birth", "17/05/1988", "A date as YYYY-MM-DD."),
        ("date_of_birth", "1981-02-30", "1981-02-30 is not a real date."),
        ("date_of_birth", "1981-13-01", "1981-13-01 is not a real date."),
        ("date_of_birth", "1850-01-01", "Not a plausible date of birth."),
        ("role", "boss", "Choose one of the listed options."),
    ],
)
def test_each_bad_value_gets_a_message_for_its_own_field(
    field: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        person_input(**{field: value})
    errors = field_errors(caught.value)
    assert list(errors) == [field]
    assert errors[field].startswith(message)


def test_a_secondary_householder_is_16_or_over_and_other_members_any_age() -> None:
    ten_years_ago = date.today().replace(day=1).replace(year=date.today().year - 10)
    with pytest.raises(ValidationError) as caught:
        person_input(role="secondary", date_of_birth=ten_years_ago)
    assert field_errors(caught.value) == {
        "date_of_birth": "A secondary householder must be 16 or over"
        " (this date of birth makes them 10)."
    }
    assert person_input(role="member", date_of_birth=ten_years_ago).role == "member"


HOUSEHOLD = {
    "reference": "LIV-1",
    "local_authority": "liverpool",
    "advocate_id": 1,
    "referral_route": "jcp",
}
"""A household as a form submits it, but for its status and dates."""


def test_household_dates_must_be_in_order_and_closed_households_need_an_end() -> None:
    base = {
        "reference": "LIV-1",
        "local_authority": "liverpool",
        "advocate_id": 1,
        "referral_route": "self",
    }
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | {"start_date": "2026-02-01", "end_date": "2026-01-01"})
    assert field_errors(caught.value) == {"end_date": "The end date is before the start date."}
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | {"start_date": "2026-02-01", "status": "exited"})
    assert field_errors(caught.value) == {
        "end_date": "An exited or withdrawn household needs an end date."
    }
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | {"start_date": "2026-02-01", "reference": "x"})
    assert list(field_errors(caught.value)) == ["reference"]


def test_only_a_referral_waiting_or_withdrawn_may_have_no_start_date() -> None:
    base = HOUSEHOLD | {"referred_on": "2026-01-20"}
    referred = HouseholdInput.model_validate(base | {"status": "referred", "start_date": ""})
    assert (referred.start_date, referred.referred_on) == (None, date(2026, 1, 20))
    for status in ("active", "short_term", "exited"):
        with pytest.raises(ValidationError) as caught:
            HouseholdInput.model_validate(base | {"status": status, "end_date": "2026-03-01"})
        assert field_errors(caught.value) == {
            "start_date": "A household that has started needs a start date."
        }
    # A referral that never started is closed as withdrawn, still with no start date.
    closed = {"status": "withdrawn", "end_date": "2026-03-01"}
    assert HouseholdInput.model_validate(base | closed).start_date is None
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | closed | {"end_date": "2026-01-02"})
    assert field_errors(caught.value) == {"end_date": "The end date is before the referral date."}
    active = HouseholdInput.model_validate(base | {"status": "active", "start_date": "2026-02-02"})
    assert active.start_date == date(2026, 2, 2)


def test_a_referral_date_is_not_after_the_start_nor_in_the_future() -> None:
    base = HOUSEHOLD | {"status": "active", "start_date": "2026-02-02"}
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | {"referred_on": "2026-02-03"})
    assert field_errors(caught.value) == {
        "referred_on": "The referral date is after the start date."
    }
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(
            base | {"status": "referred", "start_date": None, "referred_on": tomorrow}
        )
    assert field_errors(caught.value) == {"referred_on": "A referral date cannot be in the future."}
    same_day = HouseholdInput.model_validate(base | {"referred_on": "2026-02-02"})
    assert same_day.referred_on == same_day.start_date


def test_a_start_or_end_date_is_not_in_the_future() -> None:
    base = HOUSEHOLD | {"status": "active"}
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(base | {"start_date": tomorrow})
    assert field_errors(caught.value) == {
        "start_date": "A start date cannot be in the future: leave the household referred "
        "until support begins."
    }
    exited = base | {"status": "exited", "start_date": "2026-02-02", "end_date": tomorrow}
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(exited)
    assert field_errors(caught.value) == {"end_date": "An end date cannot be in the future."}
    today = HouseholdInput.model_validate(exited | {"end_date": date.today()})
    assert today.end_date == date.today()


def test_every_dates_problem_is_told_at_once() -> None:
    """One save shows the referral date's problem and the end date's together."""
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    closed = HOUSEHOLD | {"status": "exited", "start_date": "2026-02-02"}
    with pytest.raises(ValidationError) as caught:
        HouseholdInput.model_validate(closed | {"referred_on": tomorrow, "end_date": "2026-01-01"})
    assert field_errors(caught.value) == {
        "referred_on": "A referral date cannot be in the future.",
        "end_date": "The end date is before the start date.",
    }
    with pytest.raises(RowError) as row:
        validated(
            HouseholdInput,
            closed | {"referred_on": tomorrow, "end_date": "2026-01-01"},
            {"referred_on": "referral_date", "end_date": "end_date"},
        )
    assert row.value.problems == [
        ("referral_date", "A referral date cannot be in the future."),
        ("end_date", "The end date is before the start date."),
    ]


def test_a_support_need_must_come_from_the_code_list() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonInput.model_validate(
            person_input().model_dump() | {"support_needs": ["mental_health", "sadness"]}
        )
    assert list(field_errors(caught.value)) == ["support_needs"]


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 1, 31), date(2025, 2, 28), 0),
        (date(2025, 1, 15), date(2025, 2, 15), 1),
        (date(2025, 1, 15), date(2026, 1, 14), 11),
        (date(2025, 3, 1), date(2025, 2, 1), 0),
    ],
)
def test_whole_months(start: date, end: date, months: int) -> None:
    assert whole_months(start, end) == months


def test_months_on_programme_stop_at_the_end_date_and_ages_count_birthdays() -> None:
    assert months_on_programme(date(2025, 1, 1), date(2025, 4, 1), today=date(2026, 1, 1)) == 3
    assert months_on_programme(date(2025, 1, 1), None, today=date(2026, 1, 1)) == 12
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26


@given(st.dates(), st.dates())
def test_whole_months_never_exceeds_the_calendar_difference(a: date, b: date) -> None:
    months = whole_months(a, b)
    assert months >= 0
    assert months <= max(0, (b.year - a.year) * 12 + b.month - a.month)
