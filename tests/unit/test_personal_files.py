"""Files about one person, read back as they would read them: the subject-access file
as a PDF."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from hiw_tui.db.casework.plans import add_goal, add_step, agree_plan
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import PersonPublic
from hiw_tui.db.privacy.subject_access import subject_access
from hiw_tui.domain.case_inputs import GoalInput
from hiw_tui.reports.personal.files import subject_access_file
from tests.helpers.factories import (
    add_partner,
    add_reading,
    person_input,
    reading_input,
    register,
    step_input,
)
from tests.helpers.pdf import pdf_text, plain
from tests.helpers.staff import Staff

TODAY = date(2026, 4, 1)
NAME = "Zoë Nowak-Łukasiewicz"


@dataclass(frozen=True)
class Member:
    household_id: int
    zoe: PersonPublic
    other: PersonPublic


@pytest.fixture
def member(database: Database, staff: Staff) -> Member:
    """Zoë on Ada's caseload: four final readings and a draft, and a plan agreed; the
    other member has a reading and a plan of their own."""
    record = register(
        database,
        staff.ada,
        staff.ada,
        person_input(given_name="Zoë", family_name="Nowak-Łukasiewicz"),
        person_input(role="secondary", given_name="Kasia", family_name="Other"),
    )
    zoe, other = record.members
    for day, scores in (
        (date(2025, 11, 10), (1, 3, 1, 2, 2, 3, 1, 2)),
        (date(2025, 12, 8), (2, 3, 1, 2, 2, 3, 1, 2)),
        (date(2026, 1, 5), (2, 3, 2, 2, 3, 3, 2, 3)),
        (date(2026, 3, 2), (4, 2, 3, 3, 4, None, 3, 4)),
    ):
        add_reading(database, staff.ada, zoe.id, reading_input(day, *scores))
    draft = reading_input(date(2026, 3, 20), 5, 5, 5, 5, 5, 5, 5, 5, status="draft")
    add_reading(database, staff.ada, zoe.id, draft)
    add_reading(database, staff.ada, other.id, reading_input(date(2026, 1, 9), 1, 1, 1))
    bank = add_partner(database, staff.ada, "Anfield Food Bank")
    plans = database.write(
        add_goal,
        actor=staff.ada,
        household_id=record.id,
        person_id=zoe.id,
        data=GoalInput(area="money", description="Clear the rent arrears"),
        today=TODAY,
    )
    goal = plans[1].goals[0].id
    for step in (
        step_input("Ring the council about a payment plan", status="done"),
        step_input("Book a benefits check", owner="advocate", due_on=date(2026, 4, 14)),
        step_input("Collect a food parcel", owner="partner", partner_id=bank, due_on=None),
        step_input("Sell the car", status="dropped"),
    ):
        plans = database.write(add_step, actor=staff.ada, goal_id=goal, data=step, today=TODAY)
    plan = plans[1]
    assert plan.id is not None
    database.write(agree_plan, actor=staff.ada, plan_id=plan.id, version=plan.version, today=TODAY)
    database.write(
        add_goal,
        actor=staff.ada,
        household_id=record.id,
        person_id=other.id,
        data=GoalInput(area="skills", description="Kasia's own goal"),
        today=TODAY,
    )
    return Member(record.id, zoe, other)


def test_the_subject_access_pdf_holds_the_words_of_the_text(
    database: Database, staff: Staff, member: Member, tmp_path: Path
) -> None:
    path = tmp_path / "sar.pdf"
    reference = f"#{member.zoe.id}"
    said = database.write(subject_access, actor=staff.ada, person_ref=reference, today=TODAY)
    database.write(  # (its log holds the text's making too)
        subject_access_file,
        actor=staff.ada,
        person_ref=reference,
        today=TODAY,
        path=path,
        fmt="pdf",
    )
    read = pdf_text(path)
    assert read.startswith(f"Everything held about {NAME} Produced 2026-04-01 by Ada Adv.")
    lines = [line for line in said.splitlines() if line.strip() and set(line) != {"-"}]
    assert [line for line in lines if plain(line) not in read] == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
