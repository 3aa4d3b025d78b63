"""When a segment runs long: ways to take the time back from later segments.

Shortening uses each segment's adjustment (its plan stays as planned, so the
record shows what changed); skipping marks a segment skipped. Each option is
the list of events that carries it out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from facilitate.clock import format_minutes
from facilitate.events import Adjust, Event, Skip
from facilitate.models import Segment, SegmentState

if TYPE_CHECKING:
    from facilitate.session import MeetingSession

MIN_SEGMENT = 60.0
"""Shortening never takes a segment below a minute."""


@dataclass
class RebalanceOption:
    label: str
    events: list[Event] = field(default_factory=list)


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60 - 1e-9))


def rebalance_options(session: MeetingSession) -> list[RebalanceOption]:
    """Options for ending on time, given how far the projected end has moved."""
    drift = session.drift()
    if drift < 60:
        return []
    meeting = session.meeting
    later: list[Segment] = [s for s in meeting.segments[meeting.current + 1 :] if s.state == SegmentState.PENDING]
    need = _minutes(drift) * 60
    options: list[RebalanceOption] = []
    spare = sum(max(s.allowed - MIN_SEGMENT, 0) for s in later)
    if later and spare >= need:
        # Shorten every later segment in proportion to what it can give.
        events: list[Event] = []
        parts: list[str] = []
        left: float = need
        for index, segment in enumerate(later):
            give = max(segment.allowed - MIN_SEGMENT, 0)
            share = left if index == len(later) - 1 else min(left, round(need * give / spare / 60) * 60)
            share = min(share, give)
            if share <= 0:
                continue
            left -= share
            events.append(Adjust(segment=segment.id, seconds=-share))
            parts.append(f"{segment.name} −{format_minutes(share)}")
        if left <= 0 and events:
            options.append(RebalanceOption(f"Shorten the later segments: {', '.join(parts)}", events))
    for segment in later:
        if segment.allowed - MIN_SEGMENT >= need:
            after = format_minutes(segment.allowed - need)
            options.append(
                RebalanceOption(
                    f"Take {format_minutes(need)} from {segment.name} ({format_minutes(segment.allowed)} → {after})",
                    [Adjust(segment=segment.id, seconds=-need)],
                )
            )
    for segment in later:
        saving = segment.allowed - need
        outcome = (
            "ends on time"
            if abs(saving) < 60
            else (f"ends {format_minutes(saving)} early" if saving > 0 else f"still {format_minutes(-saving)} late")
        )
        options.append(
            RebalanceOption(
                f"Skip {segment.name} ({format_minutes(segment.allowed)}): {outcome}",
                [Skip(segment=segment.id)],
            )
        )
    return options


def apply_option(session: MeetingSession, option: RebalanceOption) -> None:
    for event in option.events:
        session.record(msgspec.structs.replace(event))
