"""An import's ledger rows in the order they are posted, each checked against its budget
as it will be when it is posted, before anything is written.

The order: caps.csv's caps (in the file's order), then households.csv's budget_cap where
it opens a budget or raises its cap, then ledger.csv's rows: those that say when they
were entered (an export's) in the file's order, the order they were made in; then those
that do not (a CRM's) by household and date, spends before reversals on a day. A spend
that waited and was decided is followed at once by its decision. Caps only rise, an
approval moves nothing and a rejection gives back, so a ledger that kept within its
budgets as it was made keeps within them again.

A row held already (by its reference, or by its idempotency key) is never changed: a
row whose cells differ from the entry held is a problem, as a correction is a
reversal. Only a spend held as waiting that the file gives as approved or rejected
moves on: its decision is appended (an update).
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hiw_tui.db.ledger.posting import OPENING_REASON
from hiw_tui.domain.budget import Balance, BudgetPolicy
from hiw_tui.domain.codes import BudgetCategory, Decision
from hiw_tui.domain.money import pounds
from hiw_tui.transfer.files import CAPS, HOUSEHOLDS, LEDGER
from hiw_tui.transfer.identity import paired
from hiw_tui.transfer.ledger.held import HeldCap, HeldEntry, same_cap, same_entry
from hiw_tui.transfer.ledger.records import DECIDED, WAITING, CapRecord, LedgerRecord
from hiw_tui.transfer.parse import Parsed
from hiw_tui.transfer.problems import Problem

CAP_REASON = "Set by an import"
"""The reason of a cap set by households.csv's budget_cap."""
REVERSAL_REASON = "Reversed in the area's records (import)"
"""The reason of an imported reversal that gives none."""
APPROVED = Decision.APPROVED.value


@dataclass(frozen=True)
class SetCap:
    """A cap set: a caps.csv row, or households.csv's budget_cap (`record` None)."""

    household_ref: str
    cap: int
    reason: str
    opens: bool
    record: CapRecord | None = None


@dataclass(frozen=True)
class AddEntry:
    record: LedgerRecord
    key: str
    """Its idempotency key."""
    reverses: int | LedgerRecord | None = None
    """What a reversal reverses: a held spend's id, or a spend of this import."""


@dataclass(frozen=True)
class Decide:
    record: LedgerRecord
    spend: int | LedgerRecord
    """The spend decided: a held one's id, or the row's own new entry."""


Step = SetCap | AddEntry | Decide


@dataclass
class Held:
    """What the database holds that the rows meet (see `hiw_tui.transfer.ledger.held`)."""

    budgets: dict[str, Balance]
    """Household ref -> its opened budget (locked until the import commits)."""
    entries: dict[int, HeldEntry]
    """The entries rows name or match, and the spends their `reverses` name."""
    named: dict[tuple[str, int], int]
    """(file, row) -> the id of the row held that the row's own reference names."""
    keys: dict[int, str]
    """ledger.csv row -> its idempotency key."""
    by_key: dict[str, int]
    """Idempotency key -> the id of the entry held with it."""
    targets: dict[str, int]
    """A `reverses` reference -> the id of the entry held with it."""
    open: list[tuple[int, str, int, str, date]]
    """(id, household ref, amount, category, date) of the counted spends held, not
    reversed, that a reversal without `reverses` may reverse."""
    caps: list[HeldCap]


@dataclass
class LedgerPlan:
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=lambda: {LEDGER.name: [0, 0, 0]})
    """file -> [created, updated, unchanged]: ledger.csv's, and caps.csv's if there is one."""


def spend_key(record: LedgerRecord, occurrence: int) -> str:
    """The idempotency key of an imported ledger row: the same row imported again (the
    n-th identical row of a household, if several) finds its entry instead of adding one."""
    data = record.data
    text = "|".join(
        str(part)
        for part in (
            record.household_ref,
            data.spent_on,
            "-" if record.reversal else "+",
            data.amount,
            data.category,
            data.description,
            record.needs_approval,
            occurrence,
        )
    )
    return "import:" + hashlib.sha256(text.encode()).hexdigest()[:48]


def spend_keys(records: Iterable[LedgerRecord]) -> dict[int, str]:
    """ledger.csv row -> the idempotency key of its entry."""
    seen: Counter[tuple[object, ...]] = Counter()
    keys = {}
    for record in records:
        data = record.data
        identity = (
            record.household_ref,
            data.spent_on,
            record.reversal,
            data.amount,
            data.category,
            data.description,
            record.needs_approval,
        )
        seen[identity] += 1
        keys[record.row] = spend_key(record, seen[identity])
    return keys


def plan_ledger(
    parsed: Parsed, held: Held, bad: dict[str, set[int]], policy: BudgetPolicy, importer: str
) -> LedgerPlan:
    """The steps that write the good rows of caps.csv and ledger.csv (those not in
    `bad`), and the problems of those that cannot be written. `importer` is the username
    of the user importing: who entered or decided a row that names nobody."""
    planner = _Planner(held, policy, importer)
    if CAPS.name in parsed.present:
        planner.plan.counts = {CAPS.name: [0, 0, 0], **planner.plan.counts}
    planner.caps([r for r in parsed.caps if r.row not in bad.get(CAPS.name, set())])
    bad_households = bad.get(HOUSEHOLDS.name, set())
    planner.household_caps(
        {
            r.data.reference: r.budget_cap
            for r in parsed.households
            if r.budget_cap and r.row not in bad_households
        }
    )
    planner.ledger(parsed.ledger, bad.get(LEDGER.name, set()))
    return planner.plan


def posting_order(records: Iterable[LedgerRecord]) -> list[LedgerRecord]:
    """Rows that say when they were entered in the file's order, then the others by
    household and date, spends before reversals on a day."""
    records = list(records)
    told = [r for r in records if r.entered_at is not None]
    untold = [r for r in records if r.entered_at is None]
    return told + sorted(
        untold, key=lambda r: (r.household_ref, r.data.spent_on, r.reversal, r.row)
    )


Candidate = tuple[date, int, int, int | LedgerRecord]
"""A spend a reversal without `reverses` may reverse: (date, 0 held or 1 this import's,
id or row, the spend), oldest first."""


class _Planner:
    def __init__(self, held: Held, policy: BudgetPolicy, importer: str) -> None:
        self.held, self.policy, self.importer = held, policy, importer
        self.plan = LedgerPlan()
        self.budgets = {ref: [b.cap, b.spent, b.committed] for ref, b in held.budgets.items()}
        """Household ref -> [cap, spent, committed] as the steps so far leave it."""
        self.reversed: set[int] = set()
        """Held spends reversed by this import."""
        self.reversed_rows: set[int] = set()
        """Rows of this import's spends that a later row reverses."""
        self.approved: set[int] = set()
        """Held spends approved by this import."""
        self.new: dict[str, LedgerRecord] = {}
        """This import's new entries so far, by their entry_ref."""
        self.matched: dict[str, int] = {}
        """The entries held that rows so far are, by the rows' entry_refs (an entry found
        by its idempotency key may be held under another reference)."""
        self.refused: set[str] = set()
        """The entry_refs of rows with a problem."""
        self.candidates: dict[tuple[str, int, str], list[Candidate]] = defaultdict(list)
        for entry_id, ref, amount, category, on in held.open:
            self.candidates[(ref, amount, category)].append((on, 0, entry_id, entry_id))
        for heap in self.candidates.values():
            heapq.heapify(heap)

    def _problem(self, file: str, row: int, column: str, reason: str) -> None:
        self.plan.problems.append(Problem(file, row, column, reason))

    def _count(self, file: str, which: int) -> None:
        self.plan.counts.setdefault(file, [0, 0, 0])[which] += 1

    # ---- caps ----

    def caps(self, records: list[CapRecord]) -> None:
        named = self.held.named
        by_id = {cap.id: cap for cap in self.held.caps}
        claimed = {named[(CAPS.name, r.row)] for r in records if (CAPS.name, r.row) in named}
        by_position = dict(
            paired(
                [cap for cap in self.held.caps if cap.id not in claimed],
                lambda cap: (cap.household_ref, cap.cap, cap.reason),
                (
                    ((r.household_ref, r.cap, r.reason), r.row)
                    for r in records
                    if (CAPS.name, r.row) not in named
                ),
            )
        )
        for record in records:
            cap_id = named.get((CAPS.name, record.row))
            held = by_id.get(cap_id) if cap_id is not None else by_position[record.row]
            if held is None:
                self._set_cap(record.household_ref, record.cap, record.reason, record)
                continue
            differs = [column for column, same in same_cap(record, held) if not same]
            for column in differs:
                reason = (
                    f"differs from the cap held ({held.ref}): caps are never changed: "
                    "a new cap is a new row"
                )
                self._problem(CAPS.name, record.row, column, reason)
            if not differs:
                self._count(CAPS.name, 2)

    def household_caps(self, caps: dict[str, int]) -> None:
        """households.csv's budget_cap: opens a budget (at the policy's cap if that is
        higher), or raises its cap if higher."""
        for ref, cap in sorted(caps.items()):
            budget = self.budgets.get(ref)
            if budget is None:
                opening = max(cap, self.policy.cap_pence)
                reason = OPENING_REASON if opening == self.policy.cap_pence else CAP_REASON
                self._set_cap(ref, opening, reason, None)
            elif cap > budget[0]:
                self._set_cap(ref, cap, CAP_REASON, None)

    def _set_cap(self, ref: str, cap: int, reason: str, record: CapRecord | None) -> None:
        budget = self.budgets.get(ref)
        if budget is not None and cap <= budget[0]:
            assert record is not None
            kept = pounds(budget[0])
            problem = f"{pounds(cap)} is not above {ref}'s cap of {kept}: caps only rise"
            self._problem(CAPS.name, record.row, "cap", problem)
            return
        if budget is None:
            self.budgets[ref] = [cap, 0, 0]
        else:
            budget[0] = cap
        self.plan.steps.append(SetCap(ref, cap, reason, budget is None, record))
        if record is not None:
            self._count(CAPS.name, 0)

    # ---- ledger rows ----

    def ledger(self, records: list[LedgerRecord], bad: set[int]) -> None:
        named, keys = self.held.named, self.held.keys
        claimed = {named[(LEDGER.name, r.row)] for r in records if (LEDGER.name, r.row) in named}
        self.refused = {r.ref for r in records if r.ref and r.row in bad}
        for record in posting_order(r for r in records if r.row not in bad):
            entry_id = named.get((LEDGER.name, record.row))
            if entry_id is None:
                entry_id = self.held.by_key.get(keys[record.row])
                if entry_id in claimed:
                    held_ref = self.held.entries[entry_id].ref
                    reason = f"the same as the entry held as {held_ref}, which another row names"
                    self._refuse(record, "entry_ref", reason)
                    continue
            if entry_id is not None:
                self._held_row(record, self.held.entries[entry_id])
            elif record.reversal:
                self._reversal(record)
            else:
                self._spend(record)

    def _refuse(self, record: LedgerRecord, column: str, reason: str) -> None:
        self._problem(LEDGER.name, record.row, column, reason)
        if record.ref:
            self.refused.add(record.ref)

    def _held_row(self, record: LedgerRecord, held: HeldEntry) -> None:
        differs = [column for column, same in same_entry(record, held) if not same]
        for column in differs:
            reason = (
                f"differs from the entry held ({held.ref}): ledger rows are never changed: "
                "a correction is a reversal"
            )
            self._refuse(record, column, reason)
        if differs:
            return
        if record.ref:
            self.matched[record.ref] = held.id
        if record.state not in DECIDED or held.decision is not None:
            self._count(LEDGER.name, 2)
            return
        if self._self_decided(record, held.entered_by):
            return
        budget = self.budgets[record.household_ref]
        budget[2] -= held.amount
        if record.state == APPROVED:
            budget[1] += held.amount
            self.approved.add(held.id)
            key = (held.household_ref, held.amount, held.category)
            heapq.heappush(self.candidates[key], (held.spent_on, 0, held.id, held.id))
        self.plan.steps.append(Decide(record, held.id))
        self._count(LEDGER.name, 1)

    def _self_decided(self, record: LedgerRecord, entered_by: str) -> bool:
        """Whether the row's spend would be decided by whoever entered it (a problem)."""
        if (record.decided_by or self.importer) != entered_by:
            return False
        reason = "a spend is decided by someone other than who entered it"
        self._refuse(record, "decided_by", reason)
        return True

    def _spend(self, record: LedgerRecord) -> None:
        ref, amount = record.household_ref, record.data.amount
        if record.state in DECIDED and self._self_decided(
            record, record.entered_by or self.importer
        ):
            return
        budget = self.budgets.setdefault(ref, [self.policy.cap_pence, 0, 0])
        cap, spent, committed = budget
        if spent + committed + amount > cap:
            left = cap - spent - committed
            reason = (
                f"{pounds(amount)} is more than the {pounds(left)} left "
                f"of {ref}'s {pounds(cap)} budget"
            )
            self._refuse(record, "amount", reason)
            return
        self.plan.steps.append(AddEntry(record, self.held.keys[record.row]))
        if record.state in DECIDED:
            self.plan.steps.append(Decide(record, record))
        if record.state == WAITING:
            budget[2] += amount
        elif record.state in ("", APPROVED):
            budget[1] += amount
            key = (ref, amount, record.data.category.value)
            heapq.heappush(self.candidates[key], (record.data.spent_on, 1, record.row, record))
        if record.ref:
            self.new[record.ref] = record
        self._count(LEDGER.name, 0)

    def _reversal(self, record: LedgerRecord) -> None:
        target = self._named(record) if record.reverses else self._oldest(record)
        if target is None:
            return
        if isinstance(target, int):
            self.reversed.add(target)
        else:
            self.reversed_rows.add(target.row)
        self.budgets[record.household_ref][1] -= record.data.amount
        self.plan.steps.append(AddEntry(record, self.held.keys[record.row], target))
        if record.ref:
            self.new[record.ref] = record
        self._count(LEDGER.name, 0)

    def _oldest(self, record: LedgerRecord) -> int | LedgerRecord | None:
        """The oldest spend of the row's household, amount and category that counts and
        is not reversed; None (a problem) if there is none."""
        data = record.data
        heap = self.candidates.get((record.household_ref, data.amount, data.category.value), [])
        while heap:
            target = heapq.heappop(heap)[3]
            if not self._is_reversed(target):
                return target
        what = f"{pounds(data.amount)} {data.category.label.lower()}"
        reason = f"no earlier {what} spend of {record.household_ref} to reverse"
        self._refuse(record, "amount", reason)
        return None

    def _is_reversed(self, target: int | LedgerRecord) -> bool:
        if isinstance(target, int):
            return target in self.reversed
        return target.row in self.reversed_rows

    def _named(self, record: LedgerRecord) -> int | LedgerRecord | None:
        """The spend `reverses` names, if a reversal may reverse it; else None (a problem)."""
        name = record.reverses
        new = self.new.get(name)
        entry_id = None if new is not None else self.held.targets.get(name, self.matched.get(name))
        held = self.held.entries.get(entry_id) if entry_id is not None else None
        target: int | LedgerRecord
        if new is not None:
            shape = (new.household_ref, new.reversal, new.data.amount, new.data.category.value)
            counts, reversed_here, target = new.state in ("", APPROVED), False, new
        elif held is not None:
            shape = (held.household_ref, held.reversal, held.amount, held.category)
            counts = not held.needs_approval or held.decision == APPROVED
            counts, reversed_here = counts or held.id in self.approved, held.reversed
            target = held.id
        else:
            reason = (
                f"{name}: its row in ledger.csv has a problem"
                if name in self.refused
                else f"no spend {name} before this row in ledger.csv, nor held here"
            )
            self._refuse(record, "reverses", reason)
            return None
        household_ref, reversal, amount, category = shape
        data = record.data
        problem = None
        if household_ref != record.household_ref:
            problem = "reverses", f"{name} is a spend of another household"
        elif reversal:
            problem = "reverses", f"{name} is a reversal, not a spend"
        elif not counts:
            problem = "reverses", f"{name} waits for approval or was rejected: it is not reversed"
        elif reversed_here or self._is_reversed(target):
            problem = "reverses", f"{name} is reversed already"
        elif (amount, category) != (data.amount, data.category.value):
            spend = f"{pounds(amount)} {BudgetCategory(category).label.lower()}"
            problem = "amount", f"{name} was {spend}: a reversal gives back the whole spend"
        if problem is not None:
            self._refuse(record, *problem)
            return None
        return target
