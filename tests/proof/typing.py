"""Typing trials: a real `facilitate` in a pseudo-terminal, typed at in bursts, checked on disk.

A meeting is begun on disk (its live file), then `facilitate` resumes it in a
pty. Bursts of keys (characters, Backspace, Delete, arrows, Home/End, word and
line deletes, Enter, dialog keys) are written as a terminal writes them, with
0 to 30 ms between keys, sometimes a whole burst in one write; for part of a
run, busy-loop processes hold every core. Each burst's intended capture comes
from `tests.keys_model.LineModel`. The trial then waits for the effect (the
captures in the live file), compares every stored capture with the intended
text, finishes the meeting and compares the archive too.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from facilitate.archive import Archive
from facilitate.clock import SystemClock
from facilitate.live import LiveFile
from facilitate.models import Meeting
from facilitate.session import MeetingSession, replay_meeting
from tests.keys_model import LineModel, random_burst, terminal_bytes
from tests.proof.terminal import Terminal, wait_until
from tests.unit.helpers import make_meeting

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, Addenbrooke's", "Cai Jones, City Council", "Dee Lane, Carers Trust")
RUN_SCREEN = "Type to capture"
"""The capture line's placeholder: the run screen is up and the line is empty."""


@dataclass
class Tally:
    """What a run typed and what came out."""

    bursts: int = 0
    busy_bursts: int = 0
    mismatches: list[str] = field(default_factory=list)

    def check(self, what: str, expected, got) -> None:
        if expected != got:
            self.mismatches.append(f"{what}: expected {expected!r}, got {got!r}")


@contextmanager
def busy_cores(count: int | None = None):
    """Busy-loop processes on every core (or `count`) while the block runs."""
    processes = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(count or os.cpu_count() or 2)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.kill()
        for process in processes:
            process.wait()


class TypingTrial:
    """One `facilitate` in a pty over a meeting prepared on disk."""

    def __init__(self, folder: Path, *formats: str, setup=None, size: tuple[int, int] = (100, 30), seed: int = 1):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.db = folder / "archive.json"
        self.live = folder / "archive.live.jsonl"
        session = MeetingSession.begin(make_meeting(*formats), SystemClock(), self.live, rng=random.Random(seed))
        for person in PEOPLE:
            session.capture("+" + person)
        if setup is not None:
            setup(session)
        session.live.close()
        self.meeting_id = session.meeting.id
        self.rng = random.Random(seed)
        self.terminal = Terminal(["--db", str(self.db)], env={"FACILITATE_DB": str(self.db)}, size=size)

    def start(self) -> None:
        term = self.terminal
        if not term.wait_for_screen("Meeting in progress", timeout=60):
            raise AssertionError("the home screen never offered the meeting:\n" + "\n".join(term.display()))
        term.send(b"r")
        if not term.wait_for_screen(RUN_SCREEN, timeout=60):
            raise AssertionError("the run screen never came:\n" + "\n".join(term.display()))

    def type(self, keys: list[str], max_gap: float = 0.03, at_once: bool = False) -> None:
        """Keys as the terminal sends them: all in one write, or with 0 to `max_gap` seconds between."""
        if at_once:
            self.terminal.send(b"".join(terminal_bytes(key) for key in keys))
            return
        for key in keys:
            self.terminal.send(terminal_bytes(key))
            gap = self.rng.uniform(0, max_gap)
            if gap > 0.001:
                time.sleep(gap)

    # -- what is on disk --------------------------------------------------------------

    def meeting(self) -> Meeting:
        return replay_meeting(LiveFile.read(self.live))[0]

    def notes(self) -> list[str]:
        return [item.text for item in self.meeting().items if item.kind == "note"]

    def wait_for_live(self, predicate, timeout: float = 90.0) -> bool:
        """Wait until the meeting in the live file satisfies `predicate` (read as another program would)."""

        def check() -> bool:
            try:
                return predicate(self.meeting())
            except Exception:  # caught mid-write: read again
                return False

        return wait_until(check, timeout=timeout, interval=0.05)

    def finish(self) -> Meeting:
        """ctrl+f, yes; then the meeting as the archive holds it."""
        self.terminal.send(terminal_bytes("ctrl+f"))
        if not self.terminal.wait_for_screen("Finish the meeting?", timeout=60):
            raise AssertionError("no finish dialog:\n" + "\n".join(self.terminal.display()))
        self.terminal.send(b"y")

        def archived() -> bool:
            if self.live.exists() or not self.db.exists():
                return False
            try:
                return Archive(self.db).open().has_meeting(self.meeting_id)
            except Exception:
                return False

        if not wait_until(archived, timeout=90, interval=0.1):
            raise AssertionError("the meeting never reached the archive")
        return Archive(self.db).open().meeting(self.meeting_id)

    def close(self) -> None:
        self.terminal.kill()


def capture_bursts(trial: TypingTrial, tally: Tally, count: int, *, busy_from: int | None = None) -> list[str]:
    """`count` bursts of typing and editing, each ending in Enter; returns the notes intended.

    Every fifth burst goes in one write (a text expander); the rest with 0 to 30 ms
    between keys. From burst `busy_from` on, busy loops hold every core.
    """
    model = LineModel()
    expected_before = len(trial.notes())

    def run(indices) -> None:
        for index in indices:
            keys = random_burst(trial.rng, model, trial.rng.randint(4, 28))
            trial.type(keys, max_gap=trial.rng.choice([0.0, 0.005, 0.015, 0.03]), at_once=index % 5 == 0)
            tally.bursts += 1

    quiet = range(count) if busy_from is None else range(min(busy_from, count))
    run(quiet)
    if busy_from is not None and busy_from < count:
        with busy_cores():
            run(range(busy_from, count))
            tally.busy_bursts += count - busy_from
            trial.wait_for_live(lambda m: sum(1 for i in m.items if i.kind == "note") >= expected_before + count)
    trial.wait_for_live(lambda m: sum(1 for i in m.items if i.kind == "note") >= expected_before + count)
    stored = trial.notes()[expected_before:]
    for index, (intended, got) in enumerate(zip(model.captured, stored)):
        tally.check(f"capture {index + 1} (live file)", intended, got)
    if len(stored) != len(model.captured):
        tally.mismatches.append(f"{len(model.captured)} captures typed, {len(stored)} in the live file")
    return model.captured


def action_form_burst(trial: TypingTrial, tally: Tally, number: int) -> tuple[str, str, str]:
    """ctrl+y and the whole form typed at once, then a note straight after; both must land whole."""
    what = f"book room {number} for the next meeting"
    keys = ["ctrl+y", *what, "backspace", "g", "tab", *"Ben", "tab", *"in 2 weeks", "enter", *f"after form {number}", "enter"]
    trial.type(keys, max_gap=0.0, at_once=number % 2 == 0)
    tally.bursts += 1
    return what[:-1] + "g", "Ben Ode", f"after form {number}"
