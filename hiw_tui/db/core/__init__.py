"""Engines and transactions, the schema and its version, errors, scope, the shared tables
(households, people, users, Star readings), append-only triggers and backups."""

from hiw_tui.db import reexport

__getattr__ = reexport(
    __name__, ("append_only", "backup", "engine", "errors", "models", "schema", "scope")
)
