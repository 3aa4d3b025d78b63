"""The richer formats run by keys on a fake clock, each checked in the archive afterwards."""

import pytest

from facilitate.archive import Archive
from facilitate.followups import current
from screens.app import make_app
from screens.kinds.lean_coffee import LeanBoard
from screens.kinds.matters import MattersPanel
from screens.kinds.open_space import AgendaWall
from screens.summary import SummaryScreen
from tests.app.formats_pilot import arrive, plan_with
from tests.app.pilot import enter, paste, screen_text, type_text, until

PEOPLE = [
    "Asha Patel, Age UK",
    "Ben Ode, Addenbrooke's",
    "Cai Jones, City Council",
    "Dee Lane, Carers Trust",
    "Eve Stone, GP surgery",
    "Fin Walsh, Healthwatch",
]


async def finish(pilot):
    await pilot.press("ctrl+f")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)


async def test_open_space_three_slots_by_three_spaces(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "open-space")
        session = app.session
        await arrive(pilot, *PEOPLE)
        assert "The law of two feet" in screen_text(app)  # the opening, for the room
        clock.advance(15 * 60)
        await pilot.press("right")  # marketplace
        titles = [
            ("Discharge delays", "Asha"), ("Carers' respite", "Asha"), ("Digital records", "Ben"),
            ("Volunteer drivers", "Cai"), ("Social prescribing", "Dee"), ("Young carers", "Eve"),
            ("Winter plan", "Fin"), ("Hospital discharge at weekends", "Ben"),
        ]  # fmt: skip
        for title, convener in titles:
            await enter(pilot, f"*{title} @{convener}")
        space = session.segment.open_space
        assert len(space.proposals) == 8
        await pilot.press("down")  # to the wall
        assert isinstance(app.focused, AgendaWall)
        # Slot 1: Discharge, Carers' respite (Asha twice: flagged), Digital records.
        await pilot.press("1", "right", "2", "right", "3")
        assert "Asha Patel convenes two sessions in slot 1" in screen_text(app)
        # Move Carers' respite to slot 2 by picking it up and putting it down.
        await pilot.press("left", "enter", "down", "enter")
        assert "convenes two sessions" not in screen_text(app)
        # Fill slot 2 and 3 from the unplaced list: each keeps the number first shown.
        assert "Not on the wall: 4 Volunteer drivers" in screen_text(app)
        await pilot.press("left", "4", "right", "right", "5", "down", "left", "left", "6")
        # Merge the weekend discharge proposal into the discharge session.
        await pilot.press("up", "up", "m")
        await pilot.pause()
        weekend = next(p for p in space.proposals if p.title.startswith("Hospital"))
        picker = app.screen.query_one("OptionList")
        position = [o.id for o in picker._options].index(weekend.id)
        await pilot.press(*["down"] * position, "enter")
        await pilot.pause()
        assert weekend.merged_into == space.wall["0:0"]
        unplaced = [p.title for p in space.live_proposals if p.id not in space.wall.values()]
        assert unplaced == ["Winter plan"]
        assert "Not on the wall: 7 Winter plan" in screen_text(app)
        await pilot.press("escape")  # back to the capture line; the list is numbered afresh
        await pilot.pause()
        assert "Not on the wall: 1 Winter plan" in screen_text(app)
        clock.advance(20 * 60)

        # Slot 1: capture for the discharge session, its report and who took part.
        await pilot.press("right")
        await pilot.press("down", "c")  # the cursor is on slot 1, room 1
        discharge = space.proposal(space.wall["0:0"])
        assert space.current == discharge.id
        await enter(pilot, "!Ben: map the weekend discharge pathway by next fri")
        await enter(pilot, "=Pilot a weekend discharge team")
        await pilot.press("down", "p")
        await pilot.pause()
        await pilot.press("space", "down", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await paste(pilot, "Weekend discharges stall without pharmacy.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        clock.advance(30 * 60)
        for _ in range(3):
            await pilot.press("right")  # slots 2 and 3, then the closing circle
        assert session.segment.current_phase.kind == "closing"
        await pilot.press("right")
        assert session.round.speaker().name == "Asha Patel"
        clock.advance(40)
        await finish(pilot)
        meeting_id = session.meeting.id

    meeting = Archive(config.db_path).open().meeting(meeting_id)
    space = meeting.segments[0].open_space
    discharge = space.proposal(space.wall["0:0"])
    assert discharge.report == "Weekend discharges stall without pharmacy."
    assert len(discharge.participants) == 2
    assert discharge.merged_titles == ["Hospital discharge at weekends"]
    items = [i for i in meeting.items if i.context.get("session") == discharge.id]
    assert [(i.kind, i.owner) for i in items] == [("action", "Ben Ode"), ("decision", "")]
    assert len(space.wall) == 6
    assert meeting.segments[0].round.turns[0].spoke == pytest.approx(40)


async def test_lean_coffee_votes_extension_and_move_on(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        session = app.session
        await arrive(pilot, *PEOPLE[:4])
        for title in ("Winter pressures", "Volunteer drivers @Ben", "Social prescribing", "Data sharing", "Parking"):
            await enter(pilot, "*" + title)
        clock.advance(5 * 60)
        await pilot.press("right")  # to the vote
        await pilot.press("down")
        assert isinstance(app.focused, LeanBoard)
        # Topics show in proposal order while votes are equal; enter the tally.
        await pilot.press("3", "down", "5", "down", "1", "down", "2", "down", "plus", "minus")
        assert "11 of 12 votes entered" in screen_text(app)
        await pilot.press("escape")
        clock.advance(3 * 60)
        await pilot.press("right")  # to the discussion
        await pilot.press("right")  # the most-voted topic starts
        board = session.segment.lean_coffee
        assert session.lean_coffee.current_topic().title == "Volunteer drivers"
        await enter(pilot, "Drivers wait months for expenses")
        clock.advance(8 * 60)
        app.screen.tick()  # the clock's tick, now rather than within the second
        await until(pilot, lambda: any("thumbs" in str(n.message) for n in app._notifications), "the timebox ends")
        await pilot.press("right")  # the thumbs vote
        await pilot.pause()
        await type_text(pilot, "7")
        await pilot.press("tab")
        await type_text(pilot, "1")
        await pilot.press("tab")
        await type_text(pilot, "0")
        await pilot.press("enter")  # more up than not: continue
        await pilot.pause()
        assert session.lean_coffee.remaining() == pytest.approx(4 * 60)
        await enter(pilot, "!Ben: ask finance about expenses by fri")
        clock.advance(4 * 60)
        await pilot.press("right")
        await pilot.pause()
        await type_text(pilot, "1")
        await pilot.press("tab")
        await type_text(pilot, "4")
        await pilot.press("tab")
        await type_text(pilot, "3")
        await pilot.press("enter")  # move on
        await pilot.pause()
        assert session.lean_coffee.current_topic().title == "Winter pressures"
        clock.advance(6 * 60)
        await finish(pilot)
        meeting_id = session.meeting.id

    archive = Archive(config.db_path).open()
    board = archive.meeting(meeting_id).segments[0].lean_coffee
    drivers = next(t for t in board.topics if t.title == "Volunteer drivers")
    assert drivers.votes == 5 and drivers.state == "done" and drivers.extensions == 1
    assert [(v.up, v.sideways, v.down, v.outcome) for v in drivers.thumbs] == [
        (7, 1, 0, "continue"),
        (1, 4, 3, "move on"),
    ]
    assert round(drivers.discussed) == 12 * 60
    meeting = archive.meeting(meeting_id)
    assert {i.text for i in meeting.items if i.context.get("topic") == drivers.id} == {
        "Drivers wait months for expenses", "ask finance about expenses",
    }  # fmt: skip
    assert [t.title for t in archive.plan("East ICB").carried_topics] == [
        "Data sharing",
        "Social prescribing",
        "Parking",
    ]


async def test_matters_arising_over_two_earlier_meetings(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        for actions in (
            ["!Asha: call the discharge team by fri", "!Ben: share the plan by 3/12"],
            ["!Cai: book the room by next tue"],
        ):
            await plan_with(pilot, "open-conversation")
            await arrive(pilot, *PEOPLE[:3])
            for line in actions:
                await enter(pilot, line)
            clock.advance(600)
            await finish(pilot)
            await pilot.press("h")
            await pilot.pause()
            clock.advance(7 * 24 * 3600)
        earlier = [s.id for s in app.archive.listings()]

        await plan_with(pilot, "matters-arising")
        session = app.session
        matters = session.segment.matters
        assert [m.text for m in matters] == ["call the discharge team", "share the plan", "book the room"]
        await pilot.press("down")
        assert isinstance(app.focused, MattersPanel)
        await pilot.press("d")  # done
        await pilot.press("c")  # carried forward, with a new date
        await pilot.pause()
        await type_text(pilot, "in 2 weeks")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")  # to someone else
        await pilot.pause()
        await type_text(pilot, "Asha")
        await pilot.press("enter")
        await pilot.pause()
        assert [m.outcome for m in matters] == ["done", "carried", "reowned"]
        await pilot.press("escape")
        await finish(pilot)

    archive = Archive(config.db_path).open()
    actions = {a.text: a for meeting_id in earlier for a in archive.meeting(meeting_id).actions}
    now = {text: current(action) for text, action in actions.items()}
    assert now["call the discharge team"].status == "done"
    assert now["share the plan"].status == "open"
    assert now["share the plan"].due == clock.today().fromordinal(clock.today().toordinal() + 14).isoformat()
    assert now["book the room"].owner == "Asha Patel"
    # As agreed at their own meetings, with a follow-up each.
    assert actions["book the room"].owner == "Cai Jones" and actions["call the discharge team"].status == "open"
    assert all(len(a.log) == 1 for a in actions.values())


async def test_a_broken_format_file_is_named_on_the_home_screen(config, tmp_path):
    folder = tmp_path / "formats"
    folder.mkdir()
    (folder / "mine.toml").write_text('id = "mine"\nname = "Mine"\nkind = "timer"\nminutes = "ten"\n')
    (folder / "walk.toml").write_text(
        'id = "walk"\nname = "Walk and talk"\nkind = "timer"\nminutes = 20\nsummary = "s"\nguidance = "g"\n'
    )
    config.user_formats = folder
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        # Read with the archive, after the first frame: named once they are read.
        await until(pilot, lambda: "Format not loaded" in str(app.screen.query_one("#problems").content), "the problem")
        problems = str(app.screen.query_one("#problems").content)
        assert f"Format not loaded: {folder / 'mine.toml'}, line 4: 'minutes' must be a number" in problems
        assert "walk" in app.formats and "check-in" in app.formats


async def test_planning_an_open_space_wall(config):
    from screens.plan_dialogs import SegmentEditor

    app = make_app(config)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        agenda = app.screen.query_one("#agenda")
        agenda.focus()
        while agenda.segments:
            await pilot.press("x")
        await pilot.press("a")
        await pilot.pause()
        options = app.screen.query_one("OptionList")
        position = [o.id for o in options._options].index("open-space")
        await pilot.press(*["down"] * position, "enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, SegmentEditor)
        await pilot.press("tab", "tab")  # name, theme, then slots
        await pilot.press("end", "backspace")
        await type_text(pilot, "2")
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "45")
        await pilot.press("tab", "end", "ctrl+u")
        await paste(pilot, "Garden, Hall, Kitchen, Library")
        await pilot.press("enter")
        await pilot.pause()
        [segment] = agenda.segments
        space = segment.open_space
        assert (space.slots, space.slot_minutes, space.spaces) == (2, 45, ["Garden", "Hall", "Kitchen", "Library"])
        assert [p.name for p in segment.phases] == ["Opening", "Marketplace", "Slot 1", "Slot 2", "Closing circle"]
        assert segment.planned == (15 + 20 + 90 + 20) * 60
        assert "2 h 25" in screen_text(app)


async def test_typing_a_capture_on_the_wall_goes_to_the_capture_line(config):
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await plan_with(pilot, "open-space")
        await pilot.press("right", "down")
        assert isinstance(app.focused, AgendaWall)
        await type_text(pilot, "*Late idea")
        assert app.focused is app.screen.query_one("#entry")
        assert app.focused.value == "*Late idea"
        await pilot.press("enter")
        assert [p.title for p in app.session.segment.open_space.proposals] == ["Late idea"]


async def test_lean_coffee_rows_hold_still_while_the_tally_is_typed(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        session = app.session
        await arrive(pilot, *PEOPLE[:4])
        for title in ("Winter pressures", "Volunteer drivers", "Social prescribing", "Data sharing"):
            await enter(pilot, "*" + title)
        await pilot.press("right", "down")  # the vote; the board
        board = app.screen.query_one(LeanBoard)
        # Going down the list: the last topic outranks the others as its tally goes in,
        # and the + that follows is still for it.
        await pilot.press("1", "down", "2", "down", "0", "down", "5", "plus")
        await pilot.pause()
        votes = {t.title: t.votes for t in session.segment.lean_coffee.topics}
        assert votes == {"Winter pressures": 1, "Volunteer drivers": 2, "Social prescribing": 0, "Data sharing": 6}
        assert [t.title for t in board.topics()][-1] == "Data sharing"  # still where it was typed
        await pilot.press("escape")
        await pilot.pause()
        assert [t.title for t in board.topics()] == [
            "Data sharing",
            "Volunteer drivers",
            "Winter pressures",
            "Social prescribing",
        ]


async def test_a_number_on_a_taken_cell_moves_nothing(config, clock):
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "open-space")
        await arrive(pilot, *PEOPLE[:2])
        await pilot.press("right")  # marketplace
        await enter(pilot, "*Discharge delays @Asha")
        await enter(pilot, "*Digital records @Ben")
        await pilot.press("down", "1")
        await pilot.pause()
        space = app.session.segment.open_space
        first = space.wall["0:0"]
        app.clear_notifications()
        await pilot.press("2")  # the same cell: refused, with a word
        await pilot.pause()
        assert space.wall == {"0:0": first}
        assert any("choose an empty cell" in n.message for n in app._notifications)
        await pilot.press("right", "2")  # an empty cell takes it
        await pilot.pause()
        assert space.wall["0:1"] != first and len(space.wall) == 2


@pytest.mark.parametrize("size", [(120, 40), (100, 30)])
async def test_the_boards_keys_fit_the_footer(config, size):
    """On the wall, the Lean Coffee board and the matters list, the footer keeps the meeting's
    own keys in view (the boards' other keys are in their own line of keys)."""
    app = make_app(config)
    async with app.run_test(size=size) as pilot:
        await plan_with(pilot, "open-space", "lean-coffee", "matters-arising")
        await arrive(pilot, *PEOPLE[:2])
        await pilot.press("right")  # the marketplace
        await enter(pilot, "*Discharge delays @Asha")
        for board in (AgendaWall, LeanBoard, MattersPanel):
            await pilot.press("down")
            await pilot.pause()
            assert isinstance(app.focused, board)
            footer = screen_text(app).splitlines()[-1]
            assert "^f Finish" in footer and "f1 Help" in footer, (board.__name__, footer)
            await pilot.press("escape", "ctrl+n")
            await pilot.pause()


async def test_fist_to_five_counts_the_hands_by_keys_and_keeps_them(config, clock):
    """The worked example of a format kind, driven by keys: → on the empty line counts the hands,
    the room's view shows them, and the record keeps them."""
    from screens.kinds.fist_to_five import HandsCount
    from screens.room import RoomView

    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "fist-to-five", "check-out")
        session = app.session
        await arrive(pilot, *PEOPLE)
        assert "Count hands" in screen_text(app)  # the footer offers →
        await pilot.press("right")
        await until(pilot, lambda: isinstance(app.screen, HandsCount), "the count form")
        # Typed ahead, as fast as a facilitator counts: a fist, none, two, three, four and one.
        await pilot.press("1", "tab", "tab", "2", "tab", "3", "tab", "4", "tab", "1", "enter")
        await until(pilot, lambda: session.fist_to_five.counts() == [1, 0, 2, 3, 4, 1], "the counts kept")
        await pilot.press("f8")  # present mode: what the room sees
        await until(pilot, lambda: app.screen.query(RoomView).first().display, "the room's view")
        assert "11 hands, average 3.1 of 5 (3 at two or fewer)" in screen_text(app)
        await pilot.press("f8")
        await pilot.press("right")  # counted again, to correct: the form comes back filled
        await until(pilot, lambda: isinstance(app.screen, HandsCount), "the count form again")
        assert app.screen.query_one("#fingers-3").value == "3"
        await pilot.press("escape")
        await finish(pilot)
    meeting = Archive(config.db_path).open().meeting(session.meeting.id)
    assert meeting.segments[0].data["fingers_4"] == 4
