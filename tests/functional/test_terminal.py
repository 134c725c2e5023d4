"""The installed command in a real terminal (tmux) at 80x24: colours, keys (one at a time
and in bursts), and a clean exit."""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import HouseholdFilter, count_households, list_households
from hiw_tui.demo.generate import DEMO_PASSWORD
from hiw_tui.domain.codes import BudgetCategory
from tests.helpers.terminal import Terminal, field_value

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
        assert "Ref ▲" in shown and "Householder" in shown
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
        terminal.wait_for(f"{halton} households")  # back to the list, still searched
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


def test_a_password_typed_before_the_screen_is_drawn_signs_in(demo_url: str) -> None:
    """The password and Enter typed in one burst at launch, before anything is on the
    screen, with --user filling in the username: the password lands in its own field
    (not over the username) and Enter signs in."""
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"],
        {"TERM": "xterm-256color"},
    )
    try:
        assert "Password" not in terminal.screen()
        terminal.burst(*DEMO_PASSWORD, "Enter")
        shown = terminal.wait_for("of 120 households")
        assert "Pat Manager" in shown
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
        terminal.keys("Tab", "Tab", "Tab")  # past who took part and others there
        terminal.burst("Welfare check by phone", "C-s")
        terminal.wait_until_gone("Log a contact")
        shown = terminal.wait_for("Face to face")
        assert "Welfare check by phone" in shown, shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


@pytest.fixture
def manager(demo_url: str) -> Iterator[Terminal]:
    """The app in a terminal, signed in as the programme manager, at the household list."""
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"], {}
    )
    try:
        terminal.sign_in()
        yield terminal
    finally:
        terminal.close()


def _references(url: str, search: str) -> list[str]:
    """The references the household list shows for `search`, in its order."""
    database = Database(url)
    try:
        manager = database.read(get_user, username="manager")
        rows = database.read(
            list_households, actor=manager, where=HouseholdFilter(search=search), limit=200
        )
        return [row.reference for row in rows]
    finally:
        database.dispose()


def _shared_surname(url: str) -> str:
    """A primary householder's surname that the list search finds in two households or more."""
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            names = connection.execute(
                text("SELECT family_name FROM person WHERE role = 'primary' ORDER BY id")
            ).scalars()
            surnames = [str(name) for name in names]
    finally:
        database.dispose()
    return next(name for name in surnames if len(_references(url, name)) >= 2)


def _active_household(url: str) -> str:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            return str(
                connection.execute(
                    text(
                        "SELECT reference FROM household WHERE status = 'active'"
                        " ORDER BY reference LIMIT 1"
                    )
                ).scalar_one()
            )
    finally:
        database.dispose()


def _open(terminal: Terminal, reference: str) -> None:
    """From the household list, find the household by its reference and open it."""
    terminal.keys("/", *reference, "Enter")
    terminal.wait_for("1 household ·")
    terminal.keys("Enter")
    terminal.wait_for("Referred by")


def _new_spend(terminal: Terminal, reference: str) -> None:
    _open(terminal, reference)
    terminal.keys("b")
    terminal.wait_for("n Spend")
    terminal.keys("n")
    terminal.wait_for("Record a spend")


# Over SSH or on a busy machine the keys typed in a moment arrive in one read: each burst
# below is written to the terminal at once, and must apply as if typed one by one.


def test_backspace_ctrl_u_home_and_end_in_a_burst_apply_where_typed(
    manager: Terminal, demo_url: str
) -> None:
    _new_spend(manager, _active_household(demo_url))
    manager.burst("1", "0", "0", "BSpace", "BSpace", "5", "0")
    manager.wait_for_field("Amount (£)", "150")
    manager.burst("C-u", "2", "5", "Home", "1", "End", "0")
    manager.wait_for_field("Amount (£)", "1250")


def test_a_choice_made_in_a_burst_is_kept(manager: Terminal, demo_url: str) -> None:
    _new_spend(manager, _active_household(demo_url))
    manager.burst("Tab", "Enter", "Down", "Enter", "Tab", "Bakery")
    shown = manager.wait_for_field("Paid to", "Bakery")
    first_category = BudgetCategory.choices()[0][0]
    assert field_value(shown, "Category") == first_category, shown


def test_keys_typed_while_a_form_opens_land_in_it(manager: Terminal, demo_url: str) -> None:
    _open(manager, _active_household(demo_url))
    manager.keys("b")
    manager.wait_for("n Spend")
    manager.burst("n", "1", "5")
    manager.wait_for_field("Amount (£)", "15")
    manager.keys("Escape")
    manager.wait_for("You have unsaved changes")
    manager.keys("d")
    manager.wait_until_gone("Record a spend")
    manager.keys("Escape")
    manager.wait_for("Referred by")
    manager.keys("p")
    manager.wait_for("n Step")
    manager.burst("n", "Typed ahead")
    manager.wait_for_field("Step", "Typed ahead")


def test_a_search_cleared_and_typed_in_a_burst_finds_the_name(
    manager: Terminal, demo_url: str
) -> None:
    manager.keys("/", "H", "A", "L", "Enter")
    halton = len(_references(demo_url, "HAL"))
    manager.wait_for(f"{halton} households ·")
    surname = _shared_surname(demo_url)
    manager.burst("/", "C-u", surname, "Enter")
    found = len(_references(demo_url, surname))
    manager.wait_for(f"{found} households ·")


def test_a_key_typed_after_enter_goes_to_the_screen_enter_opened(manager: Terminal) -> None:
    manager.burst("Enter", "h")
    manager.wait_for("Star readings")


def test_a_report_scrolled_home_in_a_burst_pages_on_from_its_top(manager: Terminal) -> None:
    """Each key moves at once: a Page Down typed straight after Home pages on from the
    top, not from wherever a scrolling animation had got to, and two j's go two lines."""
    manager.keys("R")
    manager.wait_for("Period")
    manager.keys("2")
    manager.wait_until(lambda shown: "Cohort" in shown and "Counting" not in shown, "cohort")
    time.sleep(1)
    manager.burst("End", "Home", "PageDown", "j", "j", "Down")
    time.sleep(1.5)
    in_a_burst = manager.screen()
    for key in ("Home", "PageDown", "j", "j", "Down"):
        manager.keys(key)
        time.sleep(1.5)
    assert in_a_burst == manager.screen()


def test_a_long_tables_headings_show_at_the_top_from_the_first_scroll(
    manager: Terminal,
) -> None:
    manager.keys("R")
    manager.wait_for("Period")
    manager.keys("6")
    manager.wait_until(lambda shown: "Caseload by" in shown and "Counting" not in shown, "it")
    time.sleep(1)
    manager.keys("End")
    manager.wait_until(
        lambda shown: shown.splitlines()[4].split()[:1] == ["Advocate"], "headings pinned"
    )


def test_a_search_then_down_and_enter_opens_the_second_match(
    manager: Terminal, demo_url: str
) -> None:
    surname = _shared_surname(demo_url)
    manager.keys("/", *surname)
    manager.burst("Enter", "Down", "Enter")
    shown = manager.wait_for("Referred by")
    assert _references(demo_url, surname)[1] in shown, shown


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


def _cursor_on(terminal: Terminal, text: str) -> str:
    """The screen, once the line at the terminal's cursor holds `text` (from the cursor
    on): what a screen reader that follows the cursor reads."""
    return terminal.wait_until(
        lambda _: text in terminal.line_at_cursor(), f"the cursor on {text!r}", timeout=10
    )


def test_the_cursor_follows_the_highlight_in_a_real_terminal(manager: Terminal) -> None:
    references = [line.split()[0] for line in manager.screen().splitlines()[4:7]]
    _cursor_on(manager, references[0])
    assert manager.line_at_cursor().startswith(references[0])
    manager.keys("j", "j")
    _cursor_on(manager, references[2])
    manager.keys("/")
    manager.wait_until(
        lambda shown: "search name, ref" in shown.splitlines()[manager.cursor()[1]],
        "the cursor in the search box",
    )
    manager.keys("Enter", "Enter")
    manager.wait_for("Referred by")
    _cursor_on(manager, "Primary")
    manager.keys("j")
    _cursor_on(manager, "Secondary")
    manager.keys("s")
    manager.wait_for("New Star reading")
    manager.keys("3", "Right")  # Skills scored 3; on to 4 in Stability and Home

    def on_four_in_the_second_area(shown: str) -> bool:
        x, y = manager.cursor()
        lines = shown.splitlines()  # the line two above holds the points' headings
        return "▶ Stability and Home" in lines[y] and lines[y - 2][x] == "4"

    manager.wait_until(on_four_in_the_second_area, "the cursor on the score grid's 4")


@pytest.mark.parametrize("shown", [False, True], ids=["hidden", "shown"])
def test_the_cursor_is_shown_when_asked(demo_url: str, shown: bool) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", demo_url, "--user", "manager"],
        {"HIW_SHOW_CURSOR": "1"} if shown else {},
    )
    try:
        terminal.sign_in()
        assert terminal.cursor_shown() is shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


def test_y_copies_a_reference_by_the_terminals_clipboard_sequence(tmp_path: Path) -> None:
    """OSC 52, which tmux (with set-clipboard on) keeps as a paste buffer. A tmux server
    of the test's own, with the test's environment, on a demo of its own."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "120", "--no-open"]) == 0
    terminal = Terminal(
        [sys.executable, "-m", "hiw_tui", "--database", url, "--user", "manager"],
        {},
        server=f"hiw-clipboard-{uuid.uuid4().hex[:8]}",
    )
    try:
        terminal.tmux_command("set-option", "-s", "set-clipboard", "on")
        shown = terminal.sign_in()
        reference = shown.splitlines()[4].split()[0]
        terminal.keys("y")
        terminal.wait_for(f"Copied {reference} to the clipboard.")
        assert terminal.tmux_command("show-buffer") == reference
        terminal.keys("C-q")
        terminal.wait_for("EXITED-0")
    finally:
        terminal.close()


def test_escape_and_a_letter_typed_together_are_both_taken(manager: Terminal) -> None:
    """Esc and a letter in one read are what a terminal sends for Alt and the letter:
    the app takes them as typed, closing the help and opening the users screen."""
    manager.keys("?")
    manager.wait_for("This screen")
    manager.burst("Escape", "U")
    shown = manager.wait_until(
        lambda screen: "Role" in screen and "State" in screen, "the users screen"
    )
    assert "This screen" not in shown


def test_escape_then_a_search_typed_together_closes_help_and_searches(
    manager: Terminal, demo_url: str
) -> None:
    """Esc, `/` and a name in one read: Textual alone lost the Esc before `/`, so the
    help stayed open and the name went nowhere."""
    manager.keys("?")
    manager.wait_for("This screen")
    manager.burst("Escape", "/", "HAL", "Enter")
    halton = len(_references(demo_url, "HAL"))
    shown = manager.wait_for(f"{halton} households ·")
    assert "This screen" not in shown


def test_escape_a_letter_and_an_arrow_typed_together_are_each_taken(manager: Terminal) -> None:
    """Esc, a letter and an arrow in one read: Textual alone read them as `^`, the
    letter and the arrow, so Esc never closed the help."""
    manager.keys("?")
    manager.wait_for("This screen")
    manager.burst("Escape", "j", "Down", "Enter")
    shown = manager.wait_until(lambda screen: "Referred by" in screen, "a household opened")
    assert "This screen" not in shown


def test_escape_then_a_bracket_typed_together_are_each_taken(manager: Terminal) -> None:
    """Esc and `[` begin the keys a terminal sends (an arrow is Esc [ A): typed together,
    with nothing of such a key after them, they are Esc, then `[` (the previous page)."""
    manager.keys("]")
    manager.wait_for("101-")
    manager.keys("?")
    manager.wait_for("This screen")
    manager.burst("Escape", "[")
    shown = manager.wait_for("1-100 of")
    assert "This screen" not in shown


def test_two_escapes_and_a_letter_typed_together_are_each_taken(manager: Terminal) -> None:
    """Esc, Esc and `w` in one read, as leaving a household in a hurry sends them: the
    second Esc and the `w` were lost, leaving the record on screen."""
    manager.keys("Enter")
    manager.wait_until(lambda screen: "Referred by" in screen, "a household opened")
    manager.keys("c")
    manager.wait_until(lambda screen: "Referred by" not in screen, "the contact log")
    manager.burst("Escape", "Escape", "w")
    shown = manager.wait_for("My week")
    assert "Referred by" not in shown
