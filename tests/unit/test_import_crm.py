"""A CRM's export as areas really send it imports as a user would expect: saved by Excel
in Windows-1252, codes capitalised, dates day-first, a referred household with no start date yet, a
person with the same step twice in one Star area, the same outcome twice. Imported
again, nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from hiw_tui.domain.counting import Period
from tests.helpers.dataset import AS_OF, report
from tests.helpers.staff import add_staff

FILES = {
    "households.csv": [
        "household_ref,local_authority,advocate,status,referral_source,start_date,end_date,"
        "referral_date",
        "LIV-00101,Liverpool,ada.adv,Active,JCP,03/02/2025,,20/01/2025",
        "LIV-00102,liverpool,ada.adv,referred,self,,,9/3/2026",
    ],
    "people.csv": [
        "person_ref,household_ref,role,given_name,family_name,date_of_birth,gender,ethnicity,"
        "time_since_work,support_needs",
        "C1,LIV-00101,primary,Zoë,O\u2019Neill,17/05/1988,female,white_british,36m+,parent",
        "C2,LIV-00101,secondary,Seán,O\u2019Neill,02/11/1985,male,white_other,never,",
        "C3,LIV-00102,primary,Renée,Dubois,01/12/1979,female,white_other,24-36m,",
    ],
    "steps.csv": [
        "person_ref,star_area,description,status,due_date,done_date",
        "C1,skills,Attend Jobcentre appointment,done,10/03/2025,11/03/2025",
        "C1,skills,Attend Jobcentre appointment,done,14/04/2025,14/04/2025",
        "C2,money,Open a bank account,planned,30/06/2026,",
    ],
    "outcomes.csv": [
        "person_ref,kind,start_date,end_date,hours,description",
        "C2,volunteering,01/09/2025,,4,Café \u2013 food bank",
        "C2,volunteering,01/09/2025,,4,Café \u2013 food bank",
    ],
    "ledger.csv": [
        "household_ref,date,amount,category,description",
        "LIV-00101,05/03/2025,20.00,fuel_vouchers,£20 gas top-up",
    ],
}


def _crm(folder: Path) -> Path:
    folder.mkdir()
    for name, lines in FILES.items():
        (folder / name).write_bytes("\r\n".join([*lines, ""]).encode("cp1252"))
    return folder


def _held(database: Database, sql: str) -> list[tuple[object, ...]]:
    """The rows, dates as text (as SQLite gives them; PostgreSQL gives dates)."""
    with database.engine.connect() as connection:
        return [
            tuple(None if cell is None else str(cell) for cell in row)
            for row in connection.execute(text(sql))
        ]


def test_a_real_crm_export_imports_and_imports_again_unchanged(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = add_staff(database)
    folder = _crm(tmp_path / "crm")
    command = ["import", str(folder), "--user", "pat.manager", "--database", database.url]
    assert main([*command, "--encoding", "cp1252"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "steps.csv                3 new" in out
    assert "outcomes.csv             2 new" in out
    assert _held(
        database,
        "SELECT reference, status, start_date, referred_on FROM household ORDER BY reference",
    ) == [
        ("LIV-00101", "active", "2025-02-03", "2025-01-20"),
        ("LIV-00102", "referred", None, "2026-03-09"),
    ]
    assert _held(database, "SELECT given_name, family_name FROM person ORDER BY id")[0] == (
        "Zoë",
        "O\u2019Neill",
    )
    assert _held(database, "SELECT description FROM ledger_entry") == [("£20 gas top-up",)]
    performance = report(database, staff.manager, "performance", Period(AS_OF))
    assert performance["households_started"] == 1  # type: ignore[index]

    assert main([*command, "--encoding", "cp1252"]) == 0
    again = capsys.readouterr().out
    for name in FILES:
        assert f"{name:16} {0:>9,} new {0:>9,} updated" in again, name
