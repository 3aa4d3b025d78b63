"""Private files, nothing off the machine, no personal data in error messages.

Every file facilitate creates (archive, backups, lock, live file, restored and
set-aside archives, exports) is readable by the user alone, and every folder
it creates likewise, whatever the umask. No module opens a network
connection, and a whole meeting runs with the network switched off.
"""

from __future__ import annotations

import ast
import os
import socket
import stat
from pathlib import Path

import pytest

from facilitate.archive import Archive
from facilitate.recovery import restore_backup
from facilitate.storage.files import atomic_write
from facilitate.storage.lock import ArchiveLock
from tests.unit.helpers import start

ROOT = Path(__file__).resolve().parents[2]
NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "requests", "httpx", "aiohttp",
                   "xmlrpc", "telnetlib", "webbrowser", "asyncio.streams", "poplib", "imaplib"}


@pytest.fixture
def open_umask():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` that others could read, write or enter."""
    loose = {}
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            loose[str(path.relative_to(folder.parent))] = oct(mode)
    return loose


def test_everything_facilitate_creates_is_private_even_with_an_open_umask(clock, tmp_path, open_umask):
    home = tmp_path / "new" / "nested"
    db = home / "archive.json"
    lock = ArchiveLock.for_archive(db)
    lock.acquire()
    archive = Archive(db).open()
    session = start(clock, home, "check-in", people=("Asha Patel, Age UK",))
    session.capture("!Asha: call the team by fri")
    session.finish()
    archive.backup()
    archive.save_meeting(session.meeting)
    archive.backup()
    archive.save_meeting(session.meeting)
    session.live.remove()
    live = start(clock, home, "open-conversation")  # a meeting in progress too
    live.capture("a note")
    atomic_write(db, b"{damaged")
    restore_backup(db)
    names = {path.name for path in home.iterdir()}
    assert {"archive.json", "archive.json.lock", "archive.json.backups", "archive.live.jsonl"} <= names
    assert any(name.startswith("archive.json.damaged-") for name in names)
    assert modes(tmp_path / "new") == {}
    lock.release()


def test_exports_written_by_the_cli_are_private(clock, tmp_path, open_umask, capsys):
    from facilitate.__main__ import main

    db = tmp_path / "archive.json"
    session = start(clock, None, "open-conversation")
    session.capture("a note")
    session.finish()
    Archive(db).open().save_meeting(session.meeting)
    out = tmp_path / "exports" / "deeper"
    out.mkdir(mode=0o700, parents=True)  # a file goes into a folder that exists
    (tmp_path / "exports").chmod(0o700)
    commands = [
        ["export", "--db", str(db), "--output", str(out / "page.md")],
        ["export", "--db", str(db), "--format", "json", "--output", str(out / "meeting.json")],
        ["export", "--db", str(db), "--all", "--to", str(out / "wiki")],  # a folder it creates
    ]
    for command in commands:
        assert main(command) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert (out / "page.md").is_file() and (out / "meeting.json").is_file() and any((out / "wiki").iterdir())
    assert modes(tmp_path / "exports") == {}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["facilitate", "screens", "formats"])
def test_no_module_imports_anything_that_talks_to_a_network(package):
    """Only the room's server (`facilitate/web/`) touches sockets: it listens, on the loopback
    address unless `--lan` is given; it never connects out."""
    offenders = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if path.relative_to(ROOT).parts[:2] == ("facilitate", "web"):
            continue
        bad = {name for name in imports_of(path) if name.split(".")[0] in NETWORK_MODULES or name in NETWORK_MODULES}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


async def test_a_whole_meeting_runs_with_the_network_switched_off(config, clock, monkeypatch):
    from screens.app import make_app
    from screens.run import RunScreen
    from screens.summary import SummaryScreen
    from tests.app.pilot import enter, wait_archive

    attempts = []

    class NoNetwork(socket.socket):
        def connect(self, address):
            attempts.append(address)
            raise OSError("network switched off for this test")

        connect_ex = connect

    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: attempts.append(a) or NoNetwork().connect(a))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_archive(pilot)
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, "Private meeting")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        for line in ["+Asha Patel, Age UK", "!Asha: call the team by fri", "[link=https://example.org]x[/link]"]:
            await enter(pilot, line)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert attempts == []


def test_storage_errors_name_the_problem_not_the_text(clock, tmp_path, monkeypatch):
    from tests.proof.faults import Disk

    secret = "Asha's diagnosis"
    disk = Disk(tmp_path).install(monkeypatch)
    session = start(clock, tmp_path, "open-conversation", people=("Asha Patel",))
    disk.full()
    with pytest.raises(OSError) as caught:
        session.capture(f"!Asha: {secret} by fri")
    assert "Asha" not in str(caught.value) and "diagnosis" not in str(caught.value)
    assert "the disk is full" in str(caught.value)
