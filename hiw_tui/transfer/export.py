"""`hiw-tui export DIR`: everything in the user's scope, in the import's CSV files, so that
an export imported into an empty database gives the same reports.

What the format carries: the users the rows name, households, people (with their
support needs), plans with their goals and steps, Star readings (drafts too), outcomes,
and each budget's caps and whole ledger (`hiw_tui.transfer.ledger.export`). Every row
carries its reference (`hiw_tui.transfer.identity`); the contact details of a
safe-contact household only for its advocate (the visibility rule's `sight`). Rows are
streamed, so the export of a large database never sits in memory.

The files are private (mode 600, in a folder made mode 700), start with a byte-order
mark, hold no cell a spreadsheet would run (`hiw_tui.domain.cells`), and are each
audited as written; an export that fails leaves none of its files behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Goal, Outcome, Partner, Step
from hiw_tui.db.core.models import (
    Household,
    Person,
    PersonNeed,
    StarReading,
    StarScore,
    User,
    UserPublic,
)
from hiw_tui.db.core.private import private_folder
from hiw_tui.db.core.scope import household_scope, require
from hiw_tui.db.ledger.models import Budget
from hiw_tui.db.privacy.files import record_file, remove_on_rollback
from hiw_tui.db.privacy.visibility import sight
from hiw_tui.domain.access import Permission
from hiw_tui.domain.money import decimal_pounds
from hiw_tui.transfer.casework import export_casework  # the casework files
from hiw_tui.transfer.chunks import plain
from hiw_tui.transfer.files import (
    CAPS,
    CONTACT_COLUMNS,
    FILES,
    GOALS,
    HOUSEHOLDS,
    LEDGER,
    NEED_SEPARATOR,
    OUTCOMES,
    PEOPLE,
    PLANS,
    READING_DETAILS,
    READINGS,
    STAR_AREAS,
    STEPS,
    USERS,
)
from hiw_tui.transfer.identity import database_token, ref_of
from hiw_tui.transfer.ledger.export import cap_rows, ledger_rows
from hiw_tui.transfer.manifest import NAME, write_manifest
from hiw_tui.transfer.plans import goal_rows, plan_rows
from hiw_tui.transfer.users import user_rows
from hiw_tui.transfer.values import date_cell, flag_cell, kept_text, list_cell
from hiw_tui.transfer.writing import write_file

STREAM = {"yield_per": 5_000}


def _people_refs(session: Session, actor: UserPublic, token: str) -> Any:
    """A subquery: each visible person's id, household and ref."""
    return (
        sa_select(
            col(Person.id).label("person_id"),
            col(Person.household_id).label("household_id"),
            ref_of(Person, token).label("ref"),
        )
        .join(Household, col(Household.id) == col(Person.household_id))
        .where(household_scope(actor))
        .subquery("refs")
    )


def export_directory(session: Session, *, actor: UserPublic, folder: Path) -> dict[str, int]:
    """Write the files and their manifest into `folder`; rows written per file. Audited
    as an export.
    The files carry ethnicity and every need, so a role that may not see them cannot
    export."""
    require(actor, Permission.SENSITIVE, "export people's records (they hold sensitive fields)")
    private_folder(folder)
    remove_on_rollback(session, [folder / spec.name for spec in FILES] + [folder / NAME])
    token = database_token(session)
    refs = _people_refs(session, actor, token)
    counts = {
        USERS.name: write_file(folder, USERS, user_rows(session, actor)),
        HOUSEHOLDS.name: write_file(folder, HOUSEHOLDS, _households(session, actor)),
        PEOPLE.name: write_file(folder, PEOPLE, _people(session, actor, refs)),
        READINGS.name: write_file(folder, READINGS, _readings(session, refs, token)),
        PLANS.name: write_file(folder, PLANS, plan_rows(session, actor, refs)),
        GOALS.name: write_file(folder, GOALS, goal_rows(session, actor, refs, token)),
        STEPS.name: write_file(folder, STEPS, _steps(session, actor, refs, token)),
        OUTCOMES.name: write_file(folder, OUTCOMES, _outcomes(session, refs, token)),
        CAPS.name: write_file(folder, CAPS, _caps(session, actor, token)),
        LEDGER.name: write_file(folder, LEDGER, _ledger(session, actor, token)),
    }
    counts |= export_casework(session, actor, folder, token, refs)  # the casework files
    trail.record(
        session,
        actor=actor,
        action="export",
        entity="database",
        entity_id=0,
        changes={name: [None, rows] for name, rows in counts.items()},
    )
    write_manifest(folder, counts)
    for name in [*counts, NAME]:
        record_file(session, actor=actor, kind="export", path=folder / name)
    return counts


def _households(session: Session, actor: UserPublic) -> Iterator[list[Any]]:
    statement = (
        sa_select(plain(Household), col(User.username), col(Budget.cap_pence))
        .join(User, col(User.id) == col(Household.advocate_id))
        .outerjoin(Budget, col(Budget.household_id) == col(Household.id))
        .where(household_scope(actor))
        .order_by(col(Household.reference))
    )
    for household, advocate, cap in session.execute(statement.execution_options(**STREAM)):
        yield [
            household.reference,
            household.local_authority,
            advocate,
            household.status,
            household.referral_route,
            date_cell(household.start_date),
            date_cell(household.end_date),
            decimal_pounds(cap) if cap is not None else "",
            date_cell(household.referred_on),
            list_cell(household.previous_programme_codes),
            household.previous_programmes,
            flag_cell(household.safe_contact),
            household.exit_reason or "",
            household.exit_destination or "",
            household.exit_note,
        ]


def _people(session: Session, actor: UserPublic, refs: Any) -> Iterator[list[Any]]:
    needs = sa_select(col(PersonNeed.person_id), col(PersonNeed.need)).join(
        refs, refs.c.person_id == col(PersonNeed.person_id)
    )
    held: dict[int, list[str]] = {}
    for person_id, need in session.execute(needs):
        held.setdefault(person_id, []).append(need)
    statement = (
        sa_select(
            plain(Person),
            refs.c.ref,
            col(Household.reference),
            col(Household.safe_contact),
            col(Household.advocate_id),
        )
        .join(refs, refs.c.person_id == col(Person.id))
        .join(Household, col(Household.id) == col(Person.household_id))
        .order_by(col(Household.reference), col(Person.id))
    )
    rows = session.execute(statement.execution_options(**STREAM))
    for person, ref, household_ref, safe_contact, advocate_id in rows:
        seen = sight(actor, safe_contact=safe_contact, advocate_id=advocate_id)
        contact = (
            [person.address, person.postcode, person.phone, person.email]
            if seen.contact
            else [""] * len(CONTACT_COLUMNS)
        )
        yield [
            ref,
            household_ref,
            person.role,
            kept_text(person.given_name),
            kept_text(person.family_name),
            date_cell(person.date_of_birth),
            person.gender,
            person.ethnicity,
            person.time_since_work,
            NEED_SEPARATOR.join(sorted(held.get(person.id or 0, []))),
            date_cell(person.left_on),
            *contact,
            list_cell(person.benefits),
            person.qualification,
            flag_cell(not seen.contact),
        ]


def _readings(session: Session, refs: Any, token: str) -> Iterator[list[Any]]:
    """Every reading, drafts too, with its notes and who entered it."""
    statement = (
        sa_select(
            col(StarReading.id),
            col(StarReading.taken_on),
            col(StarReading.status),
            col(StarReading.completed_by),
            col(StarReading.framework_id),
            col(StarReading.framework_version),
            col(StarReading.notes),
            ref_of(StarReading, token),
            refs.c.ref,
            col(User.username),
            col(StarScore.area),
            col(StarScore.score),
            col(StarScore.note),
        )
        .join(refs, refs.c.person_id == col(StarReading.person_id))
        .join(User, col(User.id) == col(StarReading.entered_by))
        .outerjoin(StarScore, col(StarScore.reading_id) == col(StarReading.id))
        .order_by(col(StarReading.id))
    )
    current: list[Any] | None = None
    reading_id = None
    areas = len(STAR_AREAS)
    for row in session.execute(statement.execution_options(**STREAM)):
        this, taken_on, *details, reading_ref, ref, username, area, score, note = row
        if this != reading_id:
            if current is not None:
                yield current
            reading_id = this
            current = [
                ref,
                date_cell(taken_on),
                *[""] * areas,
                reading_ref,
                *details,
                *[""] * areas,
                username,
            ]
        if area in STAR_AREAS and current is not None:
            index = STAR_AREAS.index(area)
            current[2 + index] = score if score is not None else ""
            current[3 + areas + len(READING_DETAILS) + index] = note
    if current is not None:
        yield current


def _steps(session: Session, actor: UserPublic, refs: Any, token: str) -> Iterator[list[Any]]:
    """Every step with its goal; a step of the household's own plan with no person."""
    statement = (
        sa_select(
            plain(Step),
            refs.c.ref,
            col(Goal.area),
            ref_of(Step, token),
            col(Household.reference),
            ref_of(Goal, token),
            col(Partner.name),
        )
        .join(Goal, col(Goal.id) == col(Step.goal_id))
        .join(Household, col(Household.id) == col(Step.household_id))
        .outerjoin(refs, refs.c.person_id == col(Step.person_id))
        .outerjoin(Partner, col(Partner.id) == col(Step.partner_id))
        .where(household_scope(actor))
        .order_by(col(Household.reference), col(Step.id))
    )
    rows = session.execute(statement.execution_options(**STREAM))
    for step, ref, area, step_ref, household_ref, goal_ref, partner in rows:
        yield [
            ref or "",
            area,
            kept_text(step.description),
            step.status,
            date_cell(step.due_on),
            date_cell(step.done_on),
            step_ref,
            household_ref,
            goal_ref,
            step.position,
            step.owner,
            partner or "",
            date_cell(step.status_on),
        ]


def _outcomes(session: Session, refs: Any, token: str) -> Iterator[list[Any]]:
    statement = (
        sa_select(plain(Outcome), refs.c.ref, ref_of(Outcome, token), col(User.username))
        .join(User, col(User.id) == col(Outcome.entered_by))
        .join(refs, refs.c.person_id == col(Outcome.person_id))
        .order_by(col(Outcome.id))
    )
    rows = session.execute(statement.execution_options(**STREAM))
    for outcome, ref, outcome_ref, username in rows:
        yield [
            ref,
            outcome.kind,
            date_cell(outcome.start_on),
            date_cell(outcome.end_on),
            f"{outcome.hours:g}",
            outcome.description,
            kept_text(outcome.organisation),
            outcome_ref,
            flag_cell(outcome.completed),
            username,
        ]


def _ledger(session: Session, actor: UserPublic, token: str) -> Iterator[list[Any]]:
    return ledger_rows(session, token, household_scope(actor))


def _caps(session: Session, actor: UserPublic, token: str) -> Iterator[list[Any]]:
    return cap_rows(session, token, household_scope(actor))
