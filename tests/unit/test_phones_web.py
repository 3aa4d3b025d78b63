"""The participants' server on loopback: joining, contributing, acknowledged only once on the
disk and counted once, and every kind of bad request refused with its status and nothing stored."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from facilitate.clock import FakeClock
from facilitate.live import LiveFile
from facilitate.phones import Desk
from facilitate.room.feed import RoomFeed
from facilitate.room.state import room_state
from facilitate.session import MeetingSession, replay_meeting
from facilitate.web.phones import MAX_BODY, PhoneServer
from tests.data import HOSTILE
from tests.phones_helpers import Phone, new_key
from tests.room_meetings import go_to, make_meeting

FLOOD = 1_000
"""Requests from one device in the normal suite (10,000 with -m slow)."""


class Served:
    def __init__(self, tmp_path) -> None:
        self.clock = FakeClock()
        self.session = MeetingSession.begin(make_meeting(), self.clock, tmp_path / "live.jsonl")
        feed = RoomFeed(lambda: room_state(self.session.meeting, self.session.pending_time(), self.clock.wall()))
        self.server = PhoneServer(Desk(self.session), feed, host="127.0.0.1", port=0)
        self.session.listeners.append(lambda event: self.server.changed())

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/"

    def phone(self, name: str, **kw) -> Phone:
        return Phone(self.base, self.server.token, name, **kw)

    def journal(self) -> list[dict]:
        return LiveFile.read(self.session.live.path).events

    def replayed(self):
        return replay_meeting(LiveFile.read(self.session.live.path))[0]

    def to_vote(self) -> str:
        """The Lean Coffee's vote, with one topic typed by the facilitator; its id."""
        go_to(self.session, "lean-coffee")
        topic = self.session.lean_coffee.add_topic("Winter pressures")
        self.session.phases.next()
        return topic.id


@pytest.fixture
async def served(tmp_path):
    served = Served(tmp_path)
    await served.server.start()
    try:
        yield served
    finally:
        await served.server.stop()


async def test_a_phone_joins_proposes_and_is_acknowledged_once_the_journal_has_it(served):
    go_to(served.session, "lean-coffee")
    async with served.phone("Asha Patel", organisation="Age UK", invited_by="Tom Reed") as phone:
        status, state = await phone.join()
        assert status == 200 and state["me"] == {"name": "Asha Patel", "state": "here"}
        assert state["room"]["segment"]["kind"] == "lean-coffee" and state["segment"]["can"] == ["propose"]
        status, answer = await phone.send("propose", {"title": "Winter pressures"}, key="topic-key-0001")
        assert status == 200 and answer["received"]
        # Received means in the journal, on the disk, already.
        records = [r for r in served.journal() if r.get("key") == "topic-key-0001"]
        assert len(records) == 1 and records[0]["topic"]["title"] == "Winter pressures"
        # The same submission again (a retry on flaky Wi-Fi) is answered, not counted again.
        status, again = await phone.send("propose", {"title": "Winter pressures"}, key="topic-key-0001")
        assert status == 200 and again == {**answer, "again": True}
        assert len([r for r in served.journal() if r.get("key") == "topic-key-0001"]) == 1
        status, me = await phone.me()
        assert [t["title"] for t in me["segment"]["topics"]] == ["Winter pressures"]
    attendee = served.replayed().attendees[0]
    assert (attendee.name, attendee.organisation, attendee.invited_by) == ("Asha Patel", "Age UK", "Tom Reed")


async def test_a_hundred_phones_join_and_vote_while_the_facilitator_types(served):
    topic = served.to_vote()
    typed = 0
    done = asyncio.Event()

    async def facilitator() -> None:
        nonlocal typed
        while not done.is_set():
            served.session.capture(f"A note typed while the phones vote {typed}")
            typed += 1
            await asyncio.sleep(0.01)

    async def device(n: int) -> Phone:
        async with served.phone(f"Person {n:03d}") as phone:
            assert (await phone.join())[0] == 200
            for _ in range(2):
                await phone.send("dot", {"topic": topic})
            return phone

    typing = asyncio.create_task(facilitator())
    phones = await asyncio.wait_for(asyncio.gather(*(device(n) for n in range(100))), 120)
    done.set()
    await typing
    acknowledged = sum(len(phone.acknowledged) for phone in phones)
    assert acknowledged == 200 and typed > 0
    assert served.session.segment.lean_coffee.topic(topic).votes == acknowledged
    replayed = served.replayed()
    board = next(s.lean_coffee for s in replayed.segments if s.lean_coffee is not None)
    assert board.topic(topic).votes == acknowledged
    assert len(replayed.attendees) == 100


async def test_the_dots_allowance_is_the_servers(served):
    topic = served.to_vote()
    allowance = served.session.segment.lean_coffee.votes_per_person
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        statuses = [(await phone.send("dot", {"topic": topic}))[0] for _ in range(allowance + 2)]
    assert statuses == [200] * allowance + [409, 409]
    assert served.session.segment.lean_coffee.topic(topic).votes == allowance


def raw(served, path: str, **headers) -> dict:
    return {"url": served.base + path, "headers": {"Origin": served.base.rstrip("/"), **headers}}


async def test_bad_requests_are_refused_with_their_status_and_nothing_is_stored(served):
    topic = served.to_vote()
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        before = len(served.journal())
        assert phone.session is not None
        jar_cookie = next(iter(phone.session.cookie_jar))
        cookie = {"fp": jar_cookie.value}
        body = {"what": "dot", "fields": {"topic": topic}, "key": new_key()}
        csrf = {"X-CSRF-Token": phone.csrf}
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as plain:
            checks = [
                # joining without the code, or with a wrong one
                (plain.post(**raw(served, "join"), json={"name": "Eve", "key": new_key()}), 403),
                (plain.post(**raw(served, "join"), json={"t": "wrong", "name": "Eve", "key": new_key()}), 403),
                # no cookie, a forged one, a cookie from a device that never joined
                (plain.post(**raw(served, "send", **csrf), json=body), 401),
                (plain.post(**raw(served, "send", **csrf), json=body, cookies={"fp": cookie["fp"][:-3] + "xyz"}), 401),
                (plain.post(**raw(served, "send", **csrf), json=body, cookies={"fp": "abc.def"}), 401),
                (plain.get(served.base + "me", cookies={"fp": "abc.def"}), 401),
                # cross-site, and no CSRF token
                (plain.post(**raw(served, "send", **csrf, **{"Sec-Fetch-Site": "cross-site"}), json=body,
                            cookies=cookie), 403),  # fmt: skip
                (plain.post(served.base + "send", headers={"Origin": "http://evil.example", **csrf}, json=body,
                            cookies=cookie), 403),  # fmt: skip
                (plain.post(**raw(served, "send"), json=body, cookies=cookie), 403),
                (plain.post(**raw(served, "send", **{"X-CSRF-Token": "0" * 32}), json=body, cookies=cookie), 403),
                # oversized, malformed, not JSON, not an object, no key, an unknown request
                (plain.post(**raw(served, "send", **csrf, **{"Content-Type": "application/json"}),
                            data=b"{" + b" " * MAX_BODY + b"}", cookies=cookie), 413),  # fmt: skip
                (plain.post(**raw(served, "send", **csrf, **{"Content-Type": "application/json"}), data=b"{nope",
                            cookies=cookie), 400),  # fmt: skip
                (plain.post(**raw(served, "send", **csrf), data=b"what=dot", cookies=cookie), 415),
                (plain.post(**raw(served, "send", **csrf), json=[1, 2], cookies=cookie), 400),
                (plain.post(**raw(served, "send", **csrf), json={**body, "key": ""}, cookies=cookie), 422),
                (plain.post(**raw(served, "send", **csrf), json={**body, "what": "delete_everything"},
                            cookies=cookie), 422),  # fmt: skip
                (plain.post(**raw(served, "send", **csrf), json={**body, "fields": {"topic": "nope"}},
                            cookies=cookie), 422),  # fmt: skip
                (plain.post(**raw(served, "send", **csrf), json={**body, "fields": "x"}, cookies=cookie), 400),
                # proposing is closed while voting
                (plain.post(**raw(served, "send", **csrf), json={**body, "what": "propose",
                            "fields": {"title": "Late"}}, cookies=cookie), 409),  # fmt: skip
                # a Host that is not the address served (DNS rebinding)
                (plain.get(served.base + "me", headers={"Host": "evil.example"}, cookies=cookie), 421),
                (plain.put(**raw(served, "send", **csrf), json=body, cookies=cookie), 405),
            ]
            for request, status in checks:
                async with request as response:
                    assert response.status == status, (status, await response.text())
        assert len(served.journal()) == before, "a refused request stored something"


@pytest.mark.parametrize("count", [pytest.param(FLOOD), pytest.param(10_000, marks=pytest.mark.slow)])
async def test_a_flood_from_one_device_is_limited(served, count):
    go_to(served.session, "lean-coffee")
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        statuses: list[int] = []
        gate = asyncio.Semaphore(20)

        async def one(n: int) -> None:
            async with gate:
                statuses.append((await phone.send("propose", {"title": f"Topic {n}"}))[0])

        await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(count))), 300)
    assert set(statuses) <= {200, 409, 429}
    assert statuses.count(429) > count * 0.9
    topics = served.session.segment.lean_coffee.topics
    assert len(topics) == statuses.count(200) <= 6, "more topics than one person's allowance"


async def test_the_session_cookie_is_httponly_and_strict(served):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as plain:
        body = {"t": served.server.token, "name": "Asha Patel", "key": new_key()}
        async with plain.post(**raw(served, "join"), json=body) as response:
            assert response.status == 200
            cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("fp=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    device_id, _, secret = cookie[3:].split(";")[0].partition(".")
    stored = served.session.meeting.phones.device(device_id)
    assert stored is not None and secret not in json.dumps(served.journal()), "the journal keeps a hash only"


async def test_rotating_the_code_disconnects_every_phone(served):
    go_to(served.session, "lean-coffee")
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        old = served.server.token
        served.server.rotate()
        assert served.server.token != old and len(served.server.token) >= 22
        assert (await phone.send("propose", {"title": "After"}))[0] == 401
        assert (await phone.join())[0] == 403  # the old link no longer joins
        phone.token = served.server.token
        assert (await phone.join())[0] == 200
        assert (await phone.send("propose", {"title": "After"}))[0] == 200


async def test_the_event_stream_pushes_changes_and_ends_with_the_meeting(served):
    go_to(served.session, "lean-coffee")
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        assert phone.session is not None
        async with phone.session.get(served.base + "events") as response:
            first = await next_state(response.content)
            assert first["segment"]["can"] == ["propose"]
            served.session.lean_coffee.add_topic("Typed by the facilitator")
            changed = await next_state(response.content)
            assert [t["title"] for t in changed["segment"]["topics"]] == ["Typed by the facilitator"]
            served.session.finish()
            ended = await next_state(response.content)
            assert ended["me"]["state"] == "ended"
        assert (await phone.send("propose", {"title": "After"}))[0] == 410


async def next_state(stream) -> dict:
    while True:
        line = (await asyncio.wait_for(stream.readline(), 10)).decode()
        if line.startswith("data: {"):
            return json.loads(line[6:])


async def test_a_participant_sees_only_the_room_and_their_own(served):
    go_to(served.session, "lean-coffee")
    served.session.capture("A private note of the facilitator's")
    async with served.phone("Asha Patel", organisation="Age UK") as asha, served.phone(
        "Ben Ode", organisation="A secret organisation"
    ) as ben:
        await asha.join()
        await ben.join()
        await ben.send("propose", {"title": "Ben's topic"})
        _, seen = await asha.me()
    text = json.dumps(seen)
    assert "A secret organisation" not in text and "private note" not in text
    assert [t["mine"] for t in seen["segment"]["topics"]] == [False]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_names_and_titles_through_http_are_typed_text(served, text):
    go_to(served.session, "lean-coffee")
    async with served.phone(text[:80] or "x") as phone:
        status, _ = await phone.join()
        if status != 200:
            assert status == 422
            return
        status, _ = await phone.send("propose", {"title": text[:120]})
        assert status in (200, 422)
    for attendee in served.replayed().attendees:
        assert "\x1b" not in attendee.name and "\n" not in attendee.name


async def test_closing_the_room_sends_the_last_state_down_every_stream(served):
    go_to(served.session, "lean-coffee")
    async with served.phone("Asha Patel") as phone:
        await phone.join()
        assert phone.session is not None
        async with phone.session.get(served.base + "events") as response:
            await next_state(response.content)
            served.session.finish()
            await served.server.stop()  # as the app does once the meeting has ended
            ended = await next_state(response.content)
            assert ended["me"]["state"] == "ended" and ended["room"]["status"] == "finished"


async def test_naming_who_took_part_over_http_in_the_right_phase_once(served):
    session = served.session
    go_to(session, "open-space")
    session.phases.next()  # the marketplace
    async with served.phone("Asha Patel") as asha, served.phone("Ben Ode") as ben:
        assert (await asha.join())[0] == 200 and (await ben.join())[0] == 200
        status, answer = await asha.send("propose", {"title": "Discharge delays"})
        assert status == 200
        proposal_id = answer["id"]
        ben_id = next(a.person_id for a in session.meeting.attendees if a.name == "Ben Ode")
        fields = {"session": proposal_id, "people": [ben_id], "names": "Dr Mo Farah"}
        assert (await asha.send("named", fields))[0] == 409, "not until the session has begun"
        session.open_space.place(proposal_id, 0, 0)
        session.phases.next()
        assert (await ben.send("named", fields))[0] == 422, "only someone in the session names others"
        assert (await asha.send("named", {**fields, "names": "x" * 700}))[0] == 422
        before = len(served.journal())
        status, answer = await asha.send("named", fields, key="named-key-0001")
        assert status == 200 and answer["received"]
        status, again = await asha.send("named", fields, key="named-key-0001")
        assert status == 200 and again["again"]
        assert len(served.journal()) == before + 1, "once, whatever the retries"
        proposal = served.replayed().segment.open_space.proposal(proposal_id)
        assert (proposal.participants, proposal.named) == ([ben_id], ["Dr Mo Farah"])
        state = (await asha.me())[1]
        assert state["segment"]["sessions"][0]["took_part"] == ["Ben Ode", "Dr Mo Farah"]
        assert {p["name"] for p in state["segment"]["here"]} == {"Asha Patel", "Ben Ode"}
