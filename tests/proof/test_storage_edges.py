"""Real processes at the edges of storage: an archive reached through a link, and no terminal at all.

Two facilitates on one archive by two paths must meet the same lock, and a
write must replace the real file, never the link; without a terminal the
app must say so and stop, not wait for keys that never come.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.archive import Archive
from tests.proof.terminal import ROOT, Terminal, plain, wait_until
from tests.proof.test_two_at_once import env_for, second


def start_meeting(terminal: Terminal, title: str) -> None:
    """Plan screen to run screen: type the title, start."""
    assert terminal.wait_for_output("Plan a meeting", timeout=60), plain(bytes(terminal.output))[-1500:]
    terminal.type(title)
    since = len(terminal.output)
    # As a person would, ctrl+s again if the meeting has not started (see tests/proof/trials.py).
    for _ in range(5):
        terminal.press("ctrl+s")
        if terminal.wait_for_text("Type to capture", timeout=5, since=since):
            return
    raise AssertionError("the meeting did not start:\n" + plain(bytes(terminal.output))[-1500:])


def capture_and_finish(terminal: Terminal, live: Path, decision: str) -> None:
    terminal.type("=" + decision)
    terminal.press("enter")
    assert wait_until(lambda: live.exists() and decision.encode() in live.read_bytes(), timeout=30)
    since = len(terminal.output)
    terminal.press("ctrl+f")
    assert terminal.wait_for_output("Finish the meeting?", since=since, timeout=30)
    since = len(terminal.output)
    terminal.press("y")
    assert terminal.wait_for_text("Finished and saved", since=since, timeout=60)
    terminal.press("ctrl+q")
    assert terminal.wait(timeout=30) == 0


def test_two_paths_to_one_archive_share_its_lock_and_a_link_stays_a_link(tmp_path):
    synced = tmp_path / "synced"
    synced.mkdir()
    real = synced / "archive.json"
    alias = tmp_path / "alias.json"
    alias.symlink_to(real)
    live = synced / "archive.live.jsonl"
    env = env_for(tmp_path)

    first = Terminal(["run", "--db", str(real)], env)
    try:
        start_meeting(first, "Through the real path")
        assert wait_until(live.exists)
        # A second facilitate through the link meets the first one's lock.
        refused = second(alias, env=env)
        assert refused.returncode == 3, refused.stderr
        assert "Another facilitate is using this archive" in refused.stderr
        assert f"pid {first.process.pid}" in refused.stderr
        capture_and_finish(first, live, "Decided through the real path")
    finally:
        first.kill()

    other = Terminal(["run", "--db", str(alias)], env)
    try:
        start_meeting(other, "Through the link")
        assert wait_until(live.exists), "the live file is beside the real archive, not beside the link"
        capture_and_finish(other, live, "Decided through the link")
    finally:
        other.kill()

    assert alias.is_symlink() and Path(os.readlink(alias)) == real, "the link is still a link to the archive"
    archive = Archive(real, read_only=True).open()
    titles = sorted(archive.meeting(s.id).title for s in archive.listings())
    assert titles == ["Through the link", "Through the real path"]
    # Lock, live file and backups live beside the real file only.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "config") == ["alias.json", "synced"]
    assert {"archive.json", "archive.json.lock", "archive.json.backups"} <= {p.name for p in synced.iterdir()}
    newest = Archive(real).backups()[0]
    assert len(Archive(newest, read_only=True).open()) == 2, "the newest backup holds the newest meeting"


NEEDS_TERMINAL = "facilitate: facilitate needs a terminal; the commands history, actions and export work without one.\n"


@pytest.mark.parametrize("stdin", ["/dev/null", "a pipe"])
@pytest.mark.parametrize("args", [[], ["run"], ["--read-only"]], ids=["app", "run", "read-only"])
def test_without_a_terminal_it_says_so_and_stops(tmp_path, stdin, args):
    db = tmp_path / "not-yet" / "archive.json"
    command = [sys.executable, "-m", "facilitate", "--db", str(db), *args]
    env = {**os.environ, **env_for(tmp_path)}
    if stdin == "a pipe":
        # Keys arriving through a pipe change nothing: it still needs a terminal to draw on.
        result = subprocess.run(command, input=b"n\r\x11", capture_output=True, env=env, cwd=ROOT, timeout=120)
    else:
        result = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, env=env, cwd=ROOT, timeout=120
        )
    assert (result.returncode, result.stderr.decode(), result.stdout) == (2, NEEDS_TERMINAL, b"")
    assert not db.parent.exists(), "nothing is made when the app cannot start"


def test_the_read_commands_work_without_a_terminal(tmp_path):
    db = tmp_path / "archive.json"
    for command in (["history", "--json"], ["actions", "--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "facilitate", "--db", str(db), *command],
            stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert (result.returncode, result.stdout) == (0, b"[]\n")
        assert b"there is no archive" in result.stderr
