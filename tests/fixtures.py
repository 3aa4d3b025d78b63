"""Meetings built straight from the model, for the exporter and interchange tests.

`rich_meeting()` has a bit of everything the record can hold (a check-in
round with a pass, matters arising, an open space with a merged proposal and
reports, a Lean Coffee board with an extension, hostile text in names,
titles, notes and actions), with fixed ids and times so that exports of it
are byte-for-byte stable. `small_archive()` writes a few such meetings into
an archive file.
"""

from __future__ import annotations

import copy
from pathlib import Path

from facilitate.archive import Archive
from facilitate.models import (
    ACTION,
    DECISION,
    LEAN_COFFEE,
    MATTERS_ARISING,
    NOTE,
    OPEN_SPACE,
    PASSED,
    ROUND,
    SPOKE,
    TIMER,
    WAITING,
    Attendee,
    FollowUp,
    Item,
    LeanCoffee,
    Matter,
    Meeting,
    OpenSpace,
    Proposal,
    RoundState,
    Segment,
    SegmentState,
    Turn,
    Vote,
)
from tests.data import CONTROL, INJECTION, MARKUP

DAY = "2026-11-26"


def at(hhmm: str, day: str = DAY) -> str:
    return f"{day}T{hhmm}:00+00:00"


PEOPLE = [
    # person id, name, organisation, new
    ("p01", "Asha Patel", "Age UK", False),
    ("p02", 'O\'Brien, "Mo"', "Carers | Trust", True),
    ("p03", "<!channel>", "<b>bold</b>", True),
    ("p04", "Zoë Ångström", "[x](javascript:alert(1))", False),
    ("p05", "1. list", "- item", False),
    ("p06", "👩🏽‍⚕️ Nurse", "# heading", True),
    ("p07", "مريم الحسن", "Mental health trust", False),
    ("p08", "*stars* _under_ `tick`", "@here", False),
]


def _attendees(day: str = DAY) -> list[Attendee]:
    return [
        Attendee(
            person_id=pid, name=name, organisation=org, new=new, arrived_at=at(f"10:0{i}", day), segment_id="s-checkin"
        )
        for i, (pid, name, org, new) in enumerate(PEOPLE)
    ]


def _item(item_id: str, kind: str, text: str, segment: str | None, **fields) -> Item:
    return Item(id=item_id, kind=kind, text=text, created_at=at("10:30"), segment_id=segment, **fields)


def rich_meeting() -> Meeting:
    """A finished meeting with every kind of record, and hostile text throughout."""
    check_in = Segment(
        id="s-checkin",
        format_id="check-in",
        name="Check-in",
        kind=ROUND,
        planned=15 * 60,
        per_person=60,
        prompt="How are you arriving today? | *honestly*",
        state=SegmentState.DONE,
        elapsed=17 * 60,
        started_at=at("10:00"),
        ended_at=at("10:17"),
        round=RoundState(
            turns=[
                Turn("p01", SPOKE, 50),
                Turn("p02", SPOKE, 62.4),
                Turn("p03", PASSED, 0),
                Turn("p04", SPOKE, 45),
                Turn("p08", WAITING, 0),
            ]
        ),
    )
    matters = Segment(
        id="s-matters",
        format_id="matters-arising",
        name="Matters arising",
        kind=MATTERS_ARISING,
        planned=10 * 60,
        state=SegmentState.DONE,
        elapsed=8 * 60,
        started_at=at("10:17"),
        matters=[
            Matter("m-oct", "a-1", "Write to the trust | board", owner="Asha Patel", owner_id="p01",
                   due="2026-11-20", meeting_title="October open meeting", meeting_date="2026-10-29",
                   outcome="done", at=at("10:18")),
            Matter("m-oct", "a-2", "<script>alert(1)</script>", owner="<!channel>", due="2026-11-01",
                   meeting_title="October <b>open</b> meeting", meeting_date="2026-10-29",
                   outcome="carried", new_due="2026-12-10", note="waiting on *finance*", at=at("10:19")),
            Matter("m-sep", "a-3", "Book the room", owner="Ben Ode", meeting_title="September open meeting",
                   meeting_date="2026-09-24", outcome="reowned", new_owner="Zoë Ångström", new_owner_id="p04",
                   new_due="2026-12-03"),
            Matter("m-sep", "a-4", "# heading", owner="- item", meeting_title="September open meeting",
                   meeting_date="2026-09-24", outcome="dropped"),
            Matter("m-sep", "a-5", "Not reviewed yet", owner="Asha Patel", meeting_title="September open meeting",
                   meeting_date="2026-09-24"),
        ],
    )  # fmt: skip
    space = OpenSpace(
        theme="Winter pressures | what *can* we do?",
        slots=2,
        slot_minutes=30,
        spaces=["Room 1", "Garden <b>room</b>"],
        slot_times=["10:30", "11:15"],
        proposals=[
            Proposal("os-1", "Discharge delays", by="Asha Patel", by_id="p01", participants=["p01", "p02", "p06"],
                     report="We mapped the delays.\n- item that is not a list\n# not a heading\n\nSecond paragraph | with a pipe"),
            Proposal("os-2", "Carers' voice", by='O\'Brien, "Mo"', by_id="p02", merged_titles=["Unpaid carers"],
                     participants=["p02", "p03", "p07", "p02"], report="<script>alert(1)</script>"),
            Proposal("os-3", "Unpaid carers", by="1. list", by_id="p05", merged_into="os-2"),
            Proposal("os-4", "[x](javascript:alert(1))", by="<!channel>", by_id="p03",
                     description="see https://evil.example/x and www.evil.example", participants=["p04", "p08", "gone"],
                     report="1. list\n2. more"),
            Proposal("os-5", "Transport | buses", by="Zoë Ångström", by_id="p04"),
        ],
        wall={"0:0": "os-1", "0:1": "os-2", "1:0": "os-4"},
    )  # fmt: skip
    open_space = Segment(
        id="s-space",
        format_id="open-space",
        name="Open space",
        kind=OPEN_SPACE,
        planned=60 * 60,
        state=SegmentState.DONE,
        elapsed=65 * 60,
        started_at=at("10:25"),
        open_space=space,
    )
    board = LeanCoffee(
        topics=[
            Proposal("lc-1", "Parking | costs", by="Asha Patel", votes=5, state="done", discussed=720, timebox=240,
                     extensions=1, thumbs=[Vote(5, 2, 0, "continue", at("11:38")), Vote(1, 2, 4, "move on", at("11:42"))]),
            Proposal("lc-2", "# heading", by="*stars* _under_ `tick`", votes=3, state="done", discussed=480,
                     thumbs=[Vote(0, 1, 6, "move on", at("11:50"))]),
            Proposal("lc-3", "1. list", by="<!channel>", votes=1, state="carried"),
            Proposal("lc-4", "Volunteer <b>drivers</b>", by="Zoë Ångström", votes=5, state="waiting"),
        ],
    )  # fmt: skip
    lean_coffee = Segment(
        id="s-lean",
        format_id="lean-coffee",
        name="Lean Coffee",
        kind=LEAN_COFFEE,
        planned=25 * 60,
        state=SegmentState.DONE,
        elapsed=24 * 60,
        started_at=at("11:30"),
        lean_coffee=board,
    )
    conversation = Segment(
        id="s-talk",
        format_id="open-conversation",
        name="Open conversation | *next steps*",
        kind=TIMER,
        planned=10 * 60,
        state=SegmentState.DONE,
        elapsed=6 * 60 + 30,
        started_at=at("11:54"),
    )
    brk = Segment(id="s-break", format_id="break", name="Break", kind=TIMER, planned=10 * 60, state="skipped")
    check_out = Segment(
        id="s-checkout", format_id="check-out", name="Check-out", kind=ROUND, planned=10 * 60, state=SegmentState.PENDING
    )
    items = [
        _item("i-01", NOTE, "Good to see new faces", "s-checkin", speaker_id="p01"),
        _item("i-02", NOTE, "Parking is a barrier\n---\nreally", "s-checkin", speaker_id="p02"),
        _item("i-03", NOTE, "Delays are worst on Fridays", "s-space", context={"session": "os-1"}),
        _item("i-04", DECISION, "Share the map with the | board", "s-space", context={"session": "os-1"}),
        _item(
            "i-05",
            ACTION,
            "Send the map to [x](javascript:alert(1))",
            "s-space",
            context={"session": "os-1"},
            owner="Asha Patel",
            owner_id="p01",
            due="2026-12-04",
            due_text="next fri",
            # Given to someone else at the next meeting, with a new date.
            log=[FollowUp(at="2026-12-13T10:20:00+00:00", outcome="reowned", meeting="m-dec",
                          owner="Zoë Ångström", owner_id="p04", due="2026-12-18")],
        ),
        _item("i-06", NOTE, "Carers need respite | now", "s-space", context={"session": "os-3"}),
        _item(
            "i-07",
            ACTION,
            "Ask <!channel> about @here",
            "s-space",
            context={"session": "os-4"},
            owner="<!channel>",
            owner_id="p03",
            due="2026-11-27",
            due_text="fri",
            log=[FollowUp(at="2026-12-10T16:00:00+00:00", outcome="done")],
        ),
        _item("i-08", NOTE, "Charges went up in April", "s-lean", context={"topic": "lc-1"}),
        _item(
            "i-09",
            ACTION,
            "Ask the trust for parking data",
            "s-lean",
            context={"topic": "lc-1"},
            owner="Zoë Ångström",
            owner_id="p04",
            due="2026-12-10",
            due_text="in 2 weeks",
        ),
        _item("i-10", DECISION, "We meet monthly from January", "s-talk"),
        _item("i-11", ACTION, "Book the room", "s-talk", owner="", due=None, status="done", closed_at=at("12:00")),
        _item("i-12", ACTION, "*stars* _under_ `tick`", "s-talk", owner="1. list", due="2027-01-08", due_text="8 jan",
              log=[FollowUp(at="2027-01-14T09:00:00+00:00", outcome="redated", due="2027-01-22", due_text="22 jan",
                            note="waiting on <b>finance</b> | *now*"),
                   FollowUp(at="2027-01-20T09:00:00+00:00", outcome="reowned", owner="[x](javascript:alert(1))")]),
    ]
    for index, text in enumerate(MARKUP + CONTROL + INJECTION):
        items.append(_item(f"h-{index:02d}", NOTE, text, "s-talk"))
    items.append(_item("i-13", NOTE, "Captured before the first segment", None))
    return Meeting(
        id="a1b2c3d4e5f60718",
        title="November open meeting | <script>alert(1)</script>",
        series="East ICB open meeting",
        facilitator="Sam [b]Facilitator[/]",
        planned_start=at("10:00"),
        started_at=at("10:00"),
        finished_at=at("12:05"),
        status="finished",
        segments=[check_in, matters, open_space, lean_coffee, conversation, brk, check_out],
        current=6,
        attendees=_attendees(),
        items=items,
    )


def plain_meeting(meeting_id: str, title: str, series: str, day: str, people: list[tuple[str, str, str]],
                  actions: list[tuple[str, str, str, str]] = ()) -> Meeting:  # fmt: skip
    """A small finished meeting: people as (id, name, organisation), actions as (id, owner, text, status)."""
    segment = Segment(
        id=f"{meeting_id}-s1",
        format_id="open-conversation",
        name="Open conversation",
        planned=30 * 60,
        state=SegmentState.DONE,
        elapsed=32 * 60,
        started_at=at("10:00", day),
    )
    return Meeting(
        id=meeting_id,
        title=title,
        series=series,
        facilitator="Sam",
        planned_start=at("10:00", day),
        started_at=at("10:00", day),
        finished_at=at("10:32", day),
        status="finished",
        segments=[segment],
        attendees=[
            Attendee(person_id=pid, name=name, organisation=org, arrived_at=at("10:00", day))
            for pid, name, org in people
        ],
        items=[
            Item(
                id=item_id, kind=ACTION, text=text, segment_id=segment.id, owner=owner, due="2026-12-18", status=status
            )
            for item_id, owner, text, status in actions
        ],
    )


def archive_meetings() -> list[Meeting]:
    """Five meetings in two series (and one without), two of them on the same day in the same series."""
    asha, ben, cai = (
        ("p01", "Asha Patel", "Age UK"),
        ("p10", "Ben Ode", "Addenbrooke's"),
        ("p11", "Cai Jones", "Council"),
    )
    return [
        # Agreed open; the November meeting's matters arising drop a-4 and mark a-1 done (follow-ups).
        plain_meeting("m-sep", "September open meeting", "East ICB open meeting", "2026-09-24", [asha, ben],
                      [("a-3", "Ben Ode", "Book the room", "open"), ("a-4", "Asha Patel", "# heading", "open")]),
        plain_meeting("m-oct", "October open meeting", "East ICB open meeting", "2026-10-29", [asha, ben, cai],
                      [("a-1", "Asha Patel", "Write to the trust | board", "open"),
                       ("a-2", "<!channel>", "<script>alert(1)</script>", "open")]),
        rich_meeting(),
        plain_meeting("m-extra", "Extra session", "East ICB open meeting", DAY, [cai], [("a-9", "Cai Jones", "Tidy up", "open")]),
        plain_meeting("m-carers", "Carers' forum", "Carers | forum", "2026-11-12", [ben, cai]),
        plain_meeting("m-none", "A one-off", "", "2026-08-01", [cai]),
    ]  # fmt: skip


def small_archive(path: Path, meetings: list[Meeting] | None = None) -> Archive:
    """An archive file at `path` holding `meetings` (by default `archive_meetings()`), opened."""
    archive = Archive(path).open()
    for meeting in meetings if meetings is not None else archive_meetings():
        archive.save_meeting(copy.deepcopy(meeting))
    return archive


# -- golden files -------------------------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/`name`; `UPDATE_GOLDEN=1` rewrites the file instead."""
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            raise AssertionError(f"{path} did not exist; written now, check it and run again")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file (UPDATE_GOLDEN=1 to accept)"


# -- reading markdown back ----------------------------------------------------------------


def parse_markdown(text: str):
    """Tokens as GitHub would see the structure: CommonMark plus GFM tables."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def all_tokens(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from all_tokens(token.children)


def plain(inline_token) -> str:
    """The text an inline token shows, escapes and entities resolved."""
    parts = []
    for child in inline_token.children or ():
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def headings(tokens) -> list[tuple[int, str]]:
    result = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            result.append((int(token.tag[1]), plain(tokens[index + 1])))
    return result


def tables(tokens) -> list[list[list[str]]]:
    """Every table as rows of cell texts, header row first."""
    result: list[list[list[str]]] = []
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            result.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            assert row is not None
            row.append(plain(tokens[index + 1]))
        elif token.type == "tr_close":
            result[-1].append(row)
            row = None
    return result


def structure(tokens) -> list[tuple[str, ...]]:
    """The shape of a page: its blocks and tables' sizes, without any text."""
    shape: list[tuple[str, ...]] = []
    for token in tokens:
        if token.type == "heading_open":
            shape.append(("heading", token.tag))
        elif token.type == "table_open":
            shape.append(("table",))
        elif token.type == "tr_open":
            shape.append(("row",))
        elif token.type in ("th_open", "td_open"):
            shape.append(("cell",))
        elif token.type in (
            "bullet_list_open",
            "ordered_list_open",
            "list_item_open",
            "paragraph_open",
            "blockquote_open",
            "fence",
            "code_block",
            "hr",
            "html_block",
        ):
            shape.append((token.type,))
    return shape  # fmt: skip


def assert_safe(tokens, allowed_links: set[str] = frozenset()) -> None:
    """No HTML, no images, no code, and no link except to `allowed_links`."""
    for token in all_tokens(tokens):
        assert token.type not in ("html_inline", "html_block"), token
        assert token.type not in ("image", "code_inline", "code_block", "fence", "s_open"), token
        if token.type == "link_open":
            assert token.attrGet("href") in allowed_links, token.attrGet("href")
