"""The screens, the widgets and the app reach the database only through `run_db`.

`hiw_tui.screens.base.work` runs every call in a thread worker; a call made anywhere
else in the TUI could run on the UI thread and freeze the screen while it waits.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hiw_tui

PACKAGE = Path(hiw_tui.__file__).parent
TUI = [PACKAGE / "screens", PACKAGE / "widgets", PACKAGE / "app.py"]
HAND_OFF = PACKAGE / "screens" / "base" / "work.py"

DATABASE_ATTRIBUTES = {"database", "engine"}
"""The app's `Database` and a SQLAlchemy engine."""
DATABASE_CALLS = {"Session", "read_session", "write_session", "make_engine"}


def _files() -> list[Path]:
    found: list[Path] = []
    for place in TUI:
        found.extend(sorted(place.rglob("*.py")) if place.is_dir() else [place])
    return [path for path in found if path != HAND_OFF]


def database_use(source: str) -> list[tuple[int, str]]:
    """(line, what) for each use of the database in `source`: reading the app's
    `database` or an `engine`, or opening a session or an engine."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    kept = {  # `self.database = loaded.database`: the app keeps its database, uses none
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and [ast.unparse(target) for target in node.targets] == ["self.database"]
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in DATABASE_ATTRIBUTES
            and isinstance(node.ctx, ast.Load)
            and id(node) not in kept
        ):
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in DATABASE_CALLS:
                found.append((node.lineno, f"{name}("))
    return found


def test_the_check_finds_each_way_of_reaching_the_database() -> None:
    source = (
        "rows = self.app.database.read(list_households)\n"
        "database = self.app.database\n"
        "with Session(engine) as session: pass\n"
        "self.app.database.engine.connect()\n"
        "self.database = database\n"  # the app keeping what it was given is no use
        "self.database = loaded.database\n"  # nor what was loaded for it
    )
    assert sorted(database_use(source)) == [
        (1, ".database"),
        (2, ".database"),
        (3, "Session("),
        (4, ".database"),
        (4, ".engine"),
    ]


def test_screens_widgets_and_the_app_reach_the_database_only_through_run_db() -> None:
    uses = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in _files()
        for line, what in database_use(path.read_text(encoding="utf-8"))
    ]
    assert uses == [], "use run_db (hiw_tui/screens/base/work.py) instead"
