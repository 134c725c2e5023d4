"""manifest.json: the format's version, and the rows each file of an export holds.

`{"format": "hiw-tui", "version": 3, "files": {"households.csv": 120, ...}}`. Version 1
was the six files of scores, steps, outcomes and spends; version 2 carries every field
and every row's reference (see hiw_tui.transfer.files); version 3 adds who took part in
a contact as members (contacts.csv's `participant_refs`) and the programmes before HiW
as codes (households.csv's `previous_programme_codes`), both optional columns, so a
version 2 folder imports as it did. An import reads any version up to its own and
refuses a newer one in one problem; a folder without a manifest (a CRM's
files) is read as the files say. Nothing in it changes between two exports of the same
data, so two such exports are the same bytes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hiw_tui.db.core.private import private_text
from hiw_tui.transfer.files import FILES
from hiw_tui.transfer.problems import Problem

NAME = "manifest.json"
EDITED = f": not the folder as exported (to import the files as they are, remove {NAME})"
FORMAT = "hiw-tui"
VERSION = 3


def write_manifest(folder: Path, counts: dict[str, int]) -> Path:
    path = folder / NAME
    with private_text(path) as file:
        json.dump({"format": FORMAT, "version": VERSION, "files": counts}, file, indent=2)
        file.write("\n")
    return path


def folder_problems(folder: Path) -> list[Problem]:
    """What keeps this import from reading `folder` at all, one problem each: no file it
    reads, a CSV file of another name (`Households.csv`, `person.csv`), or a manifest
    that is newer than this hiw-tui or that the files do not match (one missing, or of
    other rows than it lists: not the folder as exported)."""
    from hiw_tui.transfer.casework.files import CASEWORK_FILES  # its package needs parse

    known = {spec.name for spec in (*FILES, *CASEWORK_FILES)}
    found = {path.name for path in folder.iterdir() if path.is_file()}
    problems = [
        Problem(name, 0, "", _unknown_file(name, known))
        for name in sorted(found - known)
        if name.lower().endswith(".csv")
    ]
    if not found & known:
        listed = ", ".join(spec.name for spec in FILES[:3])
        problems.append(Problem(folder.name, 0, "", f"no file the import reads ({listed}, ...)"))
    refused = _manifest_problem(folder)
    if refused is not None:
        return [*problems, refused]
    return problems + _not_as_exported(folder, found)


def _unknown_file(name: str, known: set[str]) -> str:
    like = next((file for file in sorted(known) if file.lower() == name.lower()), None)
    meant = f"; did you mean {like}?" if like else f"; it reads {', '.join(sorted(known))}"
    return "not a file the import reads" + meant


def _not_as_exported(folder: Path, found: set[str]) -> list[Problem]:
    path = folder / NAME
    if not path.is_file():
        return []
    problems = []
    for name, listed in json.loads(path.read_text(encoding="utf-8"))["files"].items():
        if name not in found:
            if listed:
                reason = f"missing, but the manifest lists {listed:,} rows{EDITED}"
                problems.append(Problem(name, 0, "", reason))
            continue
        rows = _rows_in(folder / name)
        if rows is not None and rows != listed:
            reason = f"{rows:,} rows, but the manifest lists {listed:,}{EDITED}"
            problems.append(Problem(name, 0, "", reason))
    return problems


def _rows_in(path: Path) -> int | None:
    """The data rows of a CSV file (None if it is not UTF-8: the reader says so)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            return sum(1 for row in csv.reader(file) if any(cell.strip() for cell in row)) - 1
    except (UnicodeDecodeError, csv.Error):
        return None


def _manifest_problem(folder: Path) -> Problem | None:
    """What keeps this import from reading `folder`'s files, by its manifest; None if
    nothing does (or there is no manifest)."""
    path = folder / NAME
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        version = int(manifest["version"])
        if manifest["format"] != FORMAT:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return Problem(NAME, 0, "", "not an hiw-tui manifest; remove it to import the files")
    if version > VERSION:
        reason = (
            f"written by a newer hiw-tui (format {version}); this one reads up to {VERSION}: "
            "upgrade hiw-tui to import it"
        )
        return Problem(NAME, 0, "", reason)
    return None
