"""Files about one person, read back as they would read them: the hand-over pack (their
readings compared and their plan, as a PDF in large type or plain text) and the
subject-access file as a PDF."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.db.casework.plans import add_goal, add_step, agree_plan
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Forbidden, NotFound
from hiw_tui.db.core.models import PersonPublic
from hiw_tui.db.privacy.subject_access import subject_access
from hiw_tui.domain.case_inputs import GoalInput
from hiw_tui.domain.document import Bars, Document, Heading
from hiw_tui.domain.framework import load_framework
from hiw_tui.reports.personal.files import handover_file, subject_access_file
from hiw_tui.reports.personal.pack import handover_pack
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
FRAMEWORK = load_framework()


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


def pack(database: Database, staff: Staff, member: Member) -> Document:
    return database.read(
        handover_pack, actor=staff.ada, person_id=member.zoe.id, framework=FRAMEWORK, today=TODAY
    )


def test_the_pack_compares_the_first_reading_with_the_two_latest(
    database: Database, staff: Staff, member: Member
) -> None:
    progress, _ = pack(database, staff, member).sections
    skills = progress.blocks[progress.blocks.index(Heading("Skills")) + 1]
    assert isinstance(skills, Bars)
    assert [(bar.label, bar.score) for bar in skills.bars] == [
        ("10 November 2025", 1),
        ("5 January 2026", 2),
        ("2 March 2026", 4),  # the draft of 20 March is not a reading yet
    ]
    assert "Now 4 of 5 (Mostly managing): " + FRAMEWORK.area("skills").meaning(4) in progress.blocks
    assert "Up 3 points since 10 November 2025." in progress.blocks
    assert "Down 1 point since 10 November 2025." in progress.blocks  # Stability and Home
    family = progress.blocks.index(Heading("Family"))
    assert progress.blocks[family + 2] == "Not scored at your latest reading."


def test_the_pdf_reads_back_with_names_scores_and_steps(
    database: Database, staff: Staff, member: Member, tmp_path: Path
) -> None:
    path = tmp_path / "exports" / "pack.pdf"
    database.write(
        handover_file,
        actor=staff.ada,
        person_id=member.zoe.id,
        framework=FRAMEWORK,
        today=TODAY,
        path=path,
        fmt="pdf",
        own_folder=True,
    )
    read = pdf_text(path)
    assert f"{NAME}: your progress and your plan" in read
    assert "Made on 1 April 2026 by Ada Adv." in read
    for words in (
        "Each area is scored from 1 to 5: 1 Not managing, 2 Starting to deal with it",
        "10 November 2025 1 of 5 5 January 2026 2 of 5 2 March 2026 4 of 5",
        "Physical Health",  # her own health areas: the pack is for her
        "You agreed this plan on 1 April 2026.",
        "Goal: Clear the rent arrears Star area: Money",
        "1. Ring the council about a payment plan Who: you By: 20 March 2026"
        " Where it stands: done on 1 March 2026",
        "2. Book a benefits check Who: your advocate, Ada Adv By: 14 April 2026"
        " Where it stands: planned",
        "3. Collect a food parcel Who: Anfield Food Bank By: no date set",
        "Page 1 of",
    ):
        assert words in read, words
    assert "Sell the car" not in read  # dropped from the plan
    assert "Kasia" not in read and "Other" not in read  # nobody else's data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_plain_text_holds_the_same_words(
    database: Database, staff: Staff, member: Member, tmp_path: Path
) -> None:
    document = pack(database, staff, member)
    paths = {fmt: tmp_path / f"pack.{fmt}" for fmt in ("text", "pdf")}
    for fmt, path in paths.items():
        database.write(
            handover_file,
            actor=staff.ada,
            person_id=member.zoe.id,
            framework=FRAMEWORK,
            today=TODAY,
            path=path,
            fmt=fmt,
        )
    written = paths["text"].read_text(encoding="utf-8")
    assert written == document.text()
    assert "    2 March 2026      ████░  4 of 5" in written
    read = pdf_text(paths["pdf"])
    words = [document.title, *document.about]
    for section in document.sections:
        words.append(section.title)
        words += [
            b.text if isinstance(b, Heading) else b
            for b in section.blocks
            if not isinstance(b, Bars)
        ]
    assert [line for line in words if plain(line) not in read] == []


def test_each_pack_is_audited_as_a_file_about_her(
    database: Database, staff: Staff, member: Member, tmp_path: Path
) -> None:
    path = tmp_path / "pack.txt"
    database.write(
        handover_file,
        actor=staff.liverpool_supervisor,
        person_id=member.zoe.id,
        framework=FRAMEWORK,
        today=TODAY,
        path=path,
        fmt="text",
    )
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT entity, entity_id, household_id, changes, actor_id FROM audit_event"
                " WHERE action = 'file'"
            )
        ).all()
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("handover", member.zoe.id, member.household_id, staff.liverpool_supervisor.id)
    ]
    changes = rows[0][3]
    changes = json.loads(changes) if isinstance(changes, str) else changes
    assert changes["path"] == [None, str(path.resolve())]


def test_only_case_workers_in_scope_make_one(
    database: Database, staff: Staff, member: Member, tmp_path: Path
) -> None:
    def make(actor: object) -> object:
        return database.write(
            handover_file,
            actor=actor,
            person_id=member.zoe.id,
            framework=FRAMEWORK,
            today=TODAY,
            path=tmp_path / "pack.pdf",
            fmt="pdf",
        )

    with pytest.raises(Forbidden):
        make(staff.auditor)
    with pytest.raises(NotFound):
        make(staff.cal)  # Wirral: not her caseload
    assert not (tmp_path / "pack.pdf").exists()


def test_a_member_with_nothing_yet_gets_a_pack_saying_so(database: Database, staff: Staff) -> None:
    record = register(database, staff.ada, staff.ada, person_input(given_name="Nell"))
    document = database.read(
        handover_pack,
        actor=staff.ada,
        person_id=record.members[0].id,
        framework=FRAMEWORK,
        today=TODAY,
    )
    progress, plan = document.sections
    assert progress.blocks == ("No Star readings yet: your advocate will go through one with you.",)
    assert plan.blocks == ("No plan written down yet: your advocate will go through one with you.",)


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
