"""The import reads files as CRMs write them: day-first dates as well as ISO ones, never
month-first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hiw_tui.domain.dates import NotARealDate, TwoDigitYear, read_date, read_import_date
from hiw_tui.transfer.parse import Parsed, parse_directory

HOUSEHOLDS = "household_ref,local_authority,advocate,status,referral_source,start_date,end_date"
PEOPLE = (
    "person_ref,household_ref,role,given_name,family_name,date_of_birth,gender,ethnicity,"
    "time_since_work,support_needs"
)


def person(ref: str, given: str = "Ann", family: str = "Ashworth", born: str = "1990-01-01") -> str:
    return f"{ref},LIV-00001,primary,{given},{family},{born},female,white_british,36m+,"


def household(ref: str, start: str, end: str = "") -> str:
    return f"{ref},liverpool,adv.one,active,jcp,{start},{end}"


def write(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> None:
    (folder / name).write_bytes("\r\n".join([*lines, ""]).encode(encoding))


def parse(folder: Path) -> Parsed:
    return parse_directory(folder, today=date(2026, 11, 24))


def problems(parsed: Parsed) -> list[str]:
    return [str(problem) for problem in sorted(parsed.problems)]


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
        "households.csv row 4, column start_date: '30/02/2020' is not a real date",
        "households.csv row 5, column start_date: '12/31/2020' is not a real date",
        "households.csv row 6, column start_date: '05/01/20' has a two-digit year: write "
        "the year in full (DD/MM/YYYY)",
        "households.csv row 7, column start_date: '2020.01.05' is not a date (YYYY-MM-DD "
        "or DD/MM/YYYY)",
        "people.csv row 3, column left_date: '29/02/2021' is not a real date",
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
