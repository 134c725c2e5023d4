"""Every command obeys the acting user's scope: a report of another area is refused, not
counted as zeros, and a subject-access request for a person out of scope reads exactly
as one for a person who does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database
from tests.helpers.dataset import DATASET
from tests.helpers.staff import add_staff


@pytest.fixture
def url(sqlite_database: Database) -> str:
    add_staff(sqlite_database)
    url = sqlite_database.url
    assert main(["import", str(DATASET), "--user", "pat.manager", "--database", url]) == 0
    return url


def _run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--database", url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_report_of_another_area_is_outside_the_users_scope(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, err = _run(
        capsys, url, "report", "performance", "--area", "wirral", "--user", "sam.super"
    )
    assert (code, out) == (2, "")
    assert err == "hiw-tui: Wirral is outside your scope.\n"
    # The area as the message names it is the same area.
    named = _run(capsys, url, "report", "performance", "--area", "Wirral", "--user", "sam.super")
    assert named == (code, out, err)
    code, out, err = _run(
        capsys, url, "report", "spend", "--advocate", "cal.adv", "--user", "sam.super"
    )
    assert code == 2 and err == "hiw-tui: cal.adv's caseload is outside your scope.\n"
    code, out, err = _run(
        capsys, url, "report", "cohort", "--advocate", "ben.adv", "--user", "ada.adv"
    )
    assert code == 2 and "outside your scope" in err
    code, out, _ = _run(
        capsys, url, "report", "performance", "--area", "liverpool", "--user", "sam.super"
    )
    assert code == 0 and "Liverpool" in out
    code, _, _ = _run(
        capsys, url, "report", "performance", "--area", "wirral", "--user", "pat.manager"
    )
    assert code == 0


def test_subject_access_says_not_found_alike_out_of_scope_or_not_held(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    capsys.readouterr()
    answers = []
    for reference in ("P7", "P999"):  # P7 is held, in Wirral; P999 is held nowhere
        out = tmp_path / f"{reference}.txt"
        code, said, err = _run(
            capsys, url, "subject-access", reference, "--out", str(out), "--user", "sam.super"
        )
        answers.append((code, said, err.replace(reference, "REF")))
        assert not out.exists()
    assert answers[0] == answers[1] == (2, "", "hiw-tui: No person REF is held in your scope.\n")
    code, _, _ = _run(
        capsys,
        url,
        "subject-access",
        "P7",
        "--out",
        str(tmp_path / "p7.txt"),
        "--user",
        "wyn.super",
    )
    assert code == 0
