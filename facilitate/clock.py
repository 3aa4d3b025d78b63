"""Time sources.

Everything that measures time asks a `Clock`. The monotonic reading measures
durations; the wall reading stamps records and bridges the gap when a
meeting resumes after the process died (monotonic time does not survive a
restart). Tests and benchmarks use `FakeClock`, which moves only when told.
"""

from __future__ import annotations

import math
import time
from datetime import date, datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going backwards."""

    def wall(self) -> float:
        """Seconds since the epoch (UTC)."""

    def now(self) -> datetime:
        """The local, timezone-aware date and time."""

    def today(self) -> date:
        """The local date."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def today(self) -> date:
        return self.now().date()


class FakeClock:
    """A clock that moves only with `advance`, for tests and simulations.

    Its wall time moves with its monotonic time, as on a real machine.
    """

    def __init__(
        self,
        start: datetime | None = None,
        *,
        monotonic_start: float = 1000.0,
    ) -> None:
        if start is None:
            start = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        self._start = start
        self._mono0 = monotonic_start
        self._offset = 0.0

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._offset += seconds

    def monotonic(self) -> float:
        return self._mono0 + self._offset

    def wall(self) -> float:
        return self.now().timestamp()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._offset)

    def today(self) -> date:
        return self.now().date()


def _hms(total: int) -> str:
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_duration(seconds: float) -> str:
    """An elapsed time as `m:ss`, or `h:mm:ss` from an hour, in whole seconds."""
    return _hms(int(max(seconds, 0.0)))


def format_elapsed(elapsed: float, allowed: float | None) -> str:
    """Time used of a timebox, in step with its countdown (`format_countdown`).

    Within the time it is cut to whole seconds, so 0:19 used shows beside 0:01
    left of 0:20. Once over, it is rounded up as the overrun is, so 0:24 used
    of 0:20 shows beside +0:04, never a second apart from it.
    """
    if allowed is not None and allowed > 0 and elapsed > allowed:
        return _hms(math.ceil(elapsed - 1e-9))
    return format_duration(elapsed)


def format_countdown(remaining: float) -> str:
    """Time left as `m:ss`; once time is up, the overrun as `+m:ss`.

    Whole seconds round up, as on a kitchen timer: the display reaches `0:00`
    exactly when time is up, and an overrun shows `+0:01` from its first
    fraction of a second.
    """
    total = math.ceil(abs(remaining) - 1e-9)
    text = _hms(total)
    return "+" + text if remaining < 0 and total > 0 else text


def format_minutes(seconds: float) -> str:
    """A planned or actual length in words a facilitator reads at a glance.

    A length that rounds to no minutes but is more than nothing is `under 1 min`,
    not `0 min` (a segment moved through quickly still happened)."""
    minutes = round(seconds / 60)
    if minutes == 0 and seconds >= 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
