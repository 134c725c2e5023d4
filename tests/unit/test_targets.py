"""The targets file: what ships, which targets a report shows, and files that are wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hiw_tui.domain.counting import Period
from hiw_tui.domain.targets import TargetsError, load_targets

YEAR_2020 = Period(date(2020, 3, 31), date(2019, 4, 1))


def test_the_published_targets_ship_with_the_app() -> None:
    targets = load_targets()
    assert [(p.date_from, p.to) for p in targets.period] == [
        (date(2018, 3, 1), date(2019, 3, 31)),
        (date(2019, 4, 1), date(2020, 3, 31)),
    ]
    assert targets.matching(YEAR_2020) == {
        "households_started": 800,
        "households_completed_activity": 600,
        "households_significant_improvement": 500,
        "into_work_percent": 20.0,
    }
    assert targets.matching(Period(date(2019, 3, 31), date(2018, 3, 1)))["into_work_percent"] == 15


def test_a_report_shows_only_its_own_scopes_and_dates_targets(tmp_path: Path) -> None:
    (tmp_path / "t.toml").write_text(
        """
[[period]]
name = "Year to March 2020"
from = 2019-04-01
to = 2020-03-31
[period.targets]
households_started = 800
[period.areas.halton]
households_started = 90
into_work_percent = 25
[period.advocates."advocate.halton.1"]
households_started = 30
""",
        encoding="utf-8",
    )
    targets = load_targets(tmp_path / "t.toml")
    assert targets.matching(YEAR_2020) == {"households_started": 800}
    halton = Period(YEAR_2020.as_of, YEAR_2020.date_from, "halton")
    assert targets.matching(halton) == {"households_started": 90, "into_work_percent": 25.0}
    assert targets.matching(Period(YEAR_2020.as_of, YEAR_2020.date_from, "wirral")) == {}
    advocate = Period(YEAR_2020.as_of, YEAR_2020.date_from, None, "advocate.halton.1")
    assert targets.matching(advocate) == {"households_started": 30}
    assert targets.matching(Period(date(2020, 3, 31))) == {}  # counted from the start
    assert targets.matching(Period(date(2020, 3, 30), date(2019, 4, 1))) == {}


def test_periods_named_by_their_last_days() -> None:
    spans = load_targets().spans([date(2021, 3, 31), date(2020, 3, 31)])
    assert [(s.name, s.date_from, s.to) for s in spans] == [
        ("Year to March 2020", date(2019, 4, 1), date(2020, 3, 31)),
        ("To 31 March 2021", date(2020, 4, 1), date(2021, 3, 31)),
    ]
    assert spans[1].goals(local_authority=None, advocate=None) == {}
    assert load_targets().up_to(date(2020, 3, 30))[-1].to == date(2019, 3, 31)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[[period]\n", "not valid TOML"),
        ("[[period]]\nname = 'x'\n", "period.0.to: Field required"),
        (
            "[[period]]\nname = 'x'\nto = 2020-03-31\n[period.areas.leeds]\n",
            "period.0.areas.leeds",
        ),
        ("[[period]]\nname = 'x'\nfrom = 2020-04-01\nto = 2020-03-31\n", "'from' is after 'to'"),
        (
            "[[period]]\nname = 'a'\nto = 2020-03-31\n[[period]]\nname = 'b'\nto = 2019-03-31\n",
            "in date order",
        ),
        ("[[period]]\nname = 'x'\nto = 2020-03-31\n[period.targets]\nsteps = 4\n", "steps"),
    ],
)
def test_a_file_that_cannot_be_used_says_what_is_wrong(
    tmp_path: Path, text: str, said: str
) -> None:
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    with pytest.raises(TargetsError, match="targets file") as raised:
        load_targets(tmp_path / "t.toml")
    assert said in str(raised.value)
