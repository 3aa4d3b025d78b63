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
