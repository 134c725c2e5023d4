"""Writing one file of an export: private, with a byte-order mark, no cell a spreadsheet
would run (`hiw_tui.domain.cells`), the header, then the rows as they stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hiw_tui.db.core.private import private_text
from hiw_tui.domain.cells import CellWriter
from hiw_tui.transfer.files import FileSpec


def write_file(folder: Path, spec: FileSpec, rows: Iterator[list[Any]]) -> int:
    """Write `spec`'s file into `folder`; the rows written."""
    written = 0
    with private_text(folder / spec.name, bom=True) as file:
        out = CellWriter(file)
        out.writerow(spec.columns)
        for row in rows:
            out.writerow(row)
            written += 1
    return written
