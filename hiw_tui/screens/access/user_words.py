"""The users screen's words: a user's state, their line in full, the questions asked
before deactivating and reactivating, and what a change did."""

from __future__ import annotations

from rich.text import Text

from hiw_tui.db.access.accounts import AccountStatus
from hiw_tui.db.access.caseloads import CaseloadMoved
from hiw_tui.db.access.leavers import Deactivated
from hiw_tui.db.access.staff import StaffMember
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.codes import UserRole
from hiw_tui.widgets.text import counted, user_text

STATE = {
    AccountStatus.OPEN: "✓ open",
    AccountStatus.LOCKED_OUT: "locked out",
    AccountStatus.LOCKED: "✗ locked",
    AccountStatus.DEACTIVATED: "✗ deactivated",
}
ROLE = {UserRole.PROGRAMME_MANAGER: "Manager"}


def detail_text(member: StaffMember) -> Text:
    """The highlighted user in full: their username and account, their keys and
    households (the table says who they are)."""
    state = member.status.value
    if member.deactivated_at is not None:
        state += f" {member.deactivated_at:%Y-%m-%d}"
    password = "password set" if member.has_password else "no password"
    keys = [f"{key.fingerprint} {key.comment}".rstrip() for key in member.keys[:2]]
    if len(member.keys) > 2:
        keys.append(f"and {len(member.keys) - 2} more (x lists them)")
    held = f"{counted(member.households, 'household')} on their caseload"
    if member.households and member.status is not AccountStatus.OPEN:
        held += ": m moves them"
    return Text.assemble(
        user_text(f"{member.username} · {state} · {password}"),
        "\n",
        user_text("Keys: " + ("; ".join(keys) if keys else "none")),
        "\n",
        held,
    )


def said(result: Deactivated | UserPublic | CaseloadMoved | str) -> str:
    """What a change did, in a sentence."""
    if isinstance(result, str):
        return result
    if isinstance(result, Deactivated):
        name = result.user.display_name
        held = counted(result.households, "household")
        moved = f"; move their {held} with m" if result.households else ""
        return f"Deactivated {name}: they can no longer sign in{moved}."
    if isinstance(result, CaseloadMoved):
        moved = counted(len(result.references), "household")
        before, after = result.moved_from.display_name, result.moved_to.display_name
        return f"Moved {moved} from {before} to {after}."
    return f"Reactivated {result.display_name}."


def deactivate_question(member: StaffMember) -> Text:
    held = (
        f"The {member.households} household{'' if member.households == 1 else 's'} still "
        "on their caseload stay theirs, and wait on My week, until moved (m)."
        if member.households
        else "No household is on their caseload."
    )
    return Text.assemble(
        "Once deactivated, ",
        user_text(member.display_name, style="bold"),
        f" ({member.username}) cannot sign in, by password or SSH key, and any session "
        "they have open ends. ",
        held,
        " Their name stays on the audit trail and in the reports; a or hiw-tui user "
        "reactivate gives the account back.",
    )


def reactivate_question(member: StaffMember) -> Text:
    keys = f" and {counted(len(member.keys), 'SSH key')}" if member.keys else ""
    return Text.assemble(
        user_text(member.display_name, style="bold"),
        f" ({member.username}) signs in again, with their password{keys} as before.",
    )
