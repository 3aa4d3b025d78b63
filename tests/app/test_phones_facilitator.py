"""Phones from the facilitator's side: choosing who an ambiguous sign-in is, and a phone's
contributions edited, merged and hidden in the app like any typed one, still credited."""

from __future__ import annotations

from facilitate.archive import Archive
from facilitate.models import Person
from screens.app import make_app
from screens.phones import PhonesPanel
from tests.app.formats_pilot import plan_with
from tests.app.pilot import screen_text, until, widget_text
from tests.phones_helpers import Phone


async def open_panel(pilot):
    await pilot.press("f12")
    await until(pilot, lambda: isinstance(pilot.app.screen, PhonesPanel), "the phones panel")
    return pilot.app.phones.server


async def test_the_facilitator_chooses_which_of_several_alike_a_sign_in_is(config, clock):
    archive = Archive(config.db_path).open()
    archive.add_records([], [Person("sam-stm", "Sam Jones", "St Mary's"), Person("sam-cc", "Sam Jones", "Council")], [])
    archive.close()
    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        session = app.session
        server = await open_panel(pilot)
        base = f"http://127.0.0.1:{server.port}/"
        async with Phone(base, server.token, "Sam Jones") as sam, Phone(
            base, server.token, "Sam Jones", "Leeds Mind"
        ) as other:
            assert (await sam.join())[0] == 200
            assert (await other.join())[0] == 200
            await until(pilot, lambda: "2 people are alike" in widget_text(app), "offered as a choice")
            text = widget_text(app)
            assert "1  Sam Jones, St Mary's" in text and "2  Sam Jones, Council" in text and "w  someone new" in text
            await pilot.press("a")  # several are alike: a alone chooses nobody
            await pilot.pause()
            assert session.meeting.attendees == [] and len(server.desk.waiting()) == 2
            await pilot.press("2")
            await until(pilot, lambda: session.meeting.attendees, "let in as the one chosen")
            attendee = session.meeting.attendees[0]
            assert (attendee.person_id, attendee.name, attendee.organisation, attendee.new) == (
                "sam-cc", "Sam Jones", "Council", False,
            )  # fmt: skip
            assert (await sam.me())[1]["me"]["state"] == "here"
            await pilot.press("w")  # the next waiting, Sam Jones of Leeds Mind: someone new
            await until(pilot, lambda: len(session.meeting.attendees) == 2, "the second let in as someone new")
            second = session.meeting.attendees[1]
            assert second.person_id not in ("sam-stm", "sam-cc") and second.new
            assert second.organisation == "Leeds Mind"


async def test_the_app_keeps_the_join_file_fresh_while_the_room_is_open(config):
    """A room view stops showing a link nobody touches (a killed app's); the app touches it."""
    import os
    import time

    from facilitate.room.follower import JournalFollower
    from facilitate.storage.paths import join_path_for_live

    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        app.phones.heartbeat = 0.05
        server = await open_panel(pilot)
        join_file = join_path_for_live(app.session.live.path)
        follower = JournalFollower(app.session.live.path)
        follower.poll()
        assert follower.join == server.url
        long_ago = time.time() - 3600
        os.utime(join_file, (long_ago, long_ago))  # as if nobody had touched it for an hour
        await until(pilot, lambda: os.stat(join_file).st_mtime > long_ago + 1800, "touched again")
        follower.poll()
        assert follower.join == server.url
        await pilot.press("s")  # closed to phones: no more touching
        await until(pilot, lambda: not app.phones.running, "closed")
        assert app.phones._beating is None and not join_file.exists()


async def test_present_mode_shows_the_join_code_where_it_fits_and_other_views_learn_it(config, clock):
    import json
    import os
    import sys

    from facilitate.phones.join import qr_rows
    from facilitate.room.follower import JournalFollower
    from facilitate.storage.paths import join_path_for_live
    from screens.room import RoomView

    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        session = app.session
        server = await open_panel(pilot)
        join_file = join_path_for_live(session.live.path)
        assert json.loads(join_file.read_text()) == {"meeting": session.meeting.id, "url": server.url}
        if sys.platform != "win32":
            assert os.stat(join_file).st_mode & 0o777 == 0o600
        follower = JournalFollower(session.live.path)  # `facilitate room`, in another terminal
        follower.poll()
        assert follower.state(clock.wall()).join == server.url
        assert follower.state(clock.wall()).join_qr == list(qr_rows(server.url))
        await pilot.press("escape", "f8")
        present = app.screen.query_one("#present", RoomView)
        code = present.query_one("#room-qr")
        await until(pilot, lambda: present.has_class("-qr") and code.region.height, "the QR code on the room's screen")
        rows = qr_rows(server.url)
        assert code.region.height >= (len(rows) + 1) // 2 and code.region.right <= present.region.right
        clock_region = present.query_one("#room-clock").region
        assert not clock_region.overlaps(code.region) and clock_region.width >= 60, "beside the big clock"
        assert "Join from your phone" in str(present.query_one("#room-next").render())
        first = server.url

        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, PhonesPanel), "the panel again")
        await pilot.press("r")  # a new code
        await until(pilot, lambda: server.url != first, "the code rotated")
        assert json.loads(join_file.read_text())["url"] == server.url
        assert follower.poll() and follower.state(clock.wall()).join == server.url
        await pilot.press("escape")
        await until(pilot, lambda: present.state.join == server.url, "the room's screen shows the new code")
        assert present.state.join_qr == list(qr_rows(server.url)) and present.has_class("-qr")

        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not present.has_class("-qr"), "too small for the code: the link alone")
        await until(pilot, lambda: server.url in screen_text(app), "the whole link on the screen")
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: present.has_class("-qr"), "room for the code again")

        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, PhonesPanel), "the panel again")
        await pilot.press("s")  # closed to phones
        await until(pilot, lambda: not app.phones.running, "closed")
        assert not join_file.exists(), "no room view shows a closed room's code"
        assert follower.poll() and follower.state(clock.wall()).join == ""
        await pilot.press("escape")
        await until(pilot, lambda: not present.has_class("-qr"), "the code gone from the room's screen")
        assert "Join from your phone" not in str(present.query_one("#room-next").render())


async def test_present_mode_at_80_by_24_gives_the_link_alone(config, clock):
    from screens.room import RoomView

    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_with(pilot, "lean-coffee")
        server = await open_panel(pilot)
        await pilot.press("escape", "f8")
        present = app.screen.query_one("#present", RoomView)
        await until(pilot, lambda: present.state.join == server.url, "present mode knows the link")
        await pilot.pause()
        assert not present.has_class("-qr") and not present.query_one("#room-qr").region.height
        assert server.url in screen_text(app), "the whole link, on a line of its own"
        assert "Next: " in screen_text(app), "and what comes next, above it"
        assert present.query_one("#room-clock").region.height >= 3, "the countdown keeps its room"


async def pick(pilot, option_id: str) -> None:
    """Choose `option_id` in the PickOne dialog that has just opened, by keys."""
    from textual.widgets import OptionList

    from screens.dialogs import PickOne

    await until(pilot, lambda: isinstance(pilot.app.screen, PickOne), "the choice offered")
    options = pilot.app.screen.query_one(OptionList)
    position = [option.id for option in options._options].index(option_id)
    await pilot.press(*["down"] * position, "enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, PickOne), "the choice made")


async def retitle(pilot, title: str) -> None:
    """In the edit form that has just opened: a new title, by keys, saved with Enter."""
    from screens.dialogs import ProposalForm
    from tests.app.pilot import paste

    await until(pilot, lambda: isinstance(pilot.app.screen, ProposalForm), "the edit form")
    await pilot.press("end", "ctrl+u")
    await paste(pilot, title)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, ProposalForm), "the form saved")


async def test_phone_contributions_are_edited_merged_and_hidden_in_the_app_still_credited(config, clock):
    from facilitate.export.markdown import render
    from screens.kinds.lean_coffee import LeanBoard
    from screens.kinds.open_space import AgendaWall
    from tests.app.test_formats_run import finish

    config.phones_port = 0
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee", "open-space")
        session = app.session
        server = await open_panel(pilot)
        base = f"http://127.0.0.1:{server.port}/"
        async with Phone(base, server.token, "Asha Patel", "Age UK") as asha, Phone(
            base, server.token, "Ben Ode", "Addenbrooke's"
        ) as ben:
            assert (await asha.join())[0] == 200 and (await ben.join())[0] == 200
            await until(pilot, lambda: len(session.meeting.attendees) == 2, "both here")
            asha_id, ben_id = (a.person_id for a in session.meeting.attendees)
            await pilot.press("escape")
            for phone, title in ((asha, "Winter presures"), (ben, "Winter beds"), (ben, "Buy cheap watches")):
                assert (await phone.send("propose", {"title": title}))[0] == 200
            await until(pilot, lambda: "Buy cheap watches" in screen_text(app), "the topics on the board")
            board = session.segment.lean_coffee
            winter, beds, spam = board.topics

            await pilot.press("down")  # to the board: its rows as proposed, the cursor on the first
            assert isinstance(app.focused, LeanBoard)
            await pilot.press("e")
            await retitle(pilot, "Winter pressures")
            assert (winter.title, winter.by, winter.by_id) == ("Winter pressures", "Asha Patel", asha_id)
            await pilot.press("down", "down", "x")  # the watches: hidden
            await until(pilot, lambda: spam.hidden, "hidden")
            await until(pilot, lambda: "Buy cheap watches" not in screen_text(app), "off the board")
            assert "1 hidden" in screen_text(app)
            assert "Buy cheap watches" not in str((await ben.me())[1]), "nor on the phones"
            await pilot.press("u")  # shown again: a mistake undone
            await pick(pilot, spam.id)
            await until(pilot, lambda: "Buy cheap watches" in screen_text(app), "back on the board")
            await pilot.press("escape")
            clock.advance(5 * 60)
            await pilot.press("f5")  # the dot vote
            await until(pilot, lambda: session.segment.current_phase.kind == "vote", "voting")
            for phone, topic in ((asha, winter), (asha, beds), (ben, beds), (ben, spam)):
                assert (await phone.send("dot", {"topic": topic.id}))[0] == 200
            await until(pilot, lambda: board.dots_of(ben_id) == 2, "the dots counted")

            await pilot.press("down")  # the board, by votes: beds (2), winter, watches
            await until(pilot, lambda: app.focused is not None and isinstance(app.focused, LeanBoard), "the board")
            assert [t.id for t in app.focused.topics()] == [beds.id, winter.id, spam.id]
            await pilot.press("up", "up", "down", "m")  # the second row: winter takes beds in
            await pick(pilot, beds.id)
            await until(pilot, lambda: beds.merged_into == winter.id, "merged")
            assert winter.by == "Asha Patel & Ben Ode" and winter.participants == [ben_id]
            assert winter.votes == 3 and board.dots_of(asha_id) == 2 and board.dots_of(ben_id) == 2
            await until(pilot, lambda: "Winter pressures + Winter beds" in screen_text(app), "both titles on the board")
            await pilot.press("down", "down", "x")  # the last row: the watches, hidden again
            await until(pilot, lambda: spam.hidden, "hidden again")
            mine = (await ben.me())[1]["segment"]
            assert [(t["title"], t["mine"], t["my_dots"]) for t in mine["topics"]] == [("Winter pressures", True, 1)]
            assert mine["dots_left"] == board.votes_per_person - 1, "Ben's dot on the watches is his again"
            await pilot.press("escape")

            await pilot.press("ctrl+n")  # on to the open space
            await until(pilot, lambda: session.segment.open_space is not None, "the open space")
            clock.advance(15 * 60)
            await pilot.press("f5")  # the marketplace
            await until(pilot, lambda: session.segment.current_phase.kind == "marketplace", "the marketplace")
            for phone, title in ((asha, "Discharge"), (ben, "Discharge delays again"), (ben, "Free watches")):
                assert (await phone.send("propose", {"title": title}))[0] == 200
            await until(pilot, lambda: "Free watches" in screen_text(app), "the proposals waiting for the wall")
            space = session.segment.open_space
            discharge, again, watches = space.proposals
            await pilot.press("down")  # to the wall, on an empty cell: e asks which waiting session
            assert isinstance(app.focused, AgendaWall)
            await pilot.press("e")
            await pick(pilot, discharge.id)
            await retitle(pilot, "Discharge delays")
            assert (discharge.title, discharge.by_id) == ("Discharge delays", asha_id)
            await pilot.press("1")  # on the wall, slot 1, first space
            await until(pilot, lambda: space.wall.get("0:0") == discharge.id, "placed")
            await pilot.press("m")
            await pick(pilot, again.id)
            await until(pilot, lambda: again.merged_into == discharge.id, "merged")
            await pilot.press("right", "h")  # an empty cell: which waiting session to hide
            await pick(pilot, watches.id)
            await until(pilot, lambda: watches.hidden, "hidden")
            await until(pilot, lambda: "Free watches" not in screen_text(app), "off the wall's waiting list")
            assert "1 session hidden" in screen_text(app)
            assert "Free watches" not in str((await ben.me())[1])
            await pilot.press("escape")
        await finish(pilot)
        record = app.archive.meeting(session.meeting.id)

    markdown = render(record)
    lean = next(s.lean_coffee for s in record.segments if s.lean_coffee)
    topic = lean.topic(winter.id)
    assert (topic.title, topic.by, topic.by_id, topic.participants) == (
        "Winter pressures", "Asha Patel & Ben Ode", asha_id, [ben_id],
    )  # fmt: skip
    assert topic.merged_titles == ["Winter beds"] and topic.votes == 3 and lean.topic(spam.id).hidden
    assert "Winter pressures (merged with: Winter beds) | Asha Patel &amp; Ben Ode | 3" in markdown
    assert "watches" not in markdown
    space = next(s.open_space for s in record.segments if s.open_space)
    kept = space.proposal(discharge.id)
    assert (kept.title, kept.by, kept.by_id) == ("Discharge delays", "Asha Patel & Ben Ode", asha_id)
    assert "Merged with:** Discharge delays again" in markdown and "**Convener:** Asha Patel &amp; Ben Ode" in markdown
