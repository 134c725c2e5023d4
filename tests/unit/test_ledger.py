"""The support-budget ledger in the database: spends, the cap, approvals, reversals,
raised caps, the append-only triggers, the integrity check and the spend report, on
both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError, IntegrityError

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import DataError, FieldError, Forbidden, NotFound
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.models import LedgerEntry, LedgerView
from hiw_tui.db.ledger.posting import (
    decide_spend,
    household_ledger,
    pending_spends,
    raise_cap,
    reverse_spend,
)
from hiw_tui.domain.budget import CapInput, DecisionInput, ReversalInput
from hiw_tui.reports.queries.spend import spend_report
from tests.helpers.clock import TODAY
from tests.helpers.factories import CAP, POLICY, person_input, register, spend
from tests.helpers.staff import Staff


@pytest.fixture
def household(database: Database, staff: Staff) -> HouseholdPublic:
    return register(database, staff.manager, staff.ada, person_input())


def _ledger(database: Database, actor: UserPublic, household_id: int) -> LedgerView:
    return database.write(household_ledger, actor=actor, household_id=household_id, policy=POLICY)


def _decide(database: Database, actor: UserPublic, entry_id: int, decision: str, note: str = ""):  # type: ignore[no-untyped-def]
    data = DecisionInput.model_validate({"decision": decision, "note": note})
    return database.write(decide_spend, actor=actor, entry_id=entry_id, data=data, policy=POLICY)


def _reverse(database: Database, actor: UserPublic, household_id: int, entry_id: int):  # type: ignore[no-untyped-def]
    return database.write(
        reverse_spend,
        actor=actor,
        household_id=household_id,
        entry_id=entry_id,
        data=ReversalInput(reason="Keyed twice"),
        today=TODAY,
        policy=POLICY,
    )


def _spends(view: LedgerView) -> list[int]:
    return [line.id for line in view.lines if line.kind == "spend"]


def test_an_unopened_budget_shows_the_default_cap(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    view = _ledger(database, staff.ada, household.id)
    assert (view.opened, view.balance.remaining, view.lines) == (False, CAP, ())


def test_a_spend_opens_the_budget_and_the_register_runs_a_balance(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    spend(database, staff.ada, household.id, "12.50")
    view = spend(database, staff.ada, household.id, "£30")
    assert view.opened
    assert (view.spent, view.committed, view.balance.remaining) == (4250, 0, CAP - 4250)
    assert [(line.kind, line.change, line.left) for line in view.lines] == [
        ("cap", CAP, CAP),
        ("spend", -1250, CAP - 1250),
        ("spend", -3000, CAP - 4250),
    ]
    assert view.lines[1].entered_by_name == "Ada Adv"


def test_a_spend_beyond_what_remains_is_refused_and_nothing_is_written(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    spend(database, staff.ada, household.id, "200")
    spend(database, staff.ada, household.id, "240")
    spend(database, staff.ada, household.id, "250")
    with pytest.raises(FieldError) as refused:
        spend(database, staff.ada, household.id, "310.01")
    assert refused.value.field == "amount"
    assert "Only £310.00 of this household's budget remains" in refused.value.message
    view = spend(database, staff.ada, household.id, "310")
    assert view.balance.remaining == 0
    assert len(_spends(view)) == 4


def test_a_large_spend_waits_holds_its_money_and_needs_another_supervisor(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    view = spend(database, staff.liverpool_supervisor, household.id, "600")
    [waiting] = view.lines[1:]
    assert waiting.pending and (view.committed, view.spent) == (60_000, 0)
    with pytest.raises(FieldError, match=r"£600\.00 waiting for approval"):
        spend(database, staff.ada, household.id, "400.01")
    with pytest.raises(Forbidden, match="another supervisor"):
        _decide(database, staff.liverpool_supervisor, waiting.id, "approved")
    with pytest.raises(Forbidden, match="Only a supervisor"):
        _decide(database, staff.ada, waiting.id, "approved")
    assert pending_spends_of(database, staff.manager) == [waiting.id]
    view = _decide(database, staff.manager, waiting.id, "approved")
    assert (view.committed, view.spent, view.lines[1].decided_by_name) == (0, 60_000, "Pat Manager")
    with pytest.raises(DataError, match="already been decided"):
        _decide(database, staff.manager, waiting.id, "rejected", "Too much")
    assert pending_spends_of(database, staff.manager) == []


def test_exactly_the_threshold_is_spent_at_once(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    view = spend(database, staff.ada, household.id, "250.00")
    assert (view.spent, view.committed) == (25_000, 0)
    view = spend(database, staff.ada, household.id, "250.01")
    assert (view.spent, view.committed) == (25_000, 25_001)


def test_a_rejected_spend_frees_its_money_and_cannot_be_reversed(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    [entry] = _spends(spend(database, staff.ada, household.id, "900"))
    with pytest.raises(ValueError, match="Say why"):
        DecisionInput.model_validate({"decision": "rejected"})
    view = _decide(database, staff.liverpool_supervisor, entry, "rejected", "Not eligible")
    assert (view.spent, view.committed, view.lines[-1].change, view.lines[-1].left) == (
        0,
        0,
        0,
        CAP,
    )
    with pytest.raises(DataError, match="decided, not reversed"):
        _reverse(database, staff.ada, household.id, entry)


def test_a_reversal_gives_back_once_and_only_once(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    [entry] = _spends(spend(database, staff.ada, household.id, "45.99"))
    view = _reverse(database, staff.ada, household.id, entry)
    reversal = view.lines[-1]
    assert (reversal.kind, reversal.reverses_id, reversal.change, reversal.left) == (
        "reversal",
        entry,
        4599,
        CAP,
    )
    assert (reversal.reason, view.lines[1].reversed_by_id, view.spent) == (
        "Keyed twice",
        reversal.id,
        0,
    )
    with pytest.raises(DataError, match="already been reversed"):
        _reverse(database, staff.ada, household.id, entry)
    with pytest.raises(NotFound):
        _reverse(database, staff.ada, household.id, reversal.id)


def test_saving_a_spend_twice_with_one_key_makes_one_entry(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    spend(database, staff.ada, household.id, "20", key="form-1")
    view = spend(database, staff.ada, household.id, "20", key="form-1")
    assert (len(_spends(view)), view.spent) == (1, 2000)
    with pytest.raises(DataError, match="different spend"):
        spend(database, staff.ada, household.id, "21", key="form-1")


def test_a_supervisor_raises_a_cap_with_a_reason_and_it_is_audited(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    def raise_to(actor: UserPublic, amount: str) -> LedgerView:
        data = CapInput.model_validate({"cap": amount, "reason": "Cooker and beds"})
        return database.write(
            raise_cap, actor=actor, household_id=household.id, data=data, policy=POLICY
        )

    with pytest.raises(Forbidden):
        raise_to(staff.ada, "1200")
    with pytest.raises(FieldError, match=r"The cap is £1,000\.00"):
        raise_to(staff.liverpool_supervisor, "1000")
    view = raise_to(staff.liverpool_supervisor, "1,200")
    assert (view.cap, view.balance.remaining) == (120_000, 120_000)
    assert [(line.kind, line.change, line.reason) for line in view.lines][-1] == (
        "cap",
        20_000,
        "Cooker and beds",
    )
    with database.engine.connect() as connection:
        changes = connection.execute(
            sql("SELECT changes FROM audit_event WHERE action = 'raise'")
        ).scalar_one()
    assert "Cooker and beds" in str(changes) and "120000" in str(changes)


def test_a_household_outside_the_caseload_cannot_be_spent_from(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    with pytest.raises(NotFound):
        spend(database, staff.cal, household.id, "5")
    with pytest.raises(NotFound):
        _ledger(database, staff.wirral_supervisor, household.id)


def test_a_spend_for_someone_outside_the_household_is_refused(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    other = register(database, staff.manager, staff.ada, person_input(given_name="Jo"))
    with pytest.raises(FieldError) as refused:
        spend(database, staff.ada, household.id, "5", person_id=other.members[0].id)
    assert refused.value.field == "person_id"


@pytest.mark.parametrize("table", ["ledger_entry", "ledger_decision", "budget_cap"])
def test_the_database_refuses_to_change_or_delete_ledger_rows(
    database: Database, staff: Staff, household: HouseholdPublic, table: str
) -> None:
    [entry] = _spends(spend(database, staff.ada, household.id, "300"))
    _decide(database, staff.liverpool_supervisor, entry, "approved")
    column = {"ledger_entry": "payee", "ledger_decision": "note", "budget_cap": "reason"}[table]
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as c:
            c.execute(sql(statement))
    assert _ledger(database, staff.ada, household.id).lines[1].payee == "Anfield Co-op"


def test_the_budget_row_itself_can_never_show_an_overspend(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    spend(database, staff.ada, household.id, "5")
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(sql("UPDATE budget SET spent_pence = cap_pence + 1"))


def test_the_check_finds_a_tampered_budget(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    [entry] = _spends(spend(database, staff.ada, household.id, "300"))
    spend(database, staff.ada, household.id, "20")
    _decide(database, staff.liverpool_supervisor, entry, "approved")
    _reverse(database, staff.ada, household.id, entry)
    assert database.read(check_ledger) == []
    with database.engine.begin() as connection:
        connection.execute(sql("UPDATE budget SET spent_pence = 1000, cap_pence = 99000"))
    assert database.read(check_ledger) == [
        f"{household.reference}: cap is kept as £990.00 but its rows say £1,000.00",
        f"{household.reference}: spent is kept as £10.00 but its rows say £20.00",
    ]


def test_the_spend_report_groups_nets_reversals_and_keeps_to_scope(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    wirral = register(database, staff.manager, staff.cal, person_input(postcode="CH41 2AB"))
    spend(database, staff.ada, household.id, "10", spent_on=date(2026, 2, 3))
    view = spend(
        database, staff.ada, household.id, "7.20", category="travel", spent_on=date(2026, 2, 9)
    )
    travel = _spends(view)[-1]
    spend(database, staff.ada, household.id, "300", spent_on=date(2026, 3, 1))
    spend(database, staff.cal, wirral.id, "40")
    _reverse(database, staff.ada, household.id, travel)
    rows = database.read(spend_report, actor=staff.ada)
    assert [(r.month, r.category, r.entries, r.spent, r.waiting) for r in rows] == [
        ("2026-02", "food", 1, 1000, 0),
        ("2026-02", "travel", 1, 720, 0),
        ("2026-03", "food", 1, 0, 30_000),
        ("2026-03", "travel", 0, -720, 0),
    ]
    assert {r.advocate for r in rows} == {"ada.adv"}
    everyone = database.read(spend_report, actor=staff.manager, local_authority="wirral")
    assert [(r.advocate, r.spent) for r in everyone] == [("cal.adv", 4000)]
    february = database.read(
        spend_report, actor=staff.manager, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)
    )
    assert sum(r.spent for r in february) == 1720


def test_opening_the_ledger_is_audited_as_a_view(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    database.write(open_household, actor=staff.ada, household_id=household.id)
    _ledger(database, staff.ada, household.id)
    with database.engine.connect() as connection:
        entities = (
            connection.execute(
                sql("SELECT entity FROM audit_event WHERE action = 'view' ORDER BY id")
            )
            .scalars()
            .all()
        )
    assert entities == ["household", "ledger"]


def pending_spends_of(database: Database, actor: UserPublic) -> list[int]:
    return [item.id for item in database.read(pending_spends, actor=actor)]


def test_the_check_finds_rows_without_their_budget(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    other = register(database, staff.manager, staff.ada, person_input(given_name="Jo"))
    spend(database, staff.ada, household.id, "5")
    spend(database, staff.ada, other.id, "5")
    with database.engine.begin() as connection:
        connection.execute(sql("DELETE FROM budget WHERE household_id = :id"), {"id": other.id})
    assert database.read(check_ledger) == [f"{other.reference}: has ledger rows but no budget"]


def test_a_household_that_has_left_takes_no_new_spends(database: Database, staff: Staff) -> None:
    left = register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        status="exited",
        end_date=date(2026, 3, 1),
    )
    with pytest.raises(DataError, match="left the programme"):
        spend(database, staff.ada, left.id, "5")
    assert _ledger(database, staff.ada, left.id).lines == ()


def test_the_approvals_queue_is_in_the_order_the_spends_were_entered(
    database: Database, staff: Staff, household: HouseholdPublic
) -> None:
    """Longest waiting first, by when each was entered, not by its row's id: an import
    or the demo writes rows whose entry times are not in the order of their ids."""
    spend(database, staff.ada, household.id, "300")
    spend(database, staff.ada, household.id, "260")
    with database.engine.begin() as connection:
        first = (
            connection.execute(select(LedgerEntry.__table__).order_by(sql("id"))).mappings().first()
        )
        assert first is not None
        earlier = {key: value for key, value in first.items() if key != "id"} | {
            "idempotency_key": "entered-earlier",
            "entered_at": first["entered_at"] - timedelta(days=1),
        }
        connection.execute(insert(LedgerEntry.__table__).values(**earlier))
    waiting = database.read(pending_spends, actor=staff.manager)
    assert [item.entered_at for item in waiting] == sorted(item.entered_at for item in waiting)
    assert len(waiting) == 3
