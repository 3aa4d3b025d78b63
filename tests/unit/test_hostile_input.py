"""Any text, captured anywhere, is kept as text: through the live file, the archive and the exports.

Every string of tests/data.py (markup, escapes, NUL, emoji, right-to-left,
100,000 characters, names with commas and quotes, injections) as a person,
an organisation, an action's owner and text, a decision and a note. The
journal replays it exactly, the archive round-trips it, the markdown page
and the JSON interchange carry it without a control character, and the JSON
reads back to the same meeting.
"""

from __future__ import annotations

import json
import re

import pytest

from facilitate.archive import Archive
from facilitate.export import interchange, markdown
from facilitate.live import LiveFile
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession, replay_meeting
from tests.data import AMBIGUOUS_DATES, HOSTILE, HOSTILE_MORE, HUGE, LONG, NUL, TODAY
from tests.unit.helpers import start

EVERYTHING = HOSTILE + HOSTILE_MORE + [LONG, NUL]
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def capture_all(session: MeetingSession, text: str) -> int:
    """Capture `text` every way; return how many captures were taken."""
    taken = 0
    for line in (f"+{text}", f"+Someone, {text}", f"!{text}: do it by fri", f"!Sam: {text}", f"={text}", f"\\{text}", text):
        try:
            session.capture(line)
            taken += 1
        except EntryError:
            pass  # refused with a message (an empty name, say): nothing recorded
    try:
        session.add_item("note", text)
    except EntryError:
        return taken  # only control characters: nothing left to keep, and it says so
    return taken + 1


@pytest.fixture(scope="module")
def meeting_of_everything(tmp_path_factory):
    # Once for the module: each capture is fsynced, and there are hundreds.
    from datetime import datetime, timezone

    from facilitate.clock import FakeClock

    clock = FakeClock(datetime(2026, 11, 26, 10, tzinfo=timezone.utc))
    session = start(clock, tmp_path_factory.mktemp("everything"), "check-in", "open-conversation")
    taken = sum(capture_all(session, text) for text in EVERYTHING)
    session.capture(HUGE)  # pasted whole into the capture line
    session.round.next()
    session.finish()
    return session, taken


def test_the_journal_replays_every_hostile_capture_exactly(meeting_of_everything):
    session, taken = meeting_of_everything
    assert taken > 3 * len(EVERYTHING)
    replayed = replay_meeting(LiveFile.read(session.live.path))[0]
    assert replayed.to_dict() == session.meeting.to_dict()


def test_no_control_character_is_ever_kept(meeting_of_everything):
    session, _ = meeting_of_everything
    meeting = session.meeting
    texts = [a.name for a in meeting.attendees] + [a.organisation for a in meeting.attendees]
    texts += [i.text for i in meeting.items] + [i.owner for i in meeting.items]
    assert all(not TERMINAL_CONTROL.search(text) for text in texts)
    assert any(HUGE[:1000] in item.text for item in meeting.items), "a 100,000-character note is kept whole"
    assert any(item.text == "beforeafter" for item in meeting.items), "NUL is dropped, the rest kept"


def test_the_archive_round_trips_every_hostile_capture(meeting_of_everything, db_path):
    session, _ = meeting_of_everything
    Archive(db_path).open().save_meeting(session.meeting)
    again = Archive(db_path).validate()
    assert again.meeting(session.meeting.id).to_dict() == session.meeting.to_dict()
    db_path.read_bytes().decode("ascii")  # escaped JSON: any text survives any file system


def test_the_exports_carry_every_hostile_capture_and_json_reads_back(meeting_of_everything, db_path):
    session, _ = meeting_of_everything
    archive = Archive(db_path).open()
    archive.save_meeting(session.meeting)
    page = markdown.render(session.meeting)
    assert not TERMINAL_CONTROL.search(page)
    page.encode("utf-8")
    text = interchange.dumps(interchange.meeting_bundle(session.meeting, archive))
    json.loads(text)
    bundle = interchange.loads(text)
    [meeting] = bundle.meetings
    assert [i.text for i in meeting.items] == [i.text for i in session.meeting.items]
    assert [a.name for a in meeting.attendees] == [a.name for a in session.meeting.attendees]


@pytest.mark.parametrize("phrase,expected", sorted(AMBIGUOUS_DATES.items()))
def test_ambiguous_dates_are_read_day_first(phrase, expected):
    from facilitate.dates import parse_due

    assert parse_due(phrase, TODAY).date == expected


def test_a_paste_of_many_lines_becomes_one_line():
    from facilitate.text import pasted_line

    assert pasted_line("line one\r\n\n  line   two | x\n") == ("line one / line two | x", 2)
    assert pasted_line("\n \n") == ("", 0)
    assert pasted_line("+Asha Patel, Age UK") == ("+Asha Patel, Age UK", 1)
    # A space at either end is kept, once: " world" pasted after "hello" is two words.
    assert pasted_line("  note before ") == (" note before ", 1)
    assert pasted_line("\tx\ny\n") == (" x / y", 2)
