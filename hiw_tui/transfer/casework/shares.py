"""A referral the import makes (or moves to another person or partner) needs the consent
`create_referral` asks for, as of the day it was made: checked here against the consents
held and those consents.csv adds, by the same rule (`hiw_tui.db.privacy.consent`) that
`import_referrals` applies again as it writes them.

As of `made_on`: of a person's consents to share with the partner, the one of the latest
day on or before `made_on` stands (of those of one day, the last recorded: the database's
in the order recorded, then the file's in file order); for a referral of the household,
each householder (primary or secondary) who had not left by `made_on` must have
consented. Without consent, the row's `consent_override` (a supervisor's reason) lets it
through; without either, the row is refused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session

from hiw_tui.db.casework.referrals import IMPORT_FIELDS, held_householders, held_share_consents
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.privacy.consent import ConsentRow, consent_stands, needs_consent_of, share_refusal
from hiw_tui.domain.codes import ConsentPurpose
from hiw_tui.transfer.casework.files import CONSENTS, REFERRALS
from hiw_tui.transfer.match import Matched
from hiw_tui.transfer.problems import Problem

if TYPE_CHECKING:
    from hiw_tui.transfer.casework.check import Resolved
    from hiw_tui.transfer.casework.read import ReferralRecord
    from hiw_tui.transfer.casework.rows import CaseworkRows


def referral_refusals(
    session: Session, actor: UserPublic, matched: Matched, rows: CaseworkRows, found: Resolved
) -> list[Problem]:
    """A problem on each referral the import would make, or move to another person or
    partner, without the consent it needs."""
    held = found.held.get(REFERRALS.name, {})
    checked: list[tuple[ReferralRecord, Hashable, str]] = []
    for record in rows.good(REFERRALS.name, rows.referrals):
        referral = held.get(record.row)
        person: Hashable = _who(matched, record.person_ref) if record.person_ref else None
        override = record.data.consent_override
        if referral is not None:  # a column the file lacks leaves what is held
            if "person_ref" not in record.columns:
                person = referral.person_id
            if "consent_override" not in record.columns:
                override = referral.consent_override
            partner = found.partner_ids.get(record.partner)
            if (person, partner) == (referral.person_id, referral.partner_id):
                continue
        checked.append((record, person, override))
    if not checked:
        return []
    members = _members(session, matched, [r for r, person, _ in checked if person is None])
    needed = [
        needs_consent_of(members.get(r.household_ref, {}).values(), person, r.data.made_on)
        for r, person, _ in checked
    ]
    consents = _consents(session, matched, rows, found, {p for people in needed for p in people})
    problems = []
    for (record, _, override), people in zip(checked, needed, strict=True):
        if all(consent_stands(consents[(p, record.partner)], record.data.made_on) for p in people):
            continue
        refusal = share_refusal(actor, override, IMPORT_FIELDS)
        if refusal is not None:
            reason = f"{refusal.message} (as of {record.data.made_on}, in {CONSENTS.name} or held)"
            problems.append(Problem(REFERRALS.name, record.row, refusal.field, reason))
    return problems


def _who(matched: Matched, ref: str) -> Hashable:
    """A person as the rule counts them: their id if held, their ref if the import adds them."""
    return matched.person_ids.get(ref, ref)


def _members(
    session: Session, matched: Matched, referrals: list[ReferralRecord]
) -> dict[str, dict[Hashable, tuple[Hashable, str, date | None]]]:
    """household ref -> its members as they will be once imported (the database's, with
    people.csv's rows over them), for `referrals` of a whole household."""
    wanted = {r.household_ref for r in referrals}
    ids = {matched.household_ids[ref]: ref for ref in wanted if ref in matched.household_ids}
    members: dict[str, dict[Hashable, tuple[Hashable, str, date | None]]] = defaultdict(dict)
    for household_id, people in held_householders(session, ids).items():
        for person_id, role, left_on in people:
            members[ids[household_id]][person_id] = (person_id, role, left_on)
    for person in matched.parsed.people:
        household = matched.person_household.get(person.reference)
        if household == person.household_ref and household in wanted:
            key = _who(matched, person.reference)
            members[household][key] = (key, person.data.role.value, person.left_on)
    return members


def _consents(
    session: Session,
    matched: Matched,
    rows: CaseworkRows,
    found: Resolved,
    people: set[Hashable],
) -> dict[tuple[Hashable, str], list[ConsentRow]]:
    """(person, partner name) -> the person's consents to share with the partner: those
    held, in the order recorded, then those consents.csv adds, in file order."""
    names = {partner_id: name for name, partner_id in found.partner_ids.items()}
    consents: dict[tuple[Hashable, str], list[ConsentRow]] = defaultdict(list)
    held_people = [p for p in people if isinstance(p, int)]
    for (person_id, partner_id), held in held_share_consents(session, held_people).items():
        if partner_id in names:
            consents[(person_id, names[partner_id])].extend(held)
    added = found.held.get(CONSENTS.name, {})
    for record in rows.good(CONSENTS.name, rows.consents):
        new = record.row in added and added[record.row] is None
        if new and record.data.purpose is ConsentPurpose.SHARE_PARTNER:
            consents[(_who(matched, record.person_ref), record.partner)].append(
                (record.data.on, record.data.given)
            )
    return consents
