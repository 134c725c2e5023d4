"""Writing a report out: as a plain-text table, CSV, JSON, an XLSX workbook or a PDF.

CSV and XLSX hold the report's flat table (one header row, a row per line), which a
spreadsheet or another program reads without guessing; the board pack's XLSX has a
sheet per table instead, with its figures as numbers. XLSX adds an "About" sheet
saying what the report covers. The PDF is for printing (`hiw_tui.reports.pdf`).
Text cells are written as values, never as formulas (`hiw_tui.domain.cells`); a CSV
file starts with a byte-order mark, so a spreadsheet reads names and "£" as UTF-8. A
report written to a file is private to the user and audited
(`hiw_tui.db.privacy.files`).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlmodel import Session

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.core.private import private_binary, private_folder, private_text
from hiw_tui.db.privacy.files import record_file
from hiw_tui.domain.cells import CellWriter, safe_row
from hiw_tui.reports.pdf import write_pdf
from hiw_tui.reports.tables import Report, Table, cell_text, is_figure

FORMATS = ("table", "csv", "json", "xlsx", "pdf")
BINARY = ("xlsx", "pdf")
"""The formats written as bytes, to a file."""


def write_text(report: Report, out: IO[str]) -> None:
    print(f"{report.title}: {report.heading()}", file=out)
    for table in report.tables:
        print(file=out)
        print(table.title, file=out)
        _text_table(table, out)


def _text_table(table: Table, out: IO[str]) -> None:
    shown = [[cell_text(cell) for cell in row] for row in table.rows]
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


def write_csv(report: Report, out: IO[str]) -> None:
    writer = CellWriter(out)
    writer.writerow(report.flat.headings)
    writer.writerows(report.flat.rows)


def write_json(report: Report, out: IO[str]) -> None:
    json.dump(report.data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_xlsx(report: Report, out: IO[bytes], *, made_by: str, today: date) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    tables = report.tables if report.sheets else [replace(report.flat, title=report.name)]
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet: Any = book.create_sheet(name)
        sheet.append(list(table.headings))
        for row in table.rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for label, value in (
        ("Report", report.title),
        ("Scope", report.scope),
        ("Covers", report.period.describe()),
        ("Made by", made_by),
        ("Made on", today.isoformat()),
    ):
        about.append(safe_row([label, value]))
    book.save(out)


def sheet_names(tables: list[Table]) -> list[str]:
    """A name for each table's sheet: its title without the characters a workbook
    refuses, at most 31 characters, each used once."""
    names: list[str] = []
    for table in tables:
        plain = re.sub(r"[\[\]*?/\\]", " ", table.title).replace(":", " -")
        name = " ".join(plain.split())[:31].strip() or "Sheet"
        number = 2
        while name in names:
            suffix = f" {number}"
            name = name[: 31 - len(suffix)].rstrip() + suffix
            number += 1
        names.append(name)
    return names


def write_report(
    report: Report, fmt: str, *, text_out: IO[str] | None, binary_out: IO[bytes] | None, **xlsx: Any
) -> None:
    """Write `report` as `fmt` to the text stream, or (XLSX, PDF) the binary one."""
    if fmt in BINARY:
        assert binary_out is not None
        write = write_pdf if fmt == "pdf" else write_xlsx
        write(report, binary_out, **xlsx)
        return
    assert text_out is not None
    {"table": write_text, "csv": write_csv, "json": write_json}[fmt](report, text_out)


def report_file(
    session: Session,
    *,
    actor: UserPublic,
    build: Query[Report],
    fmt: str,
    path: Path,
    today: date,
    own_folder: bool = False,
) -> Report:
    """Build the report and write it as `fmt` to `path` (mode 600, audited as a report
    file). Raises `OSError` when it cannot be written, and nothing is audited."""
    report = build(session, actor=actor)
    private_folder(path.parent, own=own_folder)
    if fmt in BINARY:
        with private_binary(path) as binary:
            write_report(
                report, fmt, text_out=None, binary_out=binary, made_by=actor.username, today=today
            )
    else:
        with private_text(path, bom=fmt == "csv") as text:
            write_report(report, fmt, text_out=text, binary_out=None)
    record_file(session, actor=actor, kind="report", path=path)
    return report


def save_report(
    session: Session,
    *,
    actor: UserPublic,
    build: Query[Report],
    kind: str,
    fmt: str,
    folder: Path,
    today: date,
    now: datetime,
) -> Path:
    """Export the report `build` makes (of `kind`) as CSV or XLSX to the export `folder`,
    named after the report and `now`; its path. Raises `OSError` as `report_file`."""
    path = folder / f"{kind}-{now:%Y%m%d-%H%M%S}.{fmt}"
    report_file(session, actor=actor, build=build, fmt=fmt, path=path, today=today, own_folder=True)
    return path
