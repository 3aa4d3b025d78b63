"""A small hand-made archive whose every number is known, for the review tests.

Two series. "East ICB" meets three times (September, October, November
2026), "North" once. Today is Thursday 26 November 2026 (tests.data.TODAY).

    M1 East 2026-09-03  Asha (Age UK, new), Ben (Addenbrooke's, new)
        a1 Asha, due 09-10, done 09-09 (on time); a2 Ben, due 09-17, done 09-30 (late)
    M2 East 2026-10-01  Asha, Ben, Zoë Ångström (Carers Trust, new)
        a3 Zoë, due 10-08, open (overdue); a4 "the comms team" (nobody on record), no date, open
    N1 North 2026-10-15 Ben, Dev (Mind, new)
        b1 Ben, due 11-01, open (overdue)
    M3 East 2026-11-05  Asha, Zoë, [b]Bob[/] (Council, new)
        a5 Bob, due 12-03, open; a6 Asha, due 11-12, dropped 11-20
"""

from __future__ import annotations

from pathlib import Path

from facilitate.archive import Archive
from facilitate.models import (
    ACTION,
    DECISION,
    DONE,
    DROPPED,
    NOTE,
    OPEN,
    PASSED,
    ROUND,
    SPOKE,
    Attendee,
    Item,
    Meeting,
    OpenSpace,
    Proposal,
    RoundState,
    Segment,
    Turn,
)

ASHA, BEN, ZOE, BOB, DEV = "p-asha", "p-ben", "p-zoe", "p-bob", "p-dev"
NAMES = {
    ASHA: ("Asha Patel", "Age UK"),
    BEN: ("Ben Ode", "Addenbrooke's"),
    ZOE: ("Zoë Ångström", "Carers Trust"),
    BOB: ("[b]Bob[/]", "[red]Council"),
    DEV: ("Dev Shah", "Mind"),
}


def attendee(person_id: str, new: bool = False, at: str = "") -> Attendee:
    name, org = NAMES[person_id]
    return Attendee(person_id=person_id, name=name, organisation=org, new=new, arrived_at=at)


def action(item_id: str, owner: str | None, text: str, due: str | None, status: str = OPEN,
           closed: str | None = None, owner_name: str = "") -> Item:  # fmt: skip
    return Item(
        id=item_id,
        kind=ACTION,
        text=text,
        owner=NAMES[owner][0] if owner else owner_name,
        owner_id=owner,
        due=due,
        due_text=due or "",
        status=status,
        closed_at=closed,
    )


def check_in(*people: str) -> Segment:
    return Segment(
        id="s-check-in",
        format_id="check-in",
        name="Check-in",
        kind=ROUND,
        planned=900,
        elapsed=800,
        state="done",
        round=RoundState(turns=[Turn(p, SPOKE, 40.0) for p in people]),
    )


def meeting(meeting_id: str, series: str, day: str, title: str, people: list[Attendee], items: list[Item]) -> Meeting:
    talk = Segment(id="s-talk", format_id="open-conversation", name="Open conversation", planned=1800, elapsed=2000, state="done")
    return Meeting(
        id=meeting_id,
        title=title,
        series=series,
        facilitator="Sam",
        started_at=f"{day}T10:00:00+00:00",
        finished_at=f"{day}T12:00:00+00:00",
        status="finished",
        segments=[check_in(*(a.person_id for a in people)), talk],
        attendees=people,
        items=items,
    )


def meetings() -> list[Meeting]:
    m1 = meeting(
        "m1", "East ICB", "2026-09-03", "September open meeting",
        [attendee(ASHA, True), attendee(BEN, True)],
        [
            Item(id="n1", kind=NOTE, text="Winter pressures: 5 beds short", speaker_id=BEN),
            Item(id="d1", kind=DECISION, text="We meet monthly from January"),
            action("a1", ASHA, "Call the discharge team", "2026-09-10", DONE, "2026-09-09T16:00:00+00:00"),
            action("a2", BEN, "Share the referral form", "2026-09-17", DONE, "2026-09-30T16:00:00+00:00"),
        ],
    )  # fmt: skip
    m2 = meeting(
        "m2", "East ICB", "2026-10-01", "October open meeting",
        [attendee(ASHA), attendee(BEN), attendee(ZOE, True)],
        [
            Item(id="n2", kind=NOTE, text="Carers' breaks: a leaflet would help"),
            action("a3", ZOE, "Send round the carers' leaflet", "2026-10-08"),
            action("a4", None, "Update the wiki page", None, owner_name="the comms team"),
        ],
    )  # fmt: skip
    n1 = meeting(
        "n1", "North", "2026-10-15", "North huddle",
        [attendee(BEN), attendee(DEV, True)],
        [action("b1", BEN, "Bring figures on falls", "2026-11-01")],
    )  # fmt: skip
    m3 = meeting(
        "m3", "East ICB", "2026-11-05", "Open space: loneliness",
        [attendee(ASHA), attendee(ZOE), attendee(BOB, True)],
        [
            Item(id="n3", kind=NOTE, text="<script>alert(1)</script> | a | b |"),
            action("a5", BOB, "Find a room for the open space", "2026-12-03"),
            action("a6", ASHA, "Ask the practice managers", "2026-11-12", DROPPED, "2026-11-20T09:00:00+00:00"),
        ],
    )  # fmt: skip
    m3.segments.append(
        Segment(
            id="s-space",
            format_id="open-space",
            name="Open space",
            kind="open-space",
            planned=3600,
            elapsed=3600,
            state="done",
            open_space=OpenSpace(
                theme="Loneliness",
                proposals=[
                    Proposal(id="pr1", title="Lunch clubs in the villages", by="Zoë Ångström", by_id=ZOE,
                             participants=[ZOE, ASHA], report="Three clubs could share a minibus")  # fmt: skip
                ],
            ),
        )
    )
    m3.segments[0].round.turns[2].state = PASSED  # type: ignore[union-attr]
    return [m1, m2, n1, m3]


def build(path: Path) -> Archive:
    """The archive above, saved meeting by meeting as the app does, reopened from disk."""
    archive = Archive(path).open()
    for m in meetings():
        archive.save_meeting(m)
    archive.close()
    return Archive(path).open()
