"""The room follows the meeting through its journal, from another process, without writing."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from facilitate.clock import FakeClock
from facilitate.live import LiveFile
from facilitate.room.follower import JournalFollower, follow
from facilitate.room.state import room_state
from facilitate.session import MeetingSession, replay_meeting
from facilitate.storage.lock import ArchiveLock
from tests.room_meetings import drive, start_meeting


def journal_state(live: Path, wall: float):
    """What a fresh reader of the whole file would show: the room must agree with it."""
    meeting, last_wall, _, _ = replay_meeting(LiveFile.read(live))
    pending = max(wall - last_wall, 0.0) if meeting.running else 0.0
    return room_state(meeting, pending, as_of=wall).to_dict()


@pytest.fixture
def live(tmp_path) -> Path:
    return tmp_path / "archive.live.jsonl"


def test_waiting_before_a_meeting_then_following_it_event_by_event(live):
    clock = FakeClock()
    follower = JournalFollower(live)
    assert not follower.poll()
    assert follower.state(clock.wall()).status == "waiting"
    session = start_meeting(clock, live)
    assert follower.poll()
    assert follower.state(clock.wall()).to_dict() == journal_state(live, clock.wall())
    for moment in ("round", "phases", "marketplace", "lean-discuss", "record"):
        drive(session, moment)
        clock.advance(7)
        before = follower._offset
        assert follower.poll()
        assert follower._offset > before, "read from where it left off"
        assert follower.state(clock.wall()).to_dict() == journal_state(live, clock.wall())
    assert not follower.poll(), "nothing new, nothing read"


def test_time_runs_on_from_the_last_event_while_the_meeting_runs(live):
    clock = FakeClock()
    session = start_meeting(clock, live)
    follower = JournalFollower(live)
    follower.poll()
    first = follower.state(clock.wall()).clock["remaining"]
    clock.advance(42)
    assert follower.state(clock.wall()).clock["remaining"] == pytest.approx(first - 42)
    session.pause()
    follower.poll()
    clock.advance(100)
    assert follower.state(clock.wall()).clock["remaining"] == pytest.approx(first - 42)


def test_a_torn_last_line_waits_for_its_end(live):
    clock = FakeClock()
    session = start_meeting(clock, live)
    follower = JournalFollower(live)
    follower.poll()
    session.capture("=We agree")
    line = live.read_bytes().splitlines(keepends=True)[-1]
    session.live.close()
    data = live.read_bytes()
    live.write_bytes(data[: -len(line)] + line[:20])
    follower.poll()
    assert follower.meeting.decisions == []
    with open(live, "ab") as file:
        file.write(line[20:])
    assert follower.poll()
    assert [d.text for d in follower.meeting.decisions] == ["We agree"]


def test_a_fresh_snapshot_a_removed_file_and_a_new_meeting(live):
    clock = FakeClock()
    session = start_meeting(clock, live)
    drive(session, "round")
    follower = JournalFollower(live)
    follower.poll()
    # The app is killed and started again: it replays the file and writes a fresh snapshot.
    session.live.close()
    clock.advance(30)
    resumed, _ = MeetingSession.recover(live, clock)
    assert follower.poll()
    assert follower.state(clock.wall()).to_dict() == journal_state(live, clock.wall())
    resumed.round.next()
    assert follower.poll()
    assert follower.state(clock.wall()).to_dict() == journal_state(live, clock.wall())
    # Finished into the archive: the file goes, the room waits for the next meeting.
    resumed.finish()
    resumed.live.remove()
    assert follower.poll()
    state = follower.state(clock.wall())
    assert state.status == "waiting" and state.ended == "East ICB open meeting"
    start_meeting(clock, live, title="December open meeting")
    assert follower.poll()
    assert follower.state(clock.wall()).title == "December open meeting"


def test_a_file_that_is_not_a_journal_is_named_and_not_followed(live):
    live.write_text("not a journal\n")
    follower = JournalFollower(live)
    assert follower.poll()
    assert "not a facilitate live file" in follower.problem
    assert follower.state(0).status == "waiting"


def test_it_never_writes_the_journal_the_archive_or_the_lock(tmp_path, live):
    clock = FakeClock()
    db = tmp_path / "archive.json"
    db.write_text("")
    lock = ArchiveLock.for_archive(db)
    lock.acquire()  # the facilitator's app holds it; the room reads all the same
    try:
        session = start_meeting(clock, live)
        drive(session, "marketplace")
        session.live.close()
        before = {path.name: os.stat(path) for path in tmp_path.iterdir()}
        follower = JournalFollower(live)
        for _ in range(3):
            follower.poll()
            follower.state(clock.wall())
        after = {path.name: os.stat(path) for path in tmp_path.iterdir()}
        assert after.keys() == before.keys(), "no file made or removed"
        for name, stat in before.items():
            assert (after[name].st_mtime_ns, after[name].st_size, after[name].st_mode) == (
                stat.st_mtime_ns,
                stat.st_size,
                stat.st_mode,
            ), name
        assert follower.meeting is not None
    finally:
        lock.release()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads whatever the modes say")
def test_it_follows_a_journal_in_a_read_only_folder(tmp_path, live):
    clock = FakeClock()
    start_meeting(clock, live).live.close()
    tmp_path.chmod(0o500)
    try:
        follower = JournalFollower(live)
        assert follower.poll() and follower.meeting is not None
    finally:
        tmp_path.chmod(0o700)


async def test_follow_hears_of_a_capture_at_once(live):
    clock = FakeClock()
    session = start_meeting(clock, live)
    follower = JournalFollower(live)
    changes = asyncio.Queue()
    task = asyncio.create_task(follow(follower, lambda: changes.put_nowait(follower.version), interval=0.01))
    try:
        await asyncio.wait_for(changes.get(), 5)
        session.capture("=Decided")
        await asyncio.wait_for(changes.get(), 5)
        assert [d.text for d in follower.meeting.decisions] == ["Decided"]
    finally:
        task.cancel()
