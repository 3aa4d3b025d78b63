"""Backups hold every finished meeting, and a restore recovers what the backup lacks.

Finishing a meeting keeps the archive as it was and then a copy as it is, so
the newest backup holds the newest meeting, and damage done to the archive in
place cannot reach that copy. When the backup chosen does lack something,
`restore_backup` takes it from the damaged file (record by record, as far as
it reads) and from the live file, and says what it took and what it could not.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from facilitate.archive import Archive
from facilitate.live import LiveFile
from facilitate.recovery import check_archive, restore_backup, salvage
from facilitate.session import MeetingSession
from tests.unit.helpers import make_meeting


def start(clock, tmp: Path | None, title: str, people: tuple[str, ...] = ()) -> MeetingSession:
    live = tmp / "archive.live.jsonl" if tmp is not None else None
    session = MeetingSession.begin(make_meeting("open-conversation", title=title), clock, live, None, random.Random(1))
    for person in people:
        session.capture("+" + person)
    return session


def finish(archive: Archive, clock, tmp: Path | None, title: str) -> str:
    """A meeting finished into the archive as the app does it (screens/run.py, finish_into_archive)."""
    session = start(clock, tmp, title, people=("Asha Patel, Age UK",))
    session.capture(f"a note in {title}")
    session.finish()
    archive.backup()
    archive.save_meeting(session.meeting)
    if session.live is not None:
        session.live.remove()
    archive.backup(copy=True)
    clock.advance(7 * 86400)
    return session.meeting.id


def titles(path: Path) -> list[str]:
    archive = check_archive(path)
    return sorted(archive.meeting(s.id).title for s in archive.listings())


def test_the_newest_backup_holds_the_newest_meeting_and_in_place_damage_cannot_reach_it(clock, db_path):
    archive = Archive(db_path).open()
    for number in range(3):
        finish(archive, clock, None, f"Meeting {number}")
    newest = archive.backups()[0]
    assert titles(newest) == ["Meeting 0", "Meeting 1", "Meeting 2"]
    assert not os.path.samefile(newest, db_path), "a copy, not the archive's own file"
    # Damage in place (a failing disk, an editor that writes over the file): the copy is untouched.
    with open(db_path, "r+b") as file:
        file.seek(os.path.getsize(db_path) // 2)
        file.write(b"\x00" * 64)
    restored = restore_backup(db_path)
    assert restored.backup == newest
    assert titles(db_path) == ["Meeting 0", "Meeting 1", "Meeting 2"]
    assert restored.meetings == 3


def test_a_restore_recovers_from_the_damaged_file_what_the_backup_lacks_and_names_what_it_cannot(clock, db_path):
    archive = Archive(db_path).open()
    finish(archive, clock, None, "Kept in the backup")
    backup = archive.backups()[0]
    # Two more meetings reach the archive, but not the backups (as with a backup taken before a save).
    later = []
    for title in ("Only in the archive", "Damaged in the archive"):
        session = start(clock, None, title)
        session.finish()
        archive.save_meeting(session.meeting)
        later.append(session.meeting.id)
    for path in archive.backups():
        if path != backup:
            path.unlink()
    # The last record is cut through: the one before it still reads.
    content = db_path.read_bytes()
    cut = content.index(b"Damaged in the archive")
    db_path.write_bytes(content[:cut])
    found = salvage(db_path.read_bytes())
    assert found.ends_early and [u[2] for u in found.unreadable] == [later[1]]

    restored = restore_backup(db_path)
    said = restored.describe(db_path)
    assert titles(db_path) == ["Kept in the backup", "Only in the archive"]
    assert "The backup lacked 1 meeting that the damaged file had" in said
    assert "Only in the archive (id " + later[0] + ")" in said
    assert f"Could not recover from the damaged file (not in the backup either):\n  meeting 3 (id {later[1]}): not readable" in said
    assert "ends early" in said
    assert restored.kept_aside.read_bytes() == content[:cut], "the damaged file is kept as it was"
    # The recovered archive is itself backed up: the newest backup holds what was recovered.
    assert titles(Archive(db_path).backups()[0]) == ["Kept in the backup", "Only in the archive"]


def test_a_restore_takes_a_finished_meeting_from_the_live_file_and_leaves_a_running_one(clock, db_path, tmp_path):
    archive = Archive(db_path).open()
    finish(archive, clock, None, "Earlier")
    # Finished, saved in its live file, then the process died before the archive took it.
    session = start(clock, tmp_path, "Finished in the live file")
    session.capture("the last note")
    session.finish()
    db_path.write_bytes(b"{\n")  # and the archive was damaged
    restored = restore_backup(db_path)
    said = restored.describe(db_path)
    assert titles(db_path) == ["Earlier", "Finished in the live file"]
    assert "The finished meeting Finished in the live file was in its live file; it is in the archive now." in said
    assert not (tmp_path / "archive.live.jsonl").exists()

    running = start(clock, tmp_path, "Still running")
    running.capture("a note")
    live = (tmp_path / "archive.live.jsonl").read_bytes()
    db_path.write_bytes(b"")
    said = restore_backup(db_path).describe(db_path)
    assert "The meeting in progress, Still running, is safe in its live file" in said
    assert (tmp_path / "archive.live.jsonl").read_bytes() == live, "a meeting in progress is left to resume"
    assert LiveFile.read(tmp_path / "archive.live.jsonl").events
