"""The room in a real headless Chromium, served by a real `facilitate room --web` (loopback only).

Skipped, saying why, when Debian's chromium is not installed, unless
FACILITATE_REQUIRE_BROWSER=1 (set by .ci/run, which installs it). Screenshots
at 1280x720 (and a phone's size) go to the test's output folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facilitate.clock import SystemClock
from facilitate.events import Data
from facilitate.phones.join import clear_join, qr_rows, write_join
from tests.room_meetings import drive, start_meeting

CHROMIUM = os.environ.get("FACILITATE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip
HOSTILE_TITLE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
SHOTS = Path(os.environ.get("FACILITATE_TEST_OUTPUT", "test-output")) / "room-browser"


def _browser_or_skip():
    present = Path(CHROMIUM).exists()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if present and sync_playwright is not None:
        return sync_playwright
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)" if not present else "playwright is not installed"
    if os.environ.get("FACILITATE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"FACILITATE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


class Served:
    """`facilitate room --web --port 0` on an archive path, its address read from its output."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "facilitate", "--db", str(db), "room", "--web", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        self.url = ""
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if found:
                self.url = found.group(1)
                break
        if not self.url:
            self.stop()
            raise AssertionError("facilitate room --web did not say its address")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def shots(request) -> Path:
    folder = SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_text(page, selector: str, pattern: str, timeout: float = 10_000) -> None:
    page.wait_for_function(
        "([selector, pattern]) => { const n = document.querySelector(selector);"
        " return n && new RegExp(pattern).test(n.textContent); }",
        arg=[selector, pattern],
        timeout=timeout,
    )


def test_the_page_shows_the_countdown_and_the_speaker_and_follows_the_facilitator(browser, tmp_path, shots):
    db = tmp_path / "archive.json"
    served = Served(db)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        page.goto(served.url)
        wait_text(page, "#waiting h1", "Waiting for the meeting")
        page.screenshot(path=str(shots / "waiting-1280x720.png"))
        clock = SystemClock()
        session = start_meeting(clock, db.with_name("archive.live.jsonl"))
        session.round.next()
        wait_text(page, "#body .speaker", "^Asha Patel$")
        wait_text(page, "#clock-digits", r"^1[45]:\d\d$")
        page.screenshot(path=str(shots / "round-1280x720.png"))
        # The countdown counts on in the page between events.
        first = page.text_content("#clock-digits")
        page.wait_for_function("(first) => document.querySelector('#clock-digits').textContent !== first", arg=first)
        session.round.next()
        wait_text(page, "#body .speaker", "^Ben Ode$")
        session.capture("=We meet monthly")
        session.record(Data(segment=session.segment.id, key="room_record", value=True))
        wait_text(page, "#record", "We meet monthly")
        page.screenshot(path=str(shots / "record-1280x720.png"))
        # The facilitator's app opens the room to phones: the join link beside the journal.
        join_file, link = db.with_name("archive.join.json"), "http://192.168.1.23:8770/?t=abcdefghijklmnopqrstuv"
        write_join(join_file, session.meeting.id, link)
        wait_text(page, "#join-link", "^" + re.escape(link) + "$")
        assert page.is_visible("#join-qr")
        dark = page.evaluate(
            "() => { const c = document.querySelector('#join-qr'); const d = c.getContext('2d')"
            ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
            " for (let i = 0; i < d.length; i += 4) if (d[i] === 0) n++; return [c.width, n]; }"
        )
        rows = qr_rows(link)
        assert dark == [len(rows), sum(row.count("1") for row in rows)], "every dark module drawn, and only those"
        page.screenshot(path=str(shots / "join-code-1280x720.png"))
        clear_join(join_file)
        page.wait_for_selector("#join", state="hidden")
        session.record(Data(segment=session.segment.id, key="room_blank", value=True))
        page.wait_for_selector("#blank", state="visible")
        session.next_segment()
        page.wait_for_selector("#blank", state="hidden")
        drive(session, "lean-vote")
        wait_text(page, "#body", "Winter pressures")
        page.screenshot(path=str(shots / "lean-coffee-1280x720.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(served.url + "?theme=dark")
        wait_text(phone, "#body", "Winter pressures")
        phone.screenshot(path=str(shots / "lean-coffee-phone-dark.png"))
        session.finish()
        session.live.remove()
        wait_text(page, "#ended", "East ICB open meeting has ended")
        assert alerts == []
    finally:
        served.stop()


def test_a_hostile_title_shows_as_text(browser, tmp_path, shots):
    db = tmp_path / "archive.json"
    served = Served(db)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(served.url)
        session = start_meeting(SystemClock(), db.with_name("archive.live.jsonl"), title=HOSTILE_TITLE)
        session.arrive(HOSTILE_TITLE.replace("<img", "<b"))
        wait_text(page, "#title", re.escape("<img src=x onerror=alert(1)>"))
        assert page.text_content("#title") == HOSTILE_TITLE
        assert page.query_selector("#title img") is None and page.query_selector("main script") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        page.screenshot(path=str(shots / "hostile-title-1280x720.png"))
        assert alerts == [] and errors == []
    finally:
        served.stop()


def test_the_page_comes_back_after_the_server_restarts(browser, tmp_path):
    db = tmp_path / "archive.json"
    session = start_meeting(SystemClock(), db.with_name("archive.live.jsonl"))
    served = Served(db)
    port = served.url.rsplit(":", 1)[1].strip("/")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.goto(served.url)
    wait_text(page, "#title", "East ICB open meeting")
    served.stop()
    wait_text(page, "#connection", "Reconnecting")
    session.capture("=Decided while the server was down")
    session.record(Data(segment=session.segment.id, key="room_record", value=True))
    again = subprocess.Popen(
        [sys.executable, "-m", "facilitate", "--db", str(db), "room", "--web", "--port", port],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_text(page, "#record", "Decided while the server was down", timeout=30_000)
        wait_text(page, "#connection", "^$")
    finally:
        again.terminate()
        again.wait(10)


def test_skips_say_why_without_chromium(monkeypatch):
    import tests.proof.test_room_browser as module

    monkeypatch.setattr(module, "CHROMIUM", "/nowhere/chromium")
    monkeypatch.delenv("FACILITATE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium at /nowhere/chromium"):
        module._browser_or_skip()
    monkeypatch.setenv("FACILITATE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception):
        module._browser_or_skip()


assert shutil.which  # (the module is importable without a browser)
