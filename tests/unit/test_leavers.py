"""Leavers: deactivating and reactivating an account, removing its keys, moving its
caseload, and who may do each to whom; the name stays in the trail and the reports."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncssh
import pytest
from pydantic import ValidationError
from sqlmodel import col, select

from hiw_tui.db.access.accounts import AccountStatus, unlock_user
from hiw_tui.db.access.auth import WRONG, check_password, set_password
from hiw_tui.db.access.caseloads import caseload_to_move, reassign_caseload
from hiw_tui.db.access.keys import add_key, user_for_key
from hiw_tui.db.access.leavers import deactivate_user, reactivate_user, remove_key
from hiw_tui.db.access.sessions import SessionEnded, signed_in_user
from hiw_tui.db.access.staff import staff_page
from hiw_tui.db.audit.log import AuditFilter, audit_page
from hiw_tui.db.casework.week import my_week
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import DataError, FieldError, Forbidden, NotFound
from hiw_tui.db.core.models import AuditEvent, AuditPublic, Household, UserPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.domain.case_inputs import CaseloadMoveInput
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.caseload import caseload
from tests.helpers.clock import TODAY
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff

PASSWORD = "a long enough password"


def _move(to: str, *households: str, reason: str = "Left the service") -> CaseloadMoveInput:
    return CaseloadMoveInput(to_advocate=to, households=list(households) or None, reason=reason)


def _audit(database: Database, action: str) -> list[AuditPublic]:
    return database.read(
        lambda session: [
            AuditPublic.model_validate(event)
            for event in session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.seq))
            )
        ]
    )


def _sign_in(database: Database, username: str) -> str:
    result = database.write(
        check_password,
        username=username,
        password=PASSWORD,
        now=datetime.now(UTC),
        attempts=5,
        lock_minutes=15,
    )
    return "signed in" if result.user else result.message


def test_a_supervisor_deactivates_a_leaver_who_then_cannot_sign_in_by_password_or_key(
    database: Database, staff: Staff
) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    key = asyncssh.generate_private_key("ssh-ed25519")
    database.write(add_key, username="ada.adv", text=key.export_public_key("openssh").decode())
    register(database, staff.manager, staff.ada, person_input())
    assert _sign_in(database, "ada.adv") == "signed in"

    done = database.write(deactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")

    assert not done.user.active and done.households == 1
    assert _sign_in(database, "ada.adv") == WRONG  # nothing said of why
    assert database.read(user_for_key, username="ada.adv", key=key) is None
    with pytest.raises(SessionEnded, match="deactivated"):
        database.read(signed_in_user, actor=staff.ada)
    (row,) = _audit(database, "deactivate")
    assert (row.actor_id, row.entity, row.entity_id) == (
        staff.liverpool_supervisor.id,
        "user",
        staff.ada.id,
    )
    assert row.changes["active"] == [True, False]
    with pytest.raises(DataError, match="reactivate"):
        database.write(unlock_user, username="ada.adv")  # only reactivating undoes it


def test_who_may_deactivate_whom(database: Database, staff: Staff) -> None:
    with pytest.raises(NotFound, match="in your area"):  # Cal works in Wirral
        database.write(deactivate_user, actor=staff.liverpool_supervisor, username="cal.adv")
    with pytest.raises(NotFound):  # a manager has no area of a supervisor's
        database.write(deactivate_user, actor=staff.liverpool_supervisor, username="pat.manager")
    for actor in (staff.ben, staff.auditor):
        with pytest.raises(Forbidden):
            database.write(deactivate_user, actor=actor, username="ada.adv")
    with pytest.raises(Forbidden, match="your own"):
        database.write(deactivate_user, actor=staff.manager, username="pat.manager")
    database.write(deactivate_user, actor=staff.manager, username="cal.adv")  # anywhere
    with pytest.raises(DataError, match="already"):
        database.write(deactivate_user, actor=staff.wirral_supervisor, username="cal.adv")


def test_reactivating_gives_the_account_back_as_it_was(database: Database, staff: Staff) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    with pytest.raises(DataError, match="not deactivated"):
        database.write(reactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")
    database.write(deactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")
    with pytest.raises(NotFound):
        database.write(reactivate_user, actor=staff.wirral_supervisor, username="ada.adv")
    back = database.write(reactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")
    assert back.active and _sign_in(database, "ada.adv") == "signed in"
    assert database.read(signed_in_user, actor=staff.ada).active
    assert [row.changes["active"] for row in _audit(database, "reactivate")] == [[False, True]]


def test_a_users_keys_are_listed_and_removed_within_scope(database: Database, staff: Staff) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    database.write(add_key, username="ada.adv", text=key.export_public_key("openssh").decode())
    now = datetime.now(UTC)
    page = database.read(staff_page, actor=staff.liverpool_supervisor, now=now, limit=50, offset=0)
    ada = next(member for member in page.members if member.username == "ada.adv")
    (listed,) = ada.keys
    assert listed.fingerprint == key.get_fingerprint("sha256")
    with pytest.raises(NotFound):
        database.write(
            remove_key,
            actor=staff.wirral_supervisor,
            username="ada.adv",
            fingerprint=listed.fingerprint,
        )
    with pytest.raises(NotFound, match="no key"):
        database.write(
            remove_key, actor=staff.liverpool_supervisor, username="ada.adv", fingerprint="nope"
        )
    database.write(
        remove_key,
        actor=staff.liverpool_supervisor,
        username="ada.adv",
        fingerprint=listed.fingerprint.removeprefix("SHA256:"),
    )
    assert database.read(user_for_key, username="ada.adv", key=key) is None
    (row,) = _audit(database, "remove_key")
    assert row.changes["key"] == [listed.fingerprint, None]


def test_the_users_screen_lists_a_supervisors_area_and_each_ones_state(
    database: Database, staff: Staff
) -> None:
    register(database, staff.manager, staff.ada, person_input())
    register(database, staff.manager, staff.ada, person_input(), status="exited", end_date=TODAY)
    database.write(deactivate_user, actor=staff.manager, username="ada.adv")
    now = datetime.now(UTC)
    page = database.read(staff_page, actor=staff.liverpool_supervisor, now=now, limit=50, offset=0)
    listed = {member.username: member for member in page.members}
    assert set(listed) == {"ada.adv", "ben.adv", "sam.super"} and page.total == 3
    assert listed["ada.adv"].status is AccountStatus.DEACTIVATED
    assert listed["ada.adv"].households == 1  # the exited one stays with her
    assert listed["ben.adv"].status is AccountStatus.OPEN
    everyone = database.read(staff_page, actor=staff.manager, now=now, limit=3, offset=0)
    assert everyone.total == 7 and len(everyone.members) == 3
    with pytest.raises(Forbidden):
        database.read(staff_page, actor=staff.ada, now=now, limit=50, offset=0)


def _advocates(database: Database) -> dict[str, int]:
    return database.read(
        lambda session: {
            reference: advocate
            for reference, advocate in session.exec(
                select(Household.reference, Household.advocate_id)
            )
        }
    )


def test_a_caseload_moves_in_one_step_audited_per_household_with_the_reason(
    database: Database, staff: Staff
) -> None:
    first = register(database, staff.manager, staff.ada, person_input(), reference="LIV-1")
    register(database, staff.manager, staff.ada, person_input(), reference="LIV-2")
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        reference="LIV-3",
        status="exited",
        end_date=TODAY,
    )
    database.write(deactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")

    moved = database.write(
        reassign_caseload,
        actor=staff.liverpool_supervisor,
        username="ada.adv",
        data=_move("ben.adv", reason="Ada left in March"),
    )

    assert moved.references == ["LIV-1", "LIV-2"]
    advocates = _advocates(database)
    assert (advocates["LIV-1"], advocates["LIV-2"]) == (staff.ben.id, staff.ben.id)
    assert advocates["LIV-3"] == staff.ada.id  # a closed case stays with who worked it
    with pytest.raises(FieldError, match=r"Not open on ada\.adv's caseload.*: LIV-3"):
        database.write(  # chosen by name, it stays too
            reassign_caseload,
            actor=staff.liverpool_supervisor,
            username="ada.adv",
            data=_move("ben.adv", "LIV-3"),
        )
    rows = _audit(database, "reassign")
    assert {row.household_id for row in rows} == {first.id, first.id + 1}
    for row in rows:
        assert row.actor_id == staff.liverpool_supervisor.id
        assert row.changes["advocate"] == ["ada.adv", "ben.adv"]
        assert row.changes["reason"] == [None, "Ada left in March"]
    stored = database.write(open_household, actor=staff.manager, household_id=first.id)
    assert stored.version == first.version + 1  # a form open on it hears it changed


def test_chosen_households_move_and_the_rest_stay(database: Database, staff: Staff) -> None:
    for reference in ("LIV-1", "LIV-2", "LIV-3"):
        register(database, staff.manager, staff.ada, person_input(), reference=reference)
    choices = database.read(
        caseload_to_move, actor=staff.liverpool_supervisor, username="ada.adv", limit=50
    )
    assert [h.reference for h in choices.households] == ["LIV-1", "LIV-2", "LIV-3"]
    assert choices.advocates == [("ben.adv", "Ben Adv")]  # active, Liverpool, not Ada
    database.write(
        reassign_caseload,
        actor=staff.liverpool_supervisor,
        username="ada.adv",
        data=_move("ben.adv", "liv-1", "LIV-3"),
    )
    advocates = _advocates(database)
    assert [advocates[r] for r in ("LIV-1", "LIV-2", "LIV-3")] == [
        staff.ben.id,
        staff.ada.id,
        staff.ben.id,
    ]


def test_a_move_is_refused_whole_when_any_part_of_it_is_wrong(
    database: Database, staff: Staff
) -> None:
    register(database, staff.manager, staff.ada, person_input(), reference="LIV-1")
    register(database, staff.manager, staff.ben, person_input(), reference="LIV-2")
    register(database, staff.manager, staff.cal, person_input(), reference="WIR-1")
    supervisor = staff.liverpool_supervisor
    refusals = {
        "LIV-2": _move("ben.adv", "LIV-1", "LIV-2"),  # Ben's already: nothing moves
        "another local authority": _move("cal.adv"),  # Wirral (as the manager)
        "not an active advocate": _move("sam.super"),
        "another advocate than": _move("ada.adv"),
    }
    for message, data in refusals.items():
        actor = staff.manager if "local authority" in message else supervisor
        with pytest.raises(FieldError, match=message):
            database.write(reassign_caseload, actor=actor, username="ada.adv", data=data)
    with pytest.raises(FieldError, match="in your area"):
        database.write(
            reassign_caseload, actor=supervisor, username="ada.adv", data=_move("cal.adv")
        )
    with pytest.raises(NotFound):
        database.write(
            reassign_caseload, actor=supervisor, username="cal.adv", data=_move("ada.adv")
        )
    with pytest.raises(Forbidden):
        database.write(
            reassign_caseload, actor=staff.ben, username="ada.adv", data=_move("ben.adv")
        )
    database.write(deactivate_user, actor=supervisor, username="ben.adv")
    with pytest.raises(FieldError, match="not an active advocate"):
        database.write(
            reassign_caseload, actor=supervisor, username="ada.adv", data=_move("ben.adv")
        )
    with pytest.raises(DataError, match="no households"):
        database.write(
            reassign_caseload, actor=supervisor, username="sam.super", data=_move("ada.adv")
        )
    assert _advocates(database) == {
        "LIV-1": staff.ada.id,
        "LIV-2": staff.ben.id,
        "WIR-1": staff.cal.id,
    }
    assert _audit(database, "reassign") == []


def test_a_move_needs_a_reason_and_a_household_ticked() -> None:
    with pytest.raises(ValidationError, match="reason"):
        CaseloadMoveInput(to_advocate="ben.adv", reason="  ")
    with pytest.raises(ValidationError, match="Tick at least one"):
        CaseloadMoveInput(to_advocate="ben.adv", households=[], reason="Left")


def _moves(database: Database, actor: UserPublic) -> list[str]:
    week = database.read(my_week, actor=actor, today=TODAY, reading_due_weeks=12)
    return [f"{item.reference}: {item.what}" for item in week if item.kind == "move"]


def test_a_leavers_households_wait_on_the_overseers_week_until_moved(
    database: Database, staff: Staff
) -> None:
    register(database, staff.manager, staff.ada, person_input(), reference="LIV-1")
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        reference="LIV-2",
        status="exited",
        end_date=TODAY,
    )
    register(database, staff.manager, staff.cal, person_input(), reference="WIR-1")
    assert _moves(database, staff.liverpool_supervisor) == []
    database.write(deactivate_user, actor=staff.manager, username="ada.adv")
    database.write(deactivate_user, actor=staff.manager, username="cal.adv")

    assert _moves(database, staff.liverpool_supervisor) == ["LIV-1: Ada Adv left"]
    assert _moves(database, staff.manager) == ["LIV-1: Ada Adv left", "WIR-1: Cal Adv left"]
    assert _moves(database, staff.ben) == []
    database.write(
        reassign_caseload,
        actor=staff.liverpool_supervisor,
        username="ada.adv",
        data=_move("ben.adv"),
    )
    assert _moves(database, staff.liverpool_supervisor) == []


def test_a_leaver_stays_named_in_the_audit_trail_and_the_reports(
    database: Database, staff: Staff
) -> None:
    household = register(database, staff.manager, staff.ada, person_input())
    database.write(open_household, actor=staff.ada, household_id=household.id)
    database.write(deactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")
    trail = database.write(
        audit_page,
        actor=staff.liverpool_supervisor,
        where=AuditFilter(username="ada.adv"),
        limit=50,
        offset=0,
    )
    assert {line.username for line in trail.lines} == {"ada.adv"} and trail.total >= 1
    lines = database.read(
        caseload,
        actor=staff.liverpool_supervisor,
        period=Period(as_of=TODAY),
        default_cap=100_000,
        reading_due_weeks=12,
    )
    assert [(line.advocate, line.name) for line in lines if line.advocate == "ada.adv"] == [
        ("ada.adv", "Ada Adv")
    ]
