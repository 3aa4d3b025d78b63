"""The run screen's lists: who is here, everything captured, the speaking order."""

from screens.app import make_app
from screens.kinds.round import SpeakingOrder
from screens.run_dialogs import CapturedItems, WhoIsHere
from tests.app.pilot import enter, paste, screen_text, type_text, widget_text
from tests.app.test_meeting_flow import plan_meeting


async def started(pilot, clock):
    await plan_meeting(pilot)
    await pilot.press("ctrl+s")
    await pilot.pause()
    for person in ("Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council"):
        await enter(pilot, "+" + person)
        clock.advance(10)


async def test_who_is_here_edits_marks_left_and_removes(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        meeting = app.session.meeting
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, WhoIsHere)
        assert "Who is here: 3 present, 3 new, 0 left" in widget_text(app)
        await pilot.press("down", "l")  # Ben leaves
        assert meeting.attendees[1].left_at is not None
        assert "2 present" in widget_text(app)
        await pilot.press("l")  # and comes back
        assert meeting.attendees[1].left_at is None
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "end", "ctrl+u")
        await paste(pilot, "Addenbrooke's")
        await pilot.press("enter")
        await pilot.pause()
        assert meeting.attendees[1].organisation == "Addenbrooke's"
        await pilot.press("down", "x")
        await pilot.pause()
        await pilot.press("enter")  # confirm: Cai was registered by mistake
        await pilot.pause()
        assert [a.name for a in meeting.attendees] == ["Asha Patel", "Ben Ode"]
        await pilot.press("a")
        await pilot.pause()
        await paste(pilot, "Dee Lane")
        await pilot.press("enter")
        await pilot.pause()
        assert meeting.attendees[-1].name == "Dee Lane"
        await pilot.press("escape")


async def test_captured_items_are_edited_and_deleted(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        await enter(pilot, "frist note")
        await enter(pilot, "!Ben: send slides by fri")
        meeting = app.session.meeting
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, CapturedItems)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u")
        await paste(pilot, "first note")
        await pilot.press("enter")
        await pilot.pause()
        assert meeting.items[0].text == "first note"
        await pilot.press("down", "e")  # the action: a form with its due date as typed
        await pilot.pause()
        await pilot.press("tab", "tab")
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "fir")
        await pilot.press("enter")
        await pilot.pause()
        assert "Can't read 'fir' as a date" in widget_text(app)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "next fri")
        await pilot.press("enter")
        await pilot.pause()
        assert meeting.items[1].due == "2026-12-04" and meeting.items[1].due_text == "next fri"
        await pilot.press("up", "x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [i.text for i in meeting.items] == ["send slides"]


async def test_speaking_order_moves_shuffles_and_times(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        segment = app.session.segment
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SpeakingOrder)
        await pilot.press("down", "down", "ctrl+up", "ctrl+up")
        names = [app.session.meeting.attendee(t.person_id).name for t in segment.round.turns]
        assert names == ["Cai Jones", "Asha Patel", "Ben Ode"]
        await pilot.press("a")  # back to arrival order
        names = [app.session.meeting.attendee(t.person_id).name for t in segment.round.turns]
        assert names == ["Asha Patel", "Ben Ode", "Cai Jones"]
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "45")
        await pilot.press("enter")
        await pilot.pause()
        assert segment.per_person == 45
        await pilot.press("down", "enter")  # give Ben the floor
        await pilot.pause()
        assert app.session.round.speaker().name == "Ben Ode"


async def test_a_pasted_block_of_lines_is_kept_whole(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        before = len(app.session.meeting.items)
        await paste(pilot, "Winter pressures:\r\n\n  beds short   at Addenbrooke's\nsocial care | waits\n")
        entry = app.screen.query_one("#entry")
        assert entry.value == "Winter pressures: / beds short at Addenbrooke's / social care | waits"
        await pilot.press("enter")
        await pilot.pause()
        note = app.session.meeting.items[-1]
        assert len(app.session.meeting.items) == before + 1
        assert note.text == "Winter pressures: / beds short at Addenbrooke's / social care | waits"


async def test_a_very_long_capture_is_kept_whole_and_shown_short(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        note = "[b]winter[/b] " * 2000  # 28,000 characters
        await enter(pilot, "N" + note)
        kept = app.session.meeting.items[-1]
        assert kept.text == ("N" + note).strip()
        log = app.screen.query_one("#log").content.plain
        assert "[b]winter[/b]" in log
        assert "characters, ctrl+l" in log
        assert len(log) < 1000


async def test_f7_adds_a_segment_after_this_one(config, clock):
    from facilitate.archive import Archive
    from screens.plan_dialogs import FormatPicker

    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot, clock)
        session = app.session
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, FormatPicker)
        picker = app.screen.query_one("OptionList")
        position = [o.id for o in picker._options].index("1-2-4-all")
        await pilot.press(*["down"] * position, "enter")
        await pilot.pause()
        names = [s.name for s in session.meeting.segments]
        assert names[:3] == ["Check-in", "1-2-4-All", "Open conversation"]
        assert "1-2-4-All" in screen_text(app)  # on the agenda beside the countdown
        assert app.focused is app.screen.query_one("#entry")  # back to capturing
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert session.segment.name == "1-2-4-All"
        await enter(pilot, "Everyone wants weekend discharge fixed")
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        meeting_id = session.meeting.id
    meeting = Archive(config.db_path).open().meeting(meeting_id)
    added = meeting.segments[1]
    assert added.name == "1-2-4-All"
    assert [i.text for i in meeting.items if i.segment_id == added.id] == ["Everyone wants weekend discharge fixed"]
