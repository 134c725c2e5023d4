"""Star readings in the app: scoring by keyboard alone, history, comparison, due dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.readings.readings import create_reading, person_readings
from hiw_tui.domain.framework import load_framework
from hiw_tui.screens.dialogs.unsaved import UnsavedChangesScreen
from hiw_tui.screens.household.household_list import HouseholdListScreen
from hiw_tui.screens.readings.reading_form import ReadingForm
from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from hiw_tui.widgets.score_grid import ScoreGrid
from hiw_tui.widgets.star_chart import ChartSeries, StarChart
from tests.helpers.clock import TODAY
from tests.helpers.factories import AREAS, add_reading, reading_input
from tests.helpers.pilot import fill, lines_with, open_first_household, screen_text, settle
from tests.helpers.world import World, add_three_readings


async def test_a_full_reading_by_keyboard_alone_then_the_chart_compares_it_with_the_first(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm)
        await pilot.press("3", "4", "2", "3", "0", "4", "5", "2")
        await pilot.press("tab", *"Keen to drive", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        stored = world.database.write(person_readings, actor=world.staff.ada, person_id=person.id)
        (first,) = stored.readings
        assert [first.scores[area] for area in AREAS] == [3, 4, 2, 3, None, 4, 5, 2]
        assert first.area_notes == {"aspiration_motivation": "Keen to drive"}
        assert (first.status, first.completed_by, first.taken_on) == ("final", "together", TODAY)
        await pilot.press("escape")
        await settle(pilot)
        assert lines_with(app, "1 reading")  # the members table's Star column

        await pilot.press("s")
        await settle(pilot)
        await pilot.press("4", "3", "2", "3", "3", "4", "5", "3", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        chart = app.screen.query_one(StarChart)
        assert [series.scores["skills"] for series in chart.series] == [3, 4]
        assert "▲ +1" in lines_with(app, "1 Skills")[0]
        assert "▼ -1" in lines_with(app, "2 Home")[0]
        assert "n/s" in lines_with(app, "5 Emotional")[0]


async def test_no_reading_is_due_once_the_household_has_left(world: World) -> None:
    with world.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE household SET status = 'exited', end_date = '2026-02-01' WHERE id = :id"),
            {"id": world.households[0].id},
        )
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        assert "no reading due (household left)" in screen_text(app)
        assert "next reading due" not in screen_text(app)


async def test_a_missing_area_blocks_saving_with_the_message_beside_it(world: World) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("2", "2", "2", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm)
        for area in ("Physical Health", "Emotional Health", "Aspiration and Motivation"):
            assert "✗ Score it, or 0 if left out" in lines_with(app, area)[0]
        assert "✗" not in lines_with(app, "Money")[0]
        assert "5 areas without a score" in screen_text(app)
        assert "or save as a draft" in screen_text(app)
        grid = app.screen.query_one(ScoreGrid)
        assert app.focused is grid and grid.current_area.code == "physical_health"
        stored = world.database.write(person_readings, actor=world.staff.ada, person_id=person.id)
        assert stored.readings == []
        await pilot.press("0", "1", "1", "1", "1", "ctrl+s")  # one left out on purpose
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)


async def test_a_draft_saves_with_areas_left_for_later_then_needs_them_to_be_final(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("2", "3", "4")
        fill(pilot, status="draft")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        assert "3/8" in lines_with(app, "Draft")[0]
        (draft,) = world.database.read(
            person_readings, actor=world.staff.ada, person_id=person.id
        ).readings
        assert (draft.status, draft.scores) == (
            "draft",
            {"skills": 2, "stability_home": 3, "money": 4},
        )
        await pilot.press("enter", "e")
        await settle(pilot)
        fill(pilot, status="final")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm)
        assert "✗ Score it, or 0 if left out" in lines_with(app, "Physical Health")[0]
        assert "✗" not in lines_with(app, "Money")[0]


async def test_a_saved_reading_opens_read_only_with_its_notes_and_e_corrects_it(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    notes = {"skills": "Wants a forklift licence"}
    reading = reading_input(date(2026, 1, 5), 2, area_notes=notes, notes="Seen at home")
    add_reading(world.database, world.staff.ada, person.id, reading)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReadingForm)
        shown = screen_text(app)
        assert "Final reading of 2026-01-05" in shown and "Correct (e)" in shown
        assert "Wants a forklift licence" in lines_with(app, "Note on Skills")[0]
        assert "Seen at home" in lines_with(app, "Overall notes")[0]
        grid = form.query_one(ScoreGrid)
        await pilot.press("5", "0")  # read-only: digits score nothing
        assert grid.scores["skills"] == 2
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        await pilot.press("enter", "e", "5")
        await settle(pilot)
        assert "Correct the final reading of 2026-01-05" in screen_text(app)
        assert app.screen.query_one(ScoreGrid).scores["skills"] == 5
        assert app.screen.query_one("#reason", Input).display


async def test_leaving_a_changed_reading_asks_and_keep_save_and_discard_work(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        await pilot.press("2", "3", "tab", *"Keen", "escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("k")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one(ScoreGrid).scores == {"skills": 2, "stability_home": 3}
        assert form.query_one("#area-note", Input).value == "Keen"
        await pilot.press("escape", "s")  # a final reading with areas left: refused
        await settle(pilot)
        assert app.screen is form
        assert "6 areas without a score" in screen_text(app)
        await pilot.press("escape", "d")
        await settle(pilot)
        assert not isinstance(app.screen, (ReadingForm, UnsavedChangesScreen))
        stored = world.database.read(person_readings, actor=world.staff.ada, person_id=person.id)
        assert stored.readings == []


async def test_the_meaning_of_the_point_under_the_cursor_is_shown(world: World) -> None:
    app = world.app(world.staff.ada)
    skills = load_framework().area("skills")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        meaning = app.screen.query_one("#meaning", Static)
        await pilot.press("right")
        assert skills.meaning(4) in str(meaning.render())
        await pilot.press("l", "l")
        assert "not scored" in str(meaning.render())
        await pilot.press("v")  # one area at a time: every point written out
        shown = screen_text(app)
        assert "area 1 of 8" in shown
        assert skills.points[0][:40] in shown and skills.points[4][:40] in shown


async def test_a_final_reading_is_corrected_only_with_a_reason(world: World) -> None:
    app = world.app(world.staff.ada)
    household = world.households[0]
    person = household.members[0]
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 1, 5), 2))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm)
        await pilot.press("e", "5", "ctrl+s")
        await settle(pilot)
        assert "✗ Say why this final reading is being corrected." in screen_text(app)
        app.screen.query_one("#reason", Input).value = "Certificate arrived after scoring"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
    event = world.database.read(
        events_for_household, actor=world.staff.manager, household_id=household.id
    )
    correction = next(e for e in event if e.action == "correct")
    assert correction.changes == {
        "score.skills": [2, 5],
        "reason": "Certificate arrived after scoring",
    }


async def test_compare_up_to_three_readings_never_across_frameworks(world: World) -> None:
    app = world.app(world.staff.ada)
    person = add_three_readings(world)
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 3, 9), 5))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        chart = app.screen.query_one(StarChart)
        assert [s.label for s in chart.series] == ["2025-11-10", "2026-03-09"]  # first, latest
        await pilot.press("k", "k", "space")
        assert [s.label for s in chart.series] == ["2025-11-10", "2026-01-05", "2026-03-09"]
        await pilot.press("j", "space")  # a fourth is refused
        assert len(chart.series) == 3
        await pilot.press("k", "space")  # unmark one ...
        assert len(chart.series) == 2
        await pilot.press("j", "space")  # ... then the other can be marked
        assert [s.label for s in chart.series] == ["2025-11-10", "2026-03-02", "2026-03-09"]

    licensed = load_framework().model_copy(update={"id": "licensed-star"})
    world.database.write(
        create_reading,
        actor=world.staff.ada,
        person_id=person.id,
        framework=licensed,
        data=reading_input(date(2026, 3, 10), 1),
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        chart = app.screen.query_one(StarChart)
        assert [s.label for s in chart.series] == ["2026-03-10"]  # only its own framework
        await pilot.press("k", "space")
        assert chart.series == []
        assert "Not compared" in screen_text(app)


async def test_the_record_shows_each_members_latest_reading_and_change(world: World) -> None:
    app = world.app(world.staff.ada)
    person = world.households[0].members[0]
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2025, 12, 1), 2, 2))
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 3, 1), 3, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        shown = screen_text(app)
        assert "▲1 ▼1" in lines_with(app, person.given_name)[0]
        assert "Star 2026-03-01 (2 final; change since 2025-12-01)" in shown
        assert "next due 2026-05-24" in shown
        skills = lines_with(app, "Skills")[0]
        assert "3 ▲ +1" in skills and "1 ▼ -1" in skills


async def test_the_list_shows_and_filters_households_due_a_reading(world: World) -> None:
    for person in world.households[1].members:  # active, scored yesterday: not due
        add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 3, 15)))
    app = world.app(world.staff.ada)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HouseholdListScreen)
        screen.query_one("#status", Select).value = Select.NULL  # referred ones too
        await settle(pilot)
        assert "2026-06-07" in lines_with(app, "HH-001")[0]  # 12 weeks on
        assert "! 2025-11-03" in lines_with(app, "HH-002")[0]  # never scored: due since start
        assert "—" in lines_with(app, "HH-000")[0]  # referred: not yet taking part
        screen.query_one("#status", Select).value = "reading_due"
        await settle(pilot)
        assert screen.total == 11  # Ada's 12 active households, less the one just scored
        assert not lines_with(app, "HH-001") and not lines_with(app, "HH-000")


async def test_the_chart_gives_way_to_bars_where_the_star_would_not_fit(world: World) -> None:
    add_three_readings(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=(64, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        chart = app.screen.query_one(StarChart)
        assert not chart.draws_star
        assert "██░░░ 2" in lines_with(app, "Skills")[0]
        # Each b shows the other shape; the first press showed bars again (automatic,
        # then bars, then star): a key that seemed to do nothing.
        await pilot.press("b")
        assert chart.draws_star  # asked for, it is drawn anyway
        await pilot.press("b")
        assert not chart.draws_star


async def test_help_in_the_reading_form_lists_the_scoring_keys(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        shown = screen_text(app)
        assert "Score 1-5 and move on" in shown and "Not scored" in shown
        await pilot.press("escape", "tab", "question_mark")  # in the note field it is text
        await settle(pilot)
        assert app.screen.query_one("#area-note", Input).value == "?"


async def test_the_chart_shows_a_frameworks_wording_literally() -> None:
    """An organisation's framework file is data: brackets in its names are not markup."""
    framework = load_framework()
    areas = (framework.areas[0].model_copy(update={"short": "[i]Jobs"}), *framework.areas[1:])
    own = framework.model_copy(update={"areas": areas})
    series = [ChartSeries("2026-01-05", {"skills": 2}), ChartSeries("2026-03-02", {"skills": 4})]

    class ChartApp(App[None]):
        def compose(self) -> ComposeResult:
            yield StarChart(own)

    for mode in ("star", "bars"):
        app = ChartApp()
        async with app.run_test(size=(100, 24)) as pilot:
            chart = app.query_one(StarChart)
            chart.mode = mode
            chart.show(series)
            await pilot.pause()
            assert "[i]Jobs" in screen_text(app), mode


async def test_a_list_left_open_moves_its_due_filter_on_with_the_date(world: World) -> None:
    for person in world.households[1].members:
        add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 3, 15)))
    days = [TODAY]
    app = world.app(world.staff.ada)
    app.today = lambda: days[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HouseholdListScreen)
        screen.query_one("#status", Select).value = "reading_due"
        await settle(pilot)
        assert screen.total == 11
        days[0] = date(2026, 6, 7)  # twelve weeks after HH-001's reading
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.total == 12


async def test_the_auditor_reads_the_health_areas_of_the_chart_as_hidden(world: World) -> None:
    add_three_readings(world)
    app = world.app(world.staff.auditor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        for area in ("Physical", "Emotional"):
            row = lines_with(app, area)[0].split(area, 1)[1]
            assert row.split() == ["hidden", "hidden"]
        assert "hidden" not in lines_with(app, "Skills")[0]


async def test_the_record_marks_an_overdue_reading_as_the_list_does(world: World) -> None:
    person = world.households[0].members[0]
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2025, 9, 1)))
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        assert "next due ! 2025-11-24" in screen_text(app)
