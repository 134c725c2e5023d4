"""Matches that use a column's index: a prefix, `key >= p AND key < p + TOP`, and a
set of ids found first (`in_ids`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

TOP = "\U0010ffff"
"""Above every character a key can hold."""


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` begins with `prefix` (no LIKE, so no wildcard needs escaping)."""
    return and_(column >= prefix, column < prefix + TOP)


class in_ids(ColumnElement[bool]):
    """`column IN (ids)`, where `ids` is a query of a few ids. PostgreSQL is asked
    `column = ANY(ARRAY(ids))`: the ids are found first and each looked up by the
    column's index, where for `IN` it guesses their number and, guessing a few
    thousand, reads the whole table to hash-join them (the list's search: 43 ms to 16
    ms at 100,000 households). SQLite already looks each up."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it stands, not compared with 1 on SQLite
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: Any, ids: Any) -> None:
        self.column = column
        self.ids = ids


@compiles(in_ids)
def _in_ids(element: in_ids, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(in_ids, "postgresql")
def _in_ids_postgresql(element: in_ids, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY(ARRAY({compiler.process(element.ids, **kw)}))"
