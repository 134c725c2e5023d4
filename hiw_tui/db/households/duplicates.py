"""Possible duplicates of people about to be entered: who is held with the same date of
birth and a similar name, or the same phone or email (the rules are
`hiw_tui.domain.duplicates`).

The database narrows, Python compares: the people born on the day (by
`ix_person_date_of_birth`, about a dozen a day in 300,000 people), and those with the
same phone key or email key (by their indexes) outside safe-contact households, whose
contact details are never matched on; erased people are never looked at. Each look-up
is its own index search, not one OR the planner might answer by reading the table.

What the user is told follows the scope rule (`household_scope`): a match in their scope
is shown (name, household reference, date of birth, advocate, what they share), one
outside it only as the fact that a possible match is held elsewhere, with whom to ask
(which depends on the user alone). Both the warning and the user's decision are audited
against the household the person was being added to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import Household, Person, ReadModel, User, UserPublic
from hiw_tui.db.core.scope import household_scope, require
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import UserRole
from hiw_tui.domain.duplicates import (
    Candidate,
    Held,
    NameKey,
    Reason,
    elsewhere_text,
    match_reasons,
    whom_to_ask,
)

CHUNK = 5_000
"""Keys looked up per query."""
SHOWN = 20
"""Matches in scope listed at most, per person sought (those sharing the most first)."""

Sought = tuple[Candidate, int | None]
"""Someone about to be entered, and the id of the household they join (None: a
household not yet held), whose members' phones and emails are theirs to share."""


class DuplicateMatch(ReadModel):
    """A possible duplicate in the user's scope: what the warning shows of them."""

    person_id: int
    household_id: int
    name: str
    reference: str
    """Their household's reference."""
    date_of_birth: date
    advocate_name: str
    reasons: tuple[Reason, ...]
    left_on: date | None = None
    """When they left that household (None: a member now)."""


class DuplicateCheck(ReadModel):
    """The possible duplicates of one person about to be entered."""

    matches: tuple[DuplicateMatch, ...] = ()
    """Those in the user's scope."""
    elsewhere: bool = False
    """Whether a possible match is held outside the user's scope (nothing more is said)."""
    ask: str = ""
    """Whom to ask about one held elsewhere (see `hiw_tui.domain.duplicates.whom_to_ask`)."""

    @property
    def found(self) -> bool:
        return bool(self.matches) or self.elsewhere

    @property
    def elsewhere_text(self) -> str:
        return elsewhere_text(self.ask) if self.elsewhere else ""


class _Row(NamedTuple):
    """A person looked at: what the comparison needs, and whether they are in scope."""

    person_id: int
    given_name: str
    family_name: str
    date_of_birth: date
    phone_key: str
    email_key: str
    left_on: date | None
    household_id: int
    reference: str
    safe_contact: bool
    advocate_name: str
    visible: bool

    @property
    def held(self) -> Held:
        name = NameKey.of(self.given_name, self.family_name)
        return Held(name, self.date_of_birth, self.phone_key, self.email_key)


def _rows(
    session: Session, actor: UserPublic, column: Any, keys: Sequence[Any], *, contact: bool
) -> list[_Row]:
    """The people held (not erased) whose `column` is one of `keys`, each with whether it
    is in `actor`'s scope; for a contact detail, outside safe-contact households."""
    rows: list[_Row] = []
    for start in range(0, len(keys), CHUNK):
        statement = (
            sa_select(
                col(Person.id),
                col(Person.given_name),
                col(Person.family_name),
                col(Person.date_of_birth),
                col(Person.phone_key),
                col(Person.email_key),
                col(Person.left_on),
                col(Household.id),
                col(Household.reference),
                col(Household.safe_contact),
                col(User.display_name),
                household_scope(actor).label("visible"),
            )
            .join(Household, col(Household.id) == col(Person.household_id))
            .join(User, col(User.id) == col(Household.advocate_id))
            .where(col(column).in_(keys[start : start + CHUNK]), col(Person.erased_on).is_(None))
        )
        if contact:
            statement = statement.where(col(Household.safe_contact) == False)  # noqa: E712
        rows.extend(_Row(*row) for row in session.execute(statement))
    return rows


class _Index:
    """The people looked at, by date of birth, phone key and email key: each person
    sought is compared only with those sharing one (an import seeks thousands)."""

    def __init__(self, rows: list[_Row]) -> None:
        self.born: dict[date, list[_Row]] = defaultdict(list)
        self.phone: dict[str, list[_Row]] = defaultdict(list)
        self.email: dict[str, list[_Row]] = defaultdict(list)
        unique = {row.person_id: row for row in rows}  # one may be found by each key
        self.held = {person_id: row.held for person_id, row in unique.items()}
        for row in unique.values():
            self.born[row.date_of_birth].append(row)
            if row.phone_key:
                self.phone[row.phone_key].append(row)
            if row.email_key:
                self.email[row.email_key].append(row)

    def near(self, candidate: Candidate) -> list[tuple[_Row, Held]]:
        rows = [
            *self.born.get(candidate.date_of_birth, ()),
            *self.phone.get(candidate.phone_key or "", ()),
            *self.email.get(candidate.email_key or "", ()),
        ]
        return [(row, self.held[row.person_id]) for row in {r.person_id: r for r in rows}.values()]


def duplicates_of(
    session: Session, *, actor: UserPublic, sought: Sequence[Sought]
) -> list[DuplicateCheck]:
    """The possible duplicates of each person in `sought`, in its order, as `actor` may
    be told of them."""
    if not sought:
        return []
    dates = sorted({candidate.date_of_birth for candidate, _ in sought})
    phones = sorted({key for candidate, _ in sought if (key := candidate.phone_key)})
    emails = sorted({key for candidate, _ in sought if (key := candidate.email_key)})
    index = _Index(
        [
            *_rows(session, actor, Person.date_of_birth, dates, contact=False),
            *_rows(session, actor, Person.phone_key, phones, contact=True),
            *_rows(session, actor, Person.email_key, emails, contact=True),
        ]
    )
    ask = _whom_to_ask(session, actor)
    return [
        _check(candidate, household_id, index.near(candidate), ask)
        for candidate, household_id in sought
    ]


def _check(
    candidate: Candidate, household_id: int | None, rows: list[tuple[_Row, Held]], ask: str
) -> DuplicateCheck:
    matches: list[DuplicateMatch] = []
    elsewhere = False
    for row, held in rows:
        compare_contact = not row.safe_contact and row.household_id != household_id
        reasons = match_reasons(candidate, held, compare_contact=compare_contact)
        if not reasons:
            continue
        if not row.visible:
            elsewhere = True
            continue
        matches.append(
            DuplicateMatch(
                person_id=row.person_id,
                household_id=row.household_id,
                name=f"{row.given_name} {row.family_name}",
                reference=row.reference,
                date_of_birth=row.date_of_birth,
                advocate_name=row.advocate_name,
                reasons=reasons,
                left_on=row.left_on,
            )
        )
    matches.sort(key=lambda match: (-len(match.reasons), match.left_on is not None, match.name))
    return DuplicateCheck(matches=tuple(matches[:SHOWN]), elsewhere=elsewhere, ask=ask)


def _whom_to_ask(session: Session, actor: UserPublic) -> str:
    """Whom `actor` asks about a match outside their scope: an advocate their area's
    supervisors, anyone else a programme manager (by name, the first two)."""
    supervisor = actor.can(Permission.OVERSEE)
    statement = select(User.display_name).where(col(User.active)).order_by(col(User.display_name))
    if supervisor:
        statement = statement.where(User.role == UserRole.PROGRAMME_MANAGER.value)
    else:
        statement = statement.where(
            User.role == UserRole.SUPERVISOR.value,
            User.local_authority == (actor.local_authority or ""),
        )
    return whom_to_ask(list(session.exec(statement.limit(2))), supervisor=supervisor)


def possible_duplicates(
    session: Session, *, actor: UserPublic, candidate: Candidate, household_id: int | None
) -> DuplicateCheck:
    """Before someone is added to household `household_id`: who may be them already.
    A warning to give is audited (who was listed, whether one is held elsewhere)."""
    require(actor, Permission.EDIT, "add people")
    check = duplicates_of(session, actor=actor, sought=[(candidate, household_id)])[0]
    if check.found:
        trail.record(
            session,
            actor=actor,
            action="duplicate_warning",
            entity="person",
            entity_id=0,
            household_id=household_id,
            changes={
                "shown": [None, [match.person_id for match in check.matches]],
                "elsewhere": [None, check.elsewhere],
            },
        )
    return check


DECISIONS = ("save", "open", "back")
"""What a user does about a warning: save anyway, open a possible duplicate's household,
or go back to the form."""


def record_duplicate_decision(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int | None,
    decision: str,
    opened: int | None = None,
) -> None:
    """Audit what the user did about a warning (`DECISIONS`), against the household the
    person was being added to; `opened` is the household opened."""
    require(actor, Permission.EDIT, "add people")
    if decision not in DECISIONS:
        raise ValueError(f"not a decision: {decision!r}")
    changes: dict[str, Any] = {"decision": [None, decision]}
    if opened is not None:
        changes["opened"] = [None, opened]
    trail.record(
        session,
        actor=actor,
        action="duplicate_decision",
        entity="person",
        entity_id=0,
        household_id=household_id,
        changes=changes,
    )
