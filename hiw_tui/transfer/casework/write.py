"""Writing checked casework rows: new rows as batched inserts in file order (referrals
through `import_referrals`, which checks their consent again), rows held updated where
they differ (audited, as `update_row` audits every change), and the next contact due
restated for every household whose contacts changed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.contacts import refresh_next_contacts
from hiw_tui.db.casework.models import Consent, Contact, ExitCheckin, Partner
from hiw_tui.db.casework.referrals import check_imported_shares, import_referrals
from hiw_tui.db.casework.rows import update_row
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.db.privacy.contactable import refresh_contactable
from hiw_tui.domain.dates import as_utc
from hiw_tui.transfer.casework.files import CHECKINS, CONSENTS, CONTACTS, PARTNERS, REFERRALS
from hiw_tui.transfer.chunks import chunks, insert_batches
from hiw_tui.transfer.match import Matched
from hiw_tui.transfer.values import as_held

if TYPE_CHECKING:
    from hiw_tui.transfer.casework.check import Resolved
    from hiw_tui.transfer.casework.rows import CaseworkRows

COLUMN = {
    "name": "partner",
    "person_id": "person_ref",
    "partner_id": "partner",
    "participant_ids": "participant_refs",
}
"""The column of each field named otherwise in the files."""
Counts = dict[str, list[int]]
"""file -> [created, updated, unchanged]"""


def _given(values: dict[str, Any], columns: frozenset[str]) -> dict[str, Any]:
    """The `values` whose columns the file has (a column it lacks leaves what is held)."""
    return {name: value for name, value in values.items() if COLUMN.get(name, name) in columns}


def _import_update(
    session: Session, actor: UserPublic, row: Any, entity: str, values: dict[str, Any]
) -> bool:
    return update_row(
        session,
        actor,
        row,
        entity=entity,
        household_id=getattr(row, "household_id", None),
        version=row.version,
        values=as_held(row, values),
        action="import",
    )


def write_partners(
    session: Session, actor: UserPublic, rows: CaseworkRows, found: Resolved
) -> Counts:
    """New partners added, changed ones updated (a partner is the same by its name)."""
    if not rows.partners:
        return {}
    new: list[dict[str, Any]] = []
    updated = same = 0
    for record in rows.good(PARTNERS.name, rows.partners):
        values = record.data.model_dump(mode="json")
        partner = found.partners.get(record.data.name)
        if partner is None:
            new.append(values | {"version": 1})
        elif _import_update(session, actor, partner, "partner", _given(values, record.columns)):
            updated += 1
        else:
            same += 1
    for values, partner_id in zip(new, insert_batches(session, Partner, new), strict=True):
        found.partner_ids[values["name"]] = partner_id
    return {PARTNERS.name: [len(new), updated, same]}


class _Rows:
    """The ids the checked rows point at, once households and people are written."""

    def __init__(
        self, actor: UserPublic, matched: Matched, rows: CaseworkRows, found: Resolved
    ) -> None:
        self.actor, self.matched, self.rows, self.found = actor, matched, rows, found
        self.stamp = datetime.now(UTC)

    def user(self, username: str) -> int:
        """A username's id (blank: the importer)."""
        if not username:
            return self.actor.id
        return self.matched.users[username]

    def household(self, ref: str) -> int | None:
        """The id of a household written (None: left out, with `partial`)."""
        return self.matched.household_ids.get(ref)

    def person(self, ref: str) -> int | None:
        household = self.matched.person_household.get(ref, "")
        if household not in self.matched.household_ids:
            return None
        return self.matched.person_ids.get(ref)

    def good(self, file: str, records: list[Any]) -> list[tuple[Any, Any]]:
        """The good rows of `file`, each with the row held it is (None: a new one)."""
        held = self.found.held.get(file, {})
        return [(record, held[record.row]) for record in self.rows.good(file, records)]


def write_rows(
    session: Session, actor: UserPublic, matched: Matched, rows: CaseworkRows, found: Resolved
) -> Counts:
    ids = _Rows(actor, matched, rows, found)
    counts: Counts = {}
    for spec, records, write in (
        (CONSENTS, rows.consents, _consents),
        (REFERRALS, rows.referrals, _referrals),
        (CONTACTS, rows.contacts, _contacts),
        (CHECKINS, rows.checkins, _checkins),
    ):
        if records:  # a file absent, or without rows, is not counted
            counts[spec.name] = write(session, ids)
    return counts


def _consents(session: Session, ids: _Rows) -> list[int]:
    """New consents added; one held is left as it is (the check refused any change)."""
    new: list[dict[str, Any]] = []
    same = 0
    for record, consent in ids.good(CONSENTS.name, ids.rows.consents):
        person_id = ids.person(record.person_ref)
        if person_id is None:
            continue
        if consent is not None:
            same += 1
            continue
        new.append(
            {
                "ref": record.ref or None,
                "person_id": person_id,
                "household_id": ids.household(ids.matched.person_household[record.person_ref]),
                "purpose": record.data.purpose.value,
                "partner_id": ids.found.partner_ids[record.partner] if record.partner else None,
                "given": record.data.given,
                "on": record.data.on,
                "recorded_by": ids.user(record.recorded_by),
                "recorded_at": record.recorded_at or ids.stamp,
            }
        )
    insert_batches(session, Consent, new, returning=False)
    for part in chunks(sorted({row["household_id"] for row in new})):
        refresh_contactable(session, part)
    return [len(new), 0, same]


def _referrals(session: Session, ids: _Rows) -> list[int]:
    new: list[dict[str, Any]] = []
    updated = same = 0
    for record, referral in ids.good(REFERRALS.name, ids.rows.referrals):
        household_id = ids.household(record.household_ref)
        person_id = ids.person(record.person_ref) if record.person_ref else None
        if household_id is None or (record.person_ref and person_id is None):
            continue
        data = record.data
        values: dict[str, Any] = {
            "person_id": person_id,
            "partner_id": ids.found.partner_ids[record.partner],
            "purpose": data.purpose,
            "status": data.status.value,
            "made_on": data.made_on,
            "status_on": data.status_on,
            "outcome_note": data.outcome_note,
            "onward": data.onward,
            "consent_override": data.consent_override,
        }
        if referral is None:
            new.append(
                values
                | {
                    "ref": record.ref or None,
                    "household_id": household_id,
                    "entered_by": ids.user(record.entered_by),
                    "version": 1,
                }
            )
            continue
        values = _given(values, record.columns)
        if record.entered_by:
            values["entered_by"] = ids.user(record.entered_by)
        held = {"person_id": referral.person_id, "consent_override": referral.consent_override}
        shared = held | values
        if (shared["person_id"], shared["partner_id"]) != (referral.person_id, referral.partner_id):
            check_imported_shares(session, ids.actor, [shared | {"household_id": household_id}])
        if _import_update(session, ids.actor, referral, "referral", values):
            updated += 1
        else:
            same += 1
    import_referrals(session, actor=ids.actor, rows=new)
    return [len(new), updated, same]


def _contacts(session: Session, ids: _Rows) -> list[int]:
    new: list[dict[str, Any]] = []
    updated = same = 0
    touched: set[int] = set()
    for record, contact in ids.good(CONTACTS.name, ids.rows.contacts):
        household_id = ids.household(record.household_ref)
        if household_id is None:
            continue
        values = record.data.model_dump()
        values["mode"], values["recontact"] = record.data.mode.value, record.data.recontact.value
        members = [ids.person(ref) for ref in record.participant_refs]
        if None in members:  # one left out, with `partial`
            continue
        values["participant_ids"] = sorted(member for member in members if member is not None)
        if contact is None:
            new.append(
                values
                | {
                    "ref": record.ref or None,
                    "household_id": household_id,
                    "entered_by": ids.user(record.entered_by),
                    "created_at": record.created_at or ids.stamp,
                    "version": 1,
                }
            )
            touched.add(household_id)
            continue
        values = _given(values, record.columns)
        if record.entered_by:
            values["entered_by"] = ids.user(record.entered_by)
        if record.created_at is not None and as_utc(contact.created_at) != record.created_at:
            values["created_at"] = record.created_at
        if _import_update(session, ids.actor, contact, "contact", values):
            updated += 1
            touched.add(household_id)
        else:
            same += 1
    insert_batches(session, Contact, new, returning=False)
    for part in chunks(sorted(touched)):
        held = session.exec(select(Household).where(col(Household.id).in_(part))).all()
        refresh_next_contacts(session, held)
    return [len(new), updated, same]


def _checkins(session: Session, ids: _Rows) -> list[int]:
    new: list[dict[str, Any]] = []
    updated = same = 0
    for record, checkin in ids.good(CHECKINS.name, ids.rows.checkins):
        household_id = ids.household(record.household_ref)
        if household_id is None:
            continue
        if checkin is None:
            new.append(
                {"ref": record.ref or None, "household_id": household_id, "due_on": record.due_on}
            )
        elif checkin.due_on != record.due_on:
            changes = trail.diff({"due_on": checkin.due_on}, {"due_on": record.due_on})
            checkin.due_on = record.due_on
            trail.record(
                session,
                actor=ids.actor,
                action="import",
                entity="exit_checkin",
                entity_id=checkin.id or 0,
                household_id=household_id,
                changes=changes,
            )
            updated += 1
        else:
            same += 1
    insert_batches(session, ExitCheckin, new, returning=False)
    return [len(new), updated, same]
