"""The consents that stand (the newest row for each person, purpose and partner)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Consent, ConsentPublic, Partner
from hiw_tui.db.core.models import User
from hiw_tui.domain.codes import ConsentPurpose

_ORDER = list(ConsentPurpose)


def standing_consents(session: Session, where: Any) -> list[ConsentPublic]:
    """What stands among the consent rows matching `where`, by person then purpose."""
    statement = (
        select(Consent, Partner.name, User.display_name)
        .outerjoin(Partner, col(Partner.id) == col(Consent.partner_id))
        .join(User, col(User.id) == col(Consent.recorded_by))
        .where(where)
        .order_by(col(Consent.id))
    )
    standing: dict[tuple[int, str, int | None], ConsentPublic] = {}
    for consent, partner, recorder in session.exec(statement):
        standing[(consent.person_id, consent.purpose, consent.partner_id)] = ConsentPublic(
            person_id=consent.person_id,
            purpose=ConsentPurpose(consent.purpose),
            partner_id=consent.partner_id,
            partner_name=partner,
            given=consent.given,
            on=consent.on,
            recorded_by_name=recorder,
        )
    return sorted(
        standing.values(),
        key=lambda c: (c.person_id, _ORDER.index(c.purpose), c.partner_name or ""),
    )
