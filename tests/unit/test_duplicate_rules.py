"""Possible duplicates as pure rules: how names are normalised and compared, and when a
phone or email counts."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hiw_tui.domain.duplicates import (
    NAME_SIMILARITY,
    Candidate,
    Held,
    NameKey,
    Reason,
    elsewhere_text,
    email_key,
    match_reasons,
    normalise_name,
    similar_names,
    whom_to_ask,
)

BORN = date(1990, 2, 3)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Smith", "smith"),
        ("SMITH", "smith"),
        ("  smith ", "smith"),
        ("Zoë", "zoe"),
        ("Siobhán", "siobhan"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Smith-Jones", "smithjones"),
        ("Smith Jones", "smithjones"),
        ("Smith \u2013 Jones", "smithjones"),
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("O Brien", "obrien"),
        ("OBrien", "obrien"),
        ("McDonald", "macdonald"),
        ("Mc Donald", "macdonald"),
        ("MacDonald", "macdonald"),
        ("Mac-Donald", "macdonald"),
        ("Smith-McDonald", "smithmacdonald"),
        ("Mack", "mack"),
        ("Jo5", "jo"),
        ("", ""),
    ],
)
def test_a_name_is_normalised(typed: str, normalised: str) -> None:
    assert normalise_name(typed) == normalised


_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFXYZéüñ -'", max_size=20)


@given(_NAMES)
def test_normalising_is_idempotent_and_leaves_plain_lower_case_letters(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once
    assert once == "".join(char for char in once if char.isalpha() and char.islower())


@given(_NAMES, st.sampled_from(["-", "'", " ", "\u2019", " - "]))
def test_case_and_separators_between_parts_make_no_difference(name: str, separator: str) -> None:
    parts = name.split()
    # A part beginning "Mc" is read as "Mac" (Smith-McDonald), run together it is not.
    assume(not any(part.lower().startswith("mc") for part in parts[1:]))
    assert normalise_name(separator.join(parts)) == normalise_name("".join(parts))
    assert normalise_name(name.upper()) == normalise_name(name.lower())


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_mc_is_mac_and_o_apostrophe_is_o(rest: str) -> None:
    assume(not rest.startswith("mc"))  # O'Mc... would be read as O'Mac...
    assert normalise_name(f"Mc{rest}") == normalise_name(f"Mac{rest}")
    assert normalise_name(f"O'{rest}") == normalise_name(f"O{rest}")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Jon", "Smith"), ("John", "Smith")),
        (("Steven", "Smith"), ("Stephen", "Smith")),
        (("Catherine", "Jones"), ("Katherine", "Jones")),
        (("Chris", "Smith"), ("Christopher", "Smith")),
        (("John", "Smith"), ("Smith", "John")),
        (("Mary Jane", "Smith"), ("Maryjane", "Smith")),
        (("Siobhan", "O'Donnell"), ("Siobhán", "ODonnell")),
        (("Sean", "McDonald"), ("Seán", "Mac Donald")),
        (("Mohammed", "Khan"), ("Muhammad", "Khan")),
        (("Jo", "Bloggs"), ("Joanne", "Bloggs")),
    ],
)
def test_similar_names(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert similar_names(NameKey.of(*one), NameKey.of(*other))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Alex", "Abbot"), ("Sam", "Abbot")),
        (("Jo", "Bloggs"), ("Jo", "Smith")),
        (("Bob", "Smith"), ("Robert", "Smith")),
        (("Ann", "Ashworth"), ("Bill", "Ashworth")),
        (("Jo", "Smith"), ("Joe", "Smythe-Parker")),
        (("", ""), ("", "")),
    ],
)
def test_names_that_are_not_similar(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert not similar_names(NameKey.of(*one), NameKey.of(*other))


def test_the_threshold_is_the_documented_one() -> None:
    assert NAME_SIMILARITY == 80


def _held(given: str, family: str, born: date, phone: str = "", email: str = "") -> Held:
    return Held(NameKey.of(given, family), born, phone, email)


def test_a_similar_name_counts_only_with_the_same_date_of_birth() -> None:
    jo = Candidate("Jo", "Bloggs", BORN)
    assert match_reasons(jo, _held("Jo", "Bloggs", BORN), compare_contact=True) == (Reason.NAME,)
    assert match_reasons(jo, _held("Jo", "Bloggs", date(1990, 2, 4)), compare_contact=True) == ()


def test_the_same_phone_or_email_counts_unless_contact_details_may_not_be_compared() -> None:
    jo = Candidate("Jo", "Bloggs", BORN, phone="+44 7700 900123", email=" Jo@Example.org ")
    held = _held("Pat", "Other", date(1970, 1, 1), "07700900123", "jo@example.org")
    both = (Reason.PHONE, Reason.EMAIL)
    assert match_reasons(jo, held, compare_contact=True) == both
    assert match_reasons(jo, held, compare_contact=False) == ()


def test_short_phones_and_blank_emails_never_match() -> None:
    nobody = Candidate("Jo", "Bloggs", BORN, phone="", email="")
    assert nobody.phone_key is None and nobody.email_key is None
    held = _held("Pat", "Other", date(1970, 1, 1))
    assert match_reasons(nobody, held, compare_contact=True) == ()


def test_an_email_key_is_trimmed_and_case_folded() -> None:
    assert email_key("  Jo.Bloggs@Example.ORG ") == "jo.bloggs@example.org"


def test_whom_to_ask_depends_on_the_user_alone() -> None:
    assert whom_to_ask(["Sam Super"], supervisor=False) == "your supervisor (Sam Super)"
    assert whom_to_ask(["A", "B", "C"], supervisor=True) == "a programme manager (A or B)"
    assert whom_to_ask([], supervisor=False) == "your supervisor"
    said = elsewhere_text("your supervisor (Sam Super)")
    assert said.startswith("A possible match is held in another caseload. Ask your supervisor")
