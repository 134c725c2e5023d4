"""Who may see and change which households.

An advocate sees their own caseload, a supervisor their local authority, a programme
manager everything. Lists, counts, searches and single-record reads all filter through
`household_scope`, so a record outside scope is simply not found.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, true

from hiw_tui.db.core.errors import Forbidden
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import UserRole


def household_scope(actor: UserPublic, held: Any = Household) -> Any:
    """A SQL condition on `Household` that keeps only what `actor` may see; or on `held`,
    a table of figures kept per local authority and advocate with the same two columns
    (the spending kept by month), keeping the figures of the households `actor` may see."""
    if not actor.active:
        return false()
    if actor.can(Permission.ALL_AREAS):
        return true()
    if actor.role is UserRole.SUPERVISOR:
        return held.local_authority == actor.local_authority
    return held.advocate_id == actor.id


def require(actor: UserPublic, permission: Permission, what: str) -> None:
    """Refuse, saying `what` needs a role `actor` does not have."""
    if not actor.can(permission):
        raise Forbidden(f"Your role ({actor.role.label.lower()}) cannot {what}.")


def require_can_assign(actor: UserPublic) -> None:
    require(actor, Permission.OVERSEE, "reassign a household")


def check_new_household_scope(actor: UserPublic, *, local_authority: str, advocate_id: int) -> None:
    """A household being created or moved must stay inside the actor's own scope."""
    require(actor, Permission.EDIT, "change case records")
    if actor.role is UserRole.ADVOCATE and advocate_id != actor.id:
        raise Forbidden("An advocate registers households on their own caseload.")
    if not actor.can(Permission.ALL_AREAS) and local_authority != actor.local_authority:
        raise Forbidden("That local authority is outside your area.")
