"""Phones from the facilitator's side: choosing who an ambiguous sign-in is, and a phone's
contributions edited, merged and hidden in the app like any typed one, still credited."""

from __future__ import annotations

from facilitate.archive import Archive
from facilitate.models import Person
from screens.app import make_app
from screens.phones import PhonesPanel
from tests.app.formats_pilot import plan_with
from tests.app.pilot import until, widget_text
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
