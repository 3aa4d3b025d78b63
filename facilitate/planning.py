"""Planning a meeting: agendas from formats and series plans, start times, totals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dateutil import parser as du_parser

from facilitate import kinds
from facilitate.models import Meeting, PlanItem, Segment, SeriesPlan, new_id
from facilitate.text import clean_line

if TYPE_CHECKING:
    # The formats build on the core (their schema makes the core's segments), so the
    # core names their library only as a type: see the import contracts in pyproject.toml.
    from formats import FormatLibrary

DEFAULT_AGENDA = [
    ("check-in", None),
    ("open-conversation", None),
    ("break", 10),
    ("round", None),
    ("check-out", None),
]


class PlanError(ValueError):
    """A plan that cannot start as it is; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def default_agenda(library: FormatLibrary) -> list[Segment]:
    agenda = []
    for format_id, minutes in DEFAULT_AGENDA:
        fmt = library.get(format_id)
        if fmt is not None:
            agenda.append(fmt.segment(minutes=minutes))
    return agenda


def agenda_from_plan(plan: SeriesPlan, library: FormatLibrary) -> tuple[list[Segment], list[str]]:
    """The segments of a saved plan, and the formats it names that no longer exist."""
    agenda, missing = [], []
    for entry in plan.agenda:
        fmt = library.get(entry.format_id)
        if fmt is None:
            missing.append(entry.name or entry.format_id)
            continue
        agenda.append(
            fmt.segment(
                minutes=entry.planned / 60,
                per_person=entry.per_person,
                prompt=entry.prompt,
                name=entry.name,
                options=entry.options,
            )
        )
    return agenda, missing


def segment_settings(segment: Segment) -> dict[str, Any]:
    """A segment's format settings as a format's `[options]` says them, read from where the
    segment keeps them (its open space, its Lean Coffee board, its phases): the one place
    each setting lives, so a saved plan can never disagree with the meeting. Its kind
    knows which they are."""
    return kinds.get(segment.kind).settings(segment)


def plan_from_agenda(series: str, agenda: list[Segment], facilitator: str = "", title: str = "") -> SeriesPlan:
    """The agenda as the series' next meeting will start from it: every segment with its settings."""
    return SeriesPlan(
        name=series,
        facilitator=facilitator,
        title=title,
        agenda=[
            PlanItem(
                format_id=s.format_id,
                name=s.name,
                planned=s.planned,
                per_person=s.per_person,
                prompt=s.prompt,
                options=segment_settings(s),
            )
            for s in agenda
        ],
    )


_TIME_ONLY = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_start(text: str, now: datetime) -> datetime:
    """A start time: "now", "10:30", "2pm", "26/11 10:30", "2026-11-26 10:30"."""
    value = " ".join(text.strip().lower().split())
    if value in ("", "now"):
        return now.replace(microsecond=0)
    if match := _TIME_ONLY.match(value):
        hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if meridiem == "pm" and hour < 12:
            hour += 12
        if meridiem == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise PlanError("start", f"{text.strip()!r} is not a time of day")
        return now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    iso = re.match(r"^\d{4}-\d{2}-\d{2}", value) is not None
    try:
        parsed = du_parser.parse(value, dayfirst=not iso, default=now.replace(second=0, microsecond=0, tzinfo=None))
    except (du_parser.ParserError, ValueError, OverflowError):
        raise PlanError(
            "start", f"Can't read {text.strip()!r} as a start time. Try: now, 10:30, 2pm, 26/11 10:30"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=now.tzinfo)
    return parsed


@dataclass
class AgendaTotals:
    planned: float
    segments: int
    end: datetime | None


def totals(agenda: list[Segment], start: datetime | None) -> AgendaTotals:
    planned = sum(s.planned for s in agenda)
    return AgendaTotals(planned, len(agenda), start + timedelta(seconds=planned) if start else None)


def new_meeting(
    *,
    title: str,
    series: str,
    facilitator: str,
    start: datetime,
    agenda: list[Segment],
) -> Meeting:
    """A planned meeting, checked. Raises `PlanError` naming the field at fault."""
    title, series, facilitator = clean_line(title), clean_line(series), clean_line(facilitator)
    if not title:
        if not series:
            raise PlanError("title", "Give the meeting a title (or a series)")
        title = f"{series}, {start.day} {start:%b %Y}"
    if not agenda:
        raise PlanError("agenda", "Add at least one segment to the agenda (a)")
    return Meeting(
        id=new_id(),
        title=title,
        series=series,
        facilitator=facilitator,
        planned_start=start.isoformat(timespec="seconds"),
        segments=agenda,
    )
