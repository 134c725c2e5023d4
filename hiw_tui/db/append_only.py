"""Tables the database itself keeps append-only: triggers that refuse UPDATE and DELETE.

The statements are created by a migration; the app never needs to bypass them, and a
person with a database console meets the same refusal.
"""

from __future__ import annotations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION hiw_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def refuse_changes(dialect: str, table: str) -> list[str]:
    """The statements that make `table` refuse UPDATE and DELETE on `dialect`."""
    if dialect == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION hiw_append_only()",
        ]
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: {verb} refused'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def allow_changes(dialect: str, table: str) -> list[str]:
    """The statements that undo `refuse_changes` (for a downgrade)."""
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb} " for verb in ("update", "delete")]
