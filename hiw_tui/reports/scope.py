"""Whose households a report counts: refusing another area or caseload, the scope a
report of the actor's own households stands for, and that scope in words."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, select

from hiw_tui.db.core.errors import Forbidden, NotFound
from hiw_tui.db.core.models import User, UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import LocalAuthority, UserRole
from hiw_tui.domain.counting import Period


def own_scope(actor: UserPublic, period: Period) -> Period:
    """`period` with the area or caseload it stands for made explicit: a supervisor's
    report of everything they see is their local authority's, an advocate's their own
    caseload's. Targets are looked up by this, so nobody's report of a part of the
    programme shows the whole programme's targets."""
    if actor.can(Permission.ALL_AREAS) or period.advocate is not None:
        return period
    if actor.role is UserRole.SUPERVISOR and actor.local_authority is not None:
        return replace(period, local_authority=actor.local_authority.value)
    return replace(period, advocate=actor.username)


def scope_words(session: Session, actor: UserPublic, period: Period) -> str:
    """Whose households a report for `actor` and `period` counts, in words: an
    advocate's caseload by their name, as the rest of the app names people."""
    own = own_scope(actor, period)
    if own.advocate is not None:
        name = session.exec(select(User.display_name).where(User.username == own.advocate))
        return f"Caseload of {name.first() or own.advocate}"
    if own.local_authority is not None:
        return LocalAuthority(own.local_authority).label
    return "Whole programme"


def check_scope(session: Session, actor: UserPublic, period: Period) -> None:
    """Refuse a report of a local authority or an advocate outside the actor's scope:
    a supervisor's or an advocate's own local authority, an advocate's own caseload, a
    supervisor's area's advocates. A report of zeros would read as no work done."""
    if actor.can(Permission.ALL_AREAS):
        return
    area = period.local_authority
    if area is not None and area != actor.local_authority:
        raise Forbidden(f"{LocalAuthority(area).label} is outside your scope.")
    if period.advocate is None:
        return
    advocate = session.exec(select(User).where(User.username == period.advocate)).first()
    if advocate is None:
        raise NotFound(f"No user called {period.advocate}.")
    if actor.role is UserRole.SUPERVISOR:
        mine = advocate.local_authority == actor.local_authority
    else:
        mine = advocate.id == actor.id
    if not mine:
        raise Forbidden(f"{period.advocate}'s caseload is outside your scope.")
