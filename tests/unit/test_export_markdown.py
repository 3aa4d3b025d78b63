"""The markdown page for one meeting: its shape, its golden file, and hostile text in every field."""

from __future__ import annotations

import copy
import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.export import escape
from facilitate.export.markdown import render, uk_date
from facilitate.models import NOTE, Item, Meeting
from tests.fixtures import (
    PEOPLE,
    assert_safe,
    check_golden,
    headings,
    parse_markdown,
    plain_meeting,
    rich_meeting,
    structure,
    tables,
)
from tests.unit.test_export_escape import hostile_text, normal

EXPECTED_HEADINGS = [
    (1, "November open meeting | <script>alert(1)</script> · East ICB open meeting · Thu 26 Nov 2026"),
    (2, "Attendees"),
    (2, "Agenda"),
    (2, "Check-in"),
    (2, "Matters arising"),
    (2, "Open space"),
    (3, "Discharge delays"),
    (3, "Carers' voice"),
    (3, "[x](javascript:alert(1))"),
    (2, "Lean Coffee"),
    (3, "Parking | costs"),
    (2, "Open conversation | *next steps*"),
    (2, "Other notes"),
    (2, "Decisions"),
    (2, "Actions"),
]


def test_golden_page():
    check_golden("rich_meeting.md", render(rich_meeting()))
    check_golden("rich_meeting.tasks.md", render(rich_meeting(), tasks=True))


def test_the_same_meeting_gives_the_same_bytes():
    assert render(rich_meeting()) == render(rich_meeting())
    assert render(copy.deepcopy(rich_meeting()), tasks=True) == render(rich_meeting(), tasks=True)


def test_headings_are_only_the_ones_the_exporter_made():
    tokens = parse_markdown(render(rich_meeting(), tasks=True))
    assert headings(tokens) == EXPECTED_HEADINGS


def test_no_html_no_links_no_code_from_user_text():
    assert_safe(parse_markdown(render(rich_meeting(), tasks=True)))


def test_tables_have_their_columns_and_rows():
    found = tables(parse_markdown(render(rich_meeting())))
    attendees, agenda, matters, lean, actions = found
    assert attendees[0] == ["Name", "Organisation", "New"]
    assert attendees[1:] == [[name, org, "new" if new else ""] for _, name, org, new in PEOPLE]
    assert agenda[0] == ["Time", "Segment", "Planned", "Actual"]
    assert [row[1] for row in agenda[1:]] == [
        "Check-in", "Matters arising", "Open space", "Lean Coffee", "Open conversation | *next steps*", "Break",
        "Check-out", "Total",
    ]  # fmt: skip
    assert agenda[6][3] == "skipped" and agenda[7][3] == "not reached"
    assert agenda[1][2:] == ["15 min", "17 min"]
    assert matters[0] == ["Action", "Owner", "Due", "From", "Outcome"]
    assert [row[4] for row in matters[1:]] == [
        "done",
        "carried forward, due Thu 10 Dec 2026: waiting on *finance*",
        "given to Zoë Ångström, due Thu 3 Dec 2026",
        "dropped",
        "not reviewed",
    ]
    assert lean[0] == ["Topic", "Proposed by", "Votes", "Discussed", "Thumbs"]
    # By votes, ties in the order proposed; the extension and both thumbs votes are kept.
    assert [row[0] for row in lean[1:]] == ["Parking | costs", "Volunteer <b>drivers</b>", "# heading", "1. list"]
    assert lean[1][2:] == [
        "5",
        "12:00 (1 extension)",
        "5 up, 2 sideways, 0 down: continue; 1 up, 2 sideways, 4 down: move on",
    ]
    assert lean[4][3] == "carried forward"
    assert actions[0] == ["Owner", "Action", "Due", "From"]
    # As agreed at the meeting, soonest due first; what happened since beneath each, dated.
    assert actions[1:] == [
        ["<!channel>", "Ask <!channel> about @here", "Fri 27 Nov 2026", "Open space: [x](javascript:alert(1))"],
        ["", "↳ 10 Dec: done", "", ""],
        ["Asha Patel", "Send the map to [x](javascript:alert(1))", "Fri 4 Dec 2026", "Open space: Discharge delays"],
        ["", "↳ 13 Dec: given to Zoë Ångström, due Fri 18 Dec 2026", "", ""],
        ["Zoë Ångström", "Ask the trust for parking data", "Thu 10 Dec 2026", "Lean Coffee: Parking | costs"],
        ["1. list", "*stars* _under_ `tick`", "Fri 8 Jan 2027", "Open conversation | *next steps*"],
        ["", "↳ 14 Jan 2027: new due date Fri 22 Jan 2027 (waiting on <b>finance</b> | *now*)", "", ""],
        ["", "↳ 20 Jan 2027: given to [x](javascript:alert(1))", "", ""],
        ["–", "Book the room (done)", "–", "Open conversation | *next steps*"],
    ]
    for table in found:
        assert len({len(row) for row in table}) == 1, table


def test_open_space_proceedings():
    text = render(rich_meeting())
    tokens = parse_markdown(text)
    inline_texts = [t.content for t in tokens if t.type == "inline"]
    section = text.split("### Discharge delays")[1].split("###")[0]
    assert "**Where and when:** 10:30, Room 1" in section
    assert "**Convener:** Asha Patel" in section
    assert '**Took part (3):** Asha Patel; O\'Brien, "Mo"; 👩🏽‍⚕️ Nurse' in section
    assert "Delays are worst on Fridays" in section and "**Decision:** Share the map" in section
    # The merged proposal's note lands in the session it joined; the merged title is named.
    carers = text.split("### Carers' voice")[1].split("###")[0]
    assert "**Merged with:** Unpaid carers" in carers and "Carers need respite" in carers
    assert "Unpaid carers" not in text.split("### Carers' voice")[0].split("## Open space")[1]
    # Someone the meeting did not record still counts.
    assert "**Took part (3):** Zoë Ångström; \\*stars\\* \\_under\\_ \\`tick\\`; 1 other" in text
    assert any("Transport | buses" in t or "Transport \\| buses" in t for t in inline_texts)


def test_round_shows_who_spoke_passed_and_was_not_heard():
    text = render(rich_meeting())
    assert '**Spoke:** Asha Patel (0:50); O\'Brien, "Mo" (1:02); Zoë Ångström (0:45)' in text
    assert "**Passed:** &lt;!channel&gt;" in text
    assert "**Not heard:** \\*stars\\*" in text


def test_task_list():
    text = render(rich_meeting(), tasks=True)
    tasks = [line for line in text.splitlines() if line.startswith("- [")]
    # Where the actions stand now, follow-ups applied.
    assert "Where they stand now:" in text
    assert tasks == [
        "- [x] &lt;!channel&gt;: Ask &lt;!channel&gt; about \\@here (done) (due Fri 27 Nov 2026)",
        "- [ ] Zoë Ångström: Send the map to \\[x\\](javascript\\:alert(1)) (due Fri 18 Dec 2026)",
        "- [ ] Zoë Ångström: Ask the trust for parking data (due Thu 10 Dec 2026)",
        "- [ ] \\[x\\](javascript\\:alert(1)): \\*stars\\* \\_under\\_ \\`tick\\` (due Fri 22 Jan 2027)",
        "- [x] No owner: Book the room (done)",
    ]
    assert "- [" not in render(rich_meeting())


def test_an_empty_meeting_still_makes_a_page():
    meeting = Meeting(id="x", title="")
    tokens = parse_markdown(render(meeting))
    assert headings(tokens) == [
        (1, "Untitled meeting"),
        (2, "Attendees"),
        (2, "Agenda"),
        (2, "Decisions"),
        (2, "Actions"),
    ]
    assert "Nobody was recorded." in render(meeting)


def test_dates_in_uk_form():
    assert uk_date("2026-11-26T10:00:00+00:00") == "Thu 26 Nov 2026"
    assert uk_date("2027-01-08") == "Fri 8 Jan 2027"
    assert uk_date("not a date") == "" and uk_date(None) == ""
    meeting = plain_meeting("m", "T", "S", "2026-11-26", [])
    meeting.started_at = "2026-11-26T23:30:00-05:00"  # the record's own zone, not this machine's
    assert "**Time:** 23:30 to" in render(meeting)


# -- fuzzing -----------------------------------------------------------------------------------

USER_TEXT = {
    "title", "series", "facilitator", "name", "organisation", "text", "owner", "by", "report", "description",
    "prompt", "theme", "note", "meeting_title", "new_owner", "due_text",
}  # fmt: skip
USER_LISTS = {"merged_titles", "spaces", "slot_times"}


def replace_text(obj, replace):
    """Every piece of user text in `obj` (a model tree) passed through `replace`, in place."""
    if isinstance(obj, list):
        for item in obj:
            replace_text(item, replace)
        return
    if not dataclasses.is_dataclass(obj):
        return
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        if field.name in USER_TEXT and isinstance(value, str):
            setattr(obj, field.name, replace(value))
        elif field.name in USER_LISTS and isinstance(value, list):
            setattr(obj, field.name, [replace(v) for v in value])
        else:
            replace_text(value, replace)


def neutral(text: str) -> str:
    """The same lines, blank where the text is blank, as plain letters."""
    return "\n".join("x" if line.split() else "" for line in escape._lines(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_text_anywhere_keeps_the_page_structure(data):
    fuzzed = rich_meeting()
    replace_text(fuzzed, lambda _: data.draw(hostile_text))
    plain_twin = copy.deepcopy(fuzzed)
    replace_text(plain_twin, neutral)
    text = render(fuzzed, tasks=True)
    tokens = parse_markdown(text)
    assert_safe(tokens)
    assert structure(tokens) == structure(parse_markdown(render(plain_twin, tasks=True)))
    title = headings(tokens)[0][1]
    assert title.startswith(normal(fuzzed.title) or "Untitled meeting")
    names = [row[0] for row in tables(tokens)[0][1:]]
    assert names == [normal(a.name) or "(no name)" for a in fuzzed.attendees]


def test_a_session_held_off_the_wall_keeps_its_notes():
    meeting = rich_meeting()
    meeting.items.append(
        Item(id="x", kind=NOTE, text="Buses stop at 6pm", segment_id="s-space", context={"session": "os-5"})
    )
    text = render(meeting)
    assert (3, "Transport | buses") in headings(parse_markdown(text))
    section = text.split("### Transport \\| buses")[1].split("##")[0]
    assert "**Where and when:** not on the wall" in section and "Buses stop at 6pm" in section
    assert "Proposed but not on the wall" not in text


def test_open_space_closing_circle_follows_the_proceedings(clock):
    from tests.unit.helpers import start

    session = start(clock, None, "open-space", people=("Asha Patel, Age UK", "Ben Ode, NHS"))
    proposal = session.open_space.propose("Discharge delays", "Asha")
    session.open_space.place(proposal.id, 0, 0)
    while session.segment.current_phase is not None and session.segment.current_phase.name != "Closing circle":
        assert session.phases.next()
    session.round.next()
    clock.advance(40)
    session.round.next()
    clock.advance(20)
    session.round.next()
    session.finish()
    page = render(session.meeting)
    section = page[page.index("## Open space") :]
    assert "**Prompt:**" not in section  # the theme is the prompt: said once, as the theme
    assert section.index("### Discharge delays") < section.index("**Closing circle**") < section.index("**Spoke:**")
    assert "Asha Patel (0:40)" in section


def test_the_title_says_the_series_and_the_date_once():
    meeting = plain_meeting("m", "East ICB open meeting, 26 Nov 2026", "East ICB open meeting", "2026-11-26", [])
    assert render(meeting).splitlines()[0] == "# East ICB open meeting, 26 Nov 2026"
    meeting.title = "November open meeting"
    assert render(meeting).splitlines()[0] == "# November open meeting · East ICB open meeting · Thu 26 Nov 2026"
    meeting.title = "East ICB open meeting: winter"
    assert render(meeting).splitlines()[0] == "# East ICB open meeting: winter · Thu 26 Nov 2026"


def test_a_short_segment_did_not_take_no_time():
    meeting = plain_meeting("m", "T", "S", "2026-11-26", [])
    meeting.segments[0].elapsed = 20
    [agenda] = tables(parse_markdown(render(meeting)))  # nobody recorded: no attendees table
    assert agenda[1][3] == "under 1 min"


def test_an_action_whose_date_was_not_understood_says_so_with_the_words_typed():
    meeting = plain_meeting("m1", "Open meeting", "East ICB", "2026-11-26", [("p1", "Mark Lee", "GP")],
                            [("a1", "Mark Lee", "chase the estates team", "open")])  # fmt: skip
    meeting.items[0].due, meeting.items[0].due_text = None, "someday [x](y)"
    page = render(meeting)
    row = next(line for line in page.splitlines() if "chase the estates team" in line)
    assert "(date not understood)" in row and "someday" in row
    assert "[x](y)" not in row  # still escaped like any other text
    meeting.items[0].due, meeting.items[0].due_text = "2026-12-04", "4 Dec"
    assert "not understood" not in render(meeting)
