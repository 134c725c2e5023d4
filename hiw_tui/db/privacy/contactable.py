"""Whether a person may be contacted some way (phone, text, email or post), kept on the
person for the welfare checks report (`hiw_tui.reports.queries.welfare`).

The rule, in SQL: per way, the consent row of the latest day on or before the as-of date
(of one day, the newest recorded) stands; a person is contactable when such a row for
some way gives consent. Asked row by row, it took more than half the report's second
at 100,000 households. So each person keeps the latest day of any of their rows for a
way (`person.contact_consent_on`, None with none) and whether consent stands once all
their rows are read (`person.contactable`). For an as-of date on or after that day the
rows before it are all there is, so the kept answer is the answer; for an earlier
date (a report of a past period, before a later consent or withdrawal) the rows are
read. Restated whenever consent is recorded (`record_consent`) and with each
household's summary (`refresh_summaries`: an import, an erasure, the demo).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, exists, false, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Consent
from hiw_tui.db.core.models import Person
from hiw_tui.domain.codes import CONTACT_WAYS

WAYS = sorted(way.value for way in CONTACT_WAYS)


def consent_to_contact(person_id: Any, as_of: date | None) -> Any:
    """Whether a consent to be contacted some way stands for the person `person_id` (a
    column of the outer query) on `as_of` (None: once all their rows are read): a row
    giving consent for a way with no later one (a later day, or the same day recorded
    after it) for that way, asked through the index on (person, purpose)."""
    given = aliased(Consent)
    later = aliased(Consent)
    on_or_before = [] if as_of is None else [col(later.on) <= as_of]
    superseded = exists().where(
        col(later.person_id) == col(given.person_id),
        col(later.purpose) == col(given.purpose),
        *on_or_before,
        or_(
            col(later.on) > col(given.on),
            and_(col(later.on) == col(given.on), col(later.id) > col(given.id)),
        ),
    )
    return exists().where(
        col(given.person_id) == person_id,
        col(given.purpose).in_(WAYS),
        *([] if as_of is None else [col(given.on) <= as_of]),
        col(given.given),
        ~superseded,
    )


def contactable_on(as_of: date) -> Any:
    """Whether the person of the outer query may be contacted some way on `as_of`: what
    is kept when their last row for a way is on or before it, else from their rows."""
    kept_on = col(Person.contact_consent_on)
    return case(
        (kept_on.is_(None), false()),
        (kept_on <= as_of, col(Person.contactable)),
        else_=consent_to_contact(col(Person.id), as_of),
    )


def refresh_contactable(session: Session | Connection, household_ids: Sequence[int] | None) -> None:
    """Restate what is kept for the people of these households (None: of all)."""
    statement = update(Person).values(
        contact_consent_on=sa_select(func.max(col(Consent.on)))
        .where(col(Consent.person_id) == col(Person.id), col(Consent.purpose).in_(WAYS))
        .scalar_subquery(),
        contactable=consent_to_contact(col(Person.id), None),
    )
    if household_ids is not None:
        if not household_ids:
            return
        statement = statement.where(col(Person.household_id).in_(household_ids))
    session.execute(statement.execution_options(synchronize_session=False))
