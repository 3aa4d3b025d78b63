"""The join link beside the journal: written private and whole, read only for the meeting it
names, gone when the room closes, and shown by `facilitate room` (never in the journal)."""

from __future__ import annotations

import json
import os
import sys

import pytest

from facilitate.clock import FakeClock
from facilitate.phones.join import MAX_BYTES, STALE_SECONDS, clear_join, qr_rows, read_join, touch_join, write_join
from facilitate.recovery import leftovers, remove_leftovers
from facilitate.room.follower import JournalFollower
from facilitate.storage.paths import join_path_for_live, live_path_for
from tests.room_meetings import start_meeting

LINK = "http://192.168.1.23:8770/?t=abcdefghijklmnopqrstuv"


def test_written_private_read_for_its_meeting_and_cleared(tmp_path):
    path = join_path_for_live(live_path_for(tmp_path / "archive.json"))
    assert path.name == "archive.join.json"
    write_join(path, "m1", LINK)
    if sys.platform != "win32":
        assert os.stat(path).st_mode & 0o777 == 0o600
    assert read_join(path, "m1") == LINK
    assert read_join(path, "m2") == "" and read_join(path, None) == "", "another meeting's code is never shown"
    write_join(path, "m1", LINK.replace("abc", "xyz"))
    assert read_join(path, "m1") == LINK.replace("abc", "xyz")
    assert not list(tmp_path.glob(".*.tmp"))
    clear_join(path)
    assert not path.exists() and read_join(path, "m1") == ""
    clear_join(path)  # twice: nothing to do, nothing raised


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        json.dumps({"meeting": "m1", "url": "javascript:alert(1)"}).encode(),
        json.dumps({"meeting": "m1", "url": "http://x/\x1b[2J"}).encode(),
        json.dumps({"meeting": "m1", "url": "http://x/ y"}).encode(),
        json.dumps({"meeting": "m1", "url": 7}).encode(),
        json.dumps({"meeting": "m1", "url": "http://x/" + "a" * 400}).encode(),
        b" " * (MAX_BYTES + 1),
    ],
)
def test_anything_else_in_the_file_shows_no_link(tmp_path, content):
    path = tmp_path / "archive.join.json"
    path.write_bytes(content)
    assert read_join(path, "m1") == ""


def test_the_follower_shows_the_link_only_for_its_meeting_and_never_journals_it(tmp_path):
    live = tmp_path / "archive.live.jsonl"
    session = start_meeting(FakeClock(), live)
    follower = JournalFollower(live)
    follower.poll()
    assert follower.state(0).join == "" and follower.state(0).join_qr == []
    join = join_path_for_live(live)
    write_join(join, "another-meeting", LINK)
    assert not follower.poll() and follower.state(0).join == ""
    write_join(join, session.meeting.id, LINK)
    assert follower.poll() and follower.state(0).join == LINK
    assert follower.state(0).join_qr == list(qr_rows(LINK))
    assert not follower.poll(), "nothing changed: nothing read"
    assert "abcdefghijklmnopqrstuv" not in live.read_text(), "the code never goes into the journal"
    clear_join(join)
    assert follower.poll() and follower.state(0).join == ""
    write_join(join, session.meeting.id, LINK)
    follower.poll()
    session.finish()
    follower.poll()
    assert follower.state(0).join == "", "a finished meeting shows no code"


def test_a_link_nobody_touches_any_more_is_not_shown(tmp_path):
    """The app touches the file while the room is open; a killed app's link dies within a minute."""
    live = tmp_path / "archive.live.jsonl"
    session = start_meeting(FakeClock(), live)
    join = join_path_for_live(live)
    write_join(join, session.meeting.id, LINK)
    written = os.stat(join).st_mtime
    now = [written + 5]
    follower = JournalFollower(live, wall=lambda: now[0])
    follower.poll()
    assert follower.join == LINK
    assert read_join(join, session.meeting.id, now=written + STALE_SECONDS + 1) == ""
    now[0] = written + STALE_SECONDS + 1  # the app was killed: nobody touched it since
    assert follower.poll() and follower.join == "", "the dead link leaves the room's screen"
    assert not follower.poll()
    touch_join(join)  # an app touching it (the clock here is the file system's)
    now[0] = os.stat(join).st_mtime + 1
    assert follower.poll() and follower.join == LINK
    touch_join(tmp_path / "missing.join.json")  # never raises


def test_the_qr_code_holds_a_lan_link_in_33_modules():
    rows = qr_rows(LINK)
    assert len(rows) == 33 and {len(row) for row in rows} == {33}
    assert rows[0] == "0" * 33 and rows[2].startswith("00" + "1" * 7), "a quiet zone, then a finder pattern"


def test_a_link_left_by_a_killed_app_is_removed_when_the_app_starts(tmp_path):
    db = tmp_path / "archive.json"
    join = join_path_for_live(live_path_for(db))
    write_join(join, "m1", LINK)
    assert join in leftovers(db)
    remove_leftovers(db)
    assert not join.exists()
