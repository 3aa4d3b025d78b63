"""The room: a key in the facilitator's app to the change on the room's screens, and the cost of watchers.

- Terminal: the facilitator's app and `facilitate room` (its `RoomApp`, polling
  the journal every 50 ms as it does) run side by side; each → gives the floor to
  the next person, timed from the key to the first frame of the room's view
  that differs.
- Browser: a real `facilitate room --web` process and headless Chromium; each
  change the facilitator makes (written and fsynced to the journal, as the app
  does) is timed to the moment the page's speaker changes (a MutationObserver's
  clock, the same wall clock). Skipped, and said, without Chromium.
- 100 event streams held on loopback by another process while the facilitator
  types: the app's keypress p95 with them against without them, the two runs
  alternated; and the server's resident memory per connection.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import Row, Settings, percentile, row

CHROMIUM = "/usr/bin/chromium"
SURNAMES = ("Adams Baker Clarke Dawson Evans Fisher Grant Hughes Irwin Jones Khan Lewis Morris Nolan Owens Price Quinn "
            "Rahman Shaw Turner Upton Vaughan Walsh Young Zhang Abbott Barker Carter Dixon Ellis Foster Gibson Hayes "
            "Ingram Jarvis Kemp Lowe Marsh Norris Oakley Palmer Reeves Sutton Thorne Underwood Vincent Webb Yates "
            "Ashby Brooks Chapman Doyle Elliott Fleming Gordon Holmes Iqbal Jenkins Knight Lambert Mason Newton "
            "Osborne Parsons Rowe Stevens Tucker").split()
PEOPLE = [f"Sam {surname}" for surname in SURNAMES]
STREAMS = 100
CLIENT = """
import asyncio, sys, aiohttp
async def main(url, count):
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        responses = [await session.get(url + "events") for _ in range(count)]
        assert all(r.status == 200 for r in responses), [r.status for r in responses]
        print("open", flush=True)
        async def drain(r):
            async for _ in r.content.iter_any():
                pass
        await asyncio.gather(*(drain(r) for r in responses))
asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _config(db_path: Path, clock):
    from facilitate.config import Config

    return Config(db_path=db_path, clock=clock, bell=False, rng=random.Random(3), animate=False)


async def _terminal_latencies(folder: Path, count: int) -> list[float]:
    from bench.metrics.keypress import FrameWatch, screen_text
    from facilitate.clock import SystemClock
    from facilitate.room.follower import JournalFollower
    from screens.app import make_app
    from screens.room import RoomApp
    from tests.app.formats_pilot import arrive, plan_with

    app = make_app(_config(folder / "archive.json", SystemClock()))
    room = RoomApp(JournalFollower(folder / "archive.live.jsonl"))
    latencies = []
    async with room.run_test(size=(120, 40)) as room_pilot:
        watch = FrameWatch(room)
        async with app.run_test(size=(120, 40)) as pilot:
            await plan_with(pilot, "round")
            await arrive(pilot, *PEOPLE[: count + 2])
            await room_pilot.pause(0.3)
            for _ in range(count):
                await pilot.pause(0.05)
                watch.seen.clear()
                watch.before = screen_text(room)
                started = time.perf_counter()
                await pilot.press("right")
                try:
                    await asyncio.wait_for(watch.seen.wait(), 2.0)
                except asyncio.TimeoutError:
                    watch.before = None
                    continue
                latencies.append((watch.at - started) * 1000)
    return latencies


def _serve(db: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitate", "--db", str(db), "room", "--web", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for _ in range(20):
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line or "")
        if found:
            return process, found.group(1)
    process.kill()
    raise RuntimeError("facilitate room --web did not say its address")


def _browser_latencies(folder: Path, count: int) -> list[float] | None:
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    from facilitate.clock import SystemClock
    from tests.proof.test_room_browser import FLAGS
    from tests.room_meetings import start_meeting

    db = folder / "archive.json"
    server, url = _serve(db)
    latencies = []
    try:
        session = start_meeting(SystemClock(), folder / "archive.live.jsonl")
        for name in PEOPLE[: count + 2]:
            session.capture("+" + name)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.wait_for_selector("#title:not(:empty)")
            page.evaluate(
                "() => { window.changedAt = 0; new MutationObserver(() => { window.changedAt ="
                " performance.timeOrigin + performance.now(); }).observe(document.getElementById('body'),"
                " {subtree: true, childList: true, characterData: true}); }"
            )
            for _ in range(count):
                page.evaluate("() => { window.changedAt = 0; }")
                started = time.time()
                session.round.next()
                page.wait_for_function("() => window.changedAt > 0", timeout=5000)
                latencies.append(page.evaluate("() => window.changedAt") - started * 1000)
                time.sleep(0.05)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return latencies


async def _typing(folder: Path, keys: int, url: str | None) -> list[float]:
    """Keypress latencies in the facilitator's app (captures typed key by key)."""
    from bench.metrics.keypress import FrameWatch
    from facilitate.clock import FakeClock
    from screens.app import make_app
    from tests.app.formats_pilot import arrive, plan_with

    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    app = make_app(_config(folder / "archive.json", clock))
    latencies = []
    async with app.run_test(size=(110, 34)) as pilot:
        await plan_with(pilot, "check-in", "open-conversation")
        await arrive(pilot, "Asha Patel", "Ben Ode")
        watch = FrameWatch(app)
        cycle = 0
        while len(latencies) < keys:
            cycle += 1
            for key in [*f"=d{cycle}", "enter", "right"]:
                await pilot.pause()
                took = await watch.press(key)
                if took is not None:
                    latencies.append(took * 1000)
    return latencies


def _rss(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 1e6


def _with_and_without_streams(folder: Path, keys: int, rounds: int) -> tuple[list[float], list[float], float]:
    quiet: list[float] = []
    watched: list[float] = []
    per_connection = float("nan")
    for number in range(rounds):
        base = folder / f"quiet{number}"
        base.mkdir()
        quiet += asyncio.run(_typing(base, keys, None))
        watched_folder = folder / f"watched{number}"
        watched_folder.mkdir()
        server, url = _serve(watched_folder / "archive.json")
        client = None
        try:
            time.sleep(0.3)
            before = _rss(server.pid)
            client = subprocess.Popen([sys.executable, "-c", CLIENT, url, str(STREAMS)], stdout=subprocess.PIPE, text=True)
            if client.stdout.readline().strip() != "open":
                raise RuntimeError("the event streams did not open")
            time.sleep(0.3)
            per_connection = round((_rss(server.pid) - before) * 1000 / STREAMS, 1)
            watched += asyncio.run(_typing(watched_folder, keys, url))
        finally:
            if client is not None:
                client.kill()
                client.wait(10)
            server.terminate()
            server.wait(10)
    return quiet, watched, per_connection


def run(settings: Settings) -> list[Row]:
    count = 15 if settings.quick else 60
    keys = 30 if settings.quick else 150
    rounds = 1 if settings.quick else 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="room-bench-", dir=os.environ.get("TMPDIR")) as tmp:
        folder = Path(tmp)
        (folder / "terminal").mkdir()
        terminal = asyncio.run(_terminal_latencies(folder / "terminal", count))
        rows.append(row(f"Key in the app to the room's terminal view, p95 ({len(terminal)} keys)",
                        percentile(terminal, 95), "ms", max_value=200.0,
                        note=f"p50 {percentile(terminal, 50):.0f} ms; the room polls the journal every 50 ms"))  # fmt: skip
        (folder / "browser").mkdir()
        browser = _browser_latencies(folder / "browser", count)
        if browser is None:
            rows.append(Row(metric="Change to the room's browser view: no Chromium (apt-get install chromium)",
                            value=float("nan"), unit="ms", target="≤ 200 ms", ok=None))  # fmt: skip
        else:
            rows.append(row(f"Change in the meeting to the room's browser view, p95 ({len(browser)} changes)",
                            percentile(browser, 95), "ms", max_value=200.0,
                            note=f"p50 {percentile(browser, 50):.0f} ms; journal, server, event stream, page"))  # fmt: skip
        quiet, watched, per_connection = _with_and_without_streams(folder, keys, rounds)
        rows.append(row(f"Keypress p95 with {STREAMS} browser streams held ({len(watched)} keys)",
                        percentile(watched, 95), "ms", baseline=percentile(quiet, 95),
                        baseline_name="without them", max_ratio=1.2,
                        note=f"p50 {percentile(watched, 50):.1f} against {percentile(quiet, 50):.1f} ms"))  # fmt: skip
        rows.append(Row(metric="Server memory per browser connection", value=per_connection, unit="kB",
                        target="(reported)", ok=None, note=f"resident memory with {STREAMS} streams, less without"))  # fmt: skip
    return rows
