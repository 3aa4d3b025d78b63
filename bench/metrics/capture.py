"""2. Capture latency: from the call into the session until the capture is durable on disk.

1,000 quick-entry lines (arrivals, notes, actions with due dates, decisions)
go through `MeetingSession.capture`, which returns once the event is appended
and fsynced to the live file. The archive sits beside the live file and is
open in the same process, as in the app: once empty, once with the big
archive. The baseline, interleaved with the captures in the same folder, is
writing and fsyncing a small file.
"""

from __future__ import annotations

import gc
import os
import random
import time
from pathlib import Path

from bench.archives import archive, copy_archive, scratch
from bench.harness import Row, Settings, percentile, row

NOTES = [
    "Parking at the hospital is a barrier for carers",
    "The new referral route is not widely known yet",
    "GPs would like a single number to call",
    "Volunteers are stretched over the holidays",
    "[b]not markup[/b] and <script>alert(1)</script>",
    "Zoë asked whether the pilot reaches the villages",
]
ACTIONS = [
    "!{name}: call the discharge team by fri",
    "!{name}: share the winter plan by in 2 weeks",
    "!{name}: book the room by 3/12",
    "!{name}: bring the figures by next tue",
]
DECISIONS = ["=We meet monthly from January", "=The wiki is the record"]


def lines(count: int, known: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """What a facilitator types in a busy meeting: people first, then everything else.

    `known` is (name, organisation) of people the archive knows, most regular first. Each
    arrives with their organisation, as a facilitator says which of two namesakes came;
    people new to the archive arrive with `++` (numbered names are alike to the recogniser).
    """
    unique = list(dict.fromkeys((n, o) for n, o in known if n.isascii() and len(n.split()) == 2))
    arrivals = [f"+{name}, {org}" if org else f"+{name}" for name, org in unique[:18]]
    arrivals += ["+Asha Newcomer, Age UK", "+Ben Visitor, Mind"]
    present = [line[1:].split(",")[0] for line in arrivals]
    result = arrivals[: min(len(arrivals), count // 5)]
    while len(result) < count:
        roll = rng.random()
        if roll < 0.6:
            result.append(rng.choice(NOTES) + f" ({len(result)})")
        elif roll < 0.85:
            result.append(rng.choice(ACTIONS).format(name=rng.choice(present)))
        elif roll < 0.95:
            result.append(rng.choice(DECISIONS) + f" ({len(result)})")
        else:
            result.append(f"++Someone {len(result)}, Carers Trust")
    return result


def small_write(path: Path, payload: bytes) -> float:
    started = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - started


def measure(settings: Settings, source: Path | None, label: str) -> tuple[list[float], list[float]]:
    from facilitate.archive import Archive
    from facilitate.clock import SystemClock
    from facilitate.models import Meeting, new_id
    from facilitate.paths import live_path_for
    from facilitate.session import MeetingSession
    from formats import load_library

    folder = scratch(settings, f"capture-{label}")
    db_path = copy_archive(source, folder) if source is not None else folder / "archive.json"
    archive = Archive(db_path)
    archive.validate()  # as the app does while it loads
    directory = archive.directory()
    library = load_library()
    meeting = Meeting(
        id=new_id(),
        title="Benchmark open meeting",
        series="Benchmark series",
        facilitator="Sam",
        segments=[library[f].segment() for f in ("check-in", "open-conversation", "break", "check-out")],
    )
    session = MeetingSession.begin(meeting, SystemClock(), live_path_for(db_path), directory, random.Random(1))
    session.next_segment()  # into the open conversation, where most captures happen
    known = [(p.name, p.organisation) for p in sorted(directory.people, key=lambda p: -p.meetings)]
    rng = random.Random(7)
    todo = lines(settings.captures, known, rng)
    payload = b"x" * 480
    probe = folder / "small-file"
    captures, baseline = [], []
    for line in todo:
        started = time.perf_counter()
        session.capture(line)
        captures.append(time.perf_counter() - started)
        baseline.append(small_write(probe, payload))
    session.live.close()
    del archive, session, directory
    gc.collect()
    return [c * 1000 for c in captures], [b * 1000 for b in baseline]


def run(settings: Settings) -> list[Row]:
    rows = []
    for label, source in (("empty", None), (f"{settings.meetings:,}", archive(settings.meetings, settings))):
        captures, baseline = measure(settings, source, "empty" if source is None else "big")
        p99, base99 = percentile(captures, 99), percentile(baseline, 99)
        limit = 5.0 if source is not None else None
        rows.append(
            row(
                f"Capture p99, {label} archive ({len(captures):,} captures)", p99, "ms",
                baseline=base99, baseline_name="write+fsync small file p99", max_ratio=2.0, max_value=limit,
                note=f"p50 {percentile(captures, 50):.2f} ms (small file p50 {percentile(baseline, 50):.2f} ms), "
                f"max {max(captures):.1f} ms" if source is not None else "",
            )  # fmt: skip
        )
    return rows
