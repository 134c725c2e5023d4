"""The programme's list of partner services: anyone may add one or correct its details.

Partners are shared by every local authority (the same food bank or college serves
several). A partner no longer used is marked inactive rather than deleted, so past
referrals keep their name; inactive partners are not offered for new referrals.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Partner, PartnerPublic
from hiw_tui.db.casework.rows import create_row, locked, update_row
from hiw_tui.db.core.errors import FieldError, NotFound
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.core.scope import require
from hiw_tui.domain.access import Permission
from hiw_tui.domain.case_inputs import PartnerInput


def list_partners(
    session: Session, *, actor: UserPublic, active_only: bool = False
) -> list[PartnerPublic]:
    """Every partner by name (a few hundred at most: the list is maintained by hand)."""
    statement = select(Partner).order_by(col(Partner.name))
    if active_only:
        statement = statement.where(col(Partner.active).is_(True))
    return [PartnerPublic.model_validate(partner) for partner in session.exec(statement)]


_NAME_TAKEN = "A partner of this name is already on the list."


def _name_free(session: Session, name: str, partner_id: int | None) -> None:
    clash = session.exec(select(Partner.id).where(Partner.name == name)).first()
    if clash is not None and clash != partner_id:
        raise FieldError("name", _NAME_TAKEN)


def save_partner(
    session: Session,
    *,
    actor: UserPublic,
    data: PartnerInput,
    partner_id: int | None = None,
    version: int | None = None,
) -> PartnerPublic:
    """Add a partner (`partner_id` None) or save one opened at `version`."""
    require(actor, Permission.EDIT, "change the partner list")
    values = data.model_dump()
    _name_free(session, data.name, partner_id)
    try:
        if partner_id is None:
            partner = Partner(**values)
            create_row(session, actor, partner, entity="partner", household_id=None, values=values)
            return PartnerPublic.model_validate(partner)
        stored = locked(session, Partner, partner_id)
        if stored is None:
            raise NotFound("That partner is no longer on the list.")
        update_row(
            session,
            actor,
            stored,
            entity="partner",
            household_id=None,
            version=version or 0,
            values=values,
        )
        return PartnerPublic.model_validate(stored)
    except IntegrityError as error:  # a colleague took the same name meanwhile
        raise FieldError("name", _NAME_TAKEN) from error


def usable_partner(session: Session, partner_id: int | None, field: str) -> None:
    """Refuse a partner that does not exist or is no longer active."""
    if partner_id is None:
        return
    partner = session.get(Partner, partner_id)
    if partner is None or not partner.active:
        raise FieldError(field, "Choose a partner that is on the list and active.")
