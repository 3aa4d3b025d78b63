"""Kill a real facilitate process mid-meeting (SIGKILL) and resume it: nothing shown is lost."""

from __future__ import annotations

from facilitate.live import LiveFile, LiveFileError
from facilitate.session import replay_meeting
from tests.proof.terminal import Terminal, wait_until


def captured(live_path) -> list[str]:
    try:
        meeting = replay_meeting(LiveFile.read(live_path))[0]
    except (LiveFileError, FileNotFoundError):
        return []
    return [a.name for a in meeting.attendees] + [i.text for i in meeting.items]


def speaker(live_path) -> str | None:
    """Who has the floor in the live file's round, if anyone."""
    try:
        meeting = replay_meeting(LiveFile.read(live_path))[0]
    except (LiveFileError, FileNotFoundError):
        return None
    segment = meeting.segment
    turn = segment.round.speaker if segment is not None and segment.round is not None else None
    attendee = meeting.attendee(turn.person_id) if turn is not None else None
    return attendee.name if attendee is not None else None


def test_killing_the_process_loses_nothing_and_it_resumes(tmp_path):
    db = tmp_path / "archive.json"
    live = tmp_path / "archive.live.jsonl"
    env = {"FACILITATE_CONFIG": str(tmp_path / "config")}
    terminal = Terminal(["run", "--db", str(db)], env)
    try:
        assert terminal.wait_for_output("Plan a meeting"), terminal.output[-2000:]
        terminal.type("Kill test")
        terminal.press("ctrl+s")
        assert wait_until(live.exists)
        shown = []
        for line, expected in [
            ("+Asha Patel, Age UK", "Asha Patel"),
            ("+Ben Ode", "Ben Ode"),
            ("!Asha: call the discharge team by fri", "call the discharge team"),
            ("=We meet monthly", "We meet monthly"),
            ("a note [b]not bold[/b]", "a note [b]not bold[/b]"),
        ]:
            terminal.type(line)
            terminal.press("enter")
            assert wait_until(lambda: expected in captured(live)), expected
            shown.append(expected)
        terminal.press("right")
        # Killed only once the next speaker is in the live file: the test waits for the effect, not a time.
        assert wait_until(lambda: speaker(live) == "Asha Patel"), "the next speaker was saved"
        terminal.kill()
    finally:
        terminal.kill()

    assert captured(live) == shown

    again = Terminal(["--db", str(db)], env)
    try:
        assert again.wait_for_output("Meeting in progress")
        again.press("r")
        assert again.wait_for_output("Resumed")
        header = LiveFile.read(live)
        assert header.seq > 0  # the resumed meeting was written back as a fresh snapshot
        again.press("ctrl+q")
        assert again.wait() == 0
    finally:
        again.kill()
    assert captured(live) == shown
    meeting = replay_meeting(LiveFile.read(live))[0]
    assert meeting.segment.round.speaker is not None  # Asha still has the floor
