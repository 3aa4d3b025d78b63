"""The live file: every event durable, replayable, and nothing lost to a torn write or a full disk."""

import errno
import json
import os

import pytest

from facilitate.live import LiveFile, LiveFileError
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession
from facilitate.storage.errors import StorageError
from tests.unit.helpers import start

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, NHS")


def replay(path, clock):
    session, recovery = MeetingSession.recover(path, clock)
    return session, recovery


def test_recover_rebuilds_the_meeting_exactly(clock, tmp_path):
    session = start(clock, tmp_path, "check-in", "open-conversation", people=PEOPLE)
    session.round.next()
    clock.advance(30)
    session.capture("!Asha: call the team by fri")
    session.pause()
    before = session.meeting.to_dict()
    recovered, recovery = replay(session.live.path, clock)
    assert recovered.meeting.to_dict() == before
    assert not recovery.was_running


def test_a_running_clock_counts_on_through_the_gap(clock, tmp_path):
    session = start(clock, tmp_path, ("open-conversation", 10))
    clock.advance(60)
    session.capture("a note")
    clock.advance(240)  # the process is dead for four minutes
    recovered, recovery = replay(session.live.path, clock)
    assert recovery.gap == pytest.approx(240)
    assert recovered.elapsed() == pytest.approx(300)


def test_a_paused_clock_stays_paused(clock, tmp_path):
    session = start(clock, tmp_path, ("open-conversation", 10))
    clock.advance(60)
    session.pause()
    clock.advance(600)
    recovered, _ = replay(session.live.path, clock)
    assert not recovered.meeting.running
    assert recovered.elapsed() == pytest.approx(60)


def test_recovering_twice_does_not_lose_the_gap(clock, tmp_path):
    session = start(clock, tmp_path, ("open-conversation", 30))
    clock.advance(60)
    first, _ = replay(session.live.path, clock)
    clock.advance(100)  # crashes again, with no event since the resume
    second, recovery = replay(session.live.path, clock)
    assert recovery.gap == pytest.approx(100)
    assert second.elapsed() == pytest.approx(160)


def test_the_speaker_keeps_the_floor_across_a_crash(clock, tmp_path):
    session = start(clock, tmp_path, "check-in", people=PEOPLE)
    session.round.next()
    session.round.next()
    clock.advance(20)
    recovered, _ = replay(session.live.path, clock)
    assert recovered.round.speaker().name == "Ben Ode"
    assert recovered.round.speaker_elapsed() == pytest.approx(20)


def test_a_torn_last_line_is_dropped(clock, tmp_path):
    session = start(clock, tmp_path, "open-conversation")
    session.capture("kept")
    path = session.live.path
    with open(path, "ab") as handle:
        handle.write(b'{"seq":99,"op":"add_item","item":{"id":"x","kind":"note","te')
    recovered, recovery = replay(path, clock)
    assert recovery.torn_tail
    assert [i.text for i in recovered.meeting.items] == ["kept"]
    recovered.capture("after")
    again, _ = replay(path, clock)
    assert [i.text for i in again.meeting.items] == ["kept", "after"]


def test_a_complete_last_line_without_newline_is_kept(clock, tmp_path):
    session = start(clock, tmp_path, "open-conversation")
    session.capture("one")
    path = session.live.path
    data = path.read_bytes()
    path.write_bytes(data.rstrip(b"\n"))
    recovered, recovery = replay(path, clock)
    assert not recovery.torn_tail
    assert [i.text for i in recovered.meeting.items] == ["one"]


def test_each_capture_is_on_disk_when_capture_returns(clock, tmp_path):
    session = start(clock, tmp_path, "open-conversation")
    for n in range(20):
        session.capture(f"note {n}")
        on_disk = LiveFile.read(session.live.path)
        assert on_disk.events[-1]["item"]["text"] == f"note {n}"


def test_disk_full_keeps_the_capture_pending_then_writes_it(clock, tmp_path, monkeypatch):
    session = start(clock, tmp_path, "open-conversation")
    session.capture("before")
    real_write = os.write

    def full(fd, data):
        real_write(fd, bytes(data[:7]))  # part of the line reaches the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageError, match="disk is full"):
        session.capture("during")
    assert session.unsaved == 1
    assert [i.text for i in session.meeting.items] == ["before", "during"]
    assert not session.retry_save()
    monkeypatch.setattr(os, "write", real_write)
    assert session.retry_save()
    assert session.unsaved == 0
    recovered, recovery = replay(session.live.path, clock)
    assert [i.text for i in recovered.meeting.items] == ["before", "during"]
    assert not recovery.torn_tail and recovery.unread == []


def test_live_file_is_private(clock, tmp_path):
    session = start(clock, tmp_path, "open-conversation")
    assert os.stat(session.live.path).st_mode & 0o777 == 0o600


def test_not_a_live_file(tmp_path, clock):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"hello": 1}) + "\n")
    with pytest.raises(LiveFileError):
        MeetingSession.recover(path, clock)


def test_hostile_text_survives_the_journal(clock, tmp_path):
    from tests.data import HOSTILE

    session = start(clock, tmp_path, "open-conversation")
    refused = 0
    for text in HOSTILE:
        try:
            session.capture(text)
        except EntryError:  # a line that is not a capture (an empty name, a date it cannot read)
            refused += 1
    assert refused < len(HOSTILE) // 2, "most hostile lines are captures"
    session.capture("\udc80 lone surrogate")
    recovered, _ = replay(session.live.path, clock)
    assert [i.text for i in recovered.meeting.items] == [i.text for i in session.meeting.items]


def test_events_deferred_by_phones_are_flushed_from_a_thread_while_more_are_typed(clock, tmp_path):
    """The phones' server records events pending and flushes them in a worker thread; captures
    typed meanwhile flush at once. Every event reaches the file once, in order."""
    import threading

    session = start(clock, tmp_path, "open-conversation", people=PEOPLE)
    live = session.live
    stop = threading.Event()
    errors = []

    def flusher() -> None:
        while not stop.is_set():
            try:
                live.flush()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    thread = threading.Thread(target=flusher)
    thread.start()
    try:
        for n in range(200):
            if n % 3:
                with session.deferred():
                    session.capture(f"A phone's note {n}")
                assert session.unsaved == 0, "pending for a flush under way is not 'unsaved'"
            else:
                session.capture(f"A typed note {n}")
    finally:
        stop.set()
        thread.join()
    live.flush()
    assert errors == []
    seqs = [record["seq"] for record in LiveFile.read(live.path).events]
    assert seqs == sorted(set(seqs)) and len(seqs) == seqs[-1] - seqs[0] + 1
    recovered, _ = replay(live.path, clock)
    expected = [f"A phone's note {n}" if n % 3 else f"A typed note {n}" for n in range(200)]
    assert [item.text for item in recovered.meeting.notes] == expected
