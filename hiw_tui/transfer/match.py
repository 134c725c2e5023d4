"""Matching the import's rows to each other and to the database, before anything is written.

Finds what only the rows together show: a ref used twice, a person whose household is
unknown or bad, two primary householders, an advocate of another area, a household
outside the importer's scope, a spend the budget cannot cover, a reversal with no spend
to reverse. Rows already imported (the same refs) are matched to their records, so a
re-import updates them instead of adding them again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Outcome, Partner, Step
from hiw_tui.db.core.models import Household, Person, StarReading, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.ledger.models import BudgetCap, LedgerEntry
from hiw_tui.db.ledger.posting import lock_budgets
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.codes import LocalAuthority, MemberRole, UserRole
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.files import (
    CAPS,
    GOALS,
    HOUSEHOLDS,
    LEDGER,
    OUTCOMES,
    PEOPLE,
    PLANS,
    READINGS,
    STEPS,
    USERS,
)
from hiw_tui.transfer.identity import database_token, find_refs, made_here
from hiw_tui.transfer.ledger.held import held_caps, held_entries, key_ids, open_spends
from hiw_tui.transfer.ledger.plan import Held, LedgerPlan, plan_ledger, spend_keys
from hiw_tui.transfer.parse import Parsed
from hiw_tui.transfer.plans import check_owners, match_goals
from hiw_tui.transfer.problems import Problem
from hiw_tui.transfer.records import HouseholdRecord
from hiw_tui.transfer.users import UserRecord, held_users, new_user_problem, username_problem


@dataclass
class Matched:
    """The rows that can be written, and what they point at in the database."""

    parsed: Parsed
    household_ids: dict[str, int] = field(default_factory=dict)
    """Refs of households already in the database, in scope."""
    household_area: dict[str, str] = field(default_factory=dict)
    """Every usable household ref (file or database) -> its local authority."""
    person_ids: dict[str, int] = field(default_factory=dict)
    person_household: dict[str, str] = field(default_factory=dict)
    """Every usable person ref -> its household's ref."""
    users: dict[str, int] = field(default_factory=dict)
    new_advocates: dict[str, str] = field(default_factory=dict)
    """Usernames to create as advocates -> their local authority."""
    ledger: LedgerPlan = field(default_factory=LedgerPlan)
    """caps.csv's and ledger.csv's rows, as they are posted."""
    problems: list[Problem] = field(default_factory=list)
    token: str = ""
    """This database's token (see hiw_tui.transfer.identity)."""
    known_users: dict[str, User] = field(default_factory=dict)
    """Every user the files may name: those held, and users.csv's new ones (not yet added)."""
    new_users: list[UserRecord] = field(default_factory=list)
    users_unchanged: int = 0
    goal_ids: dict[str, int] = field(default_factory=dict)
    """Goal refs (of goals.csv or steps.csv) -> the ids of the goals held."""
    partner_ids: dict[str, int] = field(default_factory=dict)
    """Partner names steps name -> ids."""
    row_ids: dict[tuple[str, int], int] = field(default_factory=dict)
    """(file, row) -> the id of the row held that the row's own reference names."""

    left_out: set[tuple[str, int]] = field(default_factory=set)
    """(file, row) of rows left out without a problem of their own: they name what a file
    that could not be read defines (that file's one problem says why)."""

    def bad_rows(self) -> dict[str, set[int]]:
        rows: dict[str, set[int]] = defaultdict(set)
        for problem in self.problems + self.parsed.problems:
            rows[problem.file].add(problem.row)
        for file, row in self.left_out:
            rows[file].add(row)
        return rows


def _duplicates(file: str, column: str, keyed: Iterable[tuple[int, Any]]) -> Iterator[Problem]:
    first: dict[Any, int] = {}
    for row, key in keyed:
        if key in first:
            yield Problem(file, row, column, f"{key_text(key)} is already on row {first[key]}")
        else:
            first[key] = row


def _repeated(
    matched: Matched, file: str, column: str, keyed: Iterable[tuple[int, Any]]
) -> set[int]:
    """Record a problem for each row repeating an earlier row's ref; those rows."""
    problems = list(_duplicates(file, column, keyed))
    matched.problems.extend(problems)
    return {problem.row for problem in problems}


def key_text(key: Any) -> str:
    return " / ".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


def match(session: Session, actor: UserPublic, parsed: Parsed, policy: BudgetPolicy) -> Matched:
    matched = Matched(parsed, token=database_token(session))
    _users(session, actor, matched)
    _households(session, actor, matched)
    _user_refs(matched)
    planned: list[Any] = [*parsed.plans, *parsed.goals, *parsed.steps]
    add_stored_households(
        session, actor, matched, [r.household_ref for r in planned if r.household_ref]
    )
    _people(session, actor, matched)
    for file, records, column in (
        (READINGS.name, parsed.readings, "person_ref"),
        (STEPS.name, parsed.steps, "person_ref"),
        (OUTCOMES.name, parsed.outcomes, "person_ref"),
    ):
        for record in records:
            household_ref = getattr(record, "household_ref", "")
            if not record.person_ref and household_ref:  # a step of the household's plan
                if household_ref not in matched.household_area:
                    where = (file, record.row, "household_ref")
                    unknown_ref(matched, where, "household", household_ref)
            elif record.person_ref not in matched.person_household:
                unknown_ref(matched, (file, record.row, column), "person", record.person_ref)
    check_owners(matched, PLANS.name, parsed.plans)
    check_owners(matched, GOALS.name, parsed.goals)
    match_goals(session, matched)
    _partners(session, matched)
    for file, model, records, column, owner in (
        (READINGS.name, StarReading, parsed.readings, "reading_ref", "person_id"),
        (STEPS.name, Step, parsed.steps, "step_ref", "household_id"),
        (OUTCOMES.name, Outcome, parsed.outcomes, "outcome_ref", "person_id"),
    ):
        _row_refs(session, matched, RefColumn(file, column, model, owner), records)
    _ledger(session, actor, matched, policy)
    return matched


@dataclass(frozen=True)
class RefColumn:
    """A file's column of its rows' own references, the rows they name, and the column
    of those rows that says whose they are (their person or household)."""

    file: str
    column: str
    model: type[Any]
    owner: str


def _row_refs(session: Session, matched: Matched, refs: RefColumn, records: Sequence[Any]) -> None:
    """Rows carrying a reference held already: their ids (`matched.row_ids`), once sure the
    row held is the same person's or household's; a reference used twice is a problem."""
    named = [record for record in records if record.ref]
    repeated = _repeated(matched, refs.file, refs.column, ((r.row, r.ref) for r in named))
    found = find_refs(session, refs.model, [r.ref for r in named], matched.token)
    owners: dict[int, int] = {}
    for part in chunks(sorted(found.values())):
        owner = getattr(refs.model, refs.owner)
        statement = sa_select(col(refs.model.id), col(owner)).where(col(refs.model.id).in_(part))
        owners.update({row_id: owner_id for row_id, owner_id in session.execute(statement)})
    for record in named:
        row_id = found.get(record.ref)
        if record.row in repeated:
            continue
        if row_id is None:
            if made_here(refs.model, matched.token, record.ref) is not None:
                reason = f"{record.ref} was made in this database, which no longer holds it"
                matched.problems.append(Problem(refs.file, record.row, refs.column, reason))
            continue
        if refs.owner == "person_id":
            expected = matched.person_ids.get(record.person_ref)
        else:
            expected = matched.household_ids.get(household_of(matched, record))
        if owners.get(row_id) != expected:
            whose = "person" if refs.owner == "person_id" else "household"
            reason = f"{record.ref} is held for another {whose}"
            matched.problems.append(Problem(refs.file, record.row, refs.column, reason))
            continue
        matched.row_ids[(refs.file, record.row)] = row_id


def unknown_ref(matched: Matched, where: tuple[str, int, str], what: str, ref: str) -> None:
    """The problem of a row (`where`: file, row, column) whose ref matches nothing: its
    own row has a problem, or it is nowhere. Left out without one when the file that
    would define it (or the households a person belongs to) could not be read: that
    file's one problem says so."""
    file = PEOPLE.name if what == "person" else HOUSEHOLDS.name
    if {file, HOUSEHOLDS.name} & matched.parsed.unreadable:
        matched.left_out.add(where[:2])
        return
    if ref in matched.parsed.named.get(file, set()):
        reason = f"{what} {ref}: its row in {file} has a problem"
    else:
        reason = f"no {what} {ref!r} in {file} or in your scope"
    matched.problems.append(Problem(*where, reason))


def _users(session: Session, actor: UserPublic, matched: Matched) -> None:
    """The users the files name: held ones by id, users.csv's new ones to add (checked
    against what the importer may add), and every other name a problem on its cell."""
    parsed = matched.parsed
    repeated = _repeated(
        matched, USERS.name, "username", ((r.row, r.username) for r in parsed.users)
    )
    named = {record.username for record in parsed.users}
    named |= {record.advocate.lower() for record in parsed.households}
    named |= {username for *_, username in parsed.user_refs}
    held = held_users(session, named)
    matched.users.update({name: user.id or 0 for name, user in held.items()})
    matched.known_users.update(held)
    unchanged = 0
    for record in parsed.users:
        if record.row in repeated:
            continue
        if record.username in held:
            unchanged += 1
            continue
        problem = new_user_problem(actor, record)
        if problem is not None:
            matched.problems.append(Problem(USERS.name, record.row, "role", problem))
            continue
        matched.new_users.append(record)
        matched.known_users[record.username] = User(
            username=record.username,
            display_name=record.display_name,
            role=record.role,
            local_authority=record.local_authority,
        )
    matched.users_unchanged = unchanged


def _user_refs(matched: Matched) -> None:
    """Every user a row names must be held, in users.csv, or an advocate households.csv
    makes."""
    for file, row, column, username in matched.parsed.user_refs:
        if username not in matched.known_users and username not in matched.new_advocates:
            reason = f"no user {username!r} here or in {USERS.name}"
            matched.problems.append(Problem(file, row, column, reason))


def _households(session: Session, actor: UserPublic, matched: Matched) -> None:
    parsed = matched.parsed
    refs = [record.data.reference for record in parsed.households]
    repeated = _repeated(
        matched,
        HOUSEHOLDS.name,
        "household_ref",
        ((r.row, r.data.reference) for r in parsed.households),
    )
    existing = _existing_households(session, actor, refs)
    known = matched.known_users
    for record in parsed.households:
        if record.row in repeated:
            continue
        ref, area = record.data.reference, record.data.local_authority.value
        found = existing.get(ref)
        if found is False:
            matched.problems.append(
                Problem(
                    HOUSEHOLDS.name, record.row, "household_ref", f"{ref} is outside your scope"
                )
            )
            continue
        if actor.role is UserRole.SUPERVISOR and area != actor.local_authority:
            reason = f"{LocalAuthority(area).label} is outside your area"
            matched.problems.append(Problem(HOUSEHOLDS.name, record.row, "local_authority", reason))
            continue
        problem = _advocate_problem(record, known, matched)
        if problem:
            matched.problems.append(Problem(HOUSEHOLDS.name, record.row, "advocate", problem))
            continue
        if isinstance(found, int):
            matched.household_ids[ref] = found
        matched.household_area[ref] = area


def _existing_households(
    session: Session, actor: UserPublic, refs: list[str]
) -> dict[str, int | bool]:
    """ref -> id for households in scope, False for one that exists outside it."""
    found: dict[str, int | bool] = {}
    for part in chunks(refs):
        statement = sa_select(col(Household.reference), col(Household.id), household_scope(actor))
        for ref, household_id, visible in session.execute(
            statement.where(col(Household.reference).in_(part))
        ):
            found[ref] = household_id if visible else False
    return found


def _advocate_problem(
    record: HouseholdRecord, known: dict[str, User], matched: Matched
) -> str | None:
    username, area = record.advocate.lower(), record.data.local_authority.value
    user = known.get(username)
    if user is None:
        problem = username_problem(username)
        if problem is not None:
            return problem
        earlier = matched.new_advocates.setdefault(username, area)
        if earlier != area:
            return f"{username} is new here, and already given {LocalAuthority(earlier).label}"
        return None
    if user.role != UserRole.ADVOCATE:
        return f"{username} is a {UserRole(user.role).label.lower()}, not an advocate"
    if user.local_authority != area:
        where = LocalAuthority(user.local_authority or area).label
        return f"{username} is an advocate in {where}, not {LocalAuthority(area).label}"
    return None


def _people(session: Session, actor: UserPublic, matched: Matched) -> None:
    parsed = matched.parsed
    repeated = _repeated(
        matched, PEOPLE.name, "person_ref", ((p.row, p.reference) for p in parsed.people)
    )
    add_stored_households(session, actor, matched, [p.household_ref for p in parsed.people])
    stored = stored_people(session, [p.reference for p in parsed.people], matched.token)
    in_file = {person_id for person_id, _ in stored.values()}
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    ids = [
        matched.household_ids[ref]
        for ref in {p.household_ref for p in parsed.people}
        if ref in matched.household_ids
    ]
    for id_part in chunks(ids):
        for ref, person_id, role in session.execute(
            sa_select(col(Household.reference), col(Person.id), col(Person.role))
            .join(Household, col(Household.id) == col(Person.household_id))
            .where(col(Person.household_id).in_(id_part), col(Person.left_on).is_(None))
        ):
            if person_id not in in_file:
                roles[ref][role] += 1
    for record in parsed.people:
        if record.row in repeated:
            continue
        ref = record.household_ref
        if ref not in matched.household_area:
            unknown_ref(matched, (PEOPLE.name, record.row, "household_ref"), "household", ref)
            continue
        found = stored.get(record.reference)
        if found is not None and found[1] != ref:
            reason = f"{record.reference} is a member of another household"
            matched.problems.append(Problem(PEOPLE.name, record.row, "household_ref", reason))
            continue
        role = record.data.role.value
        if role != MemberRole.MEMBER and record.left_on is None:
            roles[ref][role] += 1
            if roles[ref][role] > 1:
                reason = f"household {ref} already has a {MemberRole(role).label.lower()}"
                matched.problems.append(Problem(PEOPLE.name, record.row, "role", reason))
                continue
        if found is not None:
            matched.person_ids[record.reference] = found[0]
        matched.person_household[record.reference] = ref
    _add_stored_people(session, actor, matched)


def household_of(matched: Matched, record: Any) -> str:
    """The household ref of a row naming its household, or its person."""
    return getattr(record, "household_ref", "") or matched.person_household.get(
        record.person_ref, ""
    )


def _partners(session: Session, matched: Matched) -> None:
    """The ids of the partner services held that steps name (a name neither held nor in
    partners.csv is a problem the casework files' check finds)."""
    names = sorted({step.partner for step in matched.parsed.steps if step.partner})
    for part in chunks(names):
        statement = sa_select(col(Partner.name), col(Partner.id)).where(col(Partner.name).in_(part))
        found = session.execute(statement)
        matched.partner_ids.update({name: partner_id for name, partner_id in found})


def add_stored_households(
    session: Session, actor: UserPublic, matched: Matched, refs: Iterable[str]
) -> None:
    """Households a file names that households.csv does not: from the database, in scope."""
    wanted = sorted(set(refs) - set(matched.household_area))
    for part in chunks(wanted):
        for ref, household_id, area in session.execute(
            sa_select(
                col(Household.reference), col(Household.id), col(Household.local_authority)
            ).where(col(Household.reference).in_(part), household_scope(actor))
        ):
            matched.household_ids[ref] = household_id
            matched.household_area[ref] = area


def stored_people(
    session: Session, refs: list[str], token: str, actor: UserPublic | None = None
) -> dict[str, tuple[int, str]]:
    """person ref -> (id, household ref) of those already in the database (with `actor`,
    only those in their scope)."""
    ids = find_refs(session, Person, refs, token)
    by_id = {person_id: ref for ref, person_id in ids.items()}
    found = {}
    for part in chunks(sorted(by_id)):
        statement = (
            sa_select(col(Person.id), col(Household.reference))
            .join(Household, col(Household.id) == col(Person.household_id))
            .where(col(Person.id).in_(part))
        )
        if actor is not None:
            statement = statement.where(household_scope(actor))
        for person_id, household_ref in session.execute(statement):
            found[by_id[person_id]] = (person_id, household_ref)
    return found


def _add_stored_people(session: Session, actor: UserPublic, matched: Matched) -> None:
    """People named by readings, steps or outcomes but not in people.csv: from the database."""
    parsed = matched.parsed
    named: list[Any] = [
        *parsed.readings,
        *parsed.steps,
        *parsed.outcomes,
        *parsed.plans,
        *parsed.goals,
    ]
    add_stored_people(session, actor, matched, {r.person_ref for r in named if r.person_ref})


def add_stored_people(
    session: Session, actor: UserPublic, matched: Matched, refs: Iterable[str]
) -> None:
    """People a file names that people.csv does not: from the database, in scope, with
    their households (else their rows would be left out, as of no household)."""
    wanted = (
        set(refs) - set(matched.person_household) - {p.reference for p in matched.parsed.people}
    )
    found = stored_people(session, sorted(wanted), matched.token, actor)
    for person_ref, (person_id, household_ref) in found.items():
        matched.person_ids[person_ref] = person_id
        matched.person_household[person_ref] = household_ref
    add_stored_households(session, actor, matched, [ref for _, ref in found.values()])


def _ledger(session: Session, actor: UserPublic, matched: Matched, policy: BudgetPolicy) -> None:
    """caps.csv and ledger.csv: each row against the households and people it names (its
    users are checked with every file's), then all in the order they are posted against
    their budgets (`plan_ledger`). The households' budgets are locked first, so what is
    checked here is what the import writes against."""
    parsed = matched.parsed
    rows: list[Any] = [*parsed.caps, *parsed.ledger]
    add_stored_households(session, actor, matched, [r.household_ref for r in rows])
    for file, column, model, records in (
        (CAPS.name, "cap_ref", BudgetCap, parsed.caps),
        (LEDGER.name, "entry_ref", LedgerEntry, parsed.ledger),
    ):
        _row_refs(session, matched, RefColumn(file, column, model, "household_id"), records)
        for record in records:
            ref = record.household_ref
            if ref not in matched.household_area:
                unknown_ref(matched, (file, record.row, "household_ref"), "household", ref)
    _ledger_people(session, actor, matched)
    refs = {r.household_ref for r in rows} | {
        r.data.reference for r in parsed.households if r.budget_cap
    }
    by_id = {matched.household_ids[ref]: ref for ref in refs if ref in matched.household_ids}
    budgets = lock_budgets(session, by_id)
    keys = spend_keys(parsed.ledger)
    by_key = key_ids(session, keys.values())
    targets = find_refs(
        session, LedgerEntry, [r.reverses for r in parsed.ledger if r.reverses], matched.token
    )
    named = {row_id for (file, _), row_id in matched.row_ids.items() if file == LEDGER.name}
    unnamed = {r.household_ref for r in parsed.ledger if r.reversal and not r.reverses}
    held = Held(
        budgets={by_id[household_id]: budget.balance for household_id, budget in budgets.items()},
        entries=held_entries(session, matched.token, named | {*by_key.values(), *targets.values()}),
        named=matched.row_ids,
        keys=keys,
        by_key=by_key,
        targets=targets,
        open=list(open_spends(session, [i for i, ref in by_id.items() if ref in unnamed])),
        caps=held_caps(
            session,
            matched.token,
            [i for i, ref in by_id.items() if ref in {r.household_ref for r in parsed.caps}],
        ),
    )
    plan = plan_ledger(parsed, held, matched.bad_rows(), policy, actor.username)
    matched.problems.extend(plan.problems)
    matched.ledger = plan


def _ledger_people(session: Session, actor: UserPublic, matched: Matched) -> None:
    """Whom ledger.csv's spends were for: each a member of its row's household."""
    parsed = matched.parsed
    add_stored_people(session, actor, matched, {r.person for r in parsed.ledger if r.person})
    for record in parsed.ledger:
        ref = record.person
        member_of = matched.person_household.get(ref)
        if not ref:
            continue
        if member_of is None:
            unknown_ref(matched, (LEDGER.name, record.row, "person_ref"), "person", ref)
        elif member_of != record.household_ref:
            reason = f"{ref} is a member of another household"
            matched.problems.append(Problem(LEDGER.name, record.row, "person_ref", reason))
