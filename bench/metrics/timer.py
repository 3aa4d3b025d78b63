"""7. Timer accuracy: a simulated three-hour meeting, and a real busy run.

- Simulated: a three-hour meeting on the fake clock, moved in irregular steps
  (fractions of a second to several seconds), with captures, speakers taking
  the floor, pauses, added minutes and segment changes. Every segment's time
  and the meeting's total must be exact to the second, in the session and
  again after rebuilding the meeting from its live file.
- Real: the app headless on the system clock, the run screen up, a capture
  typed every 100 ms for the whole run (120 s; 10 s in quick mode). The shown
  countdown is sampled through the last seconds; each sample is compared with
  the truth (a stopwatch started with the meeting): its error is how far the
  true time left lies outside the second the countdown shows.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from datetime import datetime, timezone

from bench.archives import scratch
from bench.harness import Row, Settings, row

AGENDA = ("check-in", "open-conversation", "break", "round", "open-conversation", "check-out")


def _meeting(minutes: list[float] | None = None):
    from facilitate.models import Meeting, new_id
    from formats import load_library

    library = load_library()
    segments = []
    for index, format_id in enumerate(AGENDA):
        segments.append(library[format_id].segment(minutes=minutes[index] if minutes else None))
    return Meeting(id=new_id(), title="Timer benchmark", series="Benchmark", facilitator="Sam", segments=segments)


def simulated(settings: Settings) -> tuple[float, float, float]:
    """Returns the largest error in seconds: in the session, after replay, and of the total."""
    from facilitate.clock import FakeClock
    from facilitate.session import MeetingSession

    folder = scratch(settings, "timer-sim")
    live = folder / "archive.live.jsonl"
    clock = FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc))
    rng = random.Random(5)
    # Three hours of running time, shared out over the agenda.
    minutes = [30.0, 60.0, 15.0, 30.0, 30.0, 15.0]
    session = MeetingSession.begin(_meeting(minutes), clock, live, None, random.Random(1))
    for index in range(20):
        session.capture(f"++Person {index}, Organisation {index % 5}")  # numbered names are alike: each is new
    truth = [0.0] * len(AGENDA)
    running_total = 0.0
    target = 3 * 3600.0
    step_no = 0
    while running_total < target - 1e-9:
        step_no += 1
        step = min(rng.choice((rng.uniform(0.01, 1.0), rng.uniform(1.0, 9.7))), target - running_total)
        step = round(step, 3)
        if step <= 0:
            step = target - running_total
        clock.advance(step)
        if session.meeting.running:
            truth[session.meeting.current] += step
            running_total += step
        roll = rng.random()
        if roll < 0.04:
            session.toggle_pause()
        elif roll < 0.20:
            session.capture(f"Note {step_no} at {clock.now():%H:%M:%S}")
        elif roll < 0.30 and session.segment is not None and session.segment.round is not None:
            session.round_next()
        elif roll < 0.31:
            session.add_time(60)
        # Move on when this segment has had its share of the three hours.
        current = session.meeting.current
        if truth[current] >= minutes[current] * 60 - 1e-9 and current < len(AGENDA) - 1:
            session.next_segment()
    if not session.meeting.running:
        session.toggle_pause()
    in_session = max(abs(session.elapsed(s) - truth[i]) for i, s in enumerate(session.meeting.segments))
    total_error = abs(session.meeting_elapsed() - sum(truth))
    session.live.close()
    recovered, _ = MeetingSession.recover(live, clock)
    # The recovered meeting counts the (zero) gap since the last event as running time.
    replayed = max(abs(s.elapsed - truth[i]) for i, s in enumerate(recovered.meeting.segments))
    recovered.live.close()
    return in_session, replayed, total_error


def shown_error(shown: str, remaining: float) -> float:
    """How far the true time left lies outside the second the countdown shows (0 inside it)."""
    negative = shown.startswith("+")
    parts = [int(p) for p in shown.lstrip("+").split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    # `format_countdown` rounds up: "m:ss" shows remaining in (s-1, s]; "+m:ss" an overrun in (s-1, s].
    low, high = (seconds - 1, seconds) if not negative else (-seconds, -(seconds - 1))
    if low < remaining <= high:
        return 0.0
    return min(abs(remaining - low), abs(remaining - high))


async def real_run(folder, duration: float) -> tuple[float, float, int, int, float]:
    from facilitate.clock import SystemClock
    from facilitate.config import Config
    from facilitate.session import MeetingSession
    from screens.app import make_app
    from screens.run import RunScreen
    from screens.run_widgets import Countdown

    config = Config(db_path=folder / "archive.json", clock=SystemClock(), bell=False)
    app = make_app(config)
    samples: list[float] = []
    stall = 0.0
    async with app.run_test(size=(110, 34)) as pilot:
        while app.archive_state == "loading":
            await pilot.pause(0.02)
        meeting = _meeting([10.0, 60.0, 15.0, 30.0, 30.0, 15.0])
        meeting.segments = meeting.segments[1:]  # a plain timer first: the countdown is the segment's
        before = time.monotonic()
        session = MeetingSession.begin(meeting, config.clock, config.live_path, None, random.Random(1))
        after = time.monotonic()
        start = (before + after) / 2
        app.session = session
        app.push_screen(RunScreen(session))
        await pilot.pause()
        countdown = app.screen.query_one(Countdown)
        entry = app.screen.query_one("#entry")
        planned = session.segment.allowed
        captured = [0]

        async def capture() -> None:
            # As a facilitator typing fast: a line into the capture box, then Enter.
            entry.value = f"Busy note {captured[0]}"
            await entry.action_submit()
            captured[0] += 1

        busy = app.set_interval(0.1, capture)
        sample_from = start + max(duration - 5.0, duration * 0.5)
        last = time.monotonic()
        while time.monotonic() - start < duration:
            now = time.monotonic()
            stall, last = max(stall, now - last), now
            if now >= sample_from:
                shown = str(countdown.value)
                truth = planned - (time.monotonic() - start)
                samples.append(shown_error(shown, truth))
            await asyncio.sleep(0.013)
        busy.stop()
        captures = len(session.meeting.items)
        drift = abs(session.elapsed() - (time.monotonic() - start))
    return max(samples) if samples else math.nan, drift, len(samples), captures, stall


def real_run_in_child(settings: Settings) -> tuple[float, float, int, int, float]:
    """The real run in a process of its own, as the app runs: not in this one, which has
    held archives of every size by now, whose garbage collector would pause for them."""
    import json
    import subprocess
    import sys

    from bench.harness import ROOT

    folder = scratch(settings, "timer-real")
    result = subprocess.run(
        [sys.executable, "-m", "bench.metrics.timer", str(folder), str(settings.timer_seconds)],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"the timer run failed ({result.returncode}): {result.stderr[-2000:]}")
    worst, drift, samples, captures, stall = json.loads(result.stdout.strip().splitlines()[-1])
    return worst, drift, samples, captures, stall


def run(settings: Settings) -> list[Row]:
    in_session, replayed, total = simulated(settings)
    worst, drift, samples, captures, stall = real_run_in_child(settings)
    exact = max(in_session, replayed, total)
    return [
        row("Timer, simulated 3 h on the fake clock: largest error", exact * 1000, "ms", max_value=0.5,
            target="exact to the second (< 0.5 ms)",
            note=f"per segment {in_session * 1000:.3f} ms, after replay {replayed * 1000:.3f} ms, "
            f"total {total * 1000:.3f} ms"),
        row(f"Timer, real {settings.timer_seconds:g} s busy run: shown vs truth (worst of {samples})", worst * 1000, "ms",
            max_value=100.0, note=f"{captures} captures, one every 100 ms; the session's own time was "
            f"{drift * 1000:.1f} ms off the stopwatch; the longest the event loop did not get back to the "
            f"sampler: {stall * 1000:.0f} ms"),
    ]  # fmt: skip


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    print(json.dumps(asyncio.run(real_run(Path(sys.argv[1]), float(sys.argv[2])))))
