"""The files a move goes through: one CSV file per table, and `manifest.json`.

Each table of the schema (`moved_tables`: `SQLModel.metadata`'s, each before the tables
that point at it) is `<table>.csv`: a header naming its columns, then its rows. The
manifest names the files' format version, the schema revision, and each file's columns
and row count.

The cells follow the import and export format's rules (`hiw_tui.transfer.values`):
dates `YYYY-MM-DD`, times in UTC with microseconds, yes/no; JSON columns as JSON text
with sorted keys (read back equal, so the audit digests over `changes` still match);
whole numbers as digits, other numbers as Python writes a float (read back exactly);
text as it is, through `CellWriter` (`hiw_tui.domain.cells`), whose formula quote
`read_back` removes. NULL is `\\N`, as PostgreSQL's COPY writes it; a text beginning
with a backslash is written with one more in front (`\\N` as text is `\\\\N`), so
nothing else reads as NULL, and an empty cell is an empty text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Table
from sqlmodel import SQLModel

import hiw_tui.db.casework.models
import hiw_tui.db.ledger.models  # noqa: F401  (the table modules register their tables)
from hiw_tui.db.core.errors import DataError
from hiw_tui.db.core.private import private_text, write_private
from hiw_tui.db.core.schema import HEAD
from hiw_tui.domain.cells import CellWriter, read_back
from hiw_tui.transfer.values import date_cell, flag_cell, read_flag, read_time, time_cell

FORMAT = 1
"""The version of the files' layout, written in the manifest."""
MANIFEST = "manifest.json"
NULL = "\\N"
ESCAPE = "\\"
BATCH = 2_000
"""Rows read, and inserted, at a time."""
_WIDEST_CELL = 2**31 - 1


class MoveError(DataError):
    """The move cannot go ahead, or did not copy faithfully (the message says which)."""


def moved_tables() -> list[Table]:
    """Every table of the schema, each before the tables that point at it."""
    return list(SQLModel.metadata.sorted_tables)


# ---- cells ----


def _text(value: str) -> str:
    return ESCAPE + value if value.startswith(ESCAPE) else value


def _read_text(cell: str) -> str:
    return cell[1:] if cell.startswith(ESCAPE) else cell


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class _Codec:
    """How one column's values are written in a cell, and read back."""

    write: Callable[[Any], str]
    read: Callable[[str], Any]

    def cell(self, value: Any) -> str:
        return NULL if value is None else self.write(value)

    def value(self, cell: str) -> Any:
        return None if cell == NULL else self.read(cell)


def _codec(column: sa.Column[Any]) -> _Codec:
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):  # SQLModel's AutoString: a String
        kind = kind.impl_instance
    if isinstance(kind, sa.Boolean):
        return _Codec(flag_cell, read_flag)
    if isinstance(kind, sa.DateTime):
        return _Codec(time_cell, read_time)
    if isinstance(kind, sa.Date):
        return _Codec(date_cell, date.fromisoformat)
    if isinstance(kind, sa.JSON):
        return _Codec(_json, json.loads)
    if isinstance(kind, sa.Integer):
        return _Codec(str, int)
    if isinstance(kind, sa.Float):
        return _Codec(repr, float)
    if isinstance(kind, sa.String):
        return _Codec(_text, _read_text)
    raise MoveError(f"{column.table.name}.{column.name} is a {kind} column, which no move copies")


# ---- the files ----


@dataclass(frozen=True)
class TableFile:
    """One table's file: its columns, in the file's order, and its rows."""

    name: str
    columns: tuple[str, ...]
    rows: int

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def write_manifest(folder: Path, files: list[TableFile]) -> None:
    manifest = {
        "format": FORMAT,
        "schema": HEAD,
        "tables": [
            {"name": entry.name, "file": entry.file, "columns": entry.columns, "rows": entry.rows}
            for entry in files
        ],
    }
    write_private(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def write_table(
    folder: Path, table: Table, rows: Iterable[Sequence[Any]], written: Callable[[int], None]
) -> TableFile:
    """Write `table`'s `rows` (values in the order of its columns) as its file in
    `folder`, telling `written` of every `BATCH` rows."""
    codecs = [_codec(column) for column in table.columns]
    entry = TableFile(table.name, tuple(table.columns.keys()), 0)
    count = 0
    with private_text(folder / entry.file) as out:
        writer = CellWriter(out)
        writer.writerow(entry.columns)
        for row in rows:
            writer.writerow(codec.cell(value) for codec, value in zip(codecs, row, strict=True))
            count += 1
            if count % BATCH == 0:
                written(BATCH)
    written(count % BATCH)
    return TableFile(entry.name, entry.columns, count)


def read_manifest(folder: Path) -> dict[str, TableFile]:
    """The manifest's tables by name; MoveError for files of another format or schema."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        tables = {
            entry["name"]: TableFile(entry["name"], tuple(entry["columns"]), int(entry["rows"]))
            for entry in manifest["tables"]
        }
        layout, schema = manifest["format"], manifest["schema"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise MoveError(f"{folder / MANIFEST} cannot be read: {error}") from None
    if layout != FORMAT:
        raise MoveError(f"the files are of format {layout}; this hiw-tui reads format {FORMAT}")
    if schema != HEAD:
        raise MoveError(
            f"the files hold schema {schema}; this hiw-tui loads schema {HEAD}: use the "
            "hiw-tui that wrote them"
        )
    expected = {table.name for table in moved_tables()}
    if set(tables) != expected:
        odd = sorted(set(tables) ^ expected)
        raise MoveError(f"the files do not hold the tables of schema {HEAD} ({', '.join(odd)})")
    return tables


@contextmanager
def wide_cells() -> Iterator[None]:
    """Cells of any length (an audit row's changes may be long) while the files are read."""
    limit = csv.field_size_limit(_WIDEST_CELL)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def read_rows(folder: Path, table: Table, entry: TableFile) -> Iterator[list[dict[str, Any]]]:
    """The rows of `table`'s file, `BATCH` at a time, as values of its columns."""
    with (folder / entry.file).open(encoding="utf-8", newline="") as file:
        cells = csv.reader(file)
        header = tuple(next(cells, []))
        if header != entry.columns or set(header) != set(table.columns.keys()):
            raise MoveError(f"{entry.file}: its columns are not those of the table {table.name}")
        codecs = [(name, _codec(table.c[name])) for name in header]
        batch: list[dict[str, Any]] = []
        for number, row in enumerate(cells, start=2):
            if len(row) != len(header):
                raise MoveError(f"{entry.file} row {number}: {len(row)} cells, not {len(header)}")
            values = {}
            for (name, codec), cell in zip(codecs, row, strict=True):
                try:
                    values[name] = codec.value(read_back(cell))
                except ValueError:
                    raise MoveError(
                        f"{entry.file} row {number}, column {name}: not a value of its column"
                    ) from None
            batch.append(values)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch
