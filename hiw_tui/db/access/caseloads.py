"""Moving a caseload: a supervisor (within their local authority) or a programme manager
moves an advocate's households, all still on the caseload or chosen ones, to another
advocate in one step, with a reason.

One transaction moves them all or none; each household gets its own audit row (the
advocate before and after, and the reason) and a new version, so a form open on one of
them meanwhile is told it changed. The advocate moved to must be active, an advocate,
one the mover looks after, and of each household's local authority. Households still
on a deactivated advocate's caseload show on the overseer's My week until moved
(`awaiting_move`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.access.staff import staff_scope, still_held, user_in_scope
from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import DataError, FieldError
from hiw_tui.db.core.models import Household, User, UserPublic, utcnow
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.ledger.monthly import restate_spend_months
from hiw_tui.domain.case_inputs import CaseloadMoveInput
from hiw_tui.domain.codes import HouseholdStatus, UserRole
from hiw_tui.domain.text import clean_line

MOVE = "move a caseload"


def awaiting_move() -> list[Any]:
    """SQL conditions on `Household`: still on the caseload of an advocate who can no
    longer sign in (deactivated, or locked by an administrator)."""
    inactive = select(User.id).where(col(User.active).is_(False))
    return [still_held(), col(Household.advocate_id).in_(inactive)]


@dataclass(frozen=True)
class HeldHousehold:
    """A household on the caseload being moved, as the move form lists it."""

    reference: str
    primary_name: str
    status: HouseholdStatus


@dataclass(frozen=True)
class CaseloadChoices:
    """What the move form offers: the households on the caseload, and the advocates
    they may move to (active, of the same local authority, looked after by the mover)."""

    households: list[HeldHousehold]
    advocates: list[tuple[str, str]]
    """(username, display name), by name."""


def caseload_to_move(
    session: Session, *, actor: UserPublic, username: str, limit: int
) -> CaseloadChoices:
    """The households still on `username`'s caseload that `actor` sees, by reference (at
    most `limit`), and the advocates they may move to."""
    user = user_in_scope(session, actor, username, what=MOVE)
    rows = session.exec(
        select(Household)
        .where(Household.advocate_id == user.id, still_held(), household_scope(actor))
        .order_by(col(Household.reference))
        .limit(limit)
    )
    advocates = session.exec(
        select(User.username, User.display_name)
        .where(
            User.role == UserRole.ADVOCATE.value,
            col(User.active),
            User.local_authority == user.local_authority,
            User.id != user.id,
            staff_scope(actor),
        )
        .order_by(col(User.display_name), col(User.username))
    )
    return CaseloadChoices(
        [HeldHousehold(r.reference, r.primary_name, HouseholdStatus(r.status)) for r in rows],
        [(name, display) for name, display in advocates],
    )


@dataclass(frozen=True)
class CaseloadMoved:
    moved_from: UserPublic
    moved_to: UserPublic
    references: list[str]


def _target(session: Session, actor: UserPublic, source: User, username: str) -> User:
    try:
        target = user_in_scope(session, actor, username, what=MOVE, lock=True)
    except DataError as refused:
        raise FieldError("to_advocate", str(refused)) from refused
    if target.id == source.id:
        raise FieldError("to_advocate", "Choose another advocate than the one they leave.")
    if not target.active or target.role != UserRole.ADVOCATE.value:
        raise FieldError("to_advocate", f"{target.username} is not an active advocate.")
    return target


def reassign_caseload(
    session: Session, *, actor: UserPublic, username: str, data: CaseloadMoveInput
) -> CaseloadMoved:
    """Move `username`'s households (`data.households`, or all still on the caseload)
    to `data.to_advocate`. Only households still held move: an exited or withdrawn one
    stays with the advocate who worked it, so the reports still credit them."""
    source = user_in_scope(session, actor, username, what=MOVE)
    target = _target(session, actor, source, data.to_advocate)
    statement = select(Household).where(
        Household.advocate_id == source.id, household_scope(actor), still_held()
    )
    if data.households is not None:
        chosen = {clean_line(reference).upper() for reference in data.households}
        statement = statement.where(col(Household.reference).in_(chosen))
    households = session.exec(statement.order_by(col(Household.reference)).with_for_update())
    moving = list(households)
    if data.households is not None:
        missing = sorted(chosen - {household.reference for household in moving})
        if missing:
            raise FieldError(
                "households",
                f"Not open on {source.username}'s caseload (an exited or withdrawn household"
                f" stays with who worked it): {', '.join(missing)}.",
            )
    if not moving:
        raise DataError(f"{source.username} has no households on their caseload to move.")
    elsewhere = [h.reference for h in moving if h.local_authority != target.local_authority]
    if elsewhere:
        raise FieldError(
            "to_advocate",
            f"{target.username} works in another local authority than {elsewhere[0]}.",
        )
    for household in moving:
        household.advocate_id = target.id or 0
        household.version += 1
        household.updated_at = utcnow()
    session.flush()
    restate_spend_months(session, {source.id or 0, target.id or 0})
    for household in moving:
        trail.record(
            session,
            actor=actor,
            action="reassign",
            entity="household",
            entity_id=household.id or 0,
            household_id=household.id,
            changes={
                "advocate_id": [source.id, target.id],
                "advocate": [source.username, target.username],
                "reason": [None, data.reason],
            },
        )
    return CaseloadMoved(
        UserPublic.model_validate(source),
        UserPublic.model_validate(target),
        [household.reference for household in moving],
    )
