"""The household list, driven from the keyboard through the real app."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from hiw_tui.screens.household.household_list import HouseholdListScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.widgets.filters import SEARCH_PAUSE
from hiw_tui.widgets.household_table import SORTABLE, HouseholdTable
from tests.helpers.factories import person_input, register
from tests.helpers.pilot import lines_with, screen_text, settle
from tests.helpers.world import World


def _refs(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(HouseholdTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_the_list_loads_one_page_and_pages_at_its_edges(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _refs(app) == [f"HH-{n:03d}" for n in range(10)]
        assert "1-10 of 25 households" in screen_text(app)
        for _ in range(10):
            await pilot.press("j")
        await settle(pilot)
        assert _refs(app)[0] == "HH-010"
        assert "11-20 of 25" in screen_text(app)
        assert app.screen.query_one(HouseholdTable).cursor_row == 0
        await pilot.press("k")
        await settle(pilot)
        assert _refs(app)[-1] == "HH-009"
        assert app.screen.query_one(HouseholdTable).cursor_row == 9
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert _refs(app) == ["HH-020", "HH-021", "HH-022", "HH-023", "HH-024"]


async def test_an_advocate_sees_only_their_caseload_open_cases_first(world: World) -> None:
    app = world.app(world.staff.cal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Open cases" in screen_text(app)
        assert "8 households ·" in screen_text(app)  # HH-015 and HH-020 are referred
        assert "HH-015" not in _refs(app)
        app.screen.query_one("#status", Select).value = Select.NULL
        await settle(pilot)
        assert "10 households ·" in screen_text(app)
        assert all(int(ref[3:]) >= 15 for ref in _refs(app))
        assert not app.screen.query_one("#advocate").display
        assert not app.screen.query_one("#area").display


async def test_slash_searches_names_references_and_postcodes(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"carter")
        await pilot.pause(SEARCH_PAUSE + 0.1)
        await settle(pilot)
        assert _refs(app) == ["HH-002", "HH-007", "HH-012", "HH-017", "HH-022"]
        await pilot.press("ctrl+a", "ctrl+k", *"ch41", "enter")
        await settle(pilot)
        assert "10 households ·" in screen_text(app)
        assert app.screen.query_one(HouseholdTable).has_focus
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"nobody", "enter")
        await settle(pilot)
        assert "No households match." in screen_text(app)


async def test_slash_finds_a_household_by_a_members_phone_number(world: World) -> None:
    from tests.helpers.factories import person_input, register

    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(phone="07700 900123"),
        reference="PH-001",
    )
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"07700900123", "enter")
        await settle(pilot)
        assert _refs(app) == ["PH-001"]


async def test_filters_by_area_advocate_and_status(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#status", Select).value = "referred"
        await settle(pilot)
        assert _refs(app) == ["HH-000", "HH-005", "HH-010", "HH-015", "HH-020"]
        app.screen.query_one("#area", Select).value = "wirral"
        await settle(pilot)
        assert _refs(app) == ["HH-015", "HH-020"]
        app.screen.query_one("#area", Select).value = Select.NULL
        await settle(pilot)  # every area's advocates offered again
        app.screen.query_one("#advocate", Select).value = world.staff.ada.id
        await settle(pilot)
        assert _refs(app) == ["HH-000", "HH-005", "HH-010"]


async def test_the_advocate_filter_offers_names_of_the_area_chosen(world: World) -> None:
    from textual.widgets import OptionList

    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        advocate = app.screen.query_one("#advocate", Select)

        def offered() -> list[str]:
            return [str(option.prompt) for option in advocate.query_one(OptionList).options[1:]]

        assert offered() == ["Ada Adv", "Ben Adv", "Cal Adv"]
        advocate.value = world.staff.ada.id
        app.screen.query_one("#area", Select).value = "wirral"
        await settle(pilot)
        assert offered() == ["Cal Adv"]
        assert advocate.value is Select.NULL
        assert "10 households ·" in screen_text(app)  # Wirral's, of any advocate


async def test_sort_keys_reorder_the_list(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # by name
        await settle(pilot)
        assert _refs(app)[:5] == ["HH-000", "HH-005", "HH-010", "HH-015", "HH-020"]  # the Abbots
        assert "sorted by Householder" in screen_text(app)
        await pilot.press("S")
        await settle(pilot)
        assert _refs(app)[:5] == [
            "HH-024",
            "HH-019",
            "HH-014",
            "HH-009",
            "HH-004",
        ]  # Evans, descending
        assert "(descending)" in screen_text(app)


async def test_a_referral_not_started_shows_no_months_and_sorts_as_the_newest(
    world: World,
) -> None:
    from datetime import date

    from tests.helpers.factories import person_input, register

    unstarted, newest = (
        register(
            world.database,
            world.staff.manager,
            world.staff.ada,
            person_input(),
            reference=reference,
            status="active" if start else "referred",
            start_date=start,
        )
        for reference, start in (("HH-100", None), ("HH-101", date(2026, 3, 2)))
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#status", Select).value = Select.NULL
        await settle(pilot)
        for _ in SORTABLE:
            if "sorted by Months" in screen_text(app):
                break
            await pilot.press("s")
            await settle(pilot)
        assert "sorted by Months" in screen_text(app)
        assert "HH-100" not in _refs(app)  # the longest on the programme come first
        await pilot.press("S")  # the newest first: the one not started, then HH-101
        await settle(pilot)
        assert _refs(app)[:2] == ["HH-100", "HH-101"]
        table = app.screen.query_one(HouseholdTable)
        months = [str(table.get_cell(str(h.id), "start")) for h in (unstarted, newest)]
        assert months == ["—", "0"]


async def test_the_sort_arrow_shows_on_every_column_the_sort_cycle_reaches(
    world: World,
) -> None:
    app = world.app()
    async with app.run_test(size=(170, 24), notifications=True) as pilot:  # every column shows
        await settle(pilot)
        for heading in ("Householder ▲", "Mem ▲", "Needs ▲", "Months ▲", "Status ▲", "Area ▲"):
            await pilot.press("s")
            await settle(pilot)
            (header,) = lines_with(app, "Waiting")
            assert heading in header and header.count("▲") == 1, header
        await pilot.press("S")
        await settle(pilot)
        assert "Area ▼" in lines_with(app, "Waiting")[0]
        await pilot.press("s")  # round to the start
        await settle(pilot)
        assert "Ref ▲" in lines_with(app, "Waiting")[0]
        await pilot.click(HouseholdTable, offset=(lines_with(app, "Waiting")[0].index("Left"), 0))
        await settle(pilot)
        assert "Ref ▲" in lines_with(app, "Waiting")[0]  # not sorted by the budget
        assert "budget columns do not sort" in " ".join(screen_text(app).split())


async def test_the_sort_cycle_at_80_columns_sorts_only_by_columns_on_screen(
    world: World,
) -> None:
    """At 80 columns the members and needs columns give way; `s` still sorted by them,
    leaving the list in an order nobody could see and no arrow on any heading."""
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (header,) = lines_with(app, "Ref ▲")
        shown = [
            heading for heading in ("Householder", "Months", "Status", "Area") if heading in header
        ]
        assert "Mem " not in header and shown
        for heading in [*shown, "Ref"]:
            await pilot.press("s")
            await settle(pilot)
            header = lines_with(app, "Householder")[0]  # the headings, above the rows
            assert f"{heading} ▲" in header and header.count("▲") == 1, header


async def test_enter_opens_the_record_and_escape_comes_back(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "HH-002" in screen_text(app)
        assert "Alex02 Carter" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)
        assert app.screen.query_one(HouseholdTable).cursor_row == 2


async def test_question_mark_lists_every_key_of_the_screen(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        for words in (
            "Search",
            "Open",
            "New",
            "Sort",
            "Reverse sort",
            "Next page",
            "Previous page",
            "Quit",
        ):
            assert words in shown, words
        await pilot.press("escape")
        assert isinstance(app.screen, HouseholdListScreen)


async def test_the_command_palette_opens_a_household_by_reference(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"HH-013")
        await settle(pilot)
        await pilot.pause(0.3)  # the palette's own search runs on a short timer
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "HH-013" in screen_text(app)


async def test_keys_typed_faster_than_the_screen_repaints_all_reach_the_search(
    world: World,
) -> None:
    """On a slow link the keys after / arrive together; none of them may go to the list."""
    from textual import events

    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst = [("slash", "/"), ("s", "s"), ("a", "a"), ("m", "m"), ("enter", "\r")]
        for key, character in burst:
            app.post_message(events.Key(key, character))  # queued at once, as a pasted burst
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "sam"  # every secondary is a Sam
        assert "1-10 of 25 households · sorted by Ref" in screen_text(app)


async def test_an_advocate_registers_a_household_on_their_own_caseload(world: World) -> None:
    from hiw_tui.db.households.households import HouseholdFilter, list_households
    from hiw_tui.screens.household.household_form import HouseholdForm

    app = world.app(world.staff.cal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        assert form.query_one("#reference", Input).value == "WIR-00001"  # the area's next
        form.query_one("#referral-route", Select).value = "self"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "WIR-00001" in screen_text(app)
    (row,) = world.database.read(
        list_households, actor=world.staff.cal, where=HouseholdFilter(search="WIR-00001")
    )
    assert (row.advocate_name, row.status, row.member_count) == ("Cal Adv", "referred", 0)


async def test_a_household_without_members_cannot_be_registered_as_active(world: World) -> None:
    from hiw_tui.screens.household.household_form import HouseholdForm

    app = world.app(world.staff.cal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        form.query_one("#referral-route", Select).value = "self"
        form.query_one("#status", Select).value = "active"
        form.query_one("#start-date", Input).value = "2026-03-16"  # as an active one needs
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        assert form.query_one("#field-status").has_class("-invalid")
        # the message wraps beside the form's scrollbar
        assert "✗ A household needs members before it is" in screen_text(app)


async def test_a_supervisor_registers_a_household_for_one_of_their_advocates(world: World) -> None:
    from hiw_tui.screens.household.household_form import HouseholdForm

    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        form.query_one("#referral-route", Select).value = "jcp"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)  # no advocate chosen yet
        assert form.query_one("#field-advocate-id").has_class("-invalid")
        assert "✗ This is required." in screen_text(app)
        form.query_one("#advocate", Select).value = world.staff.ben.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Ben Adv" in screen_text(app)


async def test_the_first_household_of_an_empty_caseload_shows_on_return(world: World) -> None:
    from hiw_tui.db.access.users import add_user
    from hiw_tui.domain.codes import LocalAuthority, UserRole
    from hiw_tui.screens.household.household_form import HouseholdForm

    newcomer = world.database.write(
        add_user,
        username="new.adv",
        display_name="New Adv",
        role=UserRole.ADVOCATE,
        local_authority=LocalAuthority.SEFTON,
    )
    app = world.app(newcomer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "No open cases: n registers one" in screen_text(app)
        app.screen.query_one("#status", Select).value = Select.NULL  # a new one is referred
        await settle(pilot)
        assert "No households yet" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        app.screen.query_one("#referral-route", Select).value = "self"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)
        assert "1 household ·" in screen_text(app)


async def test_the_palette_registers_a_household_from_any_screen(world: World) -> None:
    from hiw_tui.screens.household.household_form import HouseholdForm

    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        await pilot.press("ctrl+p", *"register")
        await pilot.pause(0.3)  # the palette's own search runs on a short timer
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["full", "low-bandwidth"])
async def test_a_low_bandwidth_row_is_written_as_few_runs_without_mouse_data(
    world: World, low_bandwidth: bool
) -> None:
    """Each cell's mouse data made its colour codes repeat cell by cell: half the bytes
    of a cursor move. Without a mouse, cells sharing a style are written as one run."""
    app = world.app(world.staff.ada)
    app.low_bandwidth = low_bandwidth
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(HouseholdTable)
        line = list(table.render_line(3))
        with_meta = [segment for segment in line if segment.style and segment.style.meta]
        if low_bandwidth:
            assert not with_meta and len(line) <= 4
        else:
            assert with_meta and len(line) > 4


async def test_a_new_search_starts_at_its_first_match(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"carter", "enter")
        await settle(pilot)
        await pilot.press("j", "j")  # on HH-012
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"HH-01", "enter")
        await settle(pilot)
        table = app.screen.query_one(HouseholdTable)
        assert table.cursor_row == 0 and _refs(app)[0] == "HH-010"


async def test_a_long_householder_name_keeps_its_family_name_and_initial(
    world: World,
) -> None:
    """At 80 columns "Fitzgerald, Siobhan" showed as "Fitzgerald…": which Fitzgerald?"""
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Siobhan Mary", family_name="Fitzgerald"),
        reference="HA-001",
    )
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [row] = lines_with(app, "HA-001")
        assert "Fitzgerald, S. " in row
