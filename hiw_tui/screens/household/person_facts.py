"""A person's details as the record shows them, with what the reader may not see withheld
in words: "(hidden)" for a sensitive field, "(withheld: safe contact)" for contact details."""

from __future__ import annotations

from rich.text import Text

from hiw_tui.db.core.models import PersonPublic
from hiw_tui.domain.codes import Ethnicity
from hiw_tui.domain.sensitive import HIDDEN
from hiw_tui.widgets.text import user_text

SAFE_CONTACT = "(withheld: safe contact)"


def ethnicity_text(person: PersonPublic) -> str:
    return person.ethnicity.label if isinstance(person.ethnicity, Ethnicity) else HIDDEN


def contact_lines(person: PersonPublic) -> list[tuple[str, Text]]:
    fields = (
        ("Address", person.address),
        ("Postcode", person.postcode),
        ("Phone", person.phone),
        ("Email", person.email),
    )
    if person.contact_hidden:
        return [(label, Text(SAFE_CONTACT)) for label, _ in fields]
    return [(label, user_text(value or "—")) for label, value in fields]


def needs_line(person: PersonPublic, needs: str) -> tuple[str, Text]:
    count = len(person.support_needs)
    if person.sensitive_hidden:
        return (
            f"Needs ({count} shown)",
            Text(f"{needs or 'none shown'}; sensitive needs {HIDDEN}"),
        )
    return (f"Needs ({count})", Text(needs or "none recorded"))


def need_count(person: PersonPublic) -> str:
    return "—" if person.sensitive_hidden else str(len(person.support_needs))


def consent_line(person: PersonPublic) -> tuple[str, Text]:
    """What the person agreed to, at a glance: each standing consent, ticked or crossed."""
    if not person.consents:
        return ("Consent", Text("none recorded (K records it)", style="bold"))
    line = Text()
    for index, (purpose, partner, given) in enumerate(person.consents):
        if index:
            line.append(", ")
        if partner is None:
            line.append(f"{purpose.label} ")
        else:
            line.append("Share with ")
            line.append_text(user_text(partner, limit=40))
            line.append(" ")
        line.append("✓" if given else "✗ withdrawn", style="" if given else "bold")
    return ("Consent", line)
