"""Every path that emits a household's data obeys the one visibility rule.

A safe-contact household on Ada's caseload holds canary values: contact details (an
address corrected from one canary to another, so the audit trail holds old and new), a
Star reading with notes and scores in the health areas, and a contact note. Then each
reader drives every output path: the household's own advocate sees the contact canaries
(the positive control); nobody else does; the auditor sees no special-category canary.

The paths are enumerated, not picked: every query function of the data layer, the
reports and the transfer that takes an acting user, and every `hiw-tui` subcommand, must
be in one of this file's tables, either driven here or exempt with a reason. A new one
fails `test_every_output_path_is_covered` until it is added.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import hiw_tui.db
import hiw_tui.reports
import hiw_tui.transfer
from hiw_tui.cli import build_parser, main
from hiw_tui.db.access.caseloads import caseload_to_move
from hiw_tui.db.access.staff import staff_page
from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.audit.log import AuditFilter, audit_page
from hiw_tui.db.audit.trail import events_for_household, record_search
from hiw_tui.db.casework.contacts import household_contacts, save_contact
from hiw_tui.db.casework.outcomes import household_outcomes
from hiw_tui.db.casework.partners import list_partners
from hiw_tui.db.casework.plans import household_plans, plan_history
from hiw_tui.db.casework.referrals import household_referrals
from hiw_tui.db.casework.timeline import household_timeline
from hiw_tui.db.casework.week import my_week
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Conflict, DataError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.duplicates import duplicates_of, possible_duplicates
from hiw_tui.db.households.households import (
    HouseholdFilter,
    count_households,
    household_page,
    list_households,
    open_household,
)
from hiw_tui.db.households.people import remove_person, update_person
from hiw_tui.db.ledger.posting import household_ledger, pending_spends
from hiw_tui.db.privacy.consent import household_consents
from hiw_tui.db.privacy.subject_access import subject_access, subject_access_document
from hiw_tui.db.readings.readings import person_readings, update_reading
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.domain.duplicates import Candidate
from hiw_tui.domain.framework import load_framework
from hiw_tui.reports.build import REPORTS
from hiw_tui.reports.personal.pack import handover_pack
from tests.helpers.canaries import (
    ADDRESS,
    CONTACT_CANARIES,
    CONTACT_NOTE,
    EMAIL,
    HEALTH_NOTE,
    HEALTH_SCORE,
    OLD_ADDRESS,
    PHONE,
    POSTCODE,
    SPECIAL_CANARIES,
    found,
)
from tests.helpers.clock import TODAY
from tests.helpers.factories import add_reading, person_input, reading_input, register
from tests.helpers.pdf import pdf_text
from tests.helpers.staff import Staff


@dataclass(frozen=True)
class Case:
    database: Database
    staff: Staff
    household_id: int
    person_id: int
    reference: str
    reading_id: int
    folder: Path

    def readers(self) -> dict[str, UserPublic]:
        staff = self.staff
        return {
            "own advocate": staff.ada,
            "other advocate": staff.ben,
            "supervisor": staff.liverpool_supervisor,
            "manager": staff.manager,
            "auditor": staff.auditor,
        }


@pytest.fixture
def case(database: Database, staff: Staff, tmp_path: Path) -> Case:
    person = person_input(address=OLD_ADDRESS, postcode=POSTCODE, phone=PHONE, email=EMAIL)
    record = register(database, staff.ada, staff.ada, person, safe_contact=True)
    member = record.members[0]
    database.write(
        update_person,
        actor=staff.ada,
        person_id=member.id,
        version=member.version,
        data=person_input(address=ADDRESS, postcode=POSTCODE, phone=PHONE, email=EMAIL),
    )
    database.write(record_search, actor=staff.ada, term=POSTCODE, place="list")
    framework = load_framework()
    notes = {"physical_health": f"{HEALTH_NOTE}-P", "emotional_health": f"{HEALTH_NOTE}-E"}
    scores = {area: 5 if area in notes else 3 for area in framework.codes}
    saved = add_reading(
        database,
        staff.ada,
        member.id,
        reading_input(date(2026, 1, 5), status="draft", area_notes=notes, scores=scores),
    )
    database.write(  # a draft edited: the audit holds old and new health scores and notes
        update_reading,
        actor=staff.ada,
        reading_id=saved.reading.id,
        version=saved.reading.version,
        framework=framework,
        data=reading_input(
            date(2026, 1, 5),
            area_notes={area: f"{note}-2" for area, note in notes.items()},
            scores={**scores, "physical_health": 4},
        ),
    )
    database.write(  # then corrected: the history reads the reason with the health areas
        update_reading,
        actor=staff.ada,
        reading_id=saved.reading.id,
        version=saved.reading.version + 1,
        framework=framework,
        data=reading_input(
            date(2026, 1, 5),
            area_notes={area: f"{note}-3" for area, note in notes.items()},
            scores={**scores, "physical_health": 3},
            reason="Scores typed into the wrong rows",
        ),
    )
    contact = ContactInput.model_validate(
        {"contacted_on": date(2026, 1, 6), "mode": "phone", "purpose": "Check in"}
        | {"note": CONTACT_NOTE, "participants": "Jo"}
    )
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=contact)
    return Case(
        database,
        staff,
        record.id,
        member.id,
        f"#{member.id}",
        saved.reading.id,
        tmp_path,
    )


# ---- the paths -------------------------------------------------------------------------

Path_ = Callable[[Case, UserPublic], object]

POLICY = BudgetPolicy(cap_pence=100_000, approval_threshold_pence=25_000)


def _stale_person(case: Case, actor: UserPublic) -> object:
    """A save over a version someone else has saved since: the conflict's two sides."""
    try:
        case.database.write(
            update_person,
            actor=actor,
            person_id=case.person_id,
            version=1,
            data=person_input(given_name="Stale"),
        )
    except Conflict as conflict:
        return (conflict.current, conflict.yours, str(conflict))
    return "no conflict"


def _stale_removal(case: Case, actor: UserPublic) -> object:
    try:
        case.database.write(
            remove_person, actor=actor, person_id=case.person_id, version=1, left_on=TODAY
        )
    except Conflict as conflict:
        return (conflict.current, conflict.yours, str(conflict))
    return "no conflict"


def _plan_history(case: Case, actor: UserPublic) -> object:
    plans = case.database.write(household_plans, actor=actor, household_id=case.household_id)
    return [
        case.database.read(plan_history, actor=actor, plan_id=plan.id)
        for plan in plans
        if plan.id is not None
    ]


SOUGHT = Candidate("Jo", "Bloggs", date(1988, 5, 17), PHONE, EMAIL)
"""Someone being added who shares the safe-contact member's name, birth, phone and email."""


READS: dict[str, Path_] = {
    "households.list_households": lambda c, a: c.database.read(list_households, actor=a),
    "households.count_households": lambda c, a: c.database.read(count_households, actor=a),
    "households.household_page": lambda c, a: c.database.read(
        household_page,
        actor=a,
        where=HouseholdFilter(),
        sort="reference",
        descending=False,
        limit=50,
        offset=0,
    ),
    "households.open_household": lambda c, a: c.database.write(
        open_household, actor=a, household_id=c.household_id
    ),
    "households.update_person": _stale_person,
    "households.possible_duplicates": lambda c, a: c.database.write(
        possible_duplicates, actor=a, candidate=SOUGHT, household_id=None
    ),
    "households.duplicates_of": lambda c, a: c.database.read(
        duplicates_of, actor=a, sought=[(SOUGHT, None)]
    ),
    "households.remove_person": _stale_removal,
    "audit.audit_page": lambda c, a: c.database.write(
        audit_page, actor=a, where=AuditFilter(), limit=500, offset=0
    ),
    "audit.events_for_household": lambda c, a: c.database.read(
        events_for_household, actor=a, household_id=c.household_id
    ),
    "casework.household_contacts": lambda c, a: c.database.write(
        household_contacts, actor=a, household_id=c.household_id
    ),
    "casework.household_outcomes": lambda c, a: c.database.write(
        household_outcomes, actor=a, household_id=c.household_id
    ),
    "casework.household_plans": lambda c, a: c.database.write(
        household_plans, actor=a, household_id=c.household_id
    ),
    "casework.plan_history": _plan_history,
    "casework.household_referrals": lambda c, a: c.database.write(
        household_referrals, actor=a, household_id=c.household_id
    ),
    "casework.household_timeline": lambda c, a: c.database.write(
        household_timeline, actor=a, household_id=c.household_id, framework=load_framework()
    ),
    "casework.my_week": lambda c, a: c.database.read(
        my_week, actor=a, today=TODAY, reading_due_weeks=12
    ),
    "casework.list_partners": lambda c, a: c.database.read(list_partners, actor=a),
    "access.list_advocates": lambda c, a: c.database.read(list_advocates, actor=a),
    "access.staff_page": lambda c, a: c.database.read(
        staff_page, actor=a, now=datetime.now(UTC), limit=50, offset=0
    ),
    "access.caseload_to_move": lambda c, a: c.database.read(
        caseload_to_move, actor=a, username="ada.adv", limit=50
    ),
    "ledger.household_ledger": lambda c, a: c.database.write(
        household_ledger, actor=a, household_id=c.household_id, policy=POLICY
    ),
    "ledger.pending_spends": lambda c, a: c.database.read(pending_spends, actor=a),
    "privacy.household_consents": lambda c, a: c.database.write(
        household_consents, actor=a, household_id=c.household_id
    ),
    "privacy.subject_access": lambda c, a: c.database.write(
        subject_access, actor=a, person_ref=c.reference, today=TODAY
    ),
    "privacy.subject_access_document": lambda c, a: c.database.write(
        subject_access_document, actor=a, person_ref=c.reference, today=TODAY
    ),
    "reports.handover_pack": lambda c, a: c.database.read(
        handover_pack, actor=a, person_id=c.person_id, framework=load_framework(), today=TODAY
    ),
    "readings.person_readings": lambda c, a: c.database.write(
        person_readings, actor=a, person_id=c.person_id
    ),
}
"""Query functions driven as each reader; what they return (or refuse) is checked."""

_WRITE = "a write: what it returns is the view a read above makes"
_PART = "a part of a function driven here (by the CLI report or export)"
EXEMPT: dict[str, str] = {
    "access.record_session_event": "writes a sign-in row; returns nothing",
    "access.signed_in_user": "the signed-in user's own account; no household data",
    "access.as_signed_in": "runs a path above as the signed-in user, read afresh",
    "access.staff_scope": "a query predicate",
    "access.user_in_scope": "the stored user, for the data layer only, never shown",
    "access.deactivate_user": "a write on a staff account; returns it and a count",
    "access.reactivate_user": "a write on a staff account; returns it",
    "access.remove_key": "a write on a staff account; returns it",
    "access.reassign_caseload": "a write: references moved, and the two advocates",
    "audit.record": "writes the audit row; reading it back is audit_page",
    "audit.record_search": "writes the audit row; reading it back is audit_page",
    "casework.save_contact": _WRITE,
    "casework.exit_household": _WRITE,
    "casework.convert_short_term": _WRITE,
    "casework.save_outcome": _WRITE,
    "casework.save_partner": "a partner service: no household data",
    "casework.add_goal": _WRITE,
    "casework.update_goal": _WRITE,
    "casework.add_step": _WRITE,
    "casework.update_step": _WRITE,
    "casework.move_step": _WRITE,
    "casework.agree_plan": _WRITE,
    "casework.save_referral": _WRITE,
    "casework.create_referral": _WRITE,
    "casework.import_referrals": "writes an import's referrals; returns their ids",
    "casework.check_imported_shares": "a consent check",
    "casework.create_row": _WRITE,
    "casework.update_row": _WRITE,
    "casework.open_list": "checks scope and audits the view; returns nothing",
    "casework.save_household_row": _WRITE,
    "core.household_scope": "a query predicate",
    "core.require": "a permission check",
    "core.require_can_assign": "a permission check",
    "core.check_new_household_scope": "a permission check",
    "households.household_in_scope": "the stored row, for the data layer only, never shown",
    "households.household_record": "what open_household returns",
    "households.create_household": _WRITE,
    "households.update_household": _WRITE,
    "households.suggest_reference": "a free reference: no household data",
    "households.add_person": _WRITE,
    "households.record_duplicate_decision": "writes the audit row; reading it back is audit_page",
    "ledger.post": _WRITE,
    "ledger.record_spend": _WRITE,
    "ledger.reverse_spend": _WRITE,
    "ledger.decide_spend": _WRITE,
    "ledger.raise_cap": _WRITE,
    "privacy.record_consent": _WRITE,
    "privacy.require_share_consent": "a consent check",
    "privacy.share_refusal": "a consent check",
    "privacy.audit_override": "writes the audit rows of a consent override",
    "privacy.record_file": "writes a file's audit row (its path); read back by audit_page",
    "privacy.retention_due": "references, statuses and dates of closed households only",
    "privacy.erase_household": "erases; returns nothing",
    "privacy.erase_person": "erases; returns nothing",
    "privacy.run_retention": "erases; returns ids and dates only",
    "privacy.erasure_request": "erases; returns whether it did",
    "privacy.sight": "the rule itself",
    "privacy.household_sight": "the rule itself",
    "privacy.contact_visible": "the rule itself",
    "privacy.shown_person": "the rule itself",
    "privacy.shown_event": "the rule itself",
    "privacy.withheld_terms": "the rule itself",
    "readings.create_reading": _WRITE,
    "readings.update_reading": _WRITE,
    "readings.reading_corrections": "part of person_readings, driven here",
    "reports.build_report": "driven by every `hiw-tui report` kind and format below",
    "reports.check_scope": "a scope check",
    "reports.own_scope": "the area or caseload a report stands for; no data",
    "reports.scope_words": "that scope in words; no data",
    "reports.board_report": _PART,
    "reports.report_file": "driven by every `hiw-tui report ... --out` below",
    "reports.subject_access_file": "driven by `hiw-tui subject-access` below, text and PDF",
    "reports.handover_file": "writes handover_pack (driven above) to a file",
    "reports.save_report": "the reports screen's export: report_file, named by the hour",
    "reports.cohort_profile": _PART,
    "reports.started_households": _PART,
    "reports.distance_travelled": _PART,
    "reports.performance": _PART,
    "reports.performance_by_area": _PART,
    "reports.report_audit": _PART,
    "reports.spend_report": _PART,
    "reports.caseload": _PART,
    "reports.exit_figures": _PART,
    "reports.referral_lines": _PART,
    "reports.welfare_checks": _PART,
    "reports.trends": _PART,
    "reports.households_in_scope": "a query predicate (household_scope and the period's area)",
    "transfer.export_directory": "driven by `hiw-tui export` below",
    "transfer.import_directory": "reads CSV files in; reports problems with their rows",
    "transfer.match": _PART,
    "transfer.add_stored_households": "part of the import's matching: refs to ids, in scope",
    "transfer.stored_people": "part of the import's matching: refs to ids, in scope",
    "transfer.add_stored_people": "part of the import's matching: refs to ids, in scope",
    "transfer.new_user_problem": "a check of what an importer may add",
    "transfer.duplicate_warnings": "part of the import: duplicates_of (driven here) as text",
    "transfer.user_rows": "driven by `hiw-tui export` below (users.csv: usernames and roles)",
    "transfer.plan_rows": "driven by `hiw-tui export` below (plans.csv)",
    "transfer.goal_rows": "driven by `hiw-tui export` below (goals.csv)",
    "transfer.export_casework": "part of export_directory, driven by `hiw-tui export` below",
    "transfer.check_rows": "part of the import's checking: problems name rows and refs",
    "transfer.referral_refusals": "part of the import's checking: problems name rows and refs",
    "transfer.write_partners": "part of the import's writing; returns counts",
    "transfer.write_rows": "part of the import's writing; returns counts",
}


def _output_functions() -> set[str]:
    """Every public function of the data layer, the reports and the transfer that acts
    for a user (takes `actor`), as "area.name"."""
    found = set()
    for package in (hiw_tui.db, hiw_tui.reports, hiw_tui.transfer):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            parts = info.name.split(".")
            area = parts[2] if package is hiw_tui.db else parts[1]
            for name, value in vars(module).items():
                if (
                    not name.startswith("_")
                    and inspect.isfunction(value)
                    and value.__module__ == module.__name__
                    and "actor" in inspect.signature(value).parameters
                ):
                    found.add(f"{area}.{name}")
    return found


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = _subcommands(sub, f"{prefix}{name} ")
                names |= inner or {f"{prefix}{name}"}
    return names


CLI_EXEMPT = {
    "demo": "builds a demo database of its own",
    "keys": "lists the key bindings and the keymap file; no data",
    "db upgrade": "prints schema versions",
    "db status": "prints schema versions",
    "db move": "copies the whole database to another; no user's view (tests/unit/test_move.py)",
    "user add": "staff accounts only",
    "user list": "staff accounts only",
    "user password": "staff accounts only",
    "user add-key": "staff accounts only",
    "user lock": "staff accounts only",
    "user unlock": "staff accounts only",
    "user show": "staff accounts only",
    "user deactivate": "staff accounts only (and a count of households)",
    "user reactivate": "staff accounts only",
    "user remove-key": "staff accounts only",
    "user reassign-caseload": "prints the references it moved, in the actor's scope",
    "ledger check": "prints budget ids and sums only",
    "serve-ssh": "serves the app (its screens read through the paths above)",
    "ssh-session": "the app itself (its screens read through the paths above)",
    "ssh-warm": "forks ssh-session for the server's sessions; holds no data itself",
    "authorized-keys": "staff keys only",
    "audit verify": "prints row numbers and hashes only",
    "import": "reads CSV files in",
    "retention": "prints references, statuses and dates only",
    "erase": "prints the reference it was given",
    "backup": "copies the database file (encrypted where a key is set)",
    "restore": "copies a backup in",
    "erasure-log": "ids and dates only",
}


def _cli_runs(case: Case, user: str) -> list[list[str]]:
    url = case.database.url
    out = case.folder / user
    out.mkdir(parents=True, exist_ok=True)
    runs = [
        ["subject-access", case.reference, "--out", str(out / f"sar.{kind}")]
        for kind in ("txt", "pdf")
    ]
    runs.append(["export", str(out / "export")])
    for kind in REPORTS:
        for form in ("table", "csv", "json"):
            runs.append(["report", kind, "--format", form, "--out", str(out / f"{kind}.{form}")])
    return [[*run, "--database", url, "--user", user] for run in runs]


CLI_DRIVEN = {"subject-access", "export", "report"}


def test_every_output_path_is_covered() -> None:
    functions = _output_functions()
    assert functions - READS.keys() - EXEMPT.keys() == set(), "an output path not covered"
    assert (READS.keys() | EXEMPT.keys()) - functions == set(), "a path that is gone"
    commands = _subcommands(build_parser())
    assert commands - CLI_DRIVEN - CLI_EXEMPT.keys() == set(), "a command not covered"
    assert (CLI_DRIVEN | CLI_EXEMPT.keys()) - commands == set(), "a command that is gone"


# ---- what each reader gets -------------------------------------------------------------


def _emitted(case: Case, actor: UserPublic, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """What every path emits to `actor`, errors included: path -> text."""
    said = {}
    for name, run in READS.items():
        try:
            said[name] = repr(run(case, actor))
        except DataError as error:
            said[name] = f"refused: {error}"
    for argv in _cli_runs(case, actor.username):
        main(argv)
        captured = capsys.readouterr()
        said[f"hiw-tui {' '.join(argv[:2])}"] = captured.out + captured.err
    for written in sorted((case.folder / actor.username).rglob("*")):
        if written.suffix == ".pdf":
            said[f"file {written.relative_to(case.folder)}"] = pdf_text(written)
        elif written.is_file():
            text = written.read_text(encoding="utf-8", errors="replace")
            said[f"file {written.relative_to(case.folder)}"] = text
    return said


def _leaks(said: dict[str, str], needles: tuple[str, ...]) -> dict[str, list[str]]:
    return {path: hits for path, text in said.items() if (hits := found(text, needles))}


def test_the_households_own_advocate_sees_its_details(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    """The positive control: the canaries are there to be found."""
    said = _emitted(case, case.staff.ada, capsys)
    text = "\n".join(said.values())
    assert all(value in text for value in (OLD_ADDRESS, ADDRESS, POSTCODE, PHONE, EMAIL))
    assert found(text, SPECIAL_CANARIES) and HEALTH_SCORE.search(text)
    (pdf,) = (text for path, text in said.items() if path.endswith(".pdf"))
    assert ADDRESS in pdf and HEALTH_NOTE in pdf  # the PDF is read, not passed over


@pytest.mark.parametrize("reader", ["other advocate", "supervisor", "manager", "auditor"])
def test_nobody_else_reads_a_safe_contact_households_details(
    case: Case, reader: str, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _emitted(case, case.readers()[reader], capsys)
    assert _leaks(said, CONTACT_CANARIES) == {}
    if reader == "auditor":
        assert _leaks(said, SPECIAL_CANARIES) == {}
        scores = {
            path: m.group(0) for path, text in said.items() if (m := HEALTH_SCORE.search(text))
        }
        assert scores == {}


def test_a_supervisors_subject_access_file_says_the_details_are_withheld(case: Case) -> None:
    text = case.database.write(
        subject_access,
        actor=case.staff.liverpool_supervisor,
        person_ref=case.reference,
        today=TODAY,
    )
    assert "Contact details withheld" in text and "Ada Adv" in text
    assert "Address: (withheld: safe contact)" in text
    assert HEALTH_NOTE in text  # a supervisor may read special-category data


def test_the_auditor_reads_the_health_areas_and_contact_notes_as_hidden(case: Case) -> None:
    auditor = case.staff.auditor
    readings = case.database.write(person_readings, actor=auditor, person_id=case.person_id)
    (reading,) = readings.readings
    assert "physical_health" not in reading.scores and "emotional_health" not in reading.scores
    assert set(reading.scores) and not set(reading.area_notes)
    (correction,) = readings.corrections[reading.id]
    assert correction.reason == "Scores typed into the wrong rows"
    assert correction.changes["note.physical_health"] == ["(hidden)", "(hidden)"]
    (contact,) = case.database.write(
        household_contacts, actor=auditor, household_id=case.household_id
    )
    assert contact.note == "(hidden)" and contact.purpose == "Check in"
    lines = case.database.write(audit_page, actor=auditor, where=AuditFilter(), limit=500, offset=0)
    updated = next(line for line in lines.lines if line.entity == "star_reading")
    assert updated.changes["score.physical_health"] == ["(hidden)", "(hidden)"]
    assert updated.changes["note.physical_health"] == ["(hidden)", "(hidden)"]


def test_filtering_the_audit_trail_by_a_household_is_in_its_history(case: Case) -> None:
    supervisor = case.staff.liverpool_supervisor
    reference = case.database.write(
        open_household, actor=case.staff.ada, household_id=case.household_id
    ).reference
    where = AuditFilter(household_ref=reference)
    case.database.write(audit_page, actor=supervisor, where=where, limit=10, offset=0)
    history = case.database.read(
        events_for_household, actor=case.staff.manager, household_id=case.household_id
    )
    assert (history[0].action, history[0].entity, history[0].actor_id) == (
        "search",
        "audit",
        supervisor.id,
    )
