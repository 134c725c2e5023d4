"""The tests' own shape: test modules share code through tests/helpers/ only."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent.parent


def _imported_test_modules(path: Path) -> list[str]:
    """The modules under tests/ that `path` imports, other than tests/helpers/."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.append("." * node.level + (node.module or ""))
                continue
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [
            module
            for module in modules
            if module.split(".")[0] == "tests" and not module.startswith("tests.helpers")
        ]
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("test_*.py"))
        if (imported := _imported_test_modules(path))
    }
    assert offenders == {}


def test_the_check_sees_an_import_of_another_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.conftest import TODAY\n"
        "import tests.unit.test_star\n"
        "from .test_other import thing\n"
        "from tests.helpers.pilot import settle\n"
    )
    assert _imported_test_modules(module) == [
        "tests.conftest",
        "tests.unit.test_star",
        ".test_other",
    ]
