"""Text hygiene at the boundary: what people type or import is data, never control codes."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters (keeps nothing: tabs and newlines are folded separately),
# plus the bidirectional overrides that can make text read differently from what it is.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_SPACES = re.compile(r"[ \t]+")


def clean_line(value: str) -> str:
    """One line of user text: escape sequences and control characters removed, spaces folded."""
    value = unicodedata.normalize("NFC", value)
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    value = _CONTROL.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_block(value: str) -> str:
    """Several lines of user text (notes): like `clean_line`, but newlines are kept."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_line(line) for line in lines).strip("\n")


def search_key(value: str) -> str:
    """The folded form a name is searched by: lower case, accents and punctuation kept."""
    return clean_line(value).casefold()


_PHONE_TERM = re.compile(r"^\+?[0-9 ]+$")
PHONE_TERM_DIGITS = 4
"""The fewest digits a search needs to be looked up as a phone number as well."""


def phone_key(value: str) -> str:
    """A phone number folded for searching: digits only, +44 read as the leading 0
    ("+44 7700 900123" and "07700 900123" -> "07700900123")."""
    digits = "".join(character for character in value if character.isdigit())
    if value.strip().startswith("+44"):
        digits = "0" + digits[2:]
    return digits


def phone_search(term: str) -> str | None:
    """The phone key a list search looks for: only a term of digits and spaces (a leading
    + allowed) with at least `PHONE_TERM_DIGITS` digits, so "L4" stays a postcode."""
    if not _PHONE_TERM.match(term.strip()):
        return None
    key = phone_key(term)
    return key if len(key) >= PHONE_TERM_DIGITS else None


def postcode_key(value: str) -> str:
    """A postcode folded for searching: no spaces, lower case ("L4 0TH" -> "l40th")."""
    return clean_line(value).replace(" ", "").casefold()
