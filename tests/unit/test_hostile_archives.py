"""Damaged archives: named with their problem, never changed, and restorable from a backup.

Each damage is made from the v1 fixture archive. For every one, opening the
archive (as the app's loader does, `Archive.validate`) raises `ArchiveError`
naming the file and the problem without quoting anyone's text, the file's
bytes stay the same, nothing can be written over it, and `restore_backup`
keeps it aside and puts the newest backup that opens in its place.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from facilitate.archive import Archive, ArchiveError
from facilitate.models import SCHEMA_VERSION
from facilitate.recovery import NothingToRestore, check_archive, leftovers, remove_leftovers, restore_backup
from facilitate.storage.backups import BACKUPS_KEPT
from facilitate.storage.files import atomic_write
from tests.unit.helpers import start

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archives" / "v1.json"
GOOD = FIXTURE.read_bytes()


def edited(change) -> bytes:
    data = json.loads(GOOD)
    change(data)
    return json.dumps(data).encode()


def first_meeting(data) -> dict:
    return data["meetings"]["1"]


def set_field(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


DAMAGE = {
    "empty file": (b"", "empty"),
    "only spaces": (b"  \n\n ", "empty"),
    "cut short": (GOOD[: len(GOOD) // 2], "cut short"),
    "cut after one byte": (GOOD[:1], "cut short"),
    "trailing garbage": (GOOD + b"\x00\x00garbage", "unexpected data after the end"),
    "two archives end to end": (GOOD + GOOD, "unexpected data after the end"),
    "not text": (b"\xff\xfe" + GOOD[:50], "not text"),
    "a list": (b"[1, 2, 3]", "not a facilitate archive"),
    "a string": (b'"archive"', "not a facilitate archive"),
    "a table that is a list": (b'{"meetings": []}', "not a facilitate archive"),
    "nested too deep": (b"[" * 100000 + b"]" * 100000, "nested too deeply|not a facilitate archive"),
    "newer schema": (edited(set_field(["meta", "1", "schema"], 99)), "newer facilitate"),
    "schema as text": (edited(set_field(["meta", "1", "schema"], "1")), "no schema version"),
    "no schema version": (edited(lambda d: d.pop("meta")), "no schema version"),
    "unknown older schema": (edited(set_field(["meta", "1", "schema"], 0)), "no migration from archive version 0"),
    "attendees is text": (edited(lambda d: first_meeting(d).__setitem__("attendees", "Asha, Ben")),
                          r"meeting 1 \(id .*\) is damaged: attendees: expected a list, found text"),
    "elapsed is text": (edited(lambda d: first_meeting(d)["segments"][0].__setitem__("elapsed", "ten minutes")),
                        r"segments\[0\]\.elapsed: expected a number, found text"),
    "elapsed is not finite": (edited(lambda d: first_meeting(d)["segments"][0].__setitem__("elapsed", float("inf"))),
                              "expected a finite number"),
    "an item that is a number": (edited(lambda d: first_meeting(d)["items"].__setitem__(0, 7)),
                                 r"items\[0\]: expected an object, found a number"),
    "a meeting that is a list": (edited(set_field(["meetings", "2"], [1, 2])), "meeting 2 is a list, not an object"),
    "a meeting with no id": (edited(lambda d: first_meeting(d).pop("id")), "meeting 1 has no id"),
    "a meeting key that is not a number": (edited(lambda d: d["meetings"].__setitem__("x", d["meetings"].pop("1"))),
                                          "the key 'x' is not a number"),
    "a person's name is a number": (edited(set_field(["people", "1", "name"], 42)),
                                    r"person 1 \(id .*\) is damaged: name: expected text, found a number"),
    "a person that is text": (edited(set_field(["people", "1"], "Asha")), "people record 1 is text, not an object"),
    "a series name that is a list": (edited(set_field(["series", "1", "name"], ["East"])),
                                     "series record 1: name: expected text, found a list"),
}


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "archive.json"


def backed_up(db: Path, *contents: bytes) -> list[Path]:
    """Backups as finishing meetings leaves them, oldest first, then a save over the last.

    Backups are hard links to the archive as it was; facilitate only ever
    replaces the archive (a new file), so each backup keeps its version.
    """
    paths = []
    for content in contents:
        atomic_write(db, content)
        paths.append(Archive(db).backup())
    atomic_write(db, contents[-1])
    return paths


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damage_is_named_and_the_file_left_untouched(db, name):
    content, problem = DAMAGE[name]
    db.write_bytes(content)
    archive = Archive(db)
    with pytest.raises(ArchiveError) as caught:
        archive.validate()
    message = str(caught.value)
    assert message.startswith(str(db)), "the message names the file"
    assert __import__("re").search(problem, message), message
    assert "Asha" not in message and "ten minutes" not in message, "no personal data in the message"
    # Nothing the app does afterwards writes over the damaged file.
    with pytest.raises(ArchiveError):
        archive.open()
    with pytest.raises((ArchiveError, Exception)):
        archive.save_meeting(start_finished(db.parent))
    assert db.read_bytes() == content
    assert leftovers(db) == []


def start_finished(tmp: Path):
    from datetime import datetime, timezone

    from facilitate.clock import FakeClock

    session = start(FakeClock(datetime(2026, 11, 26, 10, tzinfo=timezone.utc)), None, "open-conversation")
    session.capture("a note")
    session.finish()
    return session.meeting


def test_a_folder_where_the_archive_should_be(db):
    db.mkdir()
    with pytest.raises(ArchiveError, match="folder"):
        Archive(db).validate()
    assert db.is_dir() and not any(db.iterdir())


@pytest.mark.parametrize(
    ("name", "recovered", "said"),
    [
        # Half of a one-line file: meetings 1 and 2 read, 3 is cut through, the rest are gone.
        ("cut short", [], "The damaged file ends early"),
        # Meeting 1 is damaged (the backup has it); meeting 6, which the backup lacks, reads
        # (the file is of version 1: its records are migrated, as the backup was when it opened).
        ("attendees is text", ["m-none"], "The backup lacked 1 meeting that the damaged file had"),
        ("newer schema", [], f"archive version 99, not {SCHEMA_VERSION}: nothing was taken from it"),
        ("empty file", [], "Nothing in the damaged file could be read"),
    ],
)
def test_restore_keeps_the_damaged_file_aside_uses_the_newest_good_backup_and_recovers(db, name, recovered, said):
    older, newer = GOOD, edited(lambda d: d["meetings"].pop("6"))
    backed_up(db, older, newer)
    content, _ = DAMAGE[name]
    db.write_bytes(content)
    restored = restore_backup(db)
    assert restored.kept_aside is not None and restored.kept_aside.read_bytes() == content
    assert restored.backup.read_bytes() == newer
    ids = {summary.id for summary in check_archive(db).listings()}
    assert ids == {"m-sep", "m-oct", "a1b2c3d4e5f60718", "m-extra", "m-carers"} | set(recovered)
    assert restored.meetings == 5 + len(recovered)
    described = restored.describe(db)
    assert "from the backup" in described and str(restored.kept_aside) in described and said in described
    if recovered:
        assert "A one-off (id m-none)" in described
    assert "Could not recover" not in described, "everything the backup lacked and the file held was recovered"
    assert os.stat(db).st_mode & 0o777 == 0o600


def test_restore_skips_backups_that_do_not_open_either(db):
    good, damaged = GOOD, GOOD[:100]
    backed_up(db, good, damaged)
    db.write_bytes(b"")
    restored = restore_backup(db)
    assert db.read_bytes() == good
    assert [reason for _, reason in restored.skipped] == ["the file ends too early (it was cut short)"]
    assert "Skipped the newer backup" in restored.describe(db)


def test_restore_with_no_good_backup_changes_nothing(db):
    db.write_bytes(b"{")
    with pytest.raises(NothingToRestore, match="there are none"):
        restore_backup(db)
    backed_up(db, b"[]")
    db.write_bytes(b"{")
    with pytest.raises(NothingToRestore, match="No backup of .* opens"):
        restore_backup(db)
    assert db.read_bytes() == b"{"


def test_restore_refuses_when_the_archive_opens(db):
    backed_up(db, GOOD)
    with pytest.raises(NothingToRestore, match="opens as it is"):
        restore_backup(db)
    assert db.read_bytes() == GOOD


def test_restore_when_the_archive_is_a_folder_or_missing(db):
    backed_up(db, GOOD)
    db.unlink()
    db.mkdir()
    restored = restore_backup(db)
    assert restored.kept_aside.is_dir() and db.read_bytes() == GOOD
    db.unlink()
    restored = restore_backup(db)
    assert restored.kept_aside is None and db.read_bytes() == GOOD


def test_backups_roll_keep_the_last_few_and_each_restores(clock, db, tmp_path):
    archive = Archive(db).open()
    for number in range(BACKUPS_KEPT + 3):
        archive.backup()  # as finishing does: the archive as it was, then the meeting
        session = start(clock, None, "open-conversation")
        session.capture(f"meeting {number}")
        session.finish()
        archive.save_meeting(session.meeting)
    backups = archive.backups()
    assert len(backups) == BACKUPS_KEPT
    # Newest first, each one meeting behind the next.
    assert [len(check_archive(path)) for path in backups] == [7, 6, 5, 4, 3]
    assert all(os.stat(path).st_mode & 0o777 == 0o600 for path in backups)
    assert os.stat(archive.backup_dir()).st_mode & 0o777 == 0o700


def test_a_backup_of_an_unchanged_archive_is_not_made_twice(db):
    db.write_bytes(GOOD)
    archive = Archive(db).open()
    first = archive.backup()
    assert archive.backup() == first
    assert len(archive.backups()) == 1


def test_a_backup_copied_when_links_are_refused_is_whole_and_private(db, monkeypatch):
    db.write_bytes(GOOD)

    def no_links(*args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = Archive(db).backup()
    assert path.read_bytes() == GOOD and os.stat(path).st_mode & 0o777 == 0o600


def test_leftover_temporary_files_are_removed(db):
    db.write_bytes(GOOD)
    stray = [db.with_name(f".{db.name}.abc123.tmp"), db.with_name(".archive.live.jsonl.xyz.tmp")]
    for path in stray:
        path.write_bytes(b'{"half')
    other = db.with_name(".someone-elses.tmp")
    other.write_bytes(b"")
    assert leftovers(db) == sorted(stray)
    assert remove_leftovers(db) == 2
    assert not any(path.exists() for path in stray) and other.exists()
    assert db.read_bytes() == GOOD


def test_the_v1_fixture_is_intact(db):
    shutil.copy(FIXTURE, db)
    assert len(check_archive(db)) == 6
