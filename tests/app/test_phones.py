"""Phones in the facilitator's app: opened with F12, sign-ins let in from the panel, every
contribution on the run screen at once and in the record and its markdown, credited."""

from __future__ import annotations

from facilitate.export.markdown import render
from screens.app import make_app
from screens.phones import PhonesPanel
from screens.run_widgets import MeetingBar
from tests.app.formats_pilot import plan_with
from tests.app.pilot import screen_text, until, widget_text
from tests.app.test_formats_run import finish
from tests.phones_helpers import Phone


async def test_phone_contributions_reach_the_app_the_record_and_the_markdown(config, clock):
    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee", "open-space")
        session = app.session
        assert "Phones" in [command.title for command in app.get_system_commands(app.screen)]
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, PhonesPanel), "the phones panel")
        server = app.phones.server
        assert server is not None and server.url in widget_text(app)
        await pilot.press("n")  # sign-ins wait for a nod
        await until(pilot, lambda: session.meeting.phones.nod, "the nod chosen")
        base = f"http://127.0.0.1:{server.port}/"
        async with Phone(base, server.token, "Asha Patel", "Age UK", "Tom Reed") as asha, Phone(
            base, server.token, "Ben Ode", "Addenbrooke's"
        ) as ben:
            assert (await asha.join())[0] == 200
            async with Phone(base, server.token, "Cai Jones", "Council") as cai:
                assert (await cai.join())[0] == 200
            await until(pilot, lambda: "Cai Jones" in widget_text(app), "both waiting in the panel")
            assert "Asha Patel" in widget_text(app) and "waiting" in screen_text(app)
            assert session.meeting.attendees == []
            await pilot.press("down", "a")  # the second waiting: Cai
            await until(pilot, lambda: session.meeting.attendees, "Cai let in")
            assert [a.name for a in session.meeting.attendees] == ["Cai Jones"]
            await pilot.press("a")
            await until(pilot, lambda: len(session.meeting.attendees) == 2, "Asha let in")
            bar = app.screen_stack[-2].query_one(MeetingBar)
            await until(pilot, lambda: bar.phones == (True, 0), "the run screen's bar: open, nobody waits now")
            await pilot.press("n")  # now they arrive at once
            await until(pilot, lambda: not session.meeting.phones.nod, "arrive at once")
            assert (await ben.join())[0] == 200
            await pilot.press("escape")
            await pilot.pause()
            assert "phones open" in screen_text(app)
            await pilot.press("f8")  # present mode: the room sees where to join, all the while
            await until(pilot, lambda: "Join from your phone" in screen_text(app), "the join address shown")
            await pilot.press("f8")
            await pilot.pause()
            assert (await asha.send("propose", {"title": "Winter pressures"}))[0] == 200
            assert (await ben.send("propose", {"title": "Shared care records"}))[0] == 200
            await until(pilot, lambda: "Shared care records" in screen_text(app), "the topics on the board")
            assert "Winter pressures" in screen_text(app)
            assert "3 here" in screen_text(app)
            clock.advance(5 * 60)
            await pilot.press("f5")  # the dot vote
            await pilot.pause()
            board = session.segment.lean_coffee
            winter = next(t for t in board.topics if t.title == "Winter pressures")
            for _ in range(2):
                assert (await ben.send("dot", {"topic": winter.id}))[0] == 200
            assert (await asha.send("dot", {"topic": winter.id}))[0] == 200
            await until(pilot, lambda: winter.votes == 3, "the dots counted")
            clock.advance(3 * 60)
            await pilot.press("f5")  # discuss
            await pilot.press("ctrl+n")  # on to the open space
            await pilot.pause()
            clock.advance(15 * 60)
            await pilot.press("f5")  # the marketplace
            await pilot.pause()
            status, answer = await asha.send("propose", {"title": "Discharge delays"})
            assert status == 200
            await until(pilot, lambda: "Discharge delays" in screen_text(app), "the session in the app")
        await finish(pilot)
        record = app.archive.meeting(session.meeting.id)
    markdown = render(record)
    assert "Winter pressures" in markdown and "Shared care records" in markdown
    assert "Discharge delays" in markdown
    asha_record = next(a for a in record.attendees if a.name == "Asha Patel")
    assert asha_record.invited_by == "Tom Reed"
    topics = {t.title: t for s in record.segments if s.lean_coffee for t in s.lean_coffee.topics}
    assert topics["Winter pressures"].by == "Asha Patel" and topics["Shared care records"].by == "Ben Ode"
    assert topics["Winter pressures"].votes == 3
    proposal = next(p for s in record.segments if s.open_space for p in s.open_space.proposals)
    assert (proposal.title, proposal.by, proposal.by_id) == ("Discharge delays", "Asha Patel", asha_record.person_id)
    assert "Asha Patel" in markdown and "Ben Ode" in markdown
    assert app.phones.server is None, "the room closes to phones when the meeting ends"
