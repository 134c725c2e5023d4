"""Tables the database itself keeps append-only: triggers that refuse UPDATE and DELETE.

The statements are created by a migration; the app never needs to bypass them, and a
person with a database console meets the same refusal. One update is let through:
erasure (`hiw_tui.db.privacy.erasure`) emptying the table's personal free text, given as
`erasable` (column: its empty value) while every other column stays exactly as it was,
and, where `also` is given, only when that SQL condition on the row holds: an audit row
may be emptied only once the erasure has recorded it (`ERASURE_RECORDED`).
A migration that adds a column to one of these tables recreates its triggers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import JSON, inspect

from hiw_tui.domain.classification import Erase, table_columns

ERASURE_RECORDED = "EXISTS (SELECT 1 FROM erasure_audit WHERE erasure_audit.seq = OLD.seq)"
"""The condition on an audit row for emptying it: an erasure wrote it into `erasure_audit`."""

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION hiw_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def _only_erasing(
    dialect: str, columns: list[str], erasable: Mapping[str, str], also: str | None
) -> str:
    """SQL that is true when an UPDATE changes nothing but emptying `erasable` columns
    (and `also` holds)."""
    text = "::text" if dialect == "postgresql" else ""
    same = "IS NOT DISTINCT FROM" if dialect == "postgresql" else "IS"
    tests = []
    for column in columns:
        kept = f"NEW.{column}{text} {same} OLD.{column}{text}"
        if column in erasable:
            kept = f"({kept} OR NEW.{column}{text} = '{erasable[column]}')"
        tests.append(kept)
    return " AND ".join([*tests, *([also] if also else [])])


def refuse_changes(
    dialect: str,
    table: str,
    columns: list[str] | None = None,
    erasable: Mapping[str, str] | None = None,
    also: str | None = None,
) -> list[str]:
    """The statements that make `table` refuse UPDATE and DELETE on `dialect`; with
    `erasable`, an UPDATE that only empties those of `columns` (all the table's) passes,
    if `also` (an SQL condition on OLD) holds."""
    erasable = erasable or {}
    columns = columns or []
    if dialect == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
        function = "hiw_append_only"
        if erasable:
            function = f"hiw_{table}_erase_only"
            condition = _only_erasing(dialect, columns, erasable, also)
            statements.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n    IF TG_OP = 'UPDATE' AND {condition}"
                " THEN\n        RETURN NEW;\n    END IF;\n"
                "    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;\n"
                "END\n$$"
            )
        return [
            *statements,
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    statements = []
    for verb in ("UPDATE", "DELETE"):
        when = ""
        if verb == "UPDATE" and erasable:
            when = f"WHEN NOT ({_only_erasing(dialect, columns, erasable, also)}) "
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}",
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: {verb} refused'); END",
        ]
    return statements


def allow_changes(dialect: str, table: str) -> list[str]:
    """The statements that undo `refuse_changes` (for a downgrade)."""
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb} " for verb in ("update", "delete")]


def erase_only(bind: Any, table: str, also: str | None = None) -> list[str]:
    """`refuse_changes` for `table` as it stands, letting erasure empty the columns the
    classification marks to be emptied ('' or, for JSON, {}) where `also` holds."""
    columns = inspect(bind).get_columns(table)
    emptied = table_columns(table, Erase.BLANK)
    erasable = {
        column["name"]: "{}" if isinstance(column["type"], JSON) else ""
        for column in columns
        if column["name"] in emptied
    }
    names = [column["name"] for column in columns]
    return refuse_changes(bind.dialect.name, table, names, erasable, also)
