"""A phone's page in a real headless Chromium at a phone's size (390x844), against the participants'
server running with a meeting on its own event loop (loopback only): sign in, propose an open space
session, place Lean Coffee dots, give thumbs; and a hostile name shown as text. Screenshots go to
the test's output folder. Skipped, saying why, without Chromium unless FACILITATE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import Any, Callable

import pytest

from facilitate.clock import SystemClock
from facilitate.phones import Desk
from facilitate.room.feed import RoomFeed
from facilitate.room.state import room_state
from facilitate.session import MeetingSession
from facilitate.web.phones import PhoneServer
from tests.proof.test_room_browser import CHROMIUM, FLAGS, HOSTILE_TITLE, SHOTS, _browser_or_skip, wait_text
from tests.room_meetings import go_to, make_meeting

PHONE = {"width": 390, "height": 844}


class Meeting:
    """A meeting and its phones' server on an event loop of their own, as in the facilitator's app."""

    def __init__(self, live) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session: MeetingSession = self.call(lambda: MeetingSession.begin(make_meeting(), SystemClock(), live))
        self.server: PhoneServer = self.call(self._serve)
        self.wait(self.server.start())

    def _serve(self) -> PhoneServer:
        session = self.session
        feed = RoomFeed(lambda: room_state(session.meeting, session.pending_time(), session.clock.wall()))
        server = PhoneServer(Desk(session), feed, host="127.0.0.1", port=0)
        session.listeners.append(lambda event: server.changed())
        return server

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the meeting's loop (as the app's keys do) and return what it gives."""
        done: Future = Future()

        def run() -> None:
            try:
                done.set_result(fn())
            except BaseException as error:  # noqa: BLE001 - handed to the test
                done.set_exception(error)

        self.loop.call_soon_threadsafe(run)
        return done.result(30)

    def wait(self, coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def until(self, condition: Callable[[], bool], what: str) -> None:
        for _ in range(1000):
            if self.call(condition):
                return
            threading.Event().wait(0.02)
        raise AssertionError(f"never happened: {what}")

    def close(self) -> None:
        self.wait(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def meeting(tmp_path):
    meeting = Meeting(tmp_path / "archive.live.jsonl")
    try:
        yield meeting
    finally:
        meeting.close()


@pytest.fixture
def phone(meeting):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
            alerts: list[str] = []
            page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
            page.alerts = alerts  # type: ignore[attr-defined]
            yield page
        finally:
            browser.close()


def sign_in(page, meeting: Meeting, name: str) -> None:
    page.goto(meeting.server.url)
    page.wait_for_selector("#signin-form", state="visible")
    page.fill("#name", name)
    page.fill("#organisation", "Age UK")
    page.fill("#invited_by", "Tom Reed")
    page.click("#signin-button")
    page.wait_for_selector("#main", state="visible")


def test_sign_in_propose_dots_and_thumbs_on_a_phone(meeting, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    session = meeting.session
    meeting.call(lambda: go_to(session, "open-space"))
    meeting.call(session.phases.next)  # the marketplace
    phone.goto(meeting.server.url)
    phone.wait_for_selector("#signin-form", state="visible")
    phone.screenshot(path=str(SHOTS / "phone-sign-in-390x844.png"))
    sign_in(phone, meeting, "Asha Patel")
    wait_text(phone, "#me", "^You: Asha Patel$")
    assert meeting.call(lambda: session.meeting.attendees[0].invited_by) == "Tom Reed"
    # Open space: propose a session.
    phone.fill("#propose-title", "Discharge delays")
    phone.click("#propose-button")
    meeting.until(lambda: session.segment.open_space.proposals, "the session proposed")
    wait_text(phone, "#part", "Discharge delays")
    proposal = meeting.call(lambda: session.segment.open_space.proposals[0])
    assert (proposal.title, proposal.by) == ("Discharge delays", "Asha Patel")
    phone.screenshot(path=str(SHOTS / "phone-open-space-390x844.png"))
    # The session runs: its convener names who took part (ticked, and typed for someone not signed in).
    desk = meeting.server.desk
    meeting.call(lambda: desk.sign_in("d-ben", "secret-ben", {"name": "Ben Ode"}, "key-ben-0001"))
    meeting.call(lambda: session.open_space.place(proposal.id, 0, 0))
    meeting.call(session.phases.next)
    ben = phone.get_by_role("checkbox", name="Ben Ode")
    ben.wait_for()
    ben.check()
    others = phone.get_by_label("Others, not signed in (commas between names)")
    others.fill("Dr Mo Farah")
    meeting.call(lambda: desk.sign_in("d-cai", "secret-cai", {"name": "Cai Jones"}, "key-cai-0001"))
    phone.get_by_role("checkbox", name="Cai Jones").wait_for()  # the page redrew with someone new here
    assert ben.is_checked() and others.input_value() == "Dr Mo Farah", "what was ticked and typed is kept"
    phone.screenshot(path=str(SHOTS / "phone-who-took-part-390x844.png"))
    phone.get_by_role("button", name="Add who took part").click()
    meeting.until(lambda: proposal.named == ["Dr Mo Farah"], "who took part, from the phone")
    assert meeting.call(lambda: [session.meeting.attendee(p).name for p in proposal.participants]) == ["Ben Ode"]
    wait_text(phone, "fieldset.took-part .hint", "So far: Ben Ode, Dr Mo Farah")
    # Lean Coffee: a topic, then two dots.
    meeting.call(lambda: go_to(session, "lean-coffee"))
    # The open space's form had the same field: wait for the page to show the Lean Coffee's.
    wait_text(phone, "label[for=propose-title]", "^Propose a topic$")
    phone.fill("#propose-title", "Winter pressures")
    phone.click("#propose-button")
    meeting.until(lambda: session.segment.lean_coffee.topics, "the topic proposed")
    meeting.call(session.phases.next)  # the dot vote
    wait_text(phone, "#part h2", "Place your dots")
    for left in ("2", "1"):
        phone.click("#part button.dot")
        wait_text(phone, "#part h2", f": {left} of")
    topic = meeting.call(lambda: session.segment.lean_coffee.topics[0])
    assert topic.votes == 2 and len(topic.dots) == 2
    phone.screenshot(path=str(SHOTS / "phone-dots-390x844.png"))
    # Thumbs when the facilitator asks.
    meeting.call(session.phases.next)
    meeting.call(lambda: session.lean_coffee.discuss(topic.id))
    meeting.call(session.lean_coffee.ask_thumbs)
    phone.wait_for_selector("#thumb-up", state="visible")
    phone.click("#thumb-up")
    meeting.until(lambda: session.lean_coffee.thumbs_from_phones() == (1, 0, 0), "the thumb given")
    phone.wait_for_selector("#thumb-up[aria-pressed=true]")
    phone.screenshot(path=str(SHOTS / "phone-thumbs-390x844.png"))
    assert phone.alerts == []


def test_a_hostile_name_shows_as_text_on_the_phone(meeting, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    meeting.call(lambda: go_to(meeting.session, "lean-coffee"))
    sign_in(phone, meeting, HOSTILE_TITLE)
    phone.wait_for_selector("#me")
    name = meeting.call(lambda: meeting.session.meeting.attendees[0].name)
    wait_text(phone, "#me", "^You: ")
    assert phone.text_content("#me") == "You: " + name
    assert "<img" in name and phone.query_selector("#me img") is None
    phone.fill("#propose-title", HOSTILE_TITLE)
    phone.click("#propose-button")
    meeting.until(lambda: meeting.session.segment.lean_coffee.topics, "the topic proposed")
    phone.wait_for_selector("#part li")
    assert phone.query_selector("#part img") is None and phone.query_selector("#part script") is None
    phone.screenshot(path=str(SHOTS / "phone-hostile-390x844.png"))
    assert phone.alerts == []


def test_the_phone_says_reconnecting_and_sends_again_what_was_not_received(meeting, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    session = meeting.session
    meeting.call(lambda: go_to(session, "lean-coffee"))
    topic = meeting.call(lambda: session.lean_coffee.add_topic("Winter pressures")).id
    meeting.call(session.phases.next)
    sign_in(phone, meeting, "Asha Patel")
    wait_text(phone, "#part h2", "Place your dots: 3 of 3")
    meeting.wait(meeting.server.stop())  # the laptop's app is gone (killed, say)
    phone.click("#part button.dot")
    wait_text(phone, "#connection", "Reconnecting")
    wait_text(phone, "#outbox", "Sending")
    phone.screenshot(path=str(SHOTS / "phone-reconnecting-390x844.png"))
    assert meeting.call(lambda: session.segment.lean_coffee.topic(topic).votes) == 0
    meeting.wait(meeting.server.start())  # back, on the same port; the phone keeps its cookie
    meeting.until(lambda: session.segment.lean_coffee.topic(topic).votes == 1, "the dot sent again")
    wait_text(phone, "#part h2", "Place your dots: 2 of 3")
    phone.wait_for_function("() => document.querySelectorAll('#outbox li').length === 0")
    assert meeting.call(lambda: session.segment.lean_coffee.topic(topic).votes) == 1
