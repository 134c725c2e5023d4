"""Canary values for a safe-contact household: any of them in what a reader gets who may
not see it is a leak."""

from __future__ import annotations

import re

OLD_ADDRESS = "CANARY-ADDR-OLD-7Q"
ADDRESS = "CANARY-ADDR-7Q"
POSTCODE = "ZE9 7QQ"
PHONE = "07700 917777"
EMAIL = "canary.7q@example.org"
CONTACT_CANARIES = ("canary", "ze9 7qq", "ze97qq", "917777")
"""Any of these (in lower case) in what a reader gets is a safe-contact detail."""
HEALTH_NOTE = "SPECIAL-7Q-HEALTH"
CONTACT_NOTE = "SPECIAL-7Q-CONTACT"
SPECIAL_CANARIES = ("special-7q",)
HEALTH_SCORE = re.compile(r"(physical|emotional)[ _]health\W{1,12}\d", re.IGNORECASE)
"""A health area with a score beside it (both health areas are scored 5)."""


def found(text: str, needles: tuple[str, ...]) -> list[str]:
    """The needles (lower case) that `text` holds, in any case."""
    lowered = text.lower()
    return [needle for needle in needles if needle in lowered]
