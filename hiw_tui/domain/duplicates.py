"""Possible duplicates: when someone being entered may already be held, as pure rules.

A person is a possible duplicate of one held when they share

- a **date of birth and a similar name**: both names normalised (`normalise_name`:
  case, accents, hyphens, apostrophes and spaces, Mc/Mac, the O' prefix) and compared
  with rapidfuzz. They are similar when the token-sort ratio of "given family" (the
  order of the words aside, so names entered the wrong way round still match) or the
  plain ratio of the names run together (so "Mary Jane" and "Maryjane" match, and
  Catherine and Katherine, which token-sort puts in another order) is at least
  `NAME_SIMILARITY` (80 of 100), or when the family names are the same and one given
  name begins with the other (at least `GIVEN_PREFIX` letters: Chris and Christopher).
  80 lets through about a letter in five: Jon and John Smith 95, Steven and Stephen
  Smith 88, Catherine and Katherine Jones 93, Mohammed and Muhammad Khan 85, Jo and
  Joanne Bloggs 82; it keeps apart different people of one family (Alex and Sam Abbot:
  74) and a change of family name (Jo Bloggs and Jo Smith: 40), which the phone or email
  may still catch. The date of birth must be the same: it is what the look-up narrows
  by (a dozen people share one in 300,000), so a lenient name rule warns of few. Twins
  with similar names are warned about: a warning is never a refusal;
- or the **same phone number** (`hiw_tui.domain.text.phone_key`: digits, +44 read as 0)
  **or email address** (`email_key`: trimmed, case folded), except where contact
  details may not be compared (`compare_contact` False): a safe-contact household's,
  whose contact details are never matched on (its name and date of birth still are),
  and the members of the household the person joins, who often share a phone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from hiw_tui.domain.text import phone_key

NAME_SIMILARITY = 80.0
"""The ratio (0-100) from which two normalised names are similar."""
GIVEN_PREFIX = 3
"""The fewest letters of a given name that another may begin with (Sam, Samantha)."""
PHONE_DIGITS = 10
"""A phone number's key has at least this many digits to be compared (a UK number has
10 or 11)."""

# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i"}
)
_SEPARATORS = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """A name as it is compared: letters only, in lower case, without accents, the
    hyphens, apostrophes and spaces between its parts gone, a part beginning "Mc" read as
    "Mac", and the O' prefix as O ("McDonald", "Mac Donald" -> "macdonald"; "O'Brien",
    "O Brien" -> "obrien"; "Zoë-Anne" -> "zoeanne"). Names repeat (an import compares
    thousands), so the last 65,536 are remembered."""
    if name.isascii():
        text = name.casefold()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(char for char in text if not unicodedata.combining(char))
        text = text.casefold().translate(_LETTERS)
    parts = _SEPARATORS.split(_DIGITS.sub("", text))
    return "".join("mac" + part[2:] if part.startswith("mc") else part for part in parts)


def email_key(email: str) -> str:
    """An email address as it is compared: trimmed and case folded."""
    return email.strip().casefold()


@dataclass(frozen=True)
class NameKey:
    """A person's given and family names, normalised."""

    given: str
    family: str

    @classmethod
    def of(cls, given_name: str, family_name: str) -> NameKey:
        return cls(normalise_name(given_name), normalise_name(family_name))


def similar_names(one: NameKey, other: NameKey) -> bool:
    """Whether two normalised names are close enough to be the same person's (see the
    module's docstring for the rule and the threshold)."""
    if not (one.given or one.family) or not (other.given or other.family):
        return False
    if one.family == other.family and one.given and other.given:
        shorter, longer = sorted((one.given, other.given), key=len)
        if len(shorter) >= GIVEN_PREFIX and longer.startswith(shorter):
            return True
    spaced = fuzz.token_sort_ratio(f"{one.given} {one.family}", f"{other.given} {other.family}")
    joined = fuzz.ratio(one.given + one.family, other.given + other.family)
    return max(spaced, joined) >= NAME_SIMILARITY


class Reason(StrEnum):
    """What a possible duplicate has in common with the person being entered."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return {
            Reason.NAME: "the same date of birth and a similar name",
            Reason.PHONE: "the same phone number",
            Reason.EMAIL: "the same email address",
        }[self]


@dataclass(frozen=True)
class Candidate:
    """Someone about to be entered: what they are compared by."""

    given_name: str
    family_name: str
    date_of_birth: date
    phone: str = ""
    email: str = ""

    @cached_property
    def name(self) -> NameKey:
        return NameKey.of(self.given_name, self.family_name)

    @cached_property
    def phone_key(self) -> str | None:
        """The phone's key, if it is long enough to compare."""
        key = phone_key(self.phone)
        return key if len(key) >= PHONE_DIGITS else None

    @cached_property
    def email_key(self) -> str | None:
        key = email_key(self.email)
        return key if "@" in key else None


@dataclass(frozen=True)
class Held:
    """Someone held, as they are compared: their keys as stored."""

    name: NameKey
    date_of_birth: date
    phone_key: str
    email_key: str


def match_reasons(candidate: Candidate, held: Held, *, compare_contact: bool) -> tuple[Reason, ...]:
    """Why `held` may be `candidate` (empty: they are not a possible duplicate).
    `compare_contact` False leaves the phone and email out (see the module's docstring)."""
    reasons = []
    if held.date_of_birth == candidate.date_of_birth and similar_names(candidate.name, held.name):
        reasons.append(Reason.NAME)
    if compare_contact:
        if candidate.phone_key is not None and held.phone_key == candidate.phone_key:
            reasons.append(Reason.PHONE)
        if candidate.email_key is not None and held.email_key == candidate.email_key:
            reasons.append(Reason.EMAIL)
    return tuple(reasons)


def reasons_text(reasons: tuple[Reason, ...]) -> str:
    """ "the same date of birth and a similar name; the same phone number"."""
    return "; ".join(reason.label for reason in reasons)


def whom_to_ask(names: list[str], *, supervisor: bool) -> str:
    """Whom a user asks about a possible match outside their scope: for an advocate their
    area's supervisors, for a supervisor a programme manager, by name where known. It
    depends on the user alone, never on the match, so it tells nothing of where that is."""
    role = "a programme manager" if supervisor else "your supervisor"
    shown = " or ".join(names[:2])
    return f"{role} ({shown})" if shown else role


def elsewhere_text(ask: str) -> str:
    """The one message about possible matches outside the user's scope, however many."""
    return (
        f"A possible match is held in another caseload. Ask {ask} before going on; "
        "nothing more about it is shown here."
    )
