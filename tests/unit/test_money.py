"""Amounts as advocates type them, and as the app shows them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiw_tui.domain.budget import Balance, overspend
from hiw_tui.domain.money import MAX_PENCE, decimal_pounds, parse_pounds, pounds


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("12.50", 1250),
        ("£12.50", 1250),
        ("12", 1200),
        (" £ 12.5 ", 1250),
        ("0.01", 1),
        ("1,200", 120_000),
        ("1,200.75", 120_075),
        ("12.", 1200),
    ],
)
def test_amounts_are_read_as_pence(typed: str, pence: int) -> None:
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.505", "At most two decimal places"),
        ("-12", "without a minus sign"),
        ("£-12", "without a minus sign"),
        ("-£12", "without a minus sign"),
        ("0", "above £0.00"),
        ("0.00", "above £0.00"),
        ("twelve", "Not an amount"),
        ("", "Not an amount"),
        ("£", "Not an amount"),
        ("12,50", "Not an amount"),
        ("1e3", "Not an amount"),
        ("100001", "At most £100,000.00"),
    ],
)
def test_nonsense_is_refused_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        parse_pounds(typed)


@given(st.integers(1, MAX_PENCE))
def test_what_is_shown_reads_back_as_the_same_pence(pence: int) -> None:
    assert parse_pounds(pounds(pence)) == pence
    assert parse_pounds(decimal_pounds(pence)) == pence


def test_the_refusal_says_what_remains() -> None:
    balance = Balance(cap=100_000, spent=60_000, committed=30_000)
    assert overspend(balance, 10_000) is None
    assert overspend(balance, 10_001) == (
        "Only £100.00 of this household's budget remains "
        "(£600.00 spent and £300.00 waiting for approval)."
    )
    assert pounds(-1250) == "-£12.50"
