"""The cohort report counts the started households by the programmes they took part in
before HiW, on SQLite and PostgreSQL, for every reader (the codes are not sensitive)."""

from __future__ import annotations

from datetime import date

from hiw_tui.db.core.engine import Database
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.cohort import cohort_profile
from hiw_tui.reports.tables import cohort_report
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff


def test_the_cohort_report_counts_households_per_programme(
    database: Database, staff: Staff
) -> None:
    for codes, other in (
        (["work_programme", "troubled_families"], ""),
        (["work_programme"], "Sure Start parenting course"),
        (["none"], ""),
        ([], "Princes Trust team"),
        ([], ""),
    ):
        register(
            database,
            staff.ada,
            staff.ada,
            person_input(),
            previous_programme_codes=codes,
            previous_programmes=other,
        )
    register(  # referred, not started: not counted
        database,
        staff.ada,
        staff.ada,
        previous_programme_codes=["talent_match"],
        status="referred",
        start_date=None,
    )
    period = Period(date(2026, 3, 31))
    for reader in (staff.manager, staff.auditor, staff.ada):
        profile = database.read(cohort_profile, actor=reader, period=period)
        (before,) = profile.household_tables.values()
        counted = {share.code: (share.people, share.percent) for share in before}
        assert profile.households == 5
        assert counted["work_programme"] == (2, 40.0)
        assert counted["troubled_families"][0] == counted["none"][0] == 1
        assert counted["talent_match"][0] == 0
        assert counted["other"][0] == 2 and counted["not_recorded"][0] == 1
    table = cohort_report(profile, period).tables[-1]
    assert table.title == "Programmes before HiW (5 households)"
    assert table.headings == ("Programmes before HiW", "Households", "%")
    assert ("Work Programme", 2, 40.0) in table.rows
