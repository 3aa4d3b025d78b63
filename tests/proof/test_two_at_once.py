"""Two facilitates on one archive, a lock left by a killed process, and the archive CLI messages.

Real processes: the lock is an OS file lock, and only a real second process
(and a real SIGKILL) shows what the facilitator would see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from facilitate.archive import Archive
from facilitate.models import SCHEMA_VERSION
from facilitate.storage.files import atomic_write
from facilitate.storage.paths import lock_path_for
from tests.proof.terminal import Terminal, plain

# Today's version: an older one would be migrated (and backed up first) as it opens.
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archives" / f"v{SCHEMA_VERSION}.json"


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"FACILITATE_CONFIG": str(tmp_path / "config")}


@dataclass
class Stopped:
    returncode: int
    stderr: str
    """Everything it wrote to its terminal."""


def second(db: Path, *args: str, env: dict[str, str]) -> Stopped:
    """facilitate started in a terminal of its own, expected to stop before opening the app."""
    terminal = Terminal(["--db", str(db), *args], env)
    try:
        code = terminal.wait(timeout=60)
    finally:
        terminal.kill()
    return Stopped(code, bytes(terminal.output).decode("utf-8", "replace").replace("\r\n", "\n"))


def home(terminal: Terminal) -> None:
    assert terminal.wait_for_text(r"\d+ meetings? in "), plain(bytes(terminal.output))[-1500:]


def test_a_second_facilitate_is_told_and_may_read_only(tmp_path):
    db = tmp_path / "archive.json"
    db.write_bytes(FIXTURE.read_bytes())
    env = env_for(tmp_path)
    first = Terminal(["--db", str(db)], env)
    try:
        home(first)
        holder = lock_path_for(db).read_text()
        assert f"pid {first.process.pid}" in holder

        refused = second(db, env=env)
        assert refused.returncode == 3
        assert "Another facilitate is using this archive" in refused.stderr
        assert f"pid {first.process.pid}" in refused.stderr
        assert "--read-only" in refused.stderr

        before = db.read_bytes()
        reader = Terminal(["--db", str(db), "--read-only"], env)
        try:
            home(reader)
            assert reader.wait_for_output("Read-only: past meetings only")
            since = len(reader.output)
            reader.press("n")
            assert not reader.wait_for_output("Plan a meeting", since=since, timeout=1.0)
            reader.press("q")
            assert reader.wait() == 0
        finally:
            reader.kill()
        assert db.read_bytes() == before
        assert lock_path_for(db).read_text() == holder, "the reader took no lock and wrote nothing"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.json", "archive.json.lock", "config"] or \
            sorted(p.name for p in tmp_path.iterdir()) == ["archive.json", "archive.json.lock"]
    finally:
        first.kill()


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path):
    db = tmp_path / "archive.json"
    env = env_for(tmp_path)
    first = Terminal(["--db", str(db)], env)
    home(first)
    first.kill()  # SIGKILL: no chance to release anything
    assert "pid" in lock_path_for(db).read_text(), "the dead process's lock file is still there"
    again = Terminal(["--db", str(db)], env)
    try:
        home(again)
        assert f"pid {again.process.pid}" in lock_path_for(db).read_text()
        assert second(db, env=env).returncode == 3, "and the new holder's lock is real"
    finally:
        again.kill()


def test_a_damaged_archive_is_named_on_the_home_screen_and_the_command_line(tmp_path):
    db = tmp_path / "archive.json"
    damaged = FIXTURE.read_bytes()[:5000]
    db.write_bytes(damaged)
    terminal = Terminal(["--db", str(db)], env_for(tmp_path))
    try:
        assert terminal.wait_for_output("cannot be opened")
        screen = plain(bytes(terminal.output))
        assert "cut short" in screen and "--restore-backup" in screen
        terminal.press("q")
        assert terminal.wait() == 1
    finally:
        terminal.kill()
    said = bytes(terminal.output).decode("utf-8", "replace")
    assert f"facilitate: the archive cannot be opened: {db}: the file ends too early" in said
    assert db.read_bytes() == damaged


def test_restore_backup_from_the_command_line(tmp_path):
    db = tmp_path / "archive.json"
    env = env_for(tmp_path)
    good = FIXTURE.read_bytes()
    atomic_write(db, good)
    Archive(db).backup()
    data = json.loads(good)
    data["meetings"]["1"]["attendees"] = "not a list"
    atomic_write(db, json.dumps(data))
    damaged = db.read_bytes()

    terminal = Terminal(["--db", str(db), "--restore-backup"], env)
    try:
        home(terminal)
        assert terminal.wait_for_output("6 meetings in")
        terminal.press("q")
        assert terminal.wait() == 0
    finally:
        terminal.kill()
    said = bytes(terminal.output).decode("utf-8", "replace")
    assert "from the backup archive-" in said and "The damaged archive is kept as" in said
    assert db.read_bytes() == good
    [aside] = tmp_path.glob("archive.json.damaged-*")
    assert aside.read_bytes() == damaged

    nothing = second(db, "--restore-backup", env=env)
    assert nothing.returncode == 1 and "opens as it is; nothing was restored" in nothing.stderr
    assert db.read_bytes() == good


def test_a_folder_where_the_archive_should_be_is_named(tmp_path):
    db = tmp_path / "archive.json"
    db.mkdir()
    result = second(db, env=env_for(tmp_path))
    assert result.returncode == 2
    assert f"{db} is a folder, not an archive file" in result.stderr
    assert db.is_dir()
