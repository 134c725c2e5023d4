"""The support-budget ledger through `hiw-tui export` and `hiw-tui import` with nothing
lost: caps and their history, payees, receipts, whom a spend was for, who entered it and
when, decisions (rejected spends too) and the spend each reversal reverses. An export
imported into an empty database gives the same registers and, exported again, the same
files; imported into its own database it changes nothing; ledger rows are never changed;
the budgets' totals stay what their rows say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.models import LedgerView
from hiw_tui.db.ledger.posting import decide_spend, household_ledger, raise_cap, reverse_spend
from hiw_tui.domain.budget import CapInput, DecisionInput, ReversalInput
from hiw_tui.domain.dates import as_utc
from hiw_tui.transfer.export import export_directory
from tests.helpers.clock import TODAY
from tests.helpers.database import row_counts, sqlite_copy
from tests.helpers.dataset import run_import
from tests.helpers.factories import POLICY, person_input, register, spend
from tests.helpers.staff import Staff, add_staff

HOUSEHOLDS_HEADER = (
    "household_ref,local_authority,advocate,status,referral_source,start_date,end_date\n"
)
LEDGER_TABLES = ("ledger_entry", "ledger_decision", "budget_cap")


@dataclass
class Ledgers:
    """Two households' budgets, made in the app."""

    first: HouseholdPublic
    second: HouseholdPublic
    waiting: int
    """The id of the first household's spend still waiting for approval."""


def _view(database: Database, actor: UserPublic, household_id: int) -> LedgerView:
    return database.write(household_ledger, actor=actor, household_id=household_id, policy=POLICY)


def _entry_id(view: LedgerView, amount: int, nth: int = 0) -> int:
    return [line.id for line in view.lines if line.kind == "spend" and line.amount == amount][nth]


def _decide(database: Database, actor: UserPublic, entry_id: int, decision: str, note: str) -> None:
    data = DecisionInput.model_validate({"decision": decision, "note": note})
    database.write(decide_spend, actor=actor, entry_id=entry_id, data=data, policy=POLICY)


def _reverse(database: Database, actor: UserPublic, household_id: int, entry_id: int) -> None:
    database.write(
        reverse_spend,
        actor=actor,
        household_id=household_id,
        entry_id=entry_id,
        data=ReversalInput(reason="Keyed twice"),
        today=TODAY,
        policy=POLICY,
    )


def _build(database: Database, staff: Staff) -> Ledgers:
    """An opening cap and a raise; spends for the household and for a member, with
    receipts; a spend waiting, one approved and one rejected; two identical spends, both
    reversed; and another household's spends entered in between."""
    ada, sam = staff.ada, staff.liverpool_supervisor
    first = register(
        database,
        ada,
        ada,
        person_input(),
        person_input(role="secondary", given_name="Al"),
    )
    second = register(database, ada, ada, person_input(given_name="Bo"))
    jo = first.members[0].id
    spend(database, ada, first.id, "45.00", person_id=jo, receipt_ref="R-0001")
    spend(database, ada, second.id, "12.34", category="phone_topup", payee="Top-up shop")
    spend(
        database,
        ada,
        first.id,
        "120.50",
        category="furniture",
        payee="Reuse Centre",
        description="Second-hand cooker",
        spent_on=date(2026, 2, 20),
    )
    database.write(
        raise_cap,
        actor=sam,
        household_id=first.id,
        data=CapInput(cap="1500", reason="Beds for the children"),
        policy=POLICY,
    )
    approved = spend(database, ada, first.id, "400.00", category="bedding")
    _decide(database, sam, _entry_id(approved, 40_000), "approved", "")
    rejected = spend(database, ada, first.id, "260.00", category="clothing")
    _decide(database, sam, _entry_id(rejected, 26_000), "rejected", "Not eligible")
    for _ in range(2):
        spend(database, ada, first.id, "20.00", category="travel", description="Bus pass")
    view = spend(database, ada, second.id, "8.00", category="travel", spent_on=date(2026, 3, 1))
    view = _view(database, ada, first.id)
    for nth in (1, 0):
        _reverse(database, ada, first.id, _entry_id(view, 2_000, nth))
    waiting = spend(database, ada, first.id, "300.00", category="furniture", payee="Beds Ltd")
    return Ledgers(first, second, _entry_id(waiting, 30_000))


def _shape(view: LedgerView) -> dict[str, Any]:
    """A register as a user sees it, its rows' ids replaced by their order (each kind of
    row numbered apart, as each has its own ids), its times in UTC (SQLite hands them
    back without their zone)."""
    order = {
        (kind, row_id): position
        for kind in ("cap", "entry")
        for position, row_id in enumerate(
            sorted(line.id for line in view.lines if (line.kind == "cap") == (kind == "cap"))
        )
    }

    def entry(row_id: int | None) -> int | None:
        return None if row_id is None else order[("entry", row_id)]

    lines = [
        line.model_dump(exclude={"id", "entered_by", "reverses_id", "reversed_by_id"})
        | {
            "order": order[("cap" if line.kind == "cap" else "entry", line.id)],
            "entered_at": as_utc(line.entered_at).astimezone(UTC),
            "reverses": entry(line.reverses_id),
            "reversed_by": entry(line.reversed_by_id),
        }
        for line in view.lines
    ]
    return view.model_dump(exclude={"household_id", "lines"}) | {"lines": lines}


def _rows(database: Database) -> dict[str, int]:
    return row_counts(database, LEDGER_TABLES)


def _empty(sqlite_template: Path, folder: Path) -> tuple[Database, Staff]:
    folder.mkdir()
    empty = sqlite_copy(sqlite_template, folder)
    return empty, add_staff(empty)


def test_export_then_import_into_an_empty_database_keeps_every_ledger_row(
    database: Database, staff: Staff, tmp_path: Path, sqlite_template: Path
) -> None:
    made = _build(database, staff)
    exported = tmp_path / "export"
    counts = database.write(export_directory, actor=staff.manager, folder=exported)
    assert (counts["caps.csv"], counts["ledger.csv"]) == (3, 11)
    empty, empty_staff = _empty(sqlite_template, tmp_path / "empty")
    result = run_import(empty, empty_staff.manager, exported)
    assert result.problems == [] and result.written
    assert (result.counts["caps.csv"], result.counts["ledger.csv"]) == ([3, 0, 0], [11, 0, 0])
    assert empty.read(check_ledger) == []
    again = tmp_path / "again"
    empty.write(export_directory, actor=empty_staff.manager, folder=again)
    for name in ("ledger.csv", "caps.csv", "households.csv"):
        assert (again / name).read_bytes() == (exported / name).read_bytes(), name
    for household in (made.first, made.second):
        imported = _view(empty, empty_staff.manager, _household_id(empty, household.reference))
        assert _shape(imported) == _shape(_view(database, staff.manager, household.id))
    view = _view(empty, empty_staff.manager, _household_id(empty, made.first.reference))
    assert (view.cap, view.spent, view.committed) == (150_000, 56_550, 30_000)
    assert [line.payee for line in view.lines if line.kind == "spend"][:2] == [
        "Anfield Co-op",
        "Reuse Centre",
    ]
    assert view.lines[1].person_name == "Jo Bloggs" and view.lines[1].receipt_ref == "R-0001"
    assert [line.decision_note for line in view.lines if line.decision] == ["", "Not eligible"]
    empty.dispose()


def _household_id(database: Database, reference: str) -> int:
    def find(session: Any) -> int:
        statement = text("SELECT id FROM household WHERE reference = :ref")
        return int(session.execute(statement, {"ref": reference}).scalar_one())

    return int(database.read(find))


def test_an_export_imported_into_its_own_database_changes_nothing(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _build(database, staff)
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    before = _rows(database)
    result = run_import(database, staff.manager, exported)
    assert result.problems == [] and result.written
    assert (result.counts["caps.csv"], result.counts["ledger.csv"]) == ([0, 0, 3], [0, 0, 11])
    assert _rows(database) == before
    assert database.read(check_ledger) == []


def test_a_spend_decided_since_the_last_export_is_decided_by_the_next(
    database: Database, staff: Staff, tmp_path: Path, sqlite_template: Path
) -> None:
    """Only a decision moves a held row on: the spend waiting in the copy is approved
    there as it was here, and nothing else changes."""
    made = _build(database, staff)
    database.write(export_directory, actor=staff.manager, folder=tmp_path / "before")
    copy, copy_staff = _empty(sqlite_template, tmp_path / "copy")
    assert run_import(copy, copy_staff.manager, tmp_path / "before").written
    _decide(database, staff.manager, made.waiting, "approved", "Quote checked")
    database.write(export_directory, actor=staff.manager, folder=tmp_path / "after")
    result = run_import(copy, copy_staff.manager, tmp_path / "after")
    assert result.problems == [] and result.written
    assert result.counts["ledger.csv"] == [0, 1, 10]
    copied = _view(copy, copy_staff.manager, _household_id(copy, made.first.reference))
    assert _shape(copied) == _shape(_view(database, staff.manager, made.first.id))
    assert (copied.spent, copied.committed) == (86_550, 0)
    assert copy.read(check_ledger) == []
    copy.dispose()


def test_a_ledger_row_held_is_never_changed(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _build(database, staff)
    exported = tmp_path / "export"
    database.write(export_directory, actor=staff.manager, folder=exported)
    path = exported / "ledger.csv"
    content = path.read_text(encoding="utf-8-sig")
    assert content.count("Second-hand cooker") == 1
    path.write_text(content.replace("Second-hand cooker", "Cooker"), encoding="utf-8-sig")
    before = _rows(database)
    result = run_import(database, staff.manager, exported)
    assert not result.written
    [problem] = result.problems
    assert (problem.file, problem.row, problem.column) == ("ledger.csv", 4, "description")
    assert problem.reason.endswith("ledger rows are never changed: a correction is a reversal")
    assert _rows(database) == before


def test_a_crm_ledger_without_the_new_columns_imports_as_before(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00100,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description\n"
        "LIV-00100,2025-08-20,-45.00,fuel_vouchers,Gas top-up\n"
        "LIV-00100,2025-07-01,45.00,fuel_vouchers,Gas top-up\n"
        "LIV-00100,2025-07-02,300.00,furniture,Beds\n"
    )
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.written
    view = _view(database, staff.manager, _household_id(database, "LIV-00100"))
    assert [(line.kind, line.amount, line.left) for line in view.lines] == [
        ("cap", 100_000, 100_000),
        ("spend", 4_500, 95_500),
        ("spend", 30_000, 65_500),
        ("reversal", 4_500, 70_000),
    ]
    assert {line.payee for line in view.lines[1:]} == {"(not recorded)"}
    assert {line.entered_by_name for line in view.lines} == {"Pat Manager"}
    assert view.lines[3].reverses_id == view.lines[1].id
    assert database.read(check_ledger) == []
    again = run_import(database, staff.manager, folder)
    assert again.counts["ledger.csv"] == [0, 0, 3] and "caps.csv" not in again.counts


def test_a_payee_column_is_kept_where_it_is_filled_in(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00101,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description,payee\n"
        "LIV-00101,2025-07-01,45.00,food,Parcel,North Food Bank\n"
        "LIV-00101,2025-07-02,12.00,food,Parcel,\n"
    )
    assert run_import(database, staff.manager, folder).written
    view = _view(database, staff.manager, _household_id(database, "LIV-00101"))
    assert [line.payee for line in view.lines[1:]] == ["North Food Bank", "(not recorded)"]


def test_a_spend_over_its_cap_and_a_cap_that_does_not_rise_are_refused_on_their_rows(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00102,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "caps.csv").write_text(
        "household_ref,cap,reason\n"
        "LIV-00102,500.00,Agreed with the family\n"
        "LIV-00102,450.00,Lowered\n"
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description\n"
        "LIV-00102,2025-07-01,200.00,food,Parcels\n"
        "LIV-00102,2025-07-02,300.01,furniture,Bed\n"
        "LIV-00102,2025-07-03,-12.00,food,Never spent\n"
    )
    result = run_import(database, staff.manager, folder)
    assert [str(problem) for problem in result.problems] == [
        "caps.csv row 3, column cap: £450.00 is not above LIV-00102's cap of £500.00: "
        "caps only rise",
        "ledger.csv row 3, column amount: £300.01 is more than the £300.00 left of "
        "LIV-00102's £500.00 budget",
        "ledger.csv row 4, column amount: no earlier £12.00 food spend of LIV-00102 to reverse",
    ]
    assert not result.written and _rows(database) == dict.fromkeys(LEDGER_TABLES, 0)
    partial = run_import(database, staff.manager, folder, partial=True)
    assert partial.written and len(partial.problems) == 3
    view = _view(database, staff.manager, _household_id(database, "LIV-00102"))
    assert (view.cap, view.spent, [line.reason for line in view.lines[:1]]) == (
        50_000,
        20_000,
        ["Agreed with the family"],
    )
    assert database.read(check_ledger) == []


def test_a_reversal_names_the_spend_it_reverses(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """`reverses` picks one of two identical spends; a reversal naming a spend that waits,
    one reversed already, one of another household or of another amount is refused."""
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER
        + "LIV-00103,liverpool,ada.adv,active,jcp,2025-06-01,\n"
        + "LIV-00099,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description,state,entry_ref,reverses,reason\n"
        "LIV-00103,2025-07-01,20.00,travel,Bus pass,,C-1,,\n"
        "LIV-00103,2025-07-01,20.00,travel,Bus pass,,C-2,,\n"
        "LIV-00103,2025-07-02,300.00,furniture,Bed,waiting,C-3,,\n"
        "LIV-00099,2025-07-02,20.00,travel,Bus pass,,C-4,,\n"
        "LIV-00103,2025-07-05,-20.00,travel,Bus pass,,C-5,C-2,Keyed twice\n"
        "LIV-00103,2025-07-05,-20.00,travel,Bus pass,,C-6,C-2,Again\n"
        "LIV-00103,2025-07-05,-300.00,furniture,Bed,,C-7,C-3,\n"
        "LIV-00103,2025-07-05,-20.00,travel,Bus pass,,C-8,C-4,\n"
        "LIV-00103,2025-07-05,-25.00,travel,Bus pass,,C-9,C-1,\n"
    )
    result = run_import(database, staff.manager, folder, partial=True)
    assert [str(problem) for problem in result.problems] == [
        "ledger.csv row 7, column reverses: C-2 is reversed already",
        "ledger.csv row 8, column reverses: C-3 waits for approval or was rejected: "
        "it is not reversed",
        "ledger.csv row 9, column reverses: C-4 is a spend of another household",
        "ledger.csv row 10, column amount: C-1 was £20.00 travel: a reversal gives back the "
        "whole spend",
    ]
    view = _view(database, staff.manager, _household_id(database, "LIV-00103"))
    [reversal] = [line for line in view.lines if line.kind == "reversal"]
    assert (reversal.reason, reversal.reverses_id) == ("Keyed twice", _entry_id(view, 2_000, 1))
    assert database.read(check_ledger) == []


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("decided_by", "only an approved or rejected spend has one"),
        ("reverses", "only a reversal (a negative amount) has one"),
    ],
)
def test_a_column_of_another_kind_of_row_is_refused(
    database: Database, staff: Staff, tmp_path: Path, column: str, reason: str
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00105,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "ledger.csv").write_text(
        f"household_ref,date,amount,category,description,{column}\n"
        "LIV-00105,2025-07-01,20.00,travel,Bus pass,sam.super\n"
    )
    result = run_import(database, staff.manager, folder)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(2, column, reason)]


def test_a_crm_file_that_later_names_its_rows_finds_them_and_reverses_by_name(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """Spends imported without references are found again by their idempotency key once
    the CRM's file carries them, and a reversal may name them by that reference."""
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00106,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    spends = (
        "LIV-00106,2025-07-01,20.00,travel,Bus pass\nLIV-00106,2025-07-01,20.00,travel,Bus pass\n"
    )
    (folder / "ledger.csv").write_text("household_ref,date,amount,category,description\n" + spends)
    assert run_import(database, staff.manager, folder).written
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description,entry_ref,reverses\n"
        + "".join(f"{line},C-{n},\n" for n, line in enumerate(spends.splitlines(), start=1))
        + "LIV-00106,2025-07-03,-20.00,travel,Bus pass,C-3,C-2\n"
    )
    result = run_import(database, staff.manager, folder)
    assert result.problems == [] and result.counts["ledger.csv"] == [1, 0, 2]
    view = _view(database, staff.manager, _household_id(database, "LIV-00106"))
    [reversal] = [line for line in view.lines if line.kind == "reversal"]
    assert reversal.reverses_id == _entry_id(view, 2_000, 1)
    assert database.read(check_ledger) == []


def test_a_spend_is_decided_by_someone_other_than_who_entered_it(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "LIV-00107,liverpool,ada.adv,active,jcp,2025-06-01,\n"
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description,state,entered_by,decided_by\n"
        "LIV-00107,2025-07-01,300.00,furniture,Bed,approved,ada.adv,ada.adv\n"
        "LIV-00107,2025-07-02,300.00,furniture,Bed,approved,,\n"
        "LIV-00107,2025-07-03,300.00,furniture,Bed,approved,ada.adv,\n"
    )
    result = run_import(database, staff.manager, folder, partial=True)
    reason = "a spend is decided by someone other than who entered it"
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "decided_by", reason),
        (3, "decided_by", reason),
    ]
    view = _view(database, staff.manager, _household_id(database, "LIV-00107"))
    [approved] = [line for line in view.lines if line.kind == "spend"]
    assert (approved.entered_by_name, approved.decided_by_name) == ("Ada Adv", "Pat Manager")
    assert (view.spent, view.committed) == (30_000, 0)
    assert database.read(check_ledger) == []
