"""3. Keypress to screen on the run screen, with the big archive loaded.

Each key is sent as `Pilot.press` sends it, and timed to the first frame the
app composes that differs from the screen before the key (see `FrameWatch`):
typing into the capture line, Enter (the capture shows in the log), space
(pause, resume), ctrl+t and ctrl+r (a minute more or less), → (the floor to
the next person in the check-in round). The meeting runs on a fake clock, so
nothing but the keys changes the screen. Between keys the app is let settle.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime, timezone

from bench.archives import archive, copy_archive, scratch
from bench.harness import Row, Settings, percentile, row


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


class FrameWatch:
    """Times a key from the moment Pilot's way of sending it starts to the frame that shows its effect.

    Textual's headless driver composes every frame (`App._display`) and only
    skips writing it out; the watch looks at each frame composed after the
    key and stops at the first that differs from the screen before the key.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.before: str | None = None
        self.seen = asyncio.Event()
        self.at = 0.0
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if self.before is not None and renderable is not None and not app._batch_count:
                at = time.perf_counter()
                if screen_text(app) != self.before:
                    self.at = at
                    self.before = None
                    self.seen.set()

        app._display = display

    async def press(self, key: str, timeout: float = 2.0) -> float | None:
        self.seen.clear()
        self.before = screen_text(self.app)
        started = time.perf_counter()
        # Exactly what Pilot.press does to send the key; its waiting for idle runs alongside.
        sending = asyncio.ensure_future(self.app._press_keys([key]))
        try:
            await asyncio.wait_for(self.seen.wait(), timeout)
        except asyncio.TimeoutError:
            self.before = None
            await sending
            return None
        await sending
        return self.at - started


def keys_for(count: int) -> list[str]:
    """A round of the check-in, then captures typed key by key, pauses and extra minutes."""
    keys: list[str] = []
    cycle = 0
    while len(keys) < count:
        cycle += 1
        keys += ["right"] if cycle <= 12 else []
        keys += list(f"n{cycle}x") + ["enter"]
        keys += ["space", "space"] if cycle % 3 == 0 else []
        keys += ["ctrl+t"] if cycle % 4 == 0 else ["ctrl+r"] if cycle % 4 == 2 else []
    return keys[:count]


async def measure(db_path, count: int) -> tuple[list[float], dict[str, list[float]], list[str]]:
    from facilitate.clock import FakeClock
    from facilitate.config import Config
    from facilitate.models import Meeting, new_id
    from facilitate.session import MeetingSession
    from formats import load_library
    from screens.app import make_app
    from screens.run import RunScreen

    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    config = Config(db_path=db_path, clock=clock, bell=False, rng=random.Random(3))
    app = make_app(config)
    latencies: list[float] = []
    unseen: list[str] = []
    by_key: dict[str, list[float]] = {}
    async with app.run_test(size=(110, 34)) as pilot:
        while app.archive_state == "loading":
            await pilot.pause(0.05)
        library = load_library()
        meeting = Meeting(
            id=new_id(),
            title="Keypress benchmark",
            series="Benchmark series",
            facilitator="Sam",
            segments=[library[f].segment() for f in ("check-in", "open-conversation", "check-out")],
        )
        directory = app.archive.directory()
        session = MeetingSession.begin(meeting, clock, config.live_path, directory, random.Random(1), **app.session_providers())
        app.session = session
        # `++`: twelve people in the room, whoever the archive takes them for.
        for person in [p.name for p in directory.people[:12]] or [f"Person {i}" for i in range(12)]:
            session.capture("++" + person)
        app.push_screen(RunScreen(session))
        await pilot.pause(0.3)
        frames = FrameWatch(app)
        for key in keys_for(count):
            await pilot.pause()
            took = await frames.press(key)
            if took is None:
                unseen.append(key)
                continue
            latencies.append(took * 1000)
            by_key.setdefault("typing" if len(key) == 1 else key, []).append(took * 1000)
    if len(unseen) > len(latencies) // 10:
        raise RuntimeError(f"keys that changed nothing on the screen: {unseen}")
    return latencies, by_key, unseen


def run(settings: Settings) -> list[Row]:
    source = archive(settings.meetings, settings)
    folder = scratch(settings, "keypress")
    db_path = copy_archive(source, folder)
    latencies, by_key, unseen = asyncio.run(measure(db_path, settings.keys))
    detail = ", ".join(f"{key} {percentile(values, 95):.0f}" for key, values in sorted(by_key.items()))
    return [
        row(f"Keypress to screen p95, run screen ({len(latencies)} keys)", percentile(latencies, 95), "ms",
            max_value=50.0, note=f"p50 {percentile(latencies, 50):.1f} ms; p95 by key (ms): {detail}"
            + (f"; {len(unseen)} keys showed nothing within 2 s ({', '.join(unseen)})" if unseen else "")),
    ]  # fmt: skip
