"""Typing as a fast typist does: keys queued faster than the app handles them.

Each burst is posted to the app all at once, before it has handled the first
key, as a terminal delivers a text expander, key repeat or a quick typist on
a busy laptop. The proof through a real terminal is in tests/proof.
"""

from __future__ import annotations

import random

from textual import events
from textual.widgets import Input

from facilitate.session import MeetingSession
from screens.app import make_app
from screens.kinds.lean_coffee import ThumbsVote
from screens.kinds.open_space import AgendaWall, ReportEditor, WhoTookPart
from screens.run import RunScreen
from screens.run_dialogs import ActionForm
from screens.ticks import TickList
from tests.app.pilot import screen_text, wait_archive, wait_until_quiet, widget_text
from tests.unit.helpers import make_meeting

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, Addenbrooke's", "Cai Jones, City Council", "Dee Lane, Carers Trust")
NAMES = {" ": "space", "\n": "enter", "\t": "tab"}


def burst(app, *keys: str) -> None:
    """Queue keys at once: one-character strings are typed characters, longer ones key names."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(NAMES.get(key, key), key if key not in "\n\t" else None))
        else:
            app.post_message(events.Key(key, None))


def text(line: str) -> list[str]:
    return list(line)


async def resume(config, clock, *formats: str, setup=None):
    """A meeting begun on disk with people present, resumed into the run screen."""
    session = MeetingSession.begin(make_meeting(*formats), clock, config.live_path, rng=random.Random(3))
    for person in PEOPLE:
        session.capture("+" + person)
    if setup is not None:
        setup(session)
    session.live.close()
    return make_app(config)


async def start(pilot):
    await wait_archive(pilot)
    await pilot.press("r")
    await wait_until_quiet(pilot)
    assert isinstance(pilot.app.screen, RunScreen)


async def test_a_burst_of_edits_is_captured_as_typed(config, clock):
    app = await resume(config, clock, "open-conversation")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        burst(app, *text("note1-abcdef"), "backspace", "backspace", "backspace", *text("XYZ"), "enter")
        burst(app, *text("!Mark: test b"), "backspace", *text("abcd"), "enter")
        burst(app, *text("held wrod"), "ctrl+w", *text("word"), "home", "delete", *text("H"), "end", *text("!"), "enter")
        burst(app, *text("ab"), "left", "left", *text("x"), "right", "delete", *text("y"), "enter")
        await wait_until_quiet(pilot)
        texts = [item.text for item in app.session.meeting.items]
        assert texts == ["note1-abcXYZ", "test abcd", "Held word!", "xay"]


async def test_a_refused_line_is_held_and_the_next_line_is_its_own_capture(config, clock):
    app = await resume(config, clock, "check-in", "open-space")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        # A proposal in a check-in cannot be captured; typing runs on regardless.
        burst(app, *text("*X @A"), "enter", *text("*Discharge delays @Asha"), "enter", *text("=We will meet monthly"), "enter")
        await wait_until_quiet(pilot)
        meeting = app.session.meeting
        assert [(i.kind, i.text) for i in meeting.items] == [("decision", "We will meet monthly")]
        assert [h.line for h in app.session.held] == ["*X @A", "*Discharge delays @Asha"]
        entry = app.screen.query_one("#entry")
        assert entry.value == ""
        shown = screen_text(app)
        assert "2 lines not captured" in shown and "Discharge delays" in shown
        # ↑ on the empty line brings the newest back; after moving on it captures.
        burst(app, "up")
        await wait_until_quiet(pilot)
        assert entry.value == "*Discharge delays @Asha"
        assert [h.line for h in app.session.held] == ["*X @A"]
        burst(app, "ctrl+n", "enter")
        await wait_until_quiet(pilot)
        space = app.session.segment.open_space
        assert [p.title for p in space.proposals] == ["Discharge delays"]


async def test_an_action_with_an_unreadable_date_is_captured_and_flagged(config, clock):
    app = await resume(config, clock, "open-conversation")
    async with app.run_test(size=(110, 30)) as pilot:
        await start(pilot)
        burst(app, *text("!Mark: chase the estates team by someday"), "enter", *text("=We will meet monthly"), "enter")
        await wait_until_quiet(pilot)
        action, decision = app.session.meeting.items
        assert (action.text, action.due_text, action.due_not_understood) == ("chase the estates team", "someday", True)
        assert decision.text == "We will meet monthly"
        assert "date not understood" in screen_text(app)
        # Editing the action fixes it: ctrl+l, the action, its form, a date.
        burst(app, "ctrl+l", "enter", "tab", "tab", "ctrl+u", *text("fri"), "enter")
        await wait_until_quiet(pilot)
        assert (action.due, action.due_not_understood) == ("2026-11-27", False)


async def test_keys_typed_while_the_action_form_opens_go_into_it(config, clock):
    app = await resume(config, clock, "open-conversation")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        burst(app, "ctrl+y", *text("book the room"), "tab", *text("Asha"), "tab", *text("fri"), "enter", *text("after"))
        await wait_until_quiet(pilot)
        (action,) = app.session.meeting.items
        assert (action.text, action.owner, action.due) == ("book the room", "Asha Patel", "2026-11-27")
        assert isinstance(app.screen, RunScreen)
        assert app.screen.query_one("#entry").value == "after"
        assert app.keys.waited_out == 0  # no key waited for something that never came


async def test_the_action_form_opens_again_empty_for_the_next_action(config, clock):
    """ctrl+y reuses one form: each opening starts empty, in What, suggesting who is here now."""
    app = await resume(config, clock, "open-conversation")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        burst(app, "ctrl+y", *text("book the room"), "tab", *text("Asha"), "tab", *text("someday"), "enter")
        await wait_until_quiet(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)  # the date was refused: the form stays, saying why
        assert "someday" in widget_text(app)
        burst(app, "escape", *text("+Zainab Okafor, Carers Trust"), "enter", "ctrl+y")
        await wait_until_quiet(pilot)
        assert app.screen is form  # the same form, opened again
        assert [field.value for field in form.query(Input)] == ["", "", ""]
        assert form.focused is form.query_one("#what")
        assert "someday" not in widget_text(app)  # the refusal is gone with its text
        burst(app, *text("thank the carers"), "tab", *text("Zain"), "tab", "enter")  # tab takes the suggestion
        await wait_until_quiet(pilot)
        (action,) = app.session.meeting.actions
        assert (action.text, action.owner) == ("thank the carers", "Zainab Okafor")
        assert isinstance(app.screen, RunScreen)


def open_space_in_slot(session: MeetingSession) -> None:
    session.phases.next()  # marketplace
    first = session.open_space.propose("Discharge delays", "Asha")
    session.open_space.propose("Carers' respite", "Ben")
    session.open_space.place(first.id, 0, 0)
    session.phases.next()  # slot 1


async def test_who_took_part_and_the_report_take_keys_typed_ahead(config, clock):
    app = await resume(config, clock, "open-space", setup=open_space_in_slot)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        burst(app, "down")  # to the wall, on slot 1's first session
        await wait_until_quiet(pilot)
        assert isinstance(app.focused, AgendaWall)
        # Quick ↓ Enter ↓ Enter as the dialog opens: ticks rows 2 and 3, exactly.
        burst(app, "p", "down", "enter", "down", "enter", "ctrl+s")
        # The report typed straight after r, before the editor has appeared.
        burst(app, "r", *text("Weekend discharges stall."), "enter", *text("Pharmacy is the key."), "ctrl+s")
        await wait_until_quiet(pilot)
        assert not isinstance(app.screen, (WhoTookPart, ReportEditor))
        space = app.session.segment.open_space
        discharge = space.proposal(space.wall["0:0"])
        attendees = app.session.meeting.attendees
        assert discharge.participants == [attendees[1].person_id, attendees[2].person_id]
        assert discharge.report == "Weekend discharges stall.\nPharmacy is the key."
        assert len(space.proposals) == 2 and space.wall == {"0:0": discharge.id}  # no key reached the wall
        assert app.keys.waited_out == 0


async def test_the_ticked_list_shows_its_state_in_characters(config, clock):
    app = await resume(config, clock, "open-space", setup=open_space_in_slot)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        burst(app, "down", "p", "space", "down", "down", "space")
        await wait_until_quiet(pilot)
        assert isinstance(app.screen, WhoTookPart)
        shown = screen_text(app)
        assert "[✓] Asha Patel" in shown and "[ ] Ben Ode" in shown and "[✓] Cai Jones" in shown
        assert "2 of 4 ticked" in shown
        ticks = app.screen.query_one(TickList)
        attendees = app.session.meeting.attendees
        assert ticks.ticked == [attendees[0].person_id, attendees[2].person_id]


def lean_coffee_discussing(session: MeetingSession) -> None:
    session.phases.next()  # vote
    topic = session.lean_coffee.add_topic("Winter surge plan", "Asha")
    session.phases.next()  # discuss
    session.lean_coffee.discuss(topic.id)


async def test_thumbs_typed_ahead_are_the_thumbs_saved(config, clock):
    app = await resume(config, clock, "lean-coffee", setup=lean_coffee_discussing)
    async with app.run_test(size=(110, 32)) as pilot:
        await start(pilot)
        burst(app, "right", "2", "tab", "1", "tab", "3", "enter")
        await wait_until_quiet(pilot)
        assert not isinstance(app.screen, ThumbsVote)
        topic = app.session.segment.lean_coffee.topics[0]
        last = topic.thumbs[-1]
        assert (last.up, last.sideways, last.down) == (2, 1, 3)


async def test_a_paste_is_one_text_in_order_with_the_keys_around_it(config, clock):
    app = await resume(config, clock, "open-conversation")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        burst(app, *text("ab"))
        app.post_message(events.Paste("xyz\x1b[2Jqrs\nsecond line"))
        burst(app, *text("cd"), "enter")
        await wait_until_quiet(pilot)
        (note,) = app.session.meeting.items
        assert note.text == "abxyzqrs / second linecd"
        assert not isinstance(app.screen, ActionForm)
