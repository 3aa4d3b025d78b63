"""Building meetings and sessions for core tests."""

from __future__ import annotations

import random
from pathlib import Path

from facilitate.clock import FakeClock
from facilitate.models import Meeting, new_id
from facilitate.session import MeetingSession
from formats import load_library

LIBRARY = load_library()


def make_meeting(*formats: str | tuple[str, float], title: str = "East ICB open meeting") -> Meeting:
    segments = []
    for spec in formats or ("check-in", "open-conversation", "break", "check-out"):
        format_id, minutes = (spec, None) if isinstance(spec, str) else spec
        segments.append(LIBRARY[format_id].segment(minutes=minutes))
    return Meeting(
        id=new_id(),
        title=title,
        series="East ICB",
        facilitator="Sam",
        planned_start="2026-11-26T10:00:00+00:00",
        segments=segments,
    )


def start(clock: FakeClock, tmp: Path | None, *formats, people: tuple[str, ...] = (), directory=None) -> MeetingSession:
    session = MeetingSession.begin(
        make_meeting(*formats),
        clock,
        (tmp / "archive.live.jsonl") if tmp is not None else None,
        directory,
        random.Random(1),
    )
    for person in people:
        session.capture("+" + person)
    return session
