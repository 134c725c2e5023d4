"""How the record states a household's start, referral, programmes before HiW, end of
support and, once it has left, its exit."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.domain.budget import Balance
from hiw_tui.domain.casework import support_ends
from hiw_tui.domain.codes import CLOSED_STATUSES, HouseholdStatus, Programme
from hiw_tui.domain.dates import months_on_programme
from hiw_tui.domain.outcomes import short_term_ends
from hiw_tui.widgets.text import user_text


def date_or(day: date | None, otherwise: str) -> str:
    return day.isoformat() if day else otherwise


def before_hiw(record: HouseholdPublic) -> Text:
    """The programmes before HiW: those with a code by name, in the list's order, then
    any other as typed."""
    named = [code.label for code in Programme if code in record.previous_programme_codes]
    shown = "; ".join(filter(None, [", ".join(named), record.previous_programmes]))
    return user_text(shown or "none recorded")


def started_text(record: HouseholdPublic, today: date) -> str:
    """The start date and the months since; "not started" for a household only referred."""
    if record.start_date is None:
        return "not started"
    months = months_on_programme(record.start_date, record.end_date, today)
    return f"{record.start_date.isoformat()} ({months} months)"


def referral_facts(record: HouseholdPublic) -> list[tuple[str, Text]]:
    """Who referred the household and, where known, the day the referral came."""
    facts = [("Referred by", Text(record.referral_route.label))]
    if record.referred_on is not None:
        facts.append(("Referred on", Text(record.referred_on.isoformat())))
    return facts


def support_end_text(record: HouseholdPublic) -> str:
    """The exit date once closed; else when the 12 months (12 weeks, short term) end."""
    if record.status in CLOSED_STATUSES:
        return f"left {date_or(record.end_date, '?')}"
    if record.start_date is None:
        return "12 months after it starts"
    if record.status == HouseholdStatus.SHORT_TERM:
        return f"{short_term_ends(record.start_date).isoformat()} (12 weeks)"
    return f"{support_ends(record.start_date).isoformat()} (12 months)"


def exit_facts(record: HouseholdPublic) -> list[tuple[str, Text]]:
    if not record.exit_reason:
        return []
    destination = record.exit_destination.label if record.exit_destination else "?"
    note = f": {record.exit_note}" if record.exit_note else ""
    return [
        ("Exit reason", Text(record.exit_reason.label)),
        ("Destination", user_text(destination + note)),
    ]


def former_members_fact(record: HouseholdPublic) -> list[tuple[str, Text]]:
    """Who has left, with their role and leaving date, most recent first."""
    if not record.former_members:
        return []
    parts = [
        f"{person.full_name} ({person.role.label.lower()}, left {person.left_on.isoformat()})"
        for person in record.former_members
    ]
    return [("Former members", user_text("; ".join(parts)))]


def budget_text(record: HouseholdPublic, default_cap: int) -> str:
    """Left, cap, spent and waiting; a budget not yet opened shows the default cap."""
    return (record.budget or Balance(default_cap)).describe()
