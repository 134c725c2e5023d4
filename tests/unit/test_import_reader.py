"""The import reads files as CRMs and spreadsheets write them: Windows-1252 only when
told, never guessed; a file separated by `;`, with a wrong header, a cell that never
ends, reported once; day-first dates as well as ISO ones."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from hiw_tui.domain.dates import NotARealDate, TwoDigitYear, read_date, read_import_date
from hiw_tui.transfer.parse import Parsed, parse_directory
from tests.helpers.dataset import DATASET
from tests.helpers.staff import add_staff

HOUSEHOLDS = "household_ref,local_authority,advocate,status,referral_source,start_date,end_date"
PEOPLE = (
    "person_ref,household_ref,role,given_name,family_name,date_of_birth,gender,ethnicity,"
    "time_since_work,support_needs"
)
DAY_FIRST = " (dates are day-first: DD/MM/YYYY)"
O_NEILL = "O\u2019Neill"
"""With a curly apostrophe, as Word and Excel type it (0x92 in Windows-1252)."""
VOUCHER = "Gas top-up \u2013 \u00a320 voucher"
"""An en dash and a pound sign (0x96 and 0xA3 in Windows-1252)."""
CP1252_HINT = (
    'not UTF-8 text; it reads as Windows-1252 (Excel\'s "CSV"): import again with --encoding cp1252'
)


def person(ref: str, given: str = "Ann", family: str = "Ashworth", born: str = "1990-01-01") -> str:
    return f"{ref},LIV-00001,primary,{given},{family},{born},female,white_british,36m+,"


def household(ref: str, start: str, end: str = "") -> str:
    return f"{ref},liverpool,adv.one,active,jcp,{start},{end}"


def write(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> None:
    (folder / name).write_bytes("\r\n".join([*lines, ""]).encode(encoding))


def parse(folder: Path, encoding: str = "utf-8") -> Parsed:
    return parse_directory(folder, today=date(2026, 11, 24), encoding=encoding)


def problems(parsed: Parsed) -> list[str]:
    return [str(problem) for problem in sorted(parsed.problems)]


def test_a_windows_1252_file_is_refused_naming_its_row_line_and_the_option(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "people.csv",
        PEOPLE,
        person("P1", given='"Ann\r\nMarie"'),
        person("P2"),
        person("P3", given="Zoë", family=O_NEILL),
        person("P4", given="Renée"),
        encoding="cp1252",
    )
    parsed = parse(tmp_path)
    assert problems(parsed) == [f"people.csv row 4 (line 5): {CP1252_HINT}"]
    assert parsed.people == []

    told = parse(tmp_path, encoding="cp1252")
    assert told.problems == []
    assert [(p.data.given_name, p.data.family_name) for p in told.people][2:] == [
        ("Zoë", O_NEILL),
        ("Renée", "Ashworth"),
    ]


def test_text_in_another_encoding_is_not_taken_for_windows_1252(tmp_path: Path) -> None:
    write(tmp_path, "people.csv", PEOPLE, person("P1", family="Иванова"), encoding="cp1251")
    assert problems(parse(tmp_path)) == [
        'people.csv row 2 (line 2): not UTF-8 text; save it as "CSV UTF-8 (comma delimited)" '
        "and import again"
    ]


def test_a_utf8_file_is_not_read_as_windows_1252_unless_it_says_so(tmp_path: Path) -> None:
    write(tmp_path, "people.csv", PEOPLE, person("P1"), person("P2", given="Zoë"))
    parsed = parse(tmp_path, encoding="cp1252")
    assert problems(parsed) == [
        "people.csv row 3 (line 3): UTF-8 text, not Windows-1252: import it without "
        '--encoding cp1252, or save it as "CSV UTF-8" (its byte-order mark is read as UTF-8 '
        "whatever --encoding says)"
    ]
    assert parsed.people == []
    marked = "\ufeff" + (tmp_path / "people.csv").read_text(encoding="utf-8")
    (tmp_path / "people.csv").write_text(marked, encoding="utf-8")
    parsed = parse(tmp_path, encoding="cp1252")
    assert parsed.problems == []
    assert [p.data.given_name for p in parsed.people] == ["Ann", "Zoë"]


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    write(tmp_path, "people.csv", PEOPLE, person("P1"), encoding="utf-16")
    assert problems(parse(tmp_path)) == [
        'people.csv: UTF-16 text (Excel\'s "Unicode Text"); save it as "CSV UTF-8 (comma '
        'delimited)" and import again'
    ]


@pytest.mark.parametrize(("separator", "named"), [(";", "';'"), ("\t", "tabs")])
def test_columns_separated_otherwise_than_by_commas_give_one_problem(
    tmp_path: Path, separator: str, named: str
) -> None:
    lines = [PEOPLE, person("P1"), person("P2"), "P3,,,"]
    write(tmp_path, "people.csv", *(line.replace(",", separator) for line in lines))
    parsed = parse(tmp_path)
    assert problems(parsed) == [
        f"people.csv: the columns are separated by {named}, not commas; "
        "save it as CSV (comma delimited)"
    ]
    assert parsed.people == []


def test_a_wrong_header_gives_one_problem_and_no_row_problems(tmp_path: Path) -> None:
    header = PEOPLE.replace(",support_needs", "")
    write(tmp_path, "people.csv", header, person("P1"), "P2,LIV-00001", "P3,,,,,,,,,,,,,")
    parsed = parse(tmp_path)
    assert problems(parsed) == ["people.csv row 1: wrong header: missing support_needs"]
    assert parsed.people == []


def test_column_names_are_read_whatever_their_case(tmp_path: Path) -> None:
    """A CRM that capitalises its headers ("Household_Ref") is read as the format says."""
    write(tmp_path, "people.csv", PEOPLE.title(), person("P1"))
    parsed = parse(tmp_path)
    assert parsed.problems == []
    assert [p.reference for p in parsed.people] == ["P1"]


def test_an_oversize_cell_names_its_row_and_line_and_ends_the_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "households.csv",
        HOUSEHOLDS,
        household("LIV-00001", "2025-01-06"),
        '"LIV-00002\r\n",liverpool,adv.one,active,jcp,2025-01-06,',
        household('"LIV-00003', "2025-01-06"),
        *(household(f"LIV-{number:05}", "2025-01-06") for number in range(4, 4_000)),
    )
    parsed = parse(tmp_path)
    assert problems(parsed) == [
        "households.csv row 4 (line 5): a cell is longer than 131,072 characters "
        "(an unclosed quote?)"
    ]
    assert [record.row for record in parsed.households] == [2, 3]


def test_a_quote_never_closed_names_the_row_it_starts_in(tmp_path: Path) -> None:
    write(
        tmp_path,
        "people.csv",
        PEOPLE,
        person("P1"),
        person("P2", given='"Bill'),
        person("P3"),
    )
    parsed = parse(tmp_path)
    assert problems(parsed) == [
        "people.csv row 3 (line 3): a quoted cell starts in this row and is never closed"
    ]
    assert [record.reference for record in parsed.people] == ["P1"]


def test_dates_are_read_day_first_or_iso_and_never_month_first(tmp_path: Path) -> None:
    write(
        tmp_path,
        "households.csv",
        HOUSEHOLDS,
        household("LIV-00001", "2020-12-31"),
        household("LIV-00002", "31/12/2020", "5/1/2021"),
        household("LIV-00003", "30/02/2020"),
        household("LIV-00004", "12/31/2020"),
        household("LIV-00005", "05/01/20"),
        household("LIV-00006", "2020.01.05"),
    )
    write(
        tmp_path,
        "people.csv",
        PEOPLE + ",left_date",
        person("P1", born="01/02/1990") + ",28/02/2021",
        person("P2", born="1990-02-01") + ",29/02/2021",
    )
    parsed = parse(tmp_path)
    assert [(h.data.start_date, h.data.end_date) for h in parsed.households] == [
        (date(2020, 12, 31), None),
        (date(2020, 12, 31), date(2021, 1, 5)),
    ]
    assert [(p.data.date_of_birth, p.left_on) for p in parsed.people] == [
        (date(1990, 2, 1), date(2021, 2, 28))
    ]
    assert problems(parsed) == [
        f"households.csv row 4, column start_date: '30/02/2020' is not a real date{DAY_FIRST}",
        f"households.csv row 5, column start_date: '12/31/2020' is not a real date{DAY_FIRST}",
        "households.csv row 6, column start_date: '05/01/20' has a two-digit year: write "
        "the year in full (DD/MM/YYYY)",
        "households.csv row 7, column start_date: '2020.01.05' is not a date (YYYY-MM-DD "
        "or DD/MM/YYYY)",
        f"people.csv row 3, column left_date: '29/02/2021' is not a real date{DAY_FIRST}",
    ]


def test_only_the_import_reads_day_first_dates() -> None:
    assert read_import_date(" 7/3/2024 ") == date(2024, 3, 7)
    assert read_import_date("2024-03-07") == date(2024, 3, 7)
    with pytest.raises(NotARealDate):
        read_import_date("3/13/2024")
    with pytest.raises(TwoDigitYear):
        read_import_date("07/03/24")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        read_date("07/03/2024")


def test_the_command_line_imports_windows_1252_only_when_told(
    sqlite_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_staff(sqlite_database)
    folder = tmp_path / "crm"
    shutil.copytree(DATASET, folder)
    for name, old, new in (
        ("people.csv", "primary,Ann,Ashworth,", f"primary,Zoë,{O_NEILL},"),
        ("ledger.csv", ",Gas top-up", "," + VOUCHER),
    ):
        content = (folder / name).read_text(encoding="utf-8")
        assert old in content
        (folder / name).write_bytes(content.replace(old, new).encode("cp1252"))
    command = ["import", str(folder), "--user", "pat.manager", "--database", sqlite_database.url]

    assert main(command) == 1
    err = capsys.readouterr().err
    assert f"ledger.csv row 2 (line 2): {CP1252_HINT}" in err
    assert f"people.csv row 2 (line 2): {CP1252_HINT}" in err
    # Only the two files' problems: the rows naming their people and households are
    # not each reported as well.
    assert "Nothing imported: 2 problem(s)" in err
    with sqlite_database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM person")).scalar_one() == 0

    assert main([*command, "--encoding", "cp1252"]) == 0
    assert "people.csv              11 new" in capsys.readouterr().out
    with sqlite_database.engine.connect() as connection:
        name = connection.execute(
            text("SELECT given_name, family_name FROM person WHERE reference = 'P1'")
        ).one()
        spent = connection.execute(
            text("SELECT DISTINCT description FROM ledger_entry WHERE category = 'fuel_vouchers'")
        ).scalars()
        assert tuple(name) == ("Zoë", O_NEILL)
        assert VOUCHER in list(spent)
