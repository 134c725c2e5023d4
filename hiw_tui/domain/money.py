"""Money is integer pence everywhere; pounds exist only where people type and read them.

`parse_pounds` reads what an advocate types into an amount field: "12.50", "£12.50",
"12", "1,200" or "12.5". It refuses more than two decimal places, a negative or zero
amount and anything else, each with a message for the field.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

MAX_PENCE = 10_000_000
"""£100,000: far above any household budget, low enough to catch a slipped key."""

_AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.(\d*))?$")


def parse_pounds(text: object) -> int:
    """The pence in an amount typed in pounds (an int is pence already); ValueError with
    a message for the field."""
    if isinstance(text, int) and not isinstance(text, bool):  # a stored value
        pence = int(text)
    else:
        pence = _pence_of(str(text))
    if pence <= 0:
        raise ValueError("Enter an amount above £0.00.")
    if pence > MAX_PENCE:
        raise ValueError(f"At most {pounds(MAX_PENCE)} in one entry.")
    return pence


def _pence_of(text: str) -> int:
    value = text.strip().replace(" ", "")
    if value.startswith("-") or value.startswith("£-") or value.startswith("-£"):
        raise ValueError("Enter the amount without a minus sign: a spend is never negative.")
    value = value.removeprefix("£")
    match = _AMOUNT.match(value)
    if not match:
        raise ValueError("Not an amount: type pounds and pence, e.g. 12.50.")
    whole, decimals = match.group(1).replace(",", ""), match.group(4) or ""
    if len(decimals) > 2:
        raise ValueError("At most two decimal places (pence), e.g. 12.50.")
    return int(whole) * 100 + int(decimals.ljust(2, "0"))


def pounds(pence: int) -> str:
    """£1,234.56; a negative amount as -£12.50."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def decimal_pounds(pence: int) -> str:
    """1234.56, as a spreadsheet reads it (exact: no float on the way)."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


Pence = Annotated[int, BeforeValidator(parse_pounds)]
"""A positive amount in pence, read from pounds as typed (or pence as an int)."""
