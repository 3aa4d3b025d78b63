"""Where the archive may be, and the lock beside it: links, devices, a full disk at start.

The archive's real path is resolved once; its lock, live file and backups are
beside the real file, so two paths to one archive share one lock, and writes
replace the real file (a link stays a link). Devices and system folders are
refused, and only starting the app makes a missing folder.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from facilitate.__main__ import main
from facilitate.archive import Archive
from facilitate.storage.files import atomic_write
from facilitate.storage.lock import ArchiveLock, LockedError
from facilitate.storage.paths import archive_path_problem, live_path_for, lock_path_for, resolve_db_path
from tests.proof.faults import Disk


def test_every_path_to_one_archive_is_resolved_to_the_real_file(tmp_path):
    real = tmp_path / "real" / "archive.json"
    real.parent.mkdir()
    link = tmp_path / "alias.json"
    link.symlink_to(real)
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)
    for path in (link, chain, tmp_path / "real" / ".." / "real" / "archive.json"):
        assert resolve_db_path(str(path)) == real
        assert lock_path_for(path) == real.with_name("archive.json.lock")
        assert live_path_for(path) == real.with_name("archive.live.jsonl")
        assert Archive(path).backup_dir() == real.with_name("archive.json.backups")


def test_two_paths_to_one_archive_share_one_lock(tmp_path):
    real = tmp_path / "archive.json"
    link = tmp_path / "alias.json"
    link.symlink_to(real)
    with ArchiveLock.for_archive(real):
        with pytest.raises(LockedError, match=f"pid {os.getpid()}"):
            ArchiveLock.for_archive(link).acquire()
    with ArchiveLock.for_archive(link):
        with pytest.raises(LockedError):
            ArchiveLock.for_archive(real).acquire()
    assert not (tmp_path / "alias.json.lock").exists()


def test_a_write_through_a_link_replaces_the_real_file_and_keeps_the_link(tmp_path, clock):
    real = tmp_path / "synced" / "archive.json"
    real.parent.mkdir()
    link = tmp_path / "alias.json"
    link.symlink_to(real)
    archive = Archive(link).open()
    from tests.unit.helpers import start

    session = start(clock, None, "open-conversation")
    session.finish()
    archive.save_meeting(session.meeting)
    assert link.is_symlink() and len(Archive(real).open()) == 1
    atomic_write(link, "replaced through the link")
    assert link.is_symlink() and real.read_text() == "replaced through the link"


def test_holding_the_lock_needs_no_write_and_the_stamp_follows_when_the_disk_takes_it(tmp_path, monkeypatch):
    db = tmp_path / "archive.json"
    lock_path_for(db).write_text("pid 1 on elsewhere since 09:00 01 Jan\n")  # a killed process's stamp
    disk = Disk(tmp_path).install(monkeypatch)
    disk.full()
    lock = ArchiveLock.for_archive(db)
    lock.acquire()
    try:
        assert lock.held and not lock.stamped
        assert lock_path_for(db).read_text() == "", "the stale stamp went (emptying needs no space)"
        with pytest.raises(LockedError, match="unknown process"):
            ArchiveLock.for_archive(db).acquire()
        disk.heal()
        stamped = threading.Event()
        real_stamp = lock.stamp

        def stamp() -> bool:
            done = real_stamp()
            if done:
                stamped.set()
            return done

        monkeypatch.setattr(lock, "stamp", stamp)
        thread = lock.keep_stamping(every=0.01)
        assert thread is not None and stamped.wait(30)
        thread.join(30)
        assert lock_path_for(db).read_text().startswith(f"pid {os.getpid()} on ")
    finally:
        lock.release()
    assert lock_path_for(db).read_text() == ""


def test_a_lock_in_a_read_only_folder_still_holds(tmp_path, monkeypatch):
    db = tmp_path / "archive.json"
    lock_path_for(db).write_text("")
    Disk(tmp_path).install(monkeypatch).read_only()
    lock = ArchiveLock.for_archive(db)
    lock.acquire()
    try:
        with pytest.raises(LockedError):
            ArchiveLock.for_archive(db).acquire()
    finally:
        lock.release()


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/dev/null", "/dev/null is a device, not an archive file"),
        ("/dev/archive.json", "/dev/archive.json is in the system folder /dev"),
        ("/proc/self/archive.json", "is in the system folder /proc"),
        ("/sys/archive.json", "/sys/archive.json is in the system folder /sys"),
    ],
)
def test_devices_and_system_folders_are_no_place_for_an_archive(path, problem, capsys):
    assert problem in archive_path_problem(resolve_db_path(path))
    for argv in (["--db", path], ["--db", path, "history"], ["--db", path, "export"], ["--db", path, "import", "x"]):
        assert main(argv) == 2
        assert problem in capsys.readouterr().err
    assert not Path(path + ".lock").exists()


def test_a_pipe_or_a_folder_is_named(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert archive_path_problem(fifo) == f"{fifo} is a pipe, not an archive file"
    assert archive_path_problem(tmp_path) == f"{tmp_path} is a folder, not an archive file"
    assert archive_path_problem(tmp_path / "new.json") is None


@pytest.mark.parametrize("name", ["NUL", "con.json", "COM1.json", "lpt9"])
def test_windows_device_names_are_refused_there(tmp_path, name):
    assert "names a Windows device" in archive_path_problem(tmp_path / name, windows=True)
    assert archive_path_problem(tmp_path / name, windows=False) is None


def test_only_starting_the_app_makes_a_missing_folder(tmp_path, capsys):
    db = tmp_path / "missing" / "archive.json"
    export = tmp_path / "export.json"
    export.write_text('{"format": "facilitate-interchange", "version": 1}')
    assert main(["--db", str(db), "import", str(export)]) == 2
    err = capsys.readouterr().err
    assert f"the folder {db.parent} does not exist. Start facilitate once" in err
    for command in (["history"], ["actions"], ["export"], ["export", "--all", "--to", str(tmp_path / "wiki")]):
        assert main(["--db", str(db), *command]) == 0
        assert f"there is no archive at {db} yet" in capsys.readouterr().err
    assert not db.parent.exists() and not (tmp_path / "wiki").exists()
    # Opening the app holds the lock there: that makes the folder, private.
    lock = ArchiveLock.for_archive(db)
    lock.acquire()
    lock.release()
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
