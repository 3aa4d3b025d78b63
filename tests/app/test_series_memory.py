"""Three meetings of one series, run by keys: the group's memory.

Meeting 1 sets the open space and Lean Coffee up and agrees two actions; a
Lean Coffee topic is not reached. Meeting 2 starts with every setting carried,
offers the topic again, recognises Dr Tom Reed typed as "Tom Reed", and its
matters arising give Mark's action to Ollie with a new date. Meeting 3 starts
with the same settings and sees the action as it stands now. Meeting 1's
minutes still say what it agreed, with the follow-up beneath; the wiki's
actions.md says where things stand now.
"""

from __future__ import annotations

from textual.widgets import Input, OptionList

from facilitate.archive import Archive
from facilitate.export.markdown import render
from facilitate.export.wiki import ACTIONS, write_wiki
from facilitate.followups import current
from screens.app import make_app
from screens.capture import EntryHint
from screens.kinds.matters import MattersPanel
from screens.plan import PlanScreen
from screens.plan_dialogs import SegmentEditor
from screens.summary import SummaryScreen
from tests.app.pilot import enter, paste, screen_text, type_text, wait_archive, widget_text
from tests.fixtures import headings, parse_markdown, tables

SERIES = "East ICB open meeting"
DAY = 24 * 3600


async def new_plan(pilot, title: str) -> PlanScreen:
    await wait_archive(pilot)
    await pilot.press("n")
    await pilot.pause()
    await paste(pilot, title)
    await pilot.press("tab")
    await paste(pilot, SERIES)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


async def add_formats(pilot, *format_ids: str) -> None:
    app = pilot.app
    app.screen.query_one("#agenda").focus()
    await pilot.pause()
    while app.screen.query_one("#agenda").segments:
        await pilot.press("x")
    for format_id in format_ids:
        await pilot.press("a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        position = [option.id for option in options._options].index(format_id)
        await pilot.press(*["down"] * position, "enter")
        await pilot.pause()


async def edit_segment(pilot, index: int, *values: str | None) -> None:
    """e on the agenda's segment `index`; then each field in turn: a value typed over it, or None to keep it."""
    agenda = pilot.app.screen.query_one("#agenda")
    agenda.focus()
    agenda.highlighted = index
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SegmentEditor)
    for value in values:
        if value is not None:
            field = pilot.app.focused
            assert isinstance(field, Input)
            # The field's text is selected as it takes focus: typing replaces it.
            field.select_all()
            await type_text(pilot, value)
        await pilot.press("tab")
    await pilot.press("enter")  # Save (the button has focus after the last field)
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlanScreen)


async def finish(pilot) -> None:
    await pilot.press("ctrl+f")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)
    await pilot.press("h")
    await pilot.pause()


def settings(segments) -> list[tuple]:
    """What a series should remember of each segment."""
    result = []
    for s in segments:
        space, board = s.open_space, s.lean_coffee
        result.append(
            (
                s.format_id, s.name, s.planned, s.per_person, s.prompt,
                (space.theme, space.slots, space.slot_minutes, space.spaces) if space else None,
                (board.votes_per_person, board.timebox_minutes) if board else None,
                [(p.name, p.seconds) for p in s.phases],
            )
        )  # fmt: skip
    return result


async def test_three_meetings_of_a_series_remember_settings_topics_people_and_actions(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        # -- meeting 1: the agenda set up, two actions agreed, a topic not reached ------------------
        plan = await new_plan(pilot, "November open meeting")
        await add_formats(pilot, "check-in", "matters-arising", "open-space", "lean-coffee")
        await edit_segment(pilot, 0, None, "45", None)  # check-in: 45 seconds each
        # Open space: name, theme, slots, minutes per slot, spaces.
        await edit_segment(pilot, 2, None, "Winter: what can we do?", "2", "20", "Seminar room, Boardroom, Café")
        # Lean Coffee: name, minutes, votes per person, minutes per topic.
        await edit_segment(pilot, 3, None, "40", "4", "6")
        planned = settings(plan.query_one("#agenda").segments)
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        first_id = session.meeting.id
        assert settings(session.meeting.segments) == planned
        for person in ("Dr Tom Reed, Ely GP surgery", "Mark Lee, County council", "Sam Ode, Addenbrooke's"):
            await enter(pilot, "+" + person)
        await enter(pilot, "!Mark: chase the estates team by 1/12")
        await enter(pilot, "!Sam: share the winter plan by 3/12")
        while session.segment.lean_coffee is None:
            await pilot.press("ctrl+n")
            await pilot.pause()
        await enter(pilot, "*Parking")
        await enter(pilot, "*Winter surge plan")
        await pilot.press("f5", "f5")  # to the discussion
        await pilot.press("right")  # the first topic (no votes: as proposed)
        await pilot.pause()
        assert session.lean_coffee.current_topic().title == "Parking"
        clock.advance(6 * 60)
        await finish(pilot)
        archive = Archive(config.db_path).open()
        assert [t.title for t in archive.plan(SERIES).carried_topics] == ["Winter surge plan"]

        # -- meeting 2: settings carried, the topic offered, Tom recognised, an action re-owned --------
        clock.advance(17 * DAY)  # Sun 13 Dec
        plan = await new_plan(pilot, "December open meeting")
        assert settings(plan.query_one("#agenda").segments) == planned, "every segment's settings carried"
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        await type_text(pilot, "+Tom Reed")
        await pilot.pause()
        hint = app.screen.query_one(EntryHint)
        assert "Dr Tom Reed, Ely GP surgery? Enter to confirm, or keep typing for someone new" in str(hint.content)
        await pilot.press("enter")
        await pilot.pause()
        tom = session.meeting.attendees[0]
        assert (tom.name, tom.new) == ("Dr Tom Reed", False), "recognised, not a second Tom"
        await enter(pilot, "+Mark Lee")
        await pilot.press("ctrl+n")  # matters arising
        await pilot.pause()
        matters = session.segment.matters
        assert [(m.text, m.owner) for m in matters] == [
            ("chase the estates team", "Mark Lee"), ("share the winter plan", "Sam Ode"),
        ]  # fmt: skip
        await pilot.press("down")
        assert isinstance(app.focused, MattersPanel)
        await pilot.press("o")  # Mark's, to someone else with a new date
        await pilot.pause()
        await type_text(pilot, "Ollie Grant")
        await pilot.press("tab")
        await type_text(pilot, "18/12")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")  # Sam's, carried forward to a new date
        await pilot.pause()
        await type_text(pilot, "8/1")
        await pilot.press("enter")
        await pilot.pause()
        assert [m.outcome for m in matters] == ["reowned", "carried"]
        await pilot.press("escape")
        while session.segment.lean_coffee is None:
            await pilot.press("ctrl+n")
            await pilot.pause()
        board = session.segment.lean_coffee
        assert [(t.title, t.carried_from) for t in board.topics] == [("Winter surge plan", first_id)]
        assert "from last time" in screen_text(app)
        await finish(pilot)

        # -- meeting 3: the same settings; the action as it stands now ------------------------------
        clock.advance(28 * DAY)
        plan = await new_plan(pilot, "January open meeting")
        assert settings(plan.query_one("#agenda").segments) == planned
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        await pilot.press("ctrl+n")
        await pilot.pause()
        matters = session.segment.matters
        assert [(m.text, m.owner, m.due) for m in matters] == [
            ("chase the estates team", "Ollie Grant", "2026-12-18"),
            ("share the winter plan", "Sam Ode", "2027-01-08"),
        ]
        await pilot.press("down", "down", "d")  # Sam's is done
        await pilot.pause()
        await pilot.press("escape")
        await finish(pilot)

        # Meeting 1's record in the app: as agreed, the follow-ups beneath.
        app.push_screen(SummaryScreen(app.archive.meeting(first_id), from_archive=True))
        await pilot.pause()
        shown = widget_text(app)
        assert "Mark Lee" in shown and "↳ 13 Dec: given to Ollie Grant, due 18 Dec 2026" in shown

    archive = Archive(config.db_path).open()
    first = archive.meeting(first_id)
    mark = next(a for a in first.actions if a.text == "chase the estates team")
    assert (mark.owner, mark.due) == ("Mark Lee", "2026-12-01"), "as agreed at meeting 1"
    assert (current(mark).owner, current(mark).due) == ("Ollie Grant", "2026-12-18")

    # Meeting 1's minutes: the original owner and date, the follow-ups beneath.
    page = render(first)
    rows = tables(parse_markdown(page))[-1]
    assert rows[1:] == [
        ["Mark Lee", "chase the estates team", "Tue 1 Dec 2026", "Check-in"],
        ["", "↳ 13 Dec: given to Ollie Grant, due Fri 18 Dec 2026", "", ""],
        ["Sam Ode", "share the winter plan", "Thu 3 Dec 2026", "Check-in"],
        ["", "↳ 13 Dec: carried forward, due Fri 8 Jan 2027", "", ""],
        ["", "↳ 10 Jan 2027: done", "", ""],
    ]

    # The wiki's actions.md: where things stand now.
    write_wiki(archive, config.db_path.parent / "wiki")
    text = (config.db_path.parent / "wiki" / ACTIONS).read_text(encoding="utf-8")
    tokens = parse_markdown(text)
    assert [h for _, h in headings(tokens)] == ["Open actions", "Ollie Grant"]
    assert tables(tokens)[0][1][:2] == ["chase the estates team", "Fri 18 Dec 2026"]
