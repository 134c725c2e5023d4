"""manifest.json: the format's version, and the rows each file of an export holds.

`{"format": "hiw-tui", "version": 2, "files": {"households.csv": 120, ...}}`. Version 1
was the six files of scores, steps, outcomes and spends; version 2 carries every field
and every row's reference (see hiw_tui.transfer.files). An import reads any version up
to its own and refuses a newer one in one problem; a folder without a manifest (a CRM's
files) is read as the files say. Nothing in it changes between two exports of the same
data, so two such exports are the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from hiw_tui.db.core.private import private_text
from hiw_tui.transfer.problems import Problem

NAME = "manifest.json"
FORMAT = "hiw-tui"
VERSION = 2


def write_manifest(folder: Path, counts: dict[str, int]) -> Path:
    path = folder / NAME
    with private_text(path) as file:
        json.dump({"format": FORMAT, "version": VERSION, "files": counts}, file, indent=2)
        file.write("\n")
    return path


def manifest_problem(folder: Path) -> Problem | None:
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
