"""The installed command in a real terminal (tmux) at 80x24: colours, keys, and a clean exit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import HouseholdFilter, count_households
from tests.helpers.terminal import Terminal

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminal') / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "120", "--seed", "5", "--no-open"]) == 0
    return url


def _count(url: str, where: HouseholdFilter) -> int:
    database = Database(url)
    try:
        manager = database.read(get_user, username="manager")
        return database.read(count_households, actor=manager, where=where)
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "xterm-256color"},
        {"TERM": "xterm", "COLORTERM": ""},  # 16 colours
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
    ],
    ids=["256-colours", "16-colours", "no-colour"],
)
def test_list_search_record_help_and_quit_in_a_real_terminal(
    demo_url: str, env: dict[str, str], tmp_path: Path
) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"], env
    )
    try:
        shown = terminal.sign_in()
        assert "Ref ▲" in shown and "Primary householder" in shown
        assert len(shown.splitlines()) <= 24 and max(map(len, shown.splitlines())) <= 80
        terminal.keys("/", "H", "A", "L", "Enter")
        shown = terminal.wait_for("households · sorted")
        assert all(line.split()[0].startswith("HAL-") for line in shown.splitlines()[4:8])
        terminal.keys("Enter")
        shown = terminal.wait_for("Referred by")
        assert "Needs (" in shown
        terminal.keys("?")
        terminal.wait_for("Keys: Household")
        terminal.keys("Escape")
        time.sleep(0.3)
        terminal.keys("Escape")
        halton = _count(demo_url, HouseholdFilter(search="HAL"))
        terminal.wait_for(f"1-{halton} of {halton} households")  # back to the list, still searched
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


def test_sign_in_refuses_a_wrong_password_or_name_alike_and_shows_no_data(demo_url: str) -> None:
    terminal = Terminal([sys.executable, "-m", "hiw_tui", "--database", demo_url], {})
    try:
        shown = terminal.wait_for("Username")
        assert "households" not in shown.lower().replace("households into work", "")
        terminal.keys(*"manager", "Enter", *"not the password", "Enter")
        terminal.wait_for("Wrong username or password.")
        terminal.keys("w", "R")  # global keys do nothing before sign-in
        shown = terminal.screen()
        assert "My week" not in shown and "Performance" not in shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


def _scored_household(url: str) -> str:
    """The reference of the first active household whose primary householder has a reading."""
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            return str(
                connection.execute(
                    text(
                        "SELECT h.reference FROM household h JOIN person p ON p.household_id = h.id"
                        " WHERE h.status = 'active' AND p.role = 'primary' AND EXISTS"
                        " (SELECT 1 FROM star_reading r WHERE r.person_id = p.id)"
                        " ORDER BY h.reference LIMIT 1"
                    )
                ).scalar_one()
            )
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("env", "star"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "xterm", "COLORTERM": ""}, False),  # 16 colours: bars
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
    ],
    ids=["256-colours", "16-colours", "no-colour"],
)
def test_a_reading_typed_in_a_real_terminal_then_charted(
    demo_url: str, env: dict[str, str], star: bool
) -> None:
    reference = _scored_household(demo_url)
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"], env
    )
    try:
        terminal.sign_in()
        terminal.keys("/", *reference, "Enter")
        terminal.wait_for("1 household ·")
        terminal.keys("Enter")
        terminal.wait_for("Referred by")
        terminal.keys("s")
        terminal.wait_for("New Star reading")
        terminal.keys(*"34234452", "C-s")
        shown = terminal.wait_for("Space marks readings")
        assert len(shown.splitlines()) <= 24 and max(map(len, shown.splitlines())) <= 80
        braille = any("\u2800" < char <= "\u28ff" for char in shown)
        assert braille is star
        assert ("▲" in shown or "▼" in shown or "= 0" in shown) and "B " in shown
        if not star:
            assert "░" in shown or "█" in shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


def test_text_typed_ahead_of_the_save_key_is_all_saved(demo_url: str) -> None:
    """Over a slow link a line and Ctrl+S arrive in one burst: all of the line is saved."""
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"], {}
    )
    try:
        terminal.sign_in()
        terminal.keys("Enter")
        terminal.wait_for("Referred by")
        terminal.keys("c")
        terminal.wait_for("Contacts")
        terminal.keys("n")
        terminal.wait_for("Log a contact")
        terminal.keys("Tab", "Enter")
        terminal.wait_for("Face to face")  # the list of ways to make contact is open
        terminal.keys("Down", "Enter")
        terminal.wait_until_gone("Choose")
        terminal.keys("Tab", "Tab")
        burst = ["tmux", "send-keys", "-t", terminal.name, "Welfare check by phone", "C-s"]
        subprocess.run(burst, check=True)
        terminal.wait_until_gone("Log a contact")
        shown = terminal.wait_for("Face to face")
        assert "Welfare check by phone" in shown, shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["full", "low-bandwidth"])
def test_the_low_bandwidth_profile_uses_16_colours_and_no_mouse(
    demo_url: str, low_bandwidth: bool
) -> None:
    flag = ["--low-bandwidth"] if low_bandwidth else []
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", *flag, "--database", demo_url, "--user", "manager"],
        {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    )
    try:
        terminal.sign_in()
        coloured, mouse = terminal.colours_and_mouse()
        rich_colours = any(code in coloured for code in ("38;5;", "48;5;", "38;2;", "48;2;"))
        assert rich_colours is not low_bandwidth
        assert mouse == ("0" if low_bandwidth else "1")
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()
