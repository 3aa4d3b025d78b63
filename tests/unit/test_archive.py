"""The archive: atomic whole-file writes, one read, plans per series, people across meetings."""

import json
import os

import pytest

from facilitate.archive import Archive, ArchiveError
from facilitate.planning import plan_from_agenda
from facilitate.storage.errors import StorageError
from facilitate.storage.lock import ArchiveLock, LockedError
from tests.unit.helpers import make_meeting, start


def finished(clock, tmp_path, *people):
    session = start(clock, tmp_path, "check-in", "open-conversation", people=people)
    session.capture("!Asha: call the team by fri")
    clock.advance(600)
    session.finish()
    return session.meeting


def test_a_finished_meeting_round_trips(clock, tmp_path, db_path):
    meeting = finished(clock, tmp_path, "Asha Patel, Age UK", "Ben Ode")
    archive = Archive(db_path).open()
    archive.save_meeting(meeting)
    again = Archive(db_path).open()
    assert again.meeting(meeting.id).to_dict() == meeting.to_dict()
    [summary] = again.listings()
    assert (summary.people, summary.new_people, summary.actions_open, summary.actions_total) == (2, 2, 1, 1)
    assert summary.duration == pytest.approx(600)


def test_new_people_join_the_directory_and_return_next_time(clock, tmp_path, db_path):
    archive = Archive(db_path).open()
    archive.save_meeting(finished(clock, tmp_path, "Asha Patel, Age UK"))
    directory = archive.directory()
    session = start(clock, tmp_path, "check-in", directory=directory)
    attendee = session.capture("+Asha Patel").attendee
    assert not attendee.new and attendee.organisation == "Age UK"
    assert directory.people[0].meetings == 1


def test_saving_the_same_meeting_twice_replaces_it(clock, tmp_path, db_path):
    meeting = finished(clock, tmp_path, "Asha")
    archive = Archive(db_path).open()
    archive.save_meeting(meeting)
    meeting.title = "Renamed"
    archive.save_meeting(meeting)
    assert [s.title for s in Archive(db_path).open().listings()] == ["Renamed"]


def test_series_plans(db_path, library):
    archive = Archive(db_path).open()
    agenda = make_meeting("check-in", ("open-conversation", 45)).segments
    archive.save_plan(plan_from_agenda("East ICB", agenda, "Sam"))
    plan = Archive(db_path).open().plan("east icb")
    assert [(p.format_id, p.planned) for p in plan.agenda] == [("check-in", 900), ("open-conversation", 2700)]
    assert Archive(db_path).open().series_names() == ["East ICB"]


def test_writes_are_atomic_and_leave_no_temporary_files(clock, tmp_path, db_path):
    archive = Archive(db_path).open()
    for _ in range(3):
        archive.save_meeting(finished(clock, tmp_path, "Asha"))
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []
    json.loads(db_path.read_text())


def test_a_failed_write_leaves_the_old_file_and_keeps_the_change(clock, tmp_path, db_path, monkeypatch):
    archive = Archive(db_path).open()
    first = finished(clock, tmp_path, "Asha")
    archive.save_meeting(first)
    before = db_path.read_bytes()
    second = finished(clock, tmp_path, "Ben")
    real_replace = os.replace

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StorageError):
        archive.save_meeting(second)
    assert db_path.read_bytes() == before
    assert archive.unsaved
    monkeypatch.setattr(os, "replace", real_replace)
    assert archive.retry_save()
    assert len(Archive(db_path).open()) == 2


def test_archive_file_is_private(clock, tmp_path):
    db = tmp_path / "new" / "folder" / "archive.json"
    archive = Archive(db).open()
    archive.save_meeting(finished(clock, tmp_path, "Asha"))
    assert os.stat(db).st_mode & 0o777 == 0o600
    assert os.stat(db.parent).st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"", "empty"),
        (b'{"meetings": {"1": {"id": "x"', "cut short"),
        (b'{"meetings": {}} trailing', "unexpected data"),
        (b"[1, 2]", "not a facilitate archive"),
        (b'{"meta": {"1": {"schema": 99}}}', "newer facilitate"),
        (b"\xff\xfe\x00", "not text"),
    ],
)
def test_hostile_archives_are_named_and_left_untouched(db_path, content, problem):
    db_path.write_bytes(content)
    with pytest.raises(ArchiveError, match=problem):
        Archive(db_path).open()
    assert db_path.read_bytes() == content


def test_a_folder_where_the_archive_should_be(db_path):
    db_path.mkdir()
    with pytest.raises(ArchiveError, match="folder"):
        Archive(db_path).open()


def test_backups_roll(clock, tmp_path, db_path):
    archive = Archive(db_path).open()
    for _ in range(8):
        archive.save_meeting(finished(clock, tmp_path, "Asha"))
        archive.backup()
    assert len(archive.backups()) == 5


def test_one_process_at_a_time(db_path):
    first = ArchiveLock.for_archive(db_path)
    first.acquire()
    with pytest.raises(LockedError, match="Another facilitate"):
        ArchiveLock.for_archive(db_path).acquire()
    first.release()
    second = ArchiveLock.for_archive(db_path)
    second.acquire()
    second.release()
