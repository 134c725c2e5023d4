"""Random sequences of spends, reversals, approvals, rejections and raised caps against
one household, compared step by step with a model of a few lines: what remains never
goes below zero, the stored balance always equals the model's, and the integrity check
finds nothing. On both databases."""

from __future__ import annotations

from dataclasses import dataclass, field

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import DataError, FieldError, Forbidden
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.posting import decide_spend, household_ledger, raise_cap, reverse_spend
from hiw_tui.domain.budget import CapInput, DecisionInput, ReversalInput
from tests.helpers.clock import TODAY
from tests.helpers.factories import CAP, POLICY, THRESHOLD, person_input, register, spend
from tests.helpers.staff import Staff


@dataclass
class Model:
    """The budget as plain arithmetic: each entry's amount, state and who entered it."""

    cap: int = CAP
    entries: dict[int, tuple[int, str, int]] = field(default_factory=dict)

    def total(self, state: str) -> int:
        return sum(amount for amount, kind, _ in self.entries.values() if kind == state)

    @property
    def remaining(self) -> int:
        return self.cap - self.total("counted") - self.total("pending")

    def with_state(self, state: str) -> list[int]:
        return [key for key, (_, kind, _) in self.entries.items() if kind == state]


def test_the_ledger_matches_a_simple_model(database: Database, staff: Staff) -> None:
    supervisor, manager, ada = staff.liverpool_supervisor, staff.manager, staff.ada

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            household = register(database, manager, ada, person_input())
            self.household, self.reference = household.id, household.reference
            self.model = Model()

        @rule(
            amount=st.one_of(st.integers(1, THRESHOLD), st.integers(THRESHOLD + 1, 60_000)),
            by_supervisor=st.booleans(),
        )
        def spend(self, amount: int, by_supervisor: bool) -> None:
            actor = supervisor if by_supervisor else ada
            if amount > self.model.remaining:
                try:
                    spend(database, actor, self.household, amount)
                    raise AssertionError("an overspend was accepted")
                except FieldError:
                    return
            view = spend(database, actor, self.household, amount)
            entry = max(line.id for line in view.lines if line.kind == "spend")
            state = "pending" if amount > THRESHOLD else "counted"
            self.model.entries[entry] = (amount, state, actor.id)

        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            counted, every = self.model.with_state("counted"), sorted(self.model.entries)
            pool = data.draw(st.sampled_from([counted, every]))
            if not pool:
                return
            entry = data.draw(st.sampled_from(pool))
            amount, state, by = self.model.entries[entry]
            try:
                database.write(
                    reverse_spend,
                    actor=ada,
                    household_id=self.household,
                    entry_id=entry,
                    data=ReversalInput(reason="Wrong amount"),
                    today=TODAY,
                    policy=POLICY,
                )
            except DataError:
                assert state != "counted"
                return
            assert state == "counted"
            self.model.entries[entry] = (amount, "reversed", by)

        @rule(data=st.data(), approve=st.booleans(), by_enterer=st.booleans())
        def decide(self, data: st.DataObject, approve: bool, by_enterer: bool) -> None:
            """Mostly a waiting spend; now and then any entry (which must be refused)."""
            waiting, every = self.model.with_state("pending"), sorted(self.model.entries)
            pool = data.draw(st.sampled_from([waiting, waiting, every]))
            if not pool:
                return
            entry = data.draw(st.sampled_from(pool))
            amount, state, by = self.model.entries[entry]
            decider: UserPublic = manager if by == supervisor.id else supervisor
            if by_enterer and by == supervisor.id:
                decider = supervisor
            choice = {"decision": "approved" if approve else "rejected", "note": "Checked"}
            try:
                database.write(
                    decide_spend,
                    actor=decider,
                    entry_id=entry,
                    data=DecisionInput.model_validate(choice),
                    policy=POLICY,
                )
            except Forbidden:
                assert decider.id == by
                return
            except DataError:
                assert state != "pending"
                return
            assert state == "pending" and decider.id != by
            self.model.entries[entry] = (amount, "counted" if approve else "rejected", by)

        @rule(extra=st.integers(1, 50_000))
        def raise_the_cap(self, extra: int) -> None:
            data = CapInput(cap=self.model.cap + extra, reason="More needed")
            database.write(
                raise_cap,
                actor=supervisor,
                household_id=self.household,
                data=data,
                policy=POLICY,
            )
            self.model.cap += extra

        @invariant()
        def balances_agree(self) -> None:
            view = database.write(
                household_ledger,
                actor=ada,
                household_id=self.household,
                policy=POLICY,
                audited=False,
            )
            model = self.model
            assert view.balance.remaining >= 0
            assert (view.cap, view.spent, view.committed) == (
                model.cap,
                model.total("counted"),
                model.total("pending"),
            )
            assert not view.lines or view.lines[-1].left == model.remaining
            problems = database.read(check_ledger)
            assert [p for p in problems if p.startswith(f"{self.reference}:")] == []

    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
