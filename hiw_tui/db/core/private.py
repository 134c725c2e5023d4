"""Files the app writes, private to the user: mode 600, in folders made mode 700.

A folder the app makes for a file is mode 700 (every missing level of it). A folder the
app keeps for itself (the export folder of the settings) is tightened to 700 if found
looser; any other folder that exists already (one named on the command line, the error
log's) is left as its owner made it. A file that fails half way is removed rather than
left half written. The SQLite database, the audit key and the audit checkpoint are made
here too; `hiw_tui.db.privacy.files` adds the audit rows of files that may hold a person.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(folder: Path, *, own: bool = False) -> None:
    """Make `folder` (and each missing level above it) mode 700. `own`: a folder the app
    keeps for itself, tightened to 700 if it exists with a looser mode."""
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        os.chmod(level, PRIVATE_FOLDER)  # exactly 700, whatever the umask
    if own and not missing and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        os.chmod(folder, PRIVATE_FOLDER)


def _private_descriptor(path: Path, *, append: bool) -> int:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, PRIVATE_FILE)  # a file already there, made looser
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


@contextmanager
def _private(path: Path, mode: str, append: bool, **text: Any) -> Iterator[IO[Any]]:
    private_folder(path.parent)
    descriptor = _private_descriptor(path, append=append)
    try:
        with os.fdopen(descriptor, mode, **text) as file:
            yield file
    except BaseException:
        if not append and path.is_file():
            path.unlink(missing_ok=True)
        raise


@contextmanager
def private_text(path: Path, *, append: bool = False, bom: bool = False) -> Iterator[IO[str]]:
    """`path` opened to write UTF-8 text (`bom`: with a byte-order mark, for a CSV file a
    spreadsheet opens), mode 600 in a folder made mode 700 if missing."""
    encoding = "utf-8-sig" if bom else "utf-8"
    with _private(path, "a" if append else "w", append, encoding=encoding, newline="") as file:
        yield file


@contextmanager
def private_binary(path: Path) -> Iterator[IO[bytes]]:
    """`path` opened to write bytes, as `private_text`."""
    with _private(path, "wb", False) as file:
        yield file


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, as `private_text`."""
    with private_text(path) as file:
        file.write(text)


def touch_private(path: Path) -> bool:
    """Make `path` an empty file, mode 600 (its folder as `private_folder`), unless it
    exists already; whether this made it."""
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        return False
    return True
