"""A deterministic generator of realistic archives, for benchmarks and tests.

    uv run python -m bench.generate --meetings 1000 --out /tmp/bench/archive.json

The same seed and size always give the same archive, byte for byte. It holds
several series of open meetings over the years, a pool of people from
hospitals, GP surgeries, councils, charities and patients (15 to 30 at each
meeting, mostly returning, a few new each time), check-in and check-out
rounds with everyone's turn, open conversations with notes, decisions and 3
to 8 actions (done on time or late, dropped, open, overdue), some open space
and Lean Coffee meetings, and hostile text sprinkled in (markup, escapes,
right-to-left names, markdown and HTML).

The meetings are built with the models in `facilitate.models` and written as
the archive's JSON document in one atomic write, in the archive's own layout
(`facilitate.archive_file`, one record a line): far faster than saving 10,000
meetings one by one through `Archive`, and the same file.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from facilitate.models import (
    ACTION,
    DECISION,
    DONE,
    DROPPED,
    LEAN_COFFEE,
    NOTE,
    OPEN,
    OPEN_SPACE,
    PASSED,
    ROUND,
    SCHEMA_VERSION,
    SPOKE,
    TIMER,
    Attendee,
    FollowUp,
    Item,
    LeanCoffee,
    Meeting,
    MeetingStatus,
    OpenSpace,
    Person,
    Phase,
    PlanItem,
    Proposal,
    RoundState,
    Segment,
    SegmentState,
    SeriesPlan,
    Turn,
    Vote,
    drop_unused_phone_fields,
)
from facilitate.packing import FORMATS, pack
from facilitate.storage.files import atomic_write
from facilitate.storage.layout import dump_layout

END = date(2026, 11, 26)
"""The default last day of the archive: the tests' "today", a Thursday."""

# Copied from tests/data.py (the generator must not import the tests).
HOSTILE = [
    "[b]Bob[/]",
    "[/",
    "[red]x[/red]",
    "[0]",
    "[link=https://x]click[/link]",
    "[@click=app.quit]q[/]",
    "Zoë Ångström",
    "👩🏽‍⚕️ Nurse",
    "مريم الحسن",
    "שרה כהן",
    "Ｆｕｌｌｗｉｄｔｈ",
    'O\'Brien, "Mo"',
    "Anne-Marie d'Arc",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "| a | b |",
    "# heading",
    "*stars* _under_ `tick`",
    "<!channel>",
    "@here",
    "\x1b[31mred\x1b[0m",
    "bell\x07",
]
HOSTILE_NAMES = ["[b]Bob[/]", "Zoë Ångström", "مريم الحسن", "שרה כהן", 'O\'Brien, "Mo"', "Anne-Marie d'Arc", "[0]"]

FIRST_NAMES = """Asha Ben Chloe Dev Emma Farah Gareth Hannah Imran Jo Kwame Laura Mo Nadia Owen Priya
Rachel Sam Tom Uma Victor Wendy Yusuf Zainab Aaron Bridget Callum Deepa Ellie Fatima George Helen
Ian Jasmine Karen Leon Marcus Niamh Olu Paul Rosa Simon Tariq Vicky Will Amir Beth Carlos Dana
Eve Finn Grace Hugo Isla Jamal Kate Liam Maya Nathan Ola Pete Ruth Sofia Theo Ursula Wei""".split()
SURNAMES = """Patel Ode Smith Jones Khan Williams Brown Taylor Davies Evans Wilson Thomas Roberts
Johnson Lewis Walker Robinson Wood Thompson White Hughes Edwards Green Hall Martin Clarke Jackson
Hussain Ahmed Begum Okafor Mensah Nowak Kowalski Murphy Kelly Byrne Campbell Stewart Singh Kaur
Chen Wong Li Nguyen Ali Rahman Shah Mistry Osei Adeyemi Fraser Reid Graham Bell Price Hill""".split()

ORGANISATIONS = {
    "hospital": [
        "Addenbrooke's Hospital",
        "Royal Papworth Hospital",
        "Hinchingbrooke Hospital",
        "Peterborough City Hospital",
        "Queen Elizabeth Hospital, King's Lynn",
    ],
    "gp": [
        "Mill Road Surgery",
        "Nuffield Road Medical Centre",
        "Granta Medical Practices",
        "Huntingdon Road Surgery",
        "Thistlemoor Medical Centre",
        "Wisbech PCN",
    ],
    "council": [
        "Cambridge City Council",
        "Cambridgeshire County Council",
        "Peterborough City Council",
        "Fenland District Council",
        "Huntingdonshire District Council",
    ],
    "community": ["CPFT community services", "CPFT mental health", "East of England Ambulance Service"],
    "charity": [
        "Age UK",
        "Carers Trust",
        "Mind",
        "Healthwatch",
        "Citizens Advice",
        "Alzheimer's Society",
        "Red Cross",
        "Wintercomfort",
        "Centre 33",
    ],
    "patient": ["Patient representative", ""],
}
ORG_WEIGHTS = {"hospital": 5, "gp": 6, "council": 4, "community": 3, "charity": 6, "patient": 3}

AREAS = """East North South West Fenland Huntingdon Peterborough Cambridge Ely Wisbech March
St Neots Ramsey Soham Whittlesey Chatteris""".split()
TOPICS = [
    "ICB open meeting",
    "frailty network",
    "carers forum",
    "discharge group",
    "mental health open space",
    "neighbourhood health",
    "population health huddle",
    "community voices",
]
THEMES = [
    "discharge delays",
    "winter pressures",
    "waiting lists",
    "carers' breaks",
    "loneliness",
    "housing and health",
    "digital exclusion",
    "falls prevention",
    "social prescribing",
    "young people's mental health",
    "hospital at home",
    "transport to appointments",
    "primary care access",
    "end of life care",
    "data sharing",
    "volunteer recruitment",
]
OBSERVATIONS = [
    "three people waited over a week for a care package",
    "the new referral route is not widely known yet",
    "GPs would like a single number to call",
    "the pilot reached 40 families in its first month",
    "volunteers are stretched over the holidays",
    "patients asked for letters in plain English",
    "the council's grant round opens in January",
    "the ward has started a daily huddle with social care",
    "people in the villages cannot get to the clinic without a car",
    "we keep hearing the same story from carers",
    "the wiki page needs an owner",
    "a shared caseload list would save phone calls",
]
DECISIONS = [
    "We meet monthly from January",
    "We try a shared referral form for three months",
    "The wiki is the record; no minutes by email",
    "Next meeting is an open space on {theme}",
    "Patients' stories open every meeting",
    "We invite the housing team to the next meeting",
    "We pause the {theme} pilot until the spring",
]
ACTIONS = [
    "Call the discharge team about {theme}",
    "Share the referral form on the wiki",
    "Invite someone from housing",
    "Write up the {theme} story for the newsletter",
    "Find a room for the open space",
    "Ask the practice managers about {theme}",
    "Send round the carers' leaflet",
    "Check the data on {theme}",
    "Set up a visit to the hub",
    "Draft terms for the pilot",
    "Bring figures on {theme} next time",
]
CHECK_IN_PROMPTS = ["How are you arriving today?", "What's on your mind this morning?", "One word for your week?"]
GUIDANCE = {
    "check-in": "Invite each person in turn to answer the prompt, briefly. Anyone may pass.",
    "open-conversation": "Let the conversation go where the room takes it. Capture what matters.",
    "break": "Coffee and conversation; the mingling is part of the meeting.",
    "check-out": "Close with a quick round: one word each. Thank people.",
    "open-space": "Open the space: theme, four principles, the law of two feet.",
    "lean-coffee": "Everyone proposes topics, dot-votes; discuss by votes with a timebox.",
}
DUE_WORDS = [("in 3 days", 3), ("in a week", 7), ("in 2 weeks", 14), ("in 3 weeks", 21), ("in 4 weeks", 28)]


@dataclass
class PoolPerson:
    """Someone in the generated world, with how likely they are to come back."""

    person: Person
    regularity: float
    series: set[str] = field(default_factory=set)
    seen: bool = False


@dataclass
class SeriesSpec:
    name: str
    facilitator: str
    cadence: int
    """Days between meetings."""
    pool: list[PoolPerson] = field(default_factory=list)


class Generator:
    """Builds one archive from a seed; `document()` gives the archive's JSON document."""

    def __init__(self, meetings: int, seed: int = 1, end: date = END) -> None:
        if meetings < 0:
            raise ValueError("the number of meetings cannot be negative")
        self.count = meetings
        self.seed = seed
        self.end = end
        self.rng = random.Random(seed)
        self.people: list[PoolPerson] = []
        self.series: list[SeriesSpec] = []

    # -- small helpers ----------------------------------------------------------

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def sprinkle(self, text: str, p: float = 0.03) -> str:
        """Now and then, hostile text where people type."""
        if self.chance(p):
            return f"{text} {self.rng.choice(HOSTILE)}"
        return text

    def organisation(self) -> str:
        kind = self.rng.choices(list(ORG_WEIGHTS), weights=list(ORG_WEIGHTS.values()))[0]
        return self.rng.choice(ORGANISATIONS[kind])

    def make_person(self) -> PoolPerson:
        if self.chance(0.01):
            name = self.rng.choice(HOSTILE_NAMES)
        else:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
        person = Person(id=self.new_id(), name=name, organisation=self.organisation())
        pool_person = PoolPerson(person, regularity=self.rng.uniform(0.15, 0.95))
        self.people.append(pool_person)
        return pool_person

    # -- the world ------------------------------------------------------------------

    def make_series(self) -> None:
        count = max(3, min(40, self.count // 250)) if self.count else 0
        names: set[str] = set()
        while len(self.series) < count:
            name = f"{self.rng.choice(AREAS)} {self.rng.choice(TOPICS)}"
            if name in names:
                continue
            names.add(name)
            facilitator = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
            self.series.append(SeriesSpec(name, facilitator, cadence=self.rng.choice((7, 7, 7, 14))))

    def schedule(self) -> list[tuple[datetime, SeriesSpec]]:
        """When each meeting happens: every series meets on its cadence up to the end date."""
        slots = []
        per_series, extra = divmod(self.count, len(self.series)) if self.series else (0, 0)
        for index, spec in enumerate(self.series):
            count = per_series + (1 if index < extra else 0)
            offset = self.rng.randrange(0, 5)
            hour = self.rng.choice((9, 10, 10, 14))
            for k in range(count):
                day = self.end - timedelta(days=offset + (count - 1 - k) * spec.cadence)
                # British Summer Time, roughly: it only has to look right.
                tz = timezone(timedelta(hours=1 if 4 <= day.month <= 10 else 0))
                slots.append((datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz), spec))
        slots.sort(key=lambda slot: (slot[0].astimezone(timezone.utc), slot[1].name))
        return slots

    # -- one meeting ----------------------------------------------------------------

    def attendees(self, spec: SeriesSpec, start: datetime) -> list[PoolPerson]:
        size = self.rng.randint(15, 30)
        if not spec.pool:
            new = size
        else:
            new = min(size, self.rng.choices((0, 1, 2, 3, 4), weights=(25, 35, 22, 12, 6))[0])
        chosen: list[PoolPerson] = []
        ids: set[str] = set()
        candidates = sorted(spec.pool, key=lambda p: self.rng.random() * (1.5 - p.regularity))
        for candidate in candidates:
            if len(chosen) >= size - new:
                break
            chosen.append(candidate)
            ids.add(candidate.person.id)
        # Now and then someone from another group comes along: returning, but new here.
        if self.people and self.chance(0.2):
            visitor = self.rng.choice(self.people)
            if visitor.seen and visitor.person.id not in ids:
                chosen.append(visitor)
                ids.add(visitor.person.id)
        while len(chosen) < size:
            chosen.append(self.make_person())
        for person in chosen:
            if spec.name not in person.series:
                person.series.add(spec.name)
                spec.pool.append(person)
        return chosen

    def round_segment(self, format_id: str, name: str, minutes: float, per_person: float, prompt: str,
                      people: list[Attendee], start: datetime) -> Segment:  # fmt: skip
        turns = []
        for attendee in people:
            if self.chance(0.08):
                turns.append(Turn(attendee.person_id, PASSED, 0.0))
            else:
                turns.append(Turn(attendee.person_id, SPOKE, round(self.rng.uniform(0.4, 1.3) * per_person, 1)))
        elapsed = round(sum(turn.spoke for turn in turns) + 3 * len(turns), 1)
        return self.segment(format_id, name, ROUND, minutes, start, elapsed, per_person=per_person,
                            prompt=prompt, round=RoundState(turns=turns))  # fmt: skip

    def segment(self, format_id: str, name: str, kind: str, minutes: float, start: datetime,
                elapsed: float | None = None, **extra: Any) -> Segment:  # fmt: skip
        planned = minutes * 60
        if elapsed is None:
            elapsed = round(planned * self.rng.uniform(0.8, 1.25), 1)
        return Segment(
            id=self.new_id(),
            format_id=format_id,
            name=name,
            kind=kind,
            planned=planned,
            guidance=GUIDANCE.get(format_id, ""),
            state=SegmentState.DONE,
            elapsed=elapsed,
            started_at=start.isoformat(),
            ended_at=(start + timedelta(seconds=elapsed)).isoformat(),
            **extra,
        )

    def action(self, start: datetime, segment: Segment, attendees: list[Attendee], theme: str) -> Item:
        created = start + timedelta(minutes=self.rng.randint(1, 40))
        roll = self.rng.random()
        if roll < 0.8:
            owner = self.rng.choice(attendees)
            name, owner_id = owner.name, owner.person_id
        elif roll < 0.88 and self.people:
            someone = self.rng.choice(self.people).person
            name, owner_id = someone.name, someone.id
        elif roll < 0.95:
            name, owner_id = self.rng.choice(("the comms team", "Practice managers", "Everyone")), None
        else:
            name, owner_id = "", None
        if self.chance(0.3):
            due_date = created.date() + timedelta(days=self.rng.randint(3, 35))
            due_text = due_date.isoformat()
        else:
            due_text, days = self.rng.choice(DUE_WORDS)
            due_date = created.date() + timedelta(days=days)
        status, closed = OPEN, None
        log: list[FollowUp] = []
        age = (self.end - due_date).days
        roll = self.rng.random()
        if age > 0:
            open_chance = 0.25 if age < 60 else 0.03
            if roll < 0.55:
                status, closed = DONE, due_date - timedelta(days=self.rng.randint(0, max(0, (due_date - created.date()).days)))
            elif roll < 1 - open_chance - 0.05:
                status, closed = DONE, due_date + timedelta(days=self.rng.randint(1, min(45, age)))
            elif roll < 1 - open_chance:
                status, closed = DROPPED, due_date + timedelta(days=self.rng.randint(0, min(30, age)))
        elif roll < 0.2:
            status, closed = DONE, min(self.end, created.date() + timedelta(days=self.rng.randint(1, 10)))
        if closed is not None:
            closed = max(closed, created.date())
            closed_at = datetime(closed.year, closed.month, closed.day, 16, 30, tzinfo=created.tzinfo).isoformat()
            # Closed after the meeting: a follow-up; the action stays open as agreed.
            log.append(FollowUp(at=closed_at, outcome=status))
            status = OPEN
        text = self.rng.choice(ACTIONS).format(theme=theme)
        return Item(
            id=self.new_id(),
            kind=ACTION,
            text=self.sprinkle(text),
            created_at=created.isoformat(),
            segment_id=segment.id,
            owner=name,
            owner_id=owner_id,
            due=due_date.isoformat(),
            due_text=due_text,
            status=status,
            log=log,
        )

    def open_space(self, start: datetime, attendees: list[Attendee], theme: str) -> Segment:
        slots = 2
        spaces = ["Room 1", "Room 2", "Garden"]
        proposals = []
        wall = {}
        for index in range(self.rng.randint(3, 6)):
            convener = self.rng.choice(attendees)
            participants = self.rng.sample([a.person_id for a in attendees], k=min(len(attendees), self.rng.randint(3, 8)))
            proposal = Proposal(
                id=self.new_id(),
                title=self.sprinkle(f"{self.rng.choice(THEMES).capitalize()}: what next?"),
                by=convener.name,
                by_id=convener.person_id,
                created_at=start.isoformat(),
                participants=participants,
                report=self.sprinkle(f"We talked about {self.rng.choice(OBSERVATIONS)}."),
            )
            proposals.append(proposal)
            if index < slots * len(spaces):
                wall[f"{index // len(spaces)}:{index % len(spaces)}"] = proposal.id
        space = OpenSpace(
            theme=theme,
            slots=slots,
            slot_minutes=30.0,
            spaces=spaces,
            slot_times=[f"{start.hour + 1}:00", f"{start.hour + 1}:30"],
            proposals=proposals,
            wall=wall,
        )
        phases = [
            Phase("Opening", 600, kind="opening", elapsed=600),
            Phase("Marketplace", 900, kind="marketplace", elapsed=950),
            Phase("Session 1", 1800, kind="slot", slot=0, elapsed=1800),
            Phase("Session 2", 1800, kind="slot", slot=1, elapsed=1790),
            Phase("Closing circle", 900, kind="closing", elapsed=880),
        ]
        return self.segment("open-space", "Open space", OPEN_SPACE, 100, start, 6020.0, phases=phases, open_space=space)

    def lean_coffee(self, start: datetime, attendees: list[Attendee]) -> Segment:
        topics = []
        for _ in range(self.rng.randint(4, 9)):
            by = self.rng.choice(attendees)
            topics.append(
                Proposal(
                    id=self.new_id(),
                    title=self.sprinkle(self.rng.choice(THEMES).capitalize()),
                    by=by.name,
                    by_id=by.person_id,
                    created_at=start.isoformat(),
                    votes=self.rng.randint(0, 9),
                )
            )
        board = LeanCoffee(topics=topics)
        for topic in board.by_votes[:4]:
            topic.state = "done"
            topic.timebox = 480.0
            topic.discussed = round(self.rng.uniform(300, 480), 1)
            if self.chance(0.4):
                topic.extensions = 1
                topic.timebox += 240
                topic.discussed += 200
                topic.thumbs.append(Vote(up=self.rng.randint(5, 12), sideways=2, down=1, outcome="continue",
                                         at=start.isoformat()))  # fmt: skip
        return self.segment("lean-coffee", "Lean Coffee", LEAN_COFFEE, 60, start, lean_coffee=board)

    def meeting(self, start: datetime, spec: SeriesSpec) -> tuple[Meeting, list[PoolPerson]]:
        pool_people = self.attendees(spec, start)
        attendees = []
        for index, pool_person in enumerate(pool_people):
            person = pool_person.person
            if pool_person.seen and self.chance(0.01):
                person.organisation = self.organisation()  # people change jobs
            arrived = start + timedelta(seconds=30 * index + self.rng.randint(0, 600))
            attendees.append(
                Attendee(
                    person_id=person.id,
                    name=person.name,
                    organisation=person.organisation,
                    new=not pool_person.seen,
                    arrived_at=arrived.isoformat(),
                    left_at=(start + timedelta(minutes=80)).isoformat() if self.chance(0.05) else None,
                )
            )
            if not pool_person.seen:
                person.first_seen = start.date().isoformat()
                pool_person.seen = True
        theme = self.rng.choice(THEMES)
        kind = self.rng.random()
        at = start
        segments = [
            self.round_segment("check-in", "Check-in", 12, 30, self.rng.choice(CHECK_IN_PROMPTS), attendees, at)
        ]
        at += timedelta(seconds=segments[-1].elapsed)
        if kind < 0.05:
            title = f"Open space: {theme}"
            segments.append(self.open_space(at, attendees, theme))
        elif kind < 0.10:
            title = f"Lean Coffee, {start:%B %Y}"
            segments.append(self.lean_coffee(at, attendees))
        else:
            title = self.sprinkle(f"{start:%B} open meeting: {theme}", 0.02)
            segments.append(self.segment("open-conversation", "Open conversation", TIMER, self.rng.choice((45, 60)), at))
            at += timedelta(seconds=segments[-1].elapsed)
            segments.append(self.segment("break", "Break", TIMER, 15, at, prompt="Coffee"))
            at += timedelta(seconds=segments[-1].elapsed)
            segments.append(self.segment("open-conversation", "Open conversation", TIMER, 30, at))
        at += timedelta(seconds=segments[-1].elapsed)
        segments.append(self.round_segment("check-out", "Check-out", 8, 20, "One thing you take away?", attendees, at))
        talk = segments[1] if kind < 0.10 else segments[1 + self.rng.choice((0, 2))]
        items = []
        for _ in range(self.rng.randint(3, 10)):
            speaker = self.rng.choice(attendees)
            items.append(
                Item(
                    id=self.new_id(),
                    kind=NOTE,
                    text=self.sprinkle(f"{self.rng.choice(THEMES).capitalize()}: {self.rng.choice(OBSERVATIONS)}"),
                    created_at=(start + timedelta(minutes=self.rng.randint(5, 100))).isoformat(),
                    segment_id=talk.id,
                    speaker_id=speaker.person_id if self.chance(0.3) else None,
                )
            )
        for _ in range(self.rng.choice((0, 1, 1, 2, 3))):
            items.append(
                Item(
                    id=self.new_id(),
                    kind=DECISION,
                    text=self.sprinkle(self.rng.choice(DECISIONS).format(theme=theme)),
                    created_at=(start + timedelta(minutes=self.rng.randint(20, 100))).isoformat(),
                    segment_id=talk.id,
                )
            )
        for _ in range(self.rng.randint(3, 8)):
            items.append(self.action(start, talk, attendees, theme))
        items.sort(key=lambda item: item.created_at)
        meeting = Meeting(
            id=self.new_id(),
            title=title,
            series=spec.name,
            facilitator=spec.facilitator,
            planned_start=start.isoformat(),
            started_at=start.isoformat(),
            finished_at=(start + timedelta(seconds=sum(s.elapsed for s in segments))).isoformat(),
            status=MeetingStatus.FINISHED,
            segments=segments,
            current=len(segments) - 1,
            attendees=attendees,
            items=items,
        )
        return meeting, pool_people

    # -- the whole archive ------------------------------------------------------------

    def document(self) -> dict[str, dict[str, Any]]:
        """The archive as TinyDB keeps it: tables of documents keyed by number."""
        self.make_series()
        meetings: dict[str, Any] = {}
        for number, (start, spec) in enumerate(self.schedule(), start=1):
            meeting, _ = self.meeting(start, spec)
            meetings[str(number)] = plain(meeting)
        people = {
            str(number): {**plain(p.person), "v": SCHEMA_VERSION}
            for number, p in enumerate((p for p in self.people if p.seen), start=1)
        }
        agenda = [
            PlanItem("check-in", "Check-in", 900, per_person=60),
            PlanItem("open-conversation", "Open conversation", 2700),
            PlanItem("break", "Break", 900),
            PlanItem("open-conversation", "Open conversation", 1800),
            PlanItem("check-out", "Check-out", 600, per_person=30),
        ]
        series = {
            str(number): {**plain(SeriesPlan(spec.name, agenda, spec.facilitator)), "v": SCHEMA_VERSION}
            for number, spec in enumerate(self.series, start=1)
        }
        return {"meetings": meetings, "people": people, "series": series, "meta": {"1": {"schema": SCHEMA_VERSION}}}


_SCALARS = (str, int, float, bool, type(None))


def plain(obj: Any) -> Any:
    """A dataclass tree as JSON-able dicts (as `serial.to_dict`, faster for the generator's volume)."""
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    if kind is list:
        return [plain(value) for value in obj]
    if kind is dict:
        return {key: plain(value) for key, value in obj.items()}
    if isinstance(obj, Enum):
        return obj.value  # a meeting's status, a segment's state: stored as their words
    data = {key: plain(value) for key, value in obj.__dict__.items()}
    # What `Meeting.to_dict` and `Person.to_dict` leave out, as the app stores them.
    if kind is Meeting:
        if not obj.unread:
            del data["unread"]
        if not obj.phones.used:
            del data["phones"]
        drop_unused_phone_fields(data)
    elif kind is Person and not obj.invited_by:
        del data["invited_by"]
    return data


def generate(meetings: int, seed: int = 1, end: date = END) -> dict[str, dict[str, Any]]:
    """The archive document for `meetings` meetings from `seed`, ending on `end`."""
    # Millions of small objects that all live to the end: the cyclic collector
    # would only rescan them again and again.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return Generator(meetings, seed, end).document()
    finally:
        if was_enabled:
            gc.enable()


def stored(document: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The archive document as facilitate writes it: each meeting packed (`facilitate.packing`),
    the segments' settings in the `formats` table, the meetings table last."""
    settings: dict[str, dict[str, Any]] = {}
    meetings = {key: pack(doc, settings) for key, doc in document["meetings"].items()}
    tables = {name: table for name, table in document.items() if name != "meetings"}
    if settings:
        tables[FORMATS] = {str(n): {"key": key, **value} for n, (key, value) in enumerate(settings.items(), start=1)}
    tables["meetings"] = meetings
    return tables


def write_archive(path: Path, meetings: int, seed: int = 1, end: date = END) -> int:
    """Generate an archive and write it to `path` in one atomic write; returns its size in bytes."""
    document = stored(generate(meetings, seed, end))
    payload = dump_layout(document)
    atomic_write(path, payload)
    return len(payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000, help="how many meetings (100, 1000, 10000...)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same archive")
    parser.add_argument("--end", type=date.fromisoformat, default=END, help="the last day of the archive (ISO)")
    parser.add_argument("--out", type=Path, required=True, help="the archive file to write")
    args = parser.parse_args(argv)
    if args.meetings < 0:
        parser.error("--meetings cannot be negative")
    started = time.perf_counter()
    size = write_archive(args.out, args.meetings, args.seed, args.end)
    took = time.perf_counter() - started
    print(f"{args.meetings} meetings, {size / 1e6:.1f} MB, written to {args.out} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
