"""Writing a report out: as a plain-text table, CSV, JSON or an XLSX workbook.

CSV and XLSX hold the report's flat table (one header row, a row per line), which a
spreadsheet or another program reads without guessing; XLSX adds an "About" sheet
saying what the report covers. Text cells from the database are written as values,
never as formulas: a cell that starts with `=`, `+`, `-` or `@` is prefixed with `'`.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from hiw_tui.reports.tables import Cell, Report, Table

FORMATS = ("table", "csv", "json", "xlsx")
_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value: Cell) -> Cell:
    """A cell a spreadsheet will not run: text that looks like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def write_text(report: Report, out: IO[str]) -> None:
    print(f"{report.title}: {report.period.describe()}", file=out)
    for table in report.tables:
        print(file=out)
        _text_table(table, out)


def _text_table(table: Table, out: IO[str]) -> None:
    shown = [[_text(cell) for cell in row] for row in table.rows]
    widths = [
        max([len(heading), *(len(row[i]) for row in shown)])
        for i, heading in enumerate(table.headings)
    ]
    numeric = [
        i > 0 and all(is_figure(row[i]) for row in table.rows) for i in range(len(table.headings))
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    print(line(list(table.headings)), file=out)
    print(line(["-" * width for width in widths]), file=out)
    for row in shown:
        print(line(row), file=out)


_FIGURE = re.compile(r"^-?£?[\d,]+(\.\d+)?%?$|^-$")


def is_figure(cell: Cell) -> bool:
    """A number, an amount, a percentage or "-" for none: right-aligned in a table."""
    return not isinstance(cell, str) or bool(_FIGURE.match(cell))


def _text(cell: Cell) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, float):
        return str(cell)  # already rounded: 37.5, 2.75, 100.0
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)


def write_csv(report: Report, out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(report.flat.headings)
    writer.writerows([safe_cell(cell) for cell in row] for row in report.flat.rows)


def write_json(report: Report, out: IO[str]) -> None:
    json.dump(report.data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_xlsx(report: Report, out: IO[bytes], *, made_by: str, today: date) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet.title = report.name
    sheet.append(list(report.flat.headings))
    for row in report.flat.rows:
        sheet.append([safe_cell(cell) for cell in row])
    sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for label, value in (
        ("Report", report.title),
        ("Covers", report.period.describe()),
        ("Made by", made_by),
        ("Made on", today.isoformat()),
    ):
        about.append([label, safe_cell(value)])
    book.save(out)


def write_report(
    report: Report, fmt: str, *, text_out: IO[str] | None, binary_out: IO[bytes] | None, **xlsx: Any
) -> None:
    """Write `report` as `fmt` to the text stream, or (XLSX) the binary one."""
    if fmt == "xlsx":
        assert binary_out is not None
        write_xlsx(report, binary_out, **xlsx)
        return
    assert text_out is not None
    {"table": write_text, "csv": write_csv, "json": write_json}[fmt](report, text_out)


def save_report(
    report: Report, fmt: str, folder: Path, *, made_by: str, today: date, now: datetime
) -> Path:
    """Write `report` as a CSV or XLSX file in `folder` (made if missing), named after the
    report and `now`, and return its path. Raises `OSError` when it cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.name}-{now:%Y%m%d-%H%M%S}.{fmt}"
    if fmt == "xlsx":
        with path.open("wb") as binary:
            write_xlsx(report, binary, made_by=made_by, today=today)
    else:
        with path.open("w", newline="", encoding="utf-8") as text:
            write_csv(report, text)
    return path
