"""Meetings at the moments the room sees, for the room's tests (core, app, browser) and bench.

`drive(session, moment)` takes a session started with `start_meeting` to one
of `MOMENTS`, through the session's own operations, so the journal holds exactly
what the facilitator's app would have written.
"""

from __future__ import annotations

import random
from pathlib import Path

from facilitate.clock import FakeClock
from facilitate.events import Data
from facilitate.models import Meeting, new_id
from facilitate.session import MeetingSession
from formats import load_library

LIBRARY = load_library()
PEOPLE = ("Asha Patel, Age UK", "Ben Ode, Addenbrooke's", "Zoë Ångström, Carers Trust", "Tom Reed, Council",
          "مريم الحسن, GP", "Mark Li")  # fmt: skip
AGENDA = ("check-in", "open-conversation", "1-2-4-all", "open-space", "lean-coffee", "check-out")
MOMENTS = ("round", "timer", "phases", "opening", "marketplace", "wall", "lean-vote", "lean-discuss", "record")
"""Each format's room layout: a check-in round, an open conversation, 1-2-4-All, open space's
opening, marketplace and wall, Lean Coffee's vote and discussion, check-out with the record shown."""
SESSIONS = (
    ("Discharge delays: what the wards and the community teams could change together by the winter", "Asha Patel"),
    ("Carers' voices in planning", "Zoë Ångström"),
    ("Digital front door", "Ben Ode"),
    ("Social prescribing that reaches people who never come to a GP surgery", "Tom Reed"),
    ("Estates", "Mark Li"),
)
TOPICS = (("Winter pressures", 5), ("Shared care records", 3), ("Volunteers' expenses", 2), ("Transport to clinics", 1))


def make_meeting(title: str = "East ICB open meeting") -> Meeting:
    return Meeting(
        id=new_id(),
        title=title,
        series="East ICB",
        facilitator="Sam",
        planned_start="2026-11-26T10:00:00+00:00",
        segments=[LIBRARY[format_id].segment() for format_id in AGENDA],
    )


def start_meeting(clock: FakeClock, live_path: Path | None, title: str = "East ICB open meeting") -> MeetingSession:
    session = MeetingSession.begin(make_meeting(title), clock, live_path, rng=random.Random(1))
    for person in PEOPLE:
        session.capture("+" + person)
        advance(clock, 15)
    return session


def advance(clock, seconds: float) -> None:
    """Time passes on a fake clock; a real one (the browser tests) keeps its own time."""
    if isinstance(clock, FakeClock):
        clock.advance(seconds)


def go_to(session: MeetingSession, format_id: str) -> None:
    while session.segment is not None and session.segment.format_id != format_id:
        session.next_segment()


def drive(session: MeetingSession, moment: str) -> MeetingSession:
    """Take the meeting to `moment` (one of `MOMENTS`)."""
    clock = session.clock
    if moment == "round":
        session.round.next()
        advance(clock, 50)
        session.round.next()
        advance(clock, 12)
        session.round.pass_turn()
        advance(clock, 20)
    elif moment == "timer":
        go_to(session, "open-conversation")
        session.capture("A private note the room must not see")
        advance(clock, 31 * 60)  # into overrun
    elif moment == "phases":
        go_to(session, "1-2-4-all")
        session.phases.next()
        advance(clock, 45)
    elif moment in ("opening", "marketplace", "wall"):
        go_to(session, "open-space")
        advance(clock, 90)
        if moment != "opening":
            session.phases.next()
            proposals = [session.open_space.propose(title, by) for title, by in SESSIONS]
            advance(clock, 60)
            if moment == "wall":
                for index, proposal in enumerate(proposals[:4]):
                    session.open_space.place(proposal.id, index // 3, index % 3)
                session.phases.next()
                advance(clock, 300)
            else:
                session.open_space.place(proposals[0].id, 0, 0)
    elif moment in ("lean-vote", "lean-discuss"):
        go_to(session, "lean-coffee")
        topics = [session.lean_coffee.add_topic(title, "Asha") for title, _ in TOPICS]
        session.phases.next()
        for topic, (_, votes) in zip(topics, TOPICS):
            session.lean_coffee.set_votes(topic.id, votes)
        advance(clock, 40)
        if moment == "lean-discuss":
            session.phases.next()
            session.lean_coffee.discuss(session.lean_coffee.next_topic().id)
            advance(clock, 8 * 60 + 5)
            session.lean_coffee.thumbs(6, 2, 1, carry_on=True)
            advance(clock, 30)
    elif moment == "record":
        session.capture("=We meet monthly from January")
        session.capture("!Asha: call the discharge team by 3/12")
        session.capture("!Tom Reed: share the transport survey")
        session.capture("A note: private to the facilitator")
        go_to(session, "check-out")
        session.record(Data(segment=session.segment.id, key="room_record", value=True))
        session.round.next()
        advance(clock, 20)
    else:
        raise ValueError(moment)
    return session
