"""Timer: a plain timebox (an open conversation, a break). Nothing more than the segment's
countdown, its captures and, in the record, its prompt and notes."""

from __future__ import annotations

from facilitate.kinds import Kind
from facilitate.models import TIMER


class Timer(Kind):
    name = TIMER
    position = 10
    description = "A plain timebox: an open conversation, a break."


KIND = Timer()
