"""The data layer, by area: core, households, readings, casework, ledger, audit, privacy,
access; migrations/ is Alembic's.

Nothing here imports Textual: the same functions serve the app, the command line and
the tests. Every query function takes the acting user and obeys their scope.

Each area's package re-exports the public names of its modules (`from hiw_tui.db.ledger
import post_spend`), resolved on first use: the areas use each other both ways (a
household's record reads its readings; saving a reading checks its household), so
importing a whole area up front would make the order of imports matter. Modules inside
the data layer import from the defining module, which mypy checks name by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any


def reexport(package: str, modules: Sequence[str]) -> Callable[[str], Any]:
    """A package's module `__getattr__`: a public name of one of its `modules`."""

    def public(module: ModuleType, name: str) -> bool:
        if name.startswith("_") or not hasattr(module, name):
            return False
        value = getattr(module, name)
        if isinstance(value, ModuleType):
            return False
        # A constant is public by its name; a class or function where it is defined.
        return name.isupper() or getattr(value, "__module__", None) == module.__name__

    def find(name: str) -> Any:
        for module_name in modules:
            module = importlib.import_module(f"{package}.{module_name}")
            if public(module, name):
                return getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return find
