"""The support budget driven through the app: a spend typed in a few keys, amounts
refused beside the field, a double Ctrl+S, a reversal, and a supervisor's approval."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Input

from hiw_tui.db.ledger.models import LedgerView
from hiw_tui.db.ledger.posting import decide_spend, household_ledger
from hiw_tui.domain.budget import DecisionInput
from hiw_tui.domain.dates import local_time
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.ledger.approvals import ApprovalsScreen
from hiw_tui.screens.ledger.ledger import LedgerScreen
from hiw_tui.screens.ledger.ledger_forms import CapForm, SpendForm
from tests.helpers.factories import CAP, POLICY, spend
from tests.helpers.pilot import SIZE, fill, lines_with, open_household, save, screen_text, settle
from tests.helpers.world import World


def _ledger(world: World, index: int = 1) -> LedgerView:
    return world.database.write(
        household_ledger,
        actor=world.staff.manager,
        household_id=world.households[index].id,
        policy=POLICY,
        audited=False,
    )


async def _at_ledger(pilot: Pilot[None], *keys: str) -> None:
    """From the list, open HH-001's ledger and press `keys` there."""
    await open_household(pilot)
    await pilot.press("b", *keys)
    await settle(pilot)


def _settings() -> dict[str, int]:
    return {"budget_cap_pence": CAP, "approval_threshold_pence": 25_000}


async def test_an_empty_queue_says_so_where_its_rows_would_be(world: World) -> None:
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        [headings] = [n for n, line in enumerate(lines) if line.startswith(" Ref ")]
        assert lines[headings + 1].strip() == "No spend is waiting for approval."


async def test_a_spend_in_a_few_keys_and_bad_amounts_refused_beside_the_field(
    world: World,
) -> None:
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "n")
        assert isinstance(app.screen, SpendForm)
        for typed, message in (
            ("12.505", "At most two decimal places"),
            ("-12", "without a minus sign"),
            ("twelve", "Not an amount"),
        ):
            app.screen.query_one("#amount", Input).value = typed
            fill(pilot, category="food")
            await pilot.press("tab", *"Anfield Co-op")
            await save(pilot)
            assert isinstance(app.screen, SpendForm)
            assert lines_with(app, message)
            assert app.screen.query_one("#field-amount").has_class("-invalid")
            app.screen.query_one("#payee", Input).value = ""
        assert _ledger(world).lines == ()
        app.screen.query_one("#amount", Input).value = ""
        app.screen.query_one("#amount", Input).focus()
        await pilot.press(*"£12.50", "tab")
        fill(pilot, category="food")
        await pilot.press("tab", *"Anfield Co-op", "tab", *"Weekly shop")
        assert lines_with(app, "✓ £987.50 left after this")
        await save(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert lines_with(app, "£987.50 left of £1,000.00 (£12.50 spent)")
        assert "-£12.50" in lines_with(app, "Food: Anfield Co-op")[0]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert lines_with(app, "£987.50 left of £1,000.00")
    [opening, entry] = _ledger(world).lines
    assert (opening.kind, entry.amount, entry.description) == ("cap", 1250, "Weekly shop")


async def test_a_double_save_and_an_overspend_write_nothing_twice(world: World) -> None:
    household = world.households[1]
    spend(world.database, world.staff.ada, household.id, "980")
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "n")
        fill(pilot, amount="20.01", category="travel", payee="Merseyrail")
        await save(pilot)
        assert lines_with(app, "✗ Only £20.00 of this household's budget remains")
        fill(pilot, amount="5")
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
    spends = [line for line in _ledger(world).lines if line.kind == "spend"]
    assert [line.amount for line in spends] == [98_000, 500]


async def test_an_overspend_stays_marked_while_other_fields_are_missing(world: World) -> None:
    household = world.households[1]
    spend(world.database, world.staff.ada, household.id, "980")
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "n")
        fill(pilot, amount="20.01")
        await save(pilot)  # no category nor payee yet
        assert lines_with(app, "✗ Only £20.00 of this household's budget remains")
        assert lines_with(app, "A supervisor can raise the cap: C on the ledger.")
        assert not lines_with(app, "£20.00 left")  # said once, beside the amount
        assert app.screen.query_one("#field-category").has_class("-invalid")
        assert app.focused is app.screen.query_one("#amount")
        assert lines_with(app, "Please correct the marked fields")
        fill(pilot, amount="5", category="travel", payee="Merseyrail")
        await settle(pilot)
        assert not lines_with(app, "Please correct the marked fields")  # none is marked


async def test_a_spend_is_reversed_once_with_a_reason(world: World) -> None:
    household = world.households[1]
    spend(world.database, world.staff.ada, household.id, "45.99", payee="Argos")
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "r")
        await save(pilot)
        assert lines_with(app, "✗ This is required.")
        await pilot.press(*"Keyed on the wrong household")
        await save(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert "reversal" in lines_with(app, "+£45.99")[0]
        assert lines_with(app, "£1,000.00 left of £1,000.00")
        await pilot.press("j", "r")  # the reversed spend: nothing to reverse again
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert "↺ reversed" in lines_with(app, "-£45.99")[0]
    assert [line.kind for line in _ledger(world).lines] == ["cap", "spend", "reversal"]


async def test_a_supervisor_approves_a_spend_someone_else_entered(world: World) -> None:
    household = world.households[1]
    spend(world.database, world.staff.ada, household.id, "300", payee="Dreams Beds")
    spend(world.database, world.staff.liverpool_supervisor, household.id, "260", payee="Currys")
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    left = "£440.00 left of £1,000.00 (£0.00 spent, £560.00 waiting)"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        assert "(you)" in lines_with(app, "Currys")[0]
        assert lines_with(app, f"HH-001's budget: {left}")  # what it is decided against
        await pilot.press("j", "a")  # their own spend: a colleague decides it
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        await pilot.press("k", "a")
        await settle(pilot)
        assert lines_with(app, "HH-001's budget now:") and lines_with(app, left)
        await save(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        assert not lines_with(app, "Food: Dreams Beds")
        assert lines_with(app, "Food: Currys")
        said = [str(toast.message) for toast in app._notifications]
        assert (
            "Approved: £300.00 for HH-001, paid to Dreams Beds. "
            "Budget: £440.00 left of £1,000.00 (£300.00 spent, £260.00 waiting)"
        ) in said
    view = _ledger(world)
    assert (view.spent, view.committed) == (30_000, 26_000)
    assert view.lines[1].decided_by_name == "Sam Super"


async def test_the_ledger_says_who_rejected_a_spend_and_why(world: World) -> None:
    """At 80x24, with a spend described at length: the reason was below what the detail
    pane showed, so the advocate never learnt why."""
    household = world.households[1]
    view = spend(
        world.database,
        world.staff.ada,
        household.id,
        "300",
        payee="Dreams Beds Liverpool One",
        description="A bed and mattress for the younger son, who sleeps on the sofa",
    )
    note = "Use the furniture scheme's free beds first, then ask again"
    world.database.write(
        decide_spend,
        actor=world.staff.liverpool_supervisor,
        entry_id=view.lines[-1].id,
        data=DecisionInput.model_validate({"decision": "rejected", "note": note}),
        policy=POLICY,
    )
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot)
        assert "✗ rejected" in lines_with(app, "Food: Dreams Beds")[0]
        assert f"Rejected by Sam Super: {note}" in " ".join(screen_text(app).split())
        assert lines_with(app, "Entered by Ada Adv")


async def test_a_supervisor_cannot_decide_their_own_spend_on_the_ledger(world: World) -> None:
    household = world.households[1]
    spend(world.database, world.staff.liverpool_supervisor, household.id, "300", payee="Currys")
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _at_ledger(pilot, "a")
        assert isinstance(app.screen, LedgerScreen)  # no decision form
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert toasts == ["You entered this spend: a colleague decides it."]


async def test_back_from_the_ledger_the_record_is_not_audited_as_a_second_view(
    world: World,
) -> None:
    app = world.app(world.staff.ada, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot)
        spend(world.database, world.staff.ada, world.households[1].id, "8")
        await pilot.press("escape")
        await settle(pilot)
        assert lines_with(app, "£992.00 left of £1,000.00")
    with world.database.engine.connect() as connection:
        views = connection.execute(
            text("SELECT entity FROM audit_event WHERE action = 'view' ORDER BY id")
        ).scalars()
        assert list(views) == ["household", "ledger"]


async def test_a_cap_no_higher_than_the_current_one_is_refused_beside_the_field(
    world: World,
) -> None:
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "C")
        assert isinstance(app.screen, CapForm)
        fill(pilot, cap="500", reason="A smaller budget")
        await save(pilot)
        assert isinstance(app.screen, CapForm)
        assert app.screen.query_one("#field-cap").has_class("-invalid")
        assert lines_with(app, "✗ The cap is £1,000.00: enter a higher one.")
    assert [line.kind for line in _ledger(world).lines] == []


async def test_rejecting_a_spend_the_reason_typed_at_once_is_its_note(world: World) -> None:
    spend(world.database, world.staff.ada, world.households[1].id, "300", payee="Dreams Beds")
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot, "x", *"Second quote", "ctrl+s")
        assert isinstance(app.screen, LedgerScreen)
        assert lines_with(app, "Rejected by Sam Super: Second quote")


async def test_a_spends_payee_shows_whole_in_the_detail_below_the_ledger(world: World) -> None:
    payee = "Liverpool Community College Training Services Ltd (Forklift Division)"
    spend(
        world.database,
        world.staff.ada,
        world.households[1].id,
        "300",
        payee=payee,
        description="Forklift course",
    )
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _at_ledger(pilot)
        assert "Community College Training Services" in " ".join(screen_text(app).split())
        assert lines_with(app, "Food: Forklift course  paid to Liverpool")  # what it was for
        await pilot.press("escape", "escape", "A")
        await settle(pilot)
        assert "Community College Training Services" in " ".join(screen_text(app).split())


async def test_the_queue_shows_the_day_each_spend_was_entered_longest_waiting_first(
    world: World,
) -> None:
    """A spend may be dated before the one entered ahead of it: the queue's date is the
    day it was entered, so its order reads as it says; the spend's own date is below."""
    household = world.households[1]
    for amount, payee, day in (("300", "Dreams Beds", 12), ("260", "Currys", 1)):
        spent_on = date(2026, 3, day)
        spend(world.database, world.staff.ada, household.id, amount, payee=payee, spent_on=spent_on)
    app = world.app(world.staff.liverpool_supervisor, **_settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        dates = re.findall(r"^ HH-\d+ +(\d{4}-\d\d-\d\d)", screen_text(app), re.MULTILINE)
        assert dates == [local_time(datetime.now(UTC))[:10]] * 2
        assert "Spent on 2026-03-12" in screen_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert "Spent on 2026-03-01" in screen_text(app)
