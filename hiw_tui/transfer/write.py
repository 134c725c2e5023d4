"""Writing matched import rows: batched inserts for new rows, audited updates for rows
already there, the ledger's rows through the ledger's one locked posting path, then
every touched household's list summary restated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from hiw_tui.db.casework.models import Outcome
from hiw_tui.db.casework.rows import update_row
from hiw_tui.db.core.models import (
    Household,
    Person,
    PersonNeed,
    User,
    UserPublic,
)
from hiw_tui.db.households.people import person_columns, refresh_summaries, search_keys
from hiw_tui.db.ledger.monthly import restate_spend_months
from hiw_tui.db.ledger.posting import post
from hiw_tui.db.privacy.visibility import household_sight
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.codes import UserRole
from hiw_tui.domain.framework import Framework
from hiw_tui.transfer.chunks import chunks, insert_batches
from hiw_tui.transfer.files import (
    CONTACT_COLUMNS,
    HOUSEHOLDS,
    OUTCOMES,
    PEOPLE,
    USERS,
)
from hiw_tui.transfer.identity import paired
from hiw_tui.transfer.ledger.postings import ledger_postings
from hiw_tui.transfer.match import Matched, household_of
from hiw_tui.transfer.plans import Owner, write_goals, write_plans
from hiw_tui.transfer.readings import write_readings
from hiw_tui.transfer.records import IMPORT_PAYEE
from hiw_tui.transfer.steps import write_steps
from hiw_tui.transfer.users import add_users
from hiw_tui.transfer.values import as_held

R = TypeVar("R")


def _carried(values: dict[str, Any], fields: frozenset[str], person: Person) -> dict[str, Any]:
    """The fields people.csv sets of a person already held (the columns it lacks leave
    what the app holds), with their search keys restated."""
    kept = as_held(person, {name: values[name] for name in fields})
    return kept | search_keys(
        given_name=kept.get("given_name", person.given_name),
        family_name=kept.get("family_name", person.family_name),
        postcode=kept.get("postcode", person.postcode),
        phone=kept.get("phone", person.phone),
        email=kept.get("email", person.email),
    )


class Writer:
    def __init__(
        self,
        session: Session,
        actor: UserPublic,
        matched: Matched,
        framework: Framework,
        today: date,
        policy: BudgetPolicy,
        progress: Callable[[str, int, int], None] | None,
    ) -> None:
        self.session, self.actor, self.matched = session, actor, matched
        self.framework, self.today, self.policy = framework, today, policy
        self.progress = progress or (lambda what, done, total: None)
        self.stamp = datetime.now(UTC)
        self.bad = matched.bad_rows()
        self.counts: dict[str, list[int]] = {}
        self.touched: set[int] = set()
        self.moved: set[int] = set()
        """Advocates whose households moved to another advocate or area."""
        self.goal_refs: dict[str, int] = {}
        """Goal refs -> ids: those held, and goals.csv's (steps.csv may name them)."""

    # ---- helpers ----

    def good(self, file: str, records: Iterable[Any]) -> list[Any]:
        bad = self.bad.get(file, set())
        return [record for record in records if record.row not in bad]

    def insert(
        self, what: str, model: type[SQLModel], rows: list[dict[str, Any]], ids: bool = True
    ) -> list[int]:
        """Insert `rows` in batches; their new ids, in order (with `ids`)."""
        return insert_batches(
            self.session,
            model,
            rows,
            lambda done: self.progress(what, done, len(rows)),
            returning=ids,
        )

    def update(self, row: SQLModel, entity: str, household_id: int, values: dict[str, Any]) -> bool:
        values = as_held(row, values)
        return update_row(
            self.session,
            self.actor,
            row,
            entity=entity,
            household_id=household_id,
            version=row.version,  # type: ignore[attr-defined]  # imported tables have a version
            values=values,
            action="import",
        )

    def load(self, model: type[Any], column: Any, keys: Sequence[Any]) -> list[Any]:
        return [
            row
            for part in chunks(list(keys))
            for row in self.session.exec(select(model).where(column.in_(part)))
        ]

    def write_all(self) -> None:
        self._advocates()
        self._households()
        self._people()
        self._plans_and_goals()
        write_readings(self)
        write_steps(self)
        self._outcomes()
        self._ledger()
        self.progress("Household summaries", 0, len(self.touched))
        refresh_summaries(self.session, sorted(self.touched))
        restate_spend_months(self.session, self.moved)  # last: see its module
        self.progress("Household summaries", len(self.touched), len(self.touched))

    # ---- each file ----

    def _advocates(self) -> None:
        matched = self.matched
        matched.users.update(add_users(self.session, matched.new_users))
        if USERS.name in matched.parsed.present:
            self.counts[USERS.name] = [len(matched.new_users), 0, matched.users_unchanged]
        for username, area in sorted(self.matched.new_advocates.items()):
            user = User(
                username=username,
                display_name=username,
                role=UserRole.ADVOCATE.value,
                local_authority=area,
            )
            self.session.add(user)
            self.session.flush()
            self.matched.users[username] = user.id or 0

    def _households(self) -> None:
        records = self.good(HOUSEHOLDS.name, self.matched.parsed.households)
        ids = self.matched.household_ids
        stored = {
            h.reference: h
            for h in self.load(
                Household,
                col(Household.reference),
                [r.data.reference for r in records if r.data.reference in ids],
            )
        }
        new, updated, same = [], 0, 0
        held = {h.id: (h.advocate_id, h.local_authority) for h in stored.values()}
        for record in records:
            values = record.data.model_dump(include=set(record.fields)) | record.exit
            values["advocate_id"] = self.matched.users[record.advocate.lower()]
            household = stored.get(record.data.reference)
            if household is not None and not household_sight(self.actor, household).contact:
                values["safe_contact"] = True  # only who may see behind the flag clears it
            if household is None:
                new.append(
                    values | {"created_at": self.stamp, "updated_at": self.stamp, "version": 1}
                )
            elif self.update(household, "household", household.id or 0, values):
                updated += 1
                self.touched.add(household.id or 0)
            else:
                same += 1
        moved = [h for h in stored.values() if held[h.id] != (h.advocate_id, h.local_authority)]
        self.moved = {h.advocate_id for h in moved} | {held[h.id][0] for h in moved}
        for values, household_id in zip(
            new, self.insert("Households", Household, new), strict=True
        ):
            ids[values["reference"]] = household_id
            self.touched.add(household_id)
        self.counts[HOUSEHOLDS.name] = [len(new), updated, same]

    def _people(self) -> None:
        records = self.good(PEOPLE.name, self.matched.parsed.people)
        records = [r for r in records if r.household_ref in self.matched.household_ids]
        ids = self.matched.person_ids
        held = {
            p.id: p
            for p in self.load(
                Person, col(Person.id), [ids[r.reference] for r in records if r.reference in ids]
            )
        }
        held_needs: dict[int, set[str]] = defaultdict(set)
        for need in self.load(PersonNeed, col(PersonNeed.person_id), sorted(held)):
            held_needs[need.person_id].add(need.need)
        homes = {
            home.id: home
            for home in self.load(
                Household, col(Household.id), sorted({p.household_id for p in held.values()})
            )
        }
        new: list[tuple[dict[str, Any], frozenset[Any]]] = []
        needs: list[dict[str, Any]] = []
        updated = same = 0
        for record in records:
            household_id = self.matched.household_ids[record.household_ref]
            values = person_columns(record.data) | {"left_on": record.left_on}
            person = held.get(ids.get(record.reference))
            if person is None:
                new.append(
                    (
                        values
                        | {
                            "household_id": household_id,
                            "reference": record.reference,
                            "version": 1,
                        },
                        record.data.support_needs,
                    )
                )
                continue
            old_needs = held_needs.get(person.id or 0, set())
            fields = record.fields
            if not household_sight(self.actor, homes[person.household_id]).contact:
                fields -= set(CONTACT_COLUMNS)  # withheld from the importer: neither read nor set
            changed = self.update(person, "person", household_id, _carried(values, fields, person))
            if old_needs != {need.value for need in record.data.support_needs}:
                self.session.execute(
                    delete(PersonNeed).where(col(PersonNeed.person_id) == person.id)
                )
                needs.extend(
                    {"person_id": person.id, "need": need.value}
                    for need in sorted(record.data.support_needs)
                )
                changed = True
            if changed:
                updated += 1
                self.touched.add(household_id)
            else:
                same += 1
        new_ids = self.insert("People", Person, [values for values, _ in new])
        for (values, person_needs), person_id in zip(new, new_ids, strict=True):
            ids[values["reference"]] = person_id
            self.touched.add(values["household_id"])
            needs.extend(
                {"person_id": person_id, "need": need.value} for need in sorted(person_needs)
            )
        self.insert("Support needs", PersonNeed, needs)
        self.counts[PEOPLE.name] = [len(new), updated, same]

    def held(
        self,
        file: str,
        model: type[Any],
        records: list[tuple[Any, tuple[int, int]]],
        keys: tuple[Callable[[Any], Hashable], Callable[[Any, int], Hashable]],
    ) -> list[tuple[Any, tuple[int, int], Any]]:
        """Each (record, (person id, household id)) with the row of `model` it is, or None
        for a new one: the row its reference names, else the row of the same natural key
        (`keys`: of a held row, and of a record and its person id) at the same position
        among those of that key (see `identity.paired`)."""
        row_ids = self.matched.row_ids
        held = self.load(model, col(model.person_id), sorted({who[0] for _, who in records}))
        by_id = {row.id: row for row in held}
        named = {row_ids[(file, r.row)] for r, _ in records if (file, r.row) in row_ids}
        row_key, record_key = keys
        by_position = dict(
            paired(
                [row for row in held if row.id not in named],
                row_key,
                (
                    (record_key(record, who[0]), record.row)
                    for record, who in records
                    if (file, record.row) not in row_ids
                ),
            )
        )
        return [
            (
                record,
                who,
                by_id[row_ids[(file, record.row)]]
                if (file, record.row) in row_ids
                else by_position[record.row],
            )
            for record, who in records
        ]

    def user(self, username: str) -> int:
        """The id of a user a row names; the importer where it names none."""
        return self.matched.users[username] if username else self.actor.id

    def of_people(self, file: str, records: Iterable[R]) -> list[tuple[R, tuple[int, int]]]:
        """The good rows of `file` whose person was written, each with (person id,
        household id)."""
        paired = []
        for record in self.good(file, records):
            who = self._person(record.person_ref)
            if who is not None:
                paired.append((record, who))
        return paired

    def _person(self, ref: str) -> tuple[int, int] | None:
        """(person id, household id) of a matched person ref, None if it was not written."""
        person_id = self.matched.person_ids.get(ref)
        household_id = self.matched.household_ids.get(self.matched.person_household.get(ref, ""))
        if person_id is None or household_id is None:
            return None
        return person_id, household_id

    def owner(self, record: Any) -> Owner:
        """(household id, person id or None) of a written row's plan: its person's, or
        with no person_ref, its household's own."""
        matched = self.matched
        household_id = matched.household_ids[household_of(matched, record)]
        return household_id, matched.person_ids[record.person_ref] if record.person_ref else None

    def _plans_and_goals(self) -> None:
        write_plans(self)
        self.goal_refs = self.matched.goal_ids | write_goals(self)

    def _outcomes(self) -> None:
        records = self.held(
            OUTCOMES.name,
            Outcome,
            self.of_people(OUTCOMES.name, self.matched.parsed.outcomes),
            (
                lambda row: (row.person_id, row.kind, row.start_on, row.description),
                lambda r, person: (person, r.data.kind.value, r.data.start_on, r.data.description),
            ),
        )
        new, updated, same = [], 0, 0
        for record, (person_id, household_id), outcome in records:
            data = record.data
            values: dict[str, Any] = {
                "kind": data.kind.value,
                "description": data.description,
                "start_on": data.start_on,
                "end_on": data.end_on,
                "hours": data.hours,
            }
            if outcome is None or data.organisation != IMPORT_PAYEE:
                # a file without organisations leaves the one the app holds
                values["organisation"] = data.organisation
            if outcome is None or record.completed is not None:
                values["completed"] = bool(record.completed)
            if outcome is None:
                new.append(
                    values
                    | {
                        "ref": record.ref or None,
                        "household_id": household_id,
                        "person_id": person_id,
                        "entered_by": self.user(record.entered_by),
                        "version": 1,
                    }
                )
            elif self.update(outcome, "outcome", household_id, values):
                updated += 1
            else:
                same += 1
        self.insert("Outcomes", Outcome, new, ids=False)
        self.counts[OUTCOMES.name] = [len(new), updated, same]

    def _ledger(self) -> None:
        """caps.csv's and ledger.csv's rows in the order planned when they were matched,
        posted through the ledger's one locked path."""
        postings = ledger_postings(self.matched, self.user, self.stamp)
        self.progress("Ledger", 0, len(postings))
        post(self.session, actor=self.actor, policy=self.policy, postings=postings)
        self.progress("Ledger", len(postings), len(postings))
        self.counts.update(self.matched.ledger.counts)
