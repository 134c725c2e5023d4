"""Every screen at 80x24: each table fits its place or shows that it scrolls sideways,
rows below the screen are counted, the footer's keys are whole, and Help names every
key of the screen in words, once."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, Footer, Static
from textual.widgets._footer import FooterKey

from hiw_tui.db.access.users import add_user, get_user
from hiw_tui.db.audit.log import AuditLine
from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.plans import household_plans, update_step
from hiw_tui.db.households.duplicates import record_duplicate_decision
from hiw_tui.db.households.households import open_household as read_household
from hiw_tui.db.readings.readings import update_reading
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.domain.codes import ContactMode, LocalAuthority, Recontact, UserRole
from hiw_tui.domain.framework import load_framework
from hiw_tui.screens.dialogs.common import HelpScreen
from hiw_tui.widgets.detail_table import DetailTable
from hiw_tui.widgets.tables import LeanTable
from tests.helpers.clock import TODAY
from tests.helpers.factories import add_partner, add_reading, reading_input, spend, step_input
from tests.helpers.pilot import SIZE, open_household, open_plan_history, screen_text, settle
from tests.helpers.world import World, add_three_readings, log_contacts, plan_goal

SCREENS: dict[str, tuple[str, tuple[str, ...]]] = {
    "list": ("manager", ()),
    "list-for-an-advocate": ("ada", ()),
    "list-for-a-supervisor": ("liverpool_supervisor", ()),
    "record": ("ada", ("j", "enter")),
    "household-form": ("ada", ("j", "enter", "e")),
    "person-form": ("ada", ("j", "enter", "a")),
    "possible-duplicate": (
        "ada",
        (
            *("j", "enter", "a", "enter", "down", "down", "down", "enter"),
            *("tab", *"Alex", "tab", *"Doyle", "tab", *"1988-05-17", "ctrl+s"),
        ),
    ),
    "readings": ("ada", ("enter", "h")),
    "reading-form": ("ada", ("enter", "s")),
    "plan": ("ada", ("j", "enter", "p")),
    "plan-history": ("ada", ("j", "enter", "p", "h")),
    "referrals": ("ada", ("j", "enter", "f")),
    "partners": ("ada", ("j", "enter", "f", "P")),
    "outcomes": ("ada", ("j", "enter", "o")),
    "contacts": ("ada", ("j", "enter", "c")),
    "consent": ("ada", ("j", "enter", "K")),
    "ledger": ("ada", ("j", "enter", "b")),
    "timeline": ("ada", ("j", "enter", "T")),
    "spend-form": ("ada", ("j", "enter", "b", "n")),
    "my-week": ("ada", ("w",)),
    "approvals": ("liverpool_supervisor", ("A",)),
    "audit-trail": ("liverpool_supervisor", ("L",)),
    "users": ("liverpool_supervisor", ("U",)),
    "caseload-move": ("liverpool_supervisor", ("U", "m")),
    "performance": ("manager", ("R",)),
    "cohort": ("manager", ("R", "2")),
    "distance": ("manager", ("R", "3")),
    "spending": ("manager", ("R", "4")),
    "caseload": ("manager", ("R", "6")),
    "exits": ("manager", ("R", "7")),
    "referrals-report": ("manager", ("R", "8")),
    "welfare": ("manager", ("R", "9")),
    "trends": ("manager", ("R", "left_square_bracket")),
    "report-chooser": ("manager", ("R", "c")),
    "report-filter": ("manager", ("R", "slash")),
}
"""Each screen, who opens it and the keys that open it from the household list."""

RAW_KEY_NAMES = re.compile(r"super\+|\^[a-z]|\bpg(up|dn)\b|\bctrl\+|\besc\b|_|[a-z][A-Z]\w*")
"""Textual's names for keys ("^r", "pgdn", "super+c", "question_mark") and class names."""
LONG_TEXT = "Went with them to an appointment at the job centre"
"""A contact's purpose, a goal or a step, as long as people write them."""


def _busy_world(world: World) -> None:
    """Three readings, a goal with steps and more spends than the ledger has room for."""
    add_three_readings(world)
    plan_goal(world)
    for n in range(20):
        payee = f"Anfield Co-op Long Payee Name {n}"
        spend(world.database, world.staff.ada, world.households[1].id, f"{n + 3}", payee=payee)


def tables_cut_without_a_scrollbar(app: App[None]) -> list[str]:
    """The tables wider than their place with no scrollbar to say so."""
    cut = []
    for table in app.screen.query(DataTable):
        if not table.region or not table.visible:
            continue
        if table.virtual_size.width > table.scrollable_content_region.width and not (
            table.show_horizontal_scrollbar and table.scrollbar_size_horizontal
        ):
            cut.append(f"{table.id or table.parent}: {table.virtual_size.width} cells")
    return cut


def footer_keys_cut(app: App[None]) -> list[str]:
    """The footer's keys that do not show whole, left of the command palette's key."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    return [key.description for key in keys if key not in palette and key.region.right > right]


def help_lines(app: App[None]) -> list[tuple[str, str]]:
    """The Help screen's lines as (keys, what they do), group titles included."""
    assert isinstance(app.screen, HelpScreen)
    console = Console(width=76, record=True, color_system=None)
    console.print(app.screen.query_one("#help-keys", Static).content)
    lines = [
        re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in console.export_text().splitlines()
    ]
    return [(line[0], line[1] if len(line) > 1 else "") for line in lines if line[0]]


@pytest.mark.parametrize("name", SCREENS)
async def test_every_screen_fits_80_columns_and_says_what_lies_beyond(
    world: World, name: str
) -> None:
    _busy_world(world)
    who, keys = SCREENS[name]
    app = world.app(getattr(world.staff, who))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert tables_cut_without_a_scrollbar(app) == []
        shown = screen_text(app)
        for table in app.screen.query(DataTable):
            assert isinstance(table, LeanTable), "every table counts the rows below it"
            if table.rows_below:
                assert f"▼ {table.rows_below} more below" in shown
        if app.screen.query(Footer):
            assert footer_keys_cut(app) == []
        await pilot.press("question_mark")
        await settle(pilot)
        if not isinstance(app.screen, HelpScreen):
            return  # a form's text box takes the "?" as typed
        lines = help_lines(app)
        assert [text for text in map(" ".join, lines) if RAW_KEY_NAMES.search(text)] == []
        named = [key for keys_, does in lines if does for key in keys_.split(", ")]
        assert len(named) == len(set(named)), "a key is listed once"
        assert len([does for _, does in lines if does]) == len({d for _, d in lines if d})


async def test_the_household_list_shows_more_columns_on_a_wider_terminal(world: World) -> None:
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        heading = screen_text(app).splitlines()[3]
        for column in ("Ref", "Householder", "Star due", "Status", "Area", "Advocate"):
            assert column in heading
        assert " LIV " in screen_text(app)  # the area abbreviated
        assert tables_cut_without_a_scrollbar(app) == []
        assert not app.screen.query_one(DataTable).show_horizontal_scrollbar
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        heading = screen_text(app).splitlines()[3]
        for column in ("Left", "Months", "Mem", "Waiting"):
            assert column in heading


async def test_a_long_ledger_counts_the_lines_below_and_its_last_line_can_be_reached(
    world: World,
) -> None:
    _busy_world(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("b")
        await settle(pilot)
        table = app.screen.query_one(LeanTable)
        below = table.rows_below
        assert below > 1 and f"▼ {below} more below" in screen_text(app)
        await pilot.press(*["j"] * table.row_count)
        await settle(pilot)
        assert table.rows_below == 0 and "more below" not in screen_text(app)
        assert "Budget" in screen_text(app)  # the first line of the register, at the end


async def test_page_down_and_up_show_every_row_of_a_long_list(world: World) -> None:
    """The last line that shows is "▼ N more below", over a row; Page down paged by the
    whole height, so that row was never seen: on the next page the row after it came
    first. Every row now shows on one page or the next, and Page up comes back."""
    calls = (
        ContactInput(
            contacted_on=date(2026, 1, 1) + timedelta(days=n),
            mode=ContactMode.PHONE,
            purpose="Call",
        )
        for n in range(45)
    )
    log_contacts(world, *calls)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        seen = _dates_shown(app)
        pages = [seen]
        while "more below" in screen_text(app):
            await pilot.press("pagedown")
            await settle(pilot)
            page = _dates_shown(app)
            assert _day_before(seen[-1]) in page, "the row under the notice shows next"
            seen = seen + [day for day in page if day not in seen]
            pages.append(page)
        assert len(pages) > 2 and len(seen) == 45
        while (top := _dates_shown(app)[0]) != pages[0][0]:
            await pilot.press("pageup")
            await settle(pilot)
            assert _day_before(top, -1) in _dates_shown(app), "the row above shows next"


def _dates_shown(app: App[None]) -> list[str]:
    """The contacts' dates on the screen's rows, top to bottom (none under the notice)."""
    return re.findall(r"^ (\d{4}-\d\d-\d\d) ", screen_text(app), re.MULTILINE)


def _day_before(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def _every_column_shows(app: App[None], headings: tuple[str, ...]) -> None:
    """The screen's table has more rows than room (its scrollbar shows), yet no sideways
    scroll, and its heading line shows `headings` whole."""
    table = app.screen.query_one(DataTable)
    assert table.show_vertical_scrollbar, "more rows than the screen has room for"
    assert table.virtual_size.width <= table.scrollable_content_region.width
    assert not table.show_horizontal_scrollbar
    inside = table.scrollable_content_region
    heading = screen_text(app).splitlines()[inside.y][inside.x : inside.right]
    assert re.findall(r"\S+(?: \S+)*", heading) == list(headings)


def _long_world(world: World) -> None:
    """HH-001 at its widest: a colleague with a long name logs contacts, readings and a
    plan in the longest ways, more rows of each than the screen has room for, with texts
    of every length from 16 to 35 characters, so that one is as long as its column
    allows, whatever that is."""
    colleague = world.database.write(
        add_user,
        username="long.name",
        display_name="Christabel Montgomery-Smythe",
        role=UserRole.SUPERVISOR,
        local_authority=LocalAuthority.LIVERPOOL,
    )
    household = world.households[1]
    texts = [LONG_TEXT[:length] for length in range(16, 36)]
    for n, text in enumerate(texts):
        contact = ContactInput(
            contacted_on=date(2026, 1, 1) + timedelta(days=n),
            mode=ContactMode.FACE_TO_FACE,
            purpose=text,
            recontact=Recontact.FORTNIGHTLY,
        )
        world.database.write(save_contact, actor=colleague, household_id=household.id, data=contact)
    person = household.members[0].id
    saved = [
        add_reading(
            world.database,
            colleague,
            person,
            reading_input(date(2025, 6, 2) + timedelta(weeks=4 * n), completed_by="participant"),
        )
        for n in range(8)
    ]
    correction = reading_input(date(2025, 6, 2), 5, completed_by="participant", reason="Typo")
    world.database.write(
        update_reading,
        actor=colleague,
        reading_id=saved[0].reading.id,
        version=saved[0].reading.version,
        framework=load_framework(),
        data=correction,
    )
    steps = tuple(step_input(text, status="back_burner") for text in texts)
    plan_goal(world, area="aspiration_motivation", description=LONG_TEXT, steps=steps)
    for text in texts[::4]:
        plan_goal(world, area="aspiration_motivation", description=text, steps=())


@pytest.mark.parametrize(
    ("key", "headings"),
    [
        ("c", ("Date", "How", "Purpose", "Again", "Logged by")),
        ("h", ("Cmp", "Date", "Status", "Scored", "Completed by", "Framework", "Entered by")),
        ("p", ("#", "Goal / step", "Who", "Due", "Status")),
    ],
    ids=["contacts", "readings", "plan"],
)
async def test_every_column_of_a_households_tables_shows_at_80_columns_with_the_longest_text(
    world: World, key: str, headings: tuple[str, ...]
) -> None:
    """No column of the contacts, readings or plan needs a sideways scroll to be found,
    with the longest names and texts and a scrollbar beside the rows."""
    _long_world(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press(key)
        await settle(pilot)
        _every_column_shows(app, headings)


def _long_audit_world(world: World) -> None:
    """Audit rows at their widest, more than the screen has room for: a Liverpool
    colleague with a long username opens households, logs a contact in the longest way
    and decides about a possible duplicate (the longest "What")."""
    colleague = world.database.write(
        add_user,
        username="christabel.montgomery-smythe",
        display_name="Christabel Montgomery-Smythe",
        role=UserRole.SUPERVISOR,
        local_authority=LocalAuthority.LIVERPOOL,
    )
    for household in world.households[:15]:
        world.database.write(read_household, actor=colleague, household_id=household.id)
    household = world.households[1]
    contact = ContactInput(
        contacted_on=date(2026, 1, 1),
        mode=ContactMode.FACE_TO_FACE,
        participants="Their support worker from the housing association",
        purpose=LONG_TEXT,
        note="Agreed to phone the council about the rent arrears before Friday",
        recontact=Recontact.FORTNIGHTLY,
    )
    world.database.write(save_contact, actor=colleague, household_id=household.id, data=contact)
    world.database.write(
        record_duplicate_decision,
        actor=colleague,
        household_id=household.id,
        decision="open",
        opened=world.households[2].id,
    )


async def test_every_column_of_the_audit_trail_shows_at_80_columns_with_the_longest_text(
    world: World,
) -> None:
    """No column of the audit trail needs a sideways scroll to be found, with a long
    username, the longest action and a long change, and a scrollbar beside the rows;
    below the table the highlighted row is shown in full."""
    _long_audit_world(world)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        _every_column_shows(app, ("When (UTC)", "Who", "Household", "What", "Details"))
        newest = app.screen.query_one(DetailTable).current
        assert isinstance(newest, AuditLine)
        panel = app.screen.query_one(".row-detail", Static).content_region
        below = " ".join(" ".join(screen_text(app).splitlines()[panel.y : panel.bottom]).split())
        assert (
            f"{newest.at:%Y-%m-%d %H:%M:%S} christabel.montgomery-smythe, HH-001:"
            f" duplicate decision person: decision: open; opened: {world.households[2].id}"
        ) in below


LONG_PARTNER = "Citizens Advice Liverpool and Knowsley"
"""A partner service's name, as long as their names run."""


def _long_plan_world(world: World) -> str:
    """HH-001's plan at its widest (`_long_world`), its newest change the longest: the
    colleague with the long name hands the step with the longest text to a partner
    service with a long name. Returns that step's text."""
    _long_world(world)
    colleague = world.database.read(get_user, username="long.name")
    partner = add_partner(world.database, colleague, LONG_PARTNER, kind="citizens_advice")
    household = world.households[1]
    plan = world.database.read(household_plans, actor=colleague, household_id=household.id)[1]
    step = max(plan.goals[0].steps, key=lambda step: len(step.description))
    world.database.write(
        update_step,
        actor=colleague,
        step_id=step.id,
        version=step.version,
        data=step_input(step.description, owner="partner", partner_id=partner),
        today=TODAY,
    )
    return step.description


async def test_every_column_of_a_plans_history_shows_at_80_columns_with_the_longest_text(
    world: World,
) -> None:
    """No column of a plan's history needs a sideways scroll to be found, with a long
    name, the longest step and a partner service's long name, and a scrollbar beside the
    rows; below the table the highlighted row is shown in full."""
    step = _long_plan_world(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan_history(pilot)
        _every_column_shows(app, ("When", "Who", "What", "Field: old → new"))
        panel = app.screen.query_one(".row-detail", Static).content_region
        below = " ".join(" ".join(screen_text(app).splitlines()[panel.y : panel.bottom]).split())
        assert "Christabel Montgomery-Smythe" in below
        assert f"Step changed: {step}" in below
        assert f"Who does it: Householder → {LONG_PARTNER}" in below


async def test_my_week_gives_what_is_due_the_room_the_other_columns_leave(
    world: World,
) -> None:
    """A supervisor's week at 80 columns: every column shows without a sideways scroll,
    with more items than the screen holds; a wider terminal shows a long step whole,
    and a narrower one again cuts it to fit (a column only widens in place)."""
    steps = tuple(step_input(LONG_TEXT[:length]) for length in range(50, 15, -2))
    plan_goal(world, steps=steps)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        _every_column_shows(app, ("Due", "Kind", "Ref", "Advocate", "What"))
        assert "  Went with them to an… " in screen_text(app)  # 28 columns at most
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert f"  {LONG_TEXT} (Alex01)" in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        _every_column_shows(app, ("Due", "Kind", "Ref", "Advocate", "What"))
        assert "  Went with them to an… " in screen_text(app)


async def test_a_plans_steps_take_the_room_its_other_columns_leave(world: World) -> None:
    """A step was cut at 26 characters while the plan's short statuses left the right
    of the screen empty; it now takes what the other columns leave, at any width, and
    is cut again when the terminal narrows (a column widened in place never narrows)."""
    plan_goal(world, steps=(step_input(LONG_TEXT[:35]), step_input(LONG_TEXT)))
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert f" 1.  {LONG_TEXT[:35]}  " in screen_text(app)
        assert f" 2.  {LONG_TEXT}  " not in screen_text(app)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert f" 2.  {LONG_TEXT}  " in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert f" 1.  {LONG_TEXT[:35]}  " in screen_text(app)
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_a_households_lists_give_their_longest_text_the_room_left(world: World) -> None:
    """The contact log cut a purpose at 21 characters however wide the terminal; it now
    takes what the other columns leave, and is cut again when the terminal narrows."""
    _long_world(world)
    whole = f"  {LONG_TEXT[:35]}  "
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert whole not in screen_text(app)
        _every_column_shows(app, ("Date", "How", "Purpose", "Again", "Logged by"))
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert whole in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert whole not in screen_text(app)
        _every_column_shows(app, ("Date", "How", "Purpose", "Again", "Logged by"))


async def test_a_contacts_whole_note_shows_below_the_log_at_80x24(world: World) -> None:
    """The detail pane held three lines: a note of a few sentences lost its end."""
    note = (
        "Daniel says the interview at Tesco next week went well; he wants help with "
        "travel costs for the first month, and his sister can mind the children on "
        "Tuesdays and Thursdays while he is at work."
    )
    contact = ContactInput(
        contacted_on=date(2026, 3, 2),
        mode=ContactMode.FACE_TO_FACE,
        participants="Daniel and his sister",
        purpose=LONG_TEXT,
        note=note,
        recontact=Recontact.FORTNIGHTLY,
    )
    log_contacts(world, contact)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert note in " ".join(screen_text(app).split())
