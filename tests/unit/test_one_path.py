"""Rules kept by one function, whoever acts: a referral shares data, so it is made only by
`create_referral` (which checks consent), or by `import_referrals` (which makes the same
check for an import's rows); a budget moves only through `post`. The package's source is
read (ast) for any other construction or bulk write of those rows, so a new path that
would skip the check fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

import hiw_tui
from hiw_tui.db.casework.models import Referral
from hiw_tui.db.casework.referrals import create_referral
from hiw_tui.db.casework.rows import save_household_row
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import UserPublic
from tests.helpers.factories import add_partner, person_input, register
from tests.helpers.staff import Staff

PACKAGE = Path(hiw_tui.__file__).parent
REFERRALS = "db/casework/referrals.py"
REFERRAL_MAKERS = {"create_referral", "import_referrals"}
"""The functions of REFERRALS that check consent and then make a Referral."""
POSTING = "db/ledger/posting.py"
LEDGER_ROWS = {"LedgerEntry", "LedgerDecision", "BudgetCap", "Budget"}
BULK_WRITERS = {"insert", "update", "delete", "_insert", "save_household_row", "create_row"}
"""Calls that write rows of a model named among their arguments."""
TOTALS = {"spent_pence", "committed_pence", "cap_pence"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _offences(source: str, where: str) -> Iterator[str]:
    """Where `source` (the module at `where` in the package) makes a referral, or writes
    a budget's rows, other than by the rule's one function; as `file:line what`."""
    tree = ast.parse(source, where)
    owners: dict[ast.AST, str] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                owners.setdefault(node, function.name)
    for node in ast.walk(tree):
        at = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            called = _name(node.func)
            if called == "Referral" and not (
                where == REFERRALS and owners.get(node) in REFERRAL_MAKERS
            ):
                yield f"{at} Referral("
            if called == "Budget" and where != POSTING:
                yield f"{at} Budget("
            if called in BULK_WRITERS:
                named = {_name(argument) for argument in node.args}
                for model in sorted(named & (LEDGER_ROWS | {"Referral"})):
                    if model == "Referral" and called in {"update", "save_household_row"}:
                        continue  # editing a referral (erasure, the form) makes none
                    yield f"{at} {called}({model})"
        if isinstance(node, ast.Assign | ast.AugAssign) and where != POSTING:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in TOTALS:
                    yield f"{at} .{target.attr} ="


def test_only_create_referral_makes_a_referral_and_only_post_moves_a_budget() -> None:
    offences = [
        offence
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        for offence in _offences(
            path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix()
        )
    ]
    assert offences == []


def test_the_scan_finds_a_referral_made_or_a_budget_moved_elsewhere() -> None:
    """The scan is not vacuous: the exit's onward referral as it was made before is found,
    and so are a bulk insert of spends and a total moved by hand."""
    source = (
        "def exit_household(session, actor, values):\n"
        "    referral = Referral(household_id=1, entered_by=actor.id, **values)\n"
        "    session.execute(insert(LedgerEntry), [])\n"
        "    budget.spent_pence += 1\n"
    )
    assert sorted(_offences(source, "db/casework/exits.py")) == [
        "db/casework/exits.py:2 Referral(",
        "db/casework/exits.py:3 insert(LedgerEntry)",
        "db/casework/exits.py:4 .spent_pence =",
    ]


def test_the_scan_allows_only_the_two_makers_in_the_referrals_module() -> None:
    """A Referral made by any other function of the module, or by a function of the same
    name elsewhere (the import's own writer), is found; so is a bulk insert of referrals
    even inside the import's path (it would skip the insert guard)."""
    source = (
        "def save_referral(session, values):\n"
        "    return Referral(**values)\n"
        "def import_referrals(session, rows):\n"
        "    made = [Referral(**values) for values in rows]\n"
        "    session.execute(insert(Referral), rows)\n"
    )
    assert sorted(_offences(source, REFERRALS)) == [
        f"{REFERRALS}:2 Referral(",
        f"{REFERRALS}:5 insert(Referral)",
    ]
    assert sorted(_offences(source, "transfer/casework/write.py")) == [
        "transfer/casework/write.py:2 Referral(",
        "transfer/casework/write.py:4 Referral(",
        "transfer/casework/write.py:5 insert(Referral)",
    ]


def _generic_referral(
    session: Session, *, actor: UserPublic, household_id: int, partner: int
) -> None:
    day = date(2026, 3, 2)
    values = {"partner_id": partner, "status": "made", "made_on": day, "status_on": day}
    save_household_row(
        session,
        actor,
        Referral,
        entity="referral",
        household_id=household_id,
        values=values,
        row_id=None,
        version=None,
    )


def test_a_referral_inserted_by_another_path_is_refused(database: Database, staff: Staff) -> None:
    """A path the scan cannot see (a table passed along as a value) is refused as it
    writes, before any data is shared. (The refusal is registered with `create_referral`,
    which every screen and command that writes case work imports.)"""
    record = register(database, staff.manager, staff.ada, person_input())
    bank = add_partner(database, staff.ada, "North Food Bank")
    with pytest.raises(RuntimeError, match=f"only by {create_referral.__name__}"):
        database.write(_generic_referral, actor=staff.ada, household_id=record.id, partner=bank)
