"""Pieces every kind's part of the room's screen is built from (`Kind.room`).

Kept apart from `facilitate.room.state` so that the kinds can use them without
importing the whole of the room's state (which asks the kinds' registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WARNING_SECONDS = 60.0
"""The countdown's last minute is marked (in words and colour) as it is on the run screen."""
NEXT_SPEAKERS = 3


def minutes(seconds: float) -> float:
    """Seconds as minutes to a tenth, as the room's screen shows them."""
    return round(seconds / 60, 1)


@dataclass
class Clock:
    """A countdown as of `RoomState.as_of`: negative `remaining` is an overrun."""

    remaining: float
    allowed: float
    running: bool

    @property
    def overrun(self) -> bool:
        return self.remaining < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "remaining": round(self.remaining, 3),
            "allowed": round(self.allowed, 3),
            "running": self.running,
            "overrun": self.overrun,
            "warning": 0 <= self.remaining <= WARNING_SECONDS,
        }
