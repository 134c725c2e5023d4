"""An audit trail that cannot be quietly edited, even by someone with SQL access: an
emptied row needs a recorded erasure, a re-computed chain needs the key, and a
shortened chain misses the head kept elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlmodel import Session, col, select

from hiw_tui.cli import main
from hiw_tui.db.access.auth import record_session_event
from hiw_tui.db.audit.chain import GENESIS, UNKEYED, Kept, chain, verify_chain
from hiw_tui.db.audit.key import AuditKey, AuditKeyError
from hiw_tui.db.core.append_only import ERASURE_RECORDED, allow_changes, erase_only
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import AuditEvent
from tests.helpers.staff import Staff


def _sign_ins(database: Database, staff: Staff, times: int) -> None:
    for _ in range(times):
        database.write(record_session_event, actor=staff.ada, action="sign_in")


def _without_triggers(database: Database, *statements: Any) -> None:
    """Run `statements` as someone who can drop the audit table's triggers."""
    dialect = database.engine.dialect.name
    with database.engine.begin() as connection:
        for drop in allow_changes(dialect, "audit_event"):
            connection.execute(text(drop))
        for statement in statements:
            if callable(statement):
                statement(Session(bind=connection))
            else:
                connection.execute(statement)
        for create in erase_only(connection, "audit_event", ERASURE_RECORDED):
            connection.execute(text(create))


def test_emptying_a_row_without_an_erasure_is_refused_and_found(
    database: Database, staff: Staff
) -> None:
    _sign_ins(database, staff, 3)
    empty = update(AuditEvent).where(col(AuditEvent.seq) == 2).values(changes={}, nonce="")
    with pytest.raises(Exception, match="append-only"):
        database.write(lambda session: session.execute(empty))
    assert database.read(verify_chain).problems == []
    _without_triggers(database, empty)
    assert database.read(verify_chain).problems == [
        "row 2: its changes were emptied, but by no recorded erasure"
    ]


def _rechain(key: bytes) -> Any:
    """What a forger with SQL access does after changing a row: hash the chain again."""

    def forge(session: Session) -> None:
        rows = [
            {name: getattr(row, name) for name in AuditEvent.model_fields if name != "nonce"}
            for row in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))
        ]
        for row in chain(rows, 0, GENESIS, key):
            session.execute(
                update(AuditEvent)
                .where(col(AuditEvent.id) == row["id"])
                .values(prev_hash=row["prev_hash"], hash=row["hash"])
            )

    return forge


def test_a_chain_recomputed_without_the_key_fails(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _sign_ins(database, staff, 3)
    changed = update(AuditEvent).where(col(AuditEvent.seq) == 2).values(action="sign_out")
    for guess in (UNKEYED, b"a guessed key"):
        _without_triggers(database, changed, _rechain(guess))
        problems = database.read(verify_chain).problems
        assert "row 1: changed since it was written" in problems
    # With the key, the same forgery would pass: the key is what stops it.
    _without_triggers(database, _rechain(database.audit_key.get(create=False)))
    assert database.read(verify_chain).problems == []


def test_removing_the_newest_rows_misses_the_kept_head(database: Database, staff: Staff) -> None:
    _sign_ins(database, staff, 2)
    kept = database.read(verify_chain).head
    _sign_ins(database, staff, 2)
    later = database.read(verify_chain).head
    assert database.read(verify_chain, expect=[kept, later]).problems == []
    _without_triggers(database, AuditEvent.__table__.delete().where(col(AuditEvent.seq) > kept.seq))  # type: ignore[attr-defined]
    assert database.read(verify_chain).problems == []  # whole, but shorter
    assert database.read(verify_chain, expect=[kept]).problems == []
    assert database.read(verify_chain, expect=[later]).problems == [
        f"the kept head {later} is not in the chain: rows were removed or changed"
    ]


def test_audit_verify_checks_and_extends_its_checkpoint(
    sqlite_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.staff import add_staff

    staff = add_staff(sqlite_database)
    url, checkpoint = sqlite_database.url, tmp_path / "audit-heads"
    _sign_ins(sqlite_database, staff, 2)
    assert main(["audit", "verify", "--database", url, "--checkpoint", str(checkpoint)]) == 0
    _sign_ins(sqlite_database, staff, 1)
    assert main(["audit", "verify", "--database", url, "--checkpoint", str(checkpoint)]) == 0
    heads = checkpoint.read_text().splitlines()
    assert len(heads) == 2 and Kept.parse(heads[1]).seq == Kept.parse(heads[0]).seq + 1
    capsys.readouterr()
    _without_triggers(
        sqlite_database,
        text("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)"),
    )
    assert main(["audit", "verify", "--database", url]) == 0
    assert main(["audit", "verify", "--database", url, "--checkpoint", str(checkpoint)]) == 1
    assert f"the kept head {heads[1]} is not in the chain" in capsys.readouterr().out
    assert main(["audit", "verify", "--database", url, "--expect", heads[0]]) == 0
    assert main(["audit", "verify", "--database", url, "--expect", heads[1]]) == 1


def test_a_chain_with_rows_is_never_given_a_new_key(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    _sign_ins(database, staff, 1)
    key_file = database.audit_key.file
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o077 == 0
    elsewhere = Database(database.url, audit_key=AuditKey(file=tmp_path / "other.key"))
    try:
        with pytest.raises(AuditKeyError, match=r"audit key file .* is missing"):
            _sign_ins(elsewhere, staff, 1)
        with pytest.raises(AuditKeyError):
            elsewhere.read(verify_chain)
        assert not (tmp_path / "other.key").exists()
    finally:
        elsewhere.dispose()


def test_the_upgrade_keys_the_chain_and_vouches_for_rows_emptied_before(tmp_path: Path) -> None:
    from alembic import command

    from hiw_tui.db.core import schema
    from tests.helpers.staff import add_staff

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = schema._config(database.engine)

    def migrate(step: Any, revision: str) -> None:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    migrate(command.upgrade, "head")
    staff = add_staff(database)  # through today's models, so at today's schema
    migrate(command.downgrade, "0009")
    _sign_ins(database, staff, 3)
    emptied = update(AuditEvent).where(col(AuditEvent.seq) == 2).values(changes={}, nonce="")
    database.write(lambda session: session.execute(emptied))  # as erasure did before 0010
    migrate(command.upgrade, "head")
    report = database.read(verify_chain)
    newest = database.read(
        lambda session: session.exec(
            select(AuditEvent.action, AuditEvent.changes).where(AuditEvent.seq == report.head_seq)
        ).one()
    )
    assert report.problems == []
    assert tuple(newest) == ("rekey", {"blanked": [None, [2]]})
    migrate(command.downgrade, "0009")
    migrate(command.upgrade, "head")
    assert database.read(verify_chain).problems == []
    database.dispose()


def test_an_empty_trail_verifies_without_its_key_file(database: Database, tmp_path: Path) -> None:
    """A new database (a demo, say) has no audit rows yet and no key file: nothing to
    check, so nothing to ask for."""
    keyless = Database(database.url, audit_key=AuditKey(file=tmp_path / "none.key"))
    try:
        report = keyless.read(verify_chain)
        assert report.problems == [] and report.head_seq == 0
        assert not (tmp_path / "none.key").exists()
    finally:
        keyless.dispose()
