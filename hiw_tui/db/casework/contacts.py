"""The contact log of a household, and when the next contact is due.

A contact may ask for the next one after a set time (a welfare check). The household
keeps the resulting date, `next_contact_on`, restated in the same transaction as every
contact saved, so the due lists find it through an index. A contact's note is special
category: a reader without the permission reads it as hidden.

Who took part is chosen from the household's members (their ids, shown by name; one who
has since left still counts), and anyone else is written in as free text.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Contact, ContactPublic
from hiw_tui.db.casework.rows import check_member, open_list, save_household_row
from hiw_tui.db.core.models import Household, Person, User, UserPublic
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.privacy.visibility import household_sight, shown_contact
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.domain.casework import next_contact_due
from hiw_tui.domain.codes import Recontact


def household_contacts(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> list[ContactPublic]:
    """The household's contacts, newest first; opening the log is audited as a view."""
    open_list(session, actor, household_id, "contacts", audited=audited)
    seen = household_sight(actor, household_in_scope(session, actor, household_id, lock=False))
    rows = session.exec(
        select(Contact, User.display_name)
        .join(User, col(User.id) == col(Contact.entered_by))
        .where(Contact.household_id == household_id)
        .order_by(col(Contact.contacted_on).desc(), col(Contact.id).desc())
    )
    names = _member_names(session, household_id)
    return [
        shown_contact(
            ContactPublic.model_validate(
                {
                    **contact.model_dump(),
                    "entered_by_name": name,
                    "participant_names": [names.get(id_, "?") for id_ in contact.participant_ids],
                }
            ),
            seen,
        )
        for contact, name in rows
    ]


def _member_names(session: Session, household_id: int) -> dict[int, str]:
    """Everyone who is or was a member of the household, by id: their full name."""
    rows = session.exec(
        select(Person.id, Person.given_name, Person.family_name).where(
            Person.household_id == household_id
        )
    )
    return {person_id or 0: f"{given} {family}".strip() for person_id, given, family in rows}


def refresh_next_contacts(session: Session, households: Sequence[Household]) -> None:
    """Restate when each household's next contact is due, from its latest contact's
    re-contact setting: one query for them all (an import restates thousands)."""
    ranked = (
        select(
            col(Contact.household_id),
            col(Contact.contacted_on),
            col(Contact.recontact),
            func.row_number()
            .over(
                partition_by=col(Contact.household_id),
                order_by=(col(Contact.contacted_on).desc(), col(Contact.id).desc()),
            )
            .label("newest"),
        )
        .where(col(Contact.household_id).in_([household.id for household in households]))
        .subquery()
    )
    latest = session.execute(
        select(ranked.c.household_id, ranked.c.contacted_on, ranked.c.recontact).where(
            ranked.c.newest == 1
        )
    )
    due = {
        household_id: next_contact_due(contacted_on, Recontact(recontact))
        for household_id, contacted_on, recontact in latest
    }
    for household in households:
        household.next_contact_on = due.get(household.id)


def save_contact(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: ContactInput,
    contact_id: int | None = None,
    version: int | None = None,
) -> list[ContactPublic]:
    """Log a contact (`contact_id` None) or save one opened at `version`."""
    household = household_in_scope(session, actor, household_id, lock=True)
    for person_id in data.participant_ids:
        check_member(session, household_id, person_id, "participant_ids")
    values = data.model_dump()
    save_household_row(
        session,
        actor,
        Contact,
        entity="contact",
        household_id=household_id,
        values=values,
        row_id=contact_id,
        version=version,
    )
    refresh_next_contacts(session, [household])
    return household_contacts(session, actor=actor, household_id=household_id, audited=False)
