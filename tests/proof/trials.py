"""Crash trials: a real facilitate, typed at, killed with SIGKILL at a random moment.

A chain of trials shares one archive, as a facilitator's machine would: each
trial starts `facilitate`, resumes the meeting in progress (or plans a new
one), captures by keys and is killed at a random moment, sometimes while the
meeting is being finished into the archive. After each kill the files are
checked: the archive and the live file open, and every capture the screen had
acknowledged is in one or the other. The next trial's start then proves that
the app itself opens them.

Every capture carries a token (`N00703`: a note, trial 7, capture 3). The
screen shows a token only once the capture is durable: in the hint line after
"✓" ("✓ P00701 arrived"), or above the entry area (the capture log, the round's
speakers). What the pty received before the kill is what the screen showed.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len

from facilitate.archive import Archive, ArchiveError
from facilitate.live import LiveFile, LiveFileError
from facilitate.models import Meeting
from facilitate.session import replay_meeting
from tests.proof.terminal import Deadline, Terminal, runs

TOKEN = re.compile(r"[PNDA]\d{5}")
SIZE = (80, 24)
LOG_COLUMN = 55
"""The side panel (agenda, then the capture log) starts here at 80 columns."""
LOG_LAST_ROW = SIZE[1] - 6
"""Below this, the hint (up to three lines), the entry line and the footer."""

STARTUP = 60.0
"""Seconds to wait for a screen before calling the trial failed."""

BEFORE_FINISH = "killed before the finish was saved"
FINISH_SAVED = "finish saved, not yet in the archive"
IN_ARCHIVE = "in the archive, live file not yet removed"
DONE = "finished completely"


class TrialFailure(AssertionError):
    pass


def acknowledged(output: bytes) -> set[str]:
    """The tokens the screen showed as captured.

    The hint line's "✓ ..." after a capture, and the capture log in the side
    panel. Not the entry line, nor the hint's preview or error (which can wrap
    over several lines): they show what is typed, before it is captured.
    """
    shown = set()
    for run in runs(output):
        if run.text.lstrip().startswith("✓"):
            shown.update(TOKEN.findall(run.text))
        elif run.row <= LOG_LAST_ROW:
            for found in TOKEN.finditer(run.text):
                if run.col + cell_len(run.text[: found.start()]) >= LOG_COLUMN:
                    shown.add(found.group())
    return shown


def meeting_tokens(meeting: Meeting) -> Counter[str]:
    found: Counter[str] = Counter()
    for attendee in meeting.attendees:
        found.update(set(TOKEN.findall(f"{attendee.name} {attendee.organisation}")))
    for item in meeting.items:
        found.update(set(TOKEN.findall(f"{item.owner} {item.text}")))
    return found


@dataclass
class Kept:
    """What the files hold after a kill."""

    tokens: Counter[str]
    live: Meeting | None
    archived_ids: set[str]
    torn_tail: bool = False


def read_files(db: Path, live_path: Path) -> Kept:
    """Open the archive and the live file as the app would; raise `TrialFailure` if either cannot."""
    tokens: Counter[str] = Counter()
    try:
        archive = Archive(db, read_only=True).open()
        ids = [summary.id for summary in archive.listings()]
        meetings = [archive.meeting(meeting_id) for meeting_id in ids]
    except ArchiveError as error:
        raise TrialFailure(f"the archive does not open: {error}") from None
    if len(set(ids)) != len(ids):
        raise TrialFailure("a meeting is in the archive twice")
    for meeting in meetings:
        assert meeting is not None
        tokens.update(meeting_tokens(meeting))
    live = None
    torn = False
    if live_path.exists():
        try:
            replay = LiveFile.read(live_path)
            live, _, _, unread = replay_meeting(replay)
        except LiveFileError as error:
            raise TrialFailure(f"the live file does not open: {error}") from None
        if unread:
            reasons = "; ".join(event.reason for event in unread[:3])
            raise TrialFailure(f"{len(unread)} lines of the live file could not be replayed: {reasons}")
        torn = replay.torn_tail
        if live.id not in ids:
            tokens.update(meeting_tokens(live))
    return Kept(tokens, live, set(ids), torn)


def seed_archive(db: Path, meetings: int, seed: int = 0) -> None:
    """An archive with some history, so that finishing takes a realistic while."""
    from datetime import datetime, timezone

    from facilitate.clock import FakeClock
    from facilitate.session import MeetingSession
    from tests.unit.helpers import make_meeting

    rng = random.Random(seed)
    archive = Archive(db).open()
    clock = FakeClock(datetime(2025, 1, 9, 10, 0, tzinfo=timezone.utc))
    with archive.storage.batch():
        for number in range(meetings):
            session = MeetingSession.begin(make_meeting(title=f"Seed meeting {number}"), clock, None)
            for person in range(12):
                session.capture(f"+Seed Person {rng.randrange(40)}x{person}, Org {person % 5}")
            for item in range(20):
                session.capture(f"!Someone Else: seed action {item} about the winter plan by fri")
                session.capture(f"a seed note {item} with a few words in it, as people write them")
            clock.advance(3600)
            session.finish()
            archive.save_meeting(session.meeting)
            clock.advance(86400 * 7 - 3600)
    archive.close()


@dataclass
class Figures:
    """What a chain of trials did."""

    trials: int = 0
    kills_starting: int = 0
    """Killed while starting up or resuming, before the run screen was ready."""
    kills_capturing: int = 0
    kills_finishing: int = 0
    """Killed after the finish was confirmed, before the summary was shown."""
    finish_phases: Counter[str] = field(default_factory=Counter)
    typed: int = 0
    armed: int = 0
    """Trials whose random kill waited for a first capture to show as saved."""
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    torn_tails: int = 0
    seconds: float = 0.0

    def add(self, other: Figures) -> None:
        for name in ("trials", "kills_starting", "kills_capturing", "kills_finishing", "typed", "armed",
                     "acknowledged", "torn_tails", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.finish_phases.update(other.finish_phases)
        self.lost.extend(other.lost)

    def describe(self) -> str:
        phases = ", ".join(f"{count} {phase}" for phase, count in sorted(self.finish_phases.items()))
        return (
            f"{self.trials} crash trials in {self.seconds:.0f} s: {self.kills_starting} kills while starting or "
            f"resuming, {self.kills_capturing} while capturing, {self.kills_finishing} while finishing "
            f"({phases or 'none'}); {self.typed} captures typed, {self.acknowledged} acknowledged on screen "
            f"({self.armed} trials killed only after their first was), "
            f"{len(self.lost)} lost; {self.torn_tails} torn last lines dropped"
        )


class Chain:
    """Trials one after another on one archive."""

    def __init__(self, folder: Path, seed: int, *, type_delay: float = 0.003) -> None:
        self.folder = folder
        self.db = folder / "archive.json"
        self.live = folder / "archive.live.jsonl"
        self.env = {
            "FACILITATE_CONFIG": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config-home"),
        }
        self.rng = random.Random(seed)
        self.type_delay = type_delay
        self.figures = Figures()
        self.acked: set[str] = set()
        """Every token any trial's screen acknowledged: all must stay kept, for good."""
        self.trial = 0
        self.log: list[str] = []

    # -- one trial ----------------------------------------------------------------------

    def run(self, trials: int) -> Figures:
        started = time.monotonic()
        for _ in range(trials):
            self.one()
        self.figures.seconds += time.monotonic() - started
        return self.figures

    def one(self) -> None:
        self.trial += 1
        rng = self.rng
        had_live = read_files(self.db, self.live).live
        leftovers = set(self.folder.glob(".*.tmp"))
        terminal = Terminal(["--db", str(self.db)], self.env, size=SIZE)
        phase = "starting"
        finish_id = None
        confirmed = False
        summary_from = None
        plan = rng.random()
        if plan < 0.1:
            terminal.deadline = time.monotonic() + rng.uniform(0.3, 1.6)
        finishing = rng.random() < 0.4
        try:
            self.reach_run_screen(terminal, had_live, leftovers)
            phase = "capturing"
            # The random kill is armed only once the first capture shows as saved, so that
            # every trial that reaches this point has something acknowledged to check,
            # however busy the machine (waiting for the effect, never for a time).
            arm = terminal.deadline == float("inf") and not finishing
            for capture in range(rng.randint(1, 8)):
                since = len(terminal.output)
                token = self.capture(terminal, capture, keys=not arm)
                if arm and token is not None:
                    self.wait_acknowledged(terminal, token, since)
                    self.figures.armed += 1
                    terminal.deadline = time.monotonic() + rng.uniform(0.0, 1.5)
                    arm = False
            if finishing:
                finish_id = self.live_meeting_id()
                terminal.press("ctrl+f")
                since = len(terminal.output)
                if not terminal.wait_for_output("Finish the meeting?", timeout=STARTUP, since=since):
                    raise TrialFailure("the finish dialog did not open")
                summary_from = len(terminal.output)
                terminal.press("y", delay=0)
                confirmed = True
                phase = "finishing"
                # Finishing takes a fraction of a second on a quiet machine: kill
                # soon after confirming, so that most of these land mid-finish.
                terminal.deadline = time.monotonic() + rng.uniform(0.0, 0.15)
            terminal.sleep(10)
        except Deadline:
            pass
        except BaseException as error:
            terminal.kill()
            self.log.append(self.screen(terminal))
            where = self.keep_evidence(bytes(terminal.output))
            raise TrialFailure(f"{error} (files and output in {where})") from error
        terminal.kill()
        output = bytes(terminal.output)
        self.last_output = output
        self.check(output)
        self.figures.trials += 1
        if phase == "starting":
            self.figures.kills_starting += 1
        elif phase == "capturing":
            self.figures.kills_capturing += 1
        if confirmed:
            shown = summary_from is not None and "Finished and saved" in plain_since(output, summary_from)
            result = self.finish_phase(finish_id)
            if not shown:
                self.figures.kills_finishing += 1
                self.figures.finish_phases[result] += 1
            elif result != DONE:
                raise TrialFailure(f"the summary said saved, but the files say {result}")
            else:
                self.figures.finish_phases["summary shown before the kill"] += 1

    def screen(self, terminal: Terminal) -> str:
        return "\n".join(run.text for run in runs(bytes(terminal.output[-6000:])))

    def reach_run_screen(self, terminal: Terminal, had_live: Meeting | None, leftovers: set[Path]) -> None:
        since = 0
        # Generous: on a busy machine (CI, other tests) Python and Textual can take a while to start.
        found = terminal.wait_for_text(r"\d+ meetings? in |cannot be opened", timeout=STARTUP, since=since)
        if found is None:
            raise TrialFailure(f"trial {self.trial}: the home screen did not load the archive")
        if "cannot be opened" in found.group(0):
            raise TrialFailure(f"trial {self.trial}: the archive cannot be opened")
        stale = {path for path in leftovers if path.exists()}
        if stale:
            raise TrialFailure(f"half-written temporary files were left: {sorted(p.name for p in stale)}")
        if had_live is not None:
            if not terminal.wait_for_output("Meeting in progress", timeout=STARTUP):
                raise TrialFailure(f"trial {self.trial}: the meeting in progress was not offered")
            since = len(terminal.output)
            terminal.press("r")
            # A meeting finished but not yet in the archive is saved on resuming.
            marker = "Finished and saved" if had_live.status == "finished" else "Type to capture"
            if terminal.wait_for_text(marker, timeout=STARTUP, since=since) is None:
                raise TrialFailure(f"trial {self.trial}: the meeting in progress did not resume")
            if marker == "Type to capture":
                return
            terminal.press("h")
        since = len(terminal.output)
        terminal.press("n")
        if not terminal.wait_for_output("Plan a meeting", timeout=STARTUP, since=since):
            raise TrialFailure(f"trial {self.trial}: no plan screen")
        terminal.type(f"Trial {self.trial}", delay=self.type_delay)
        since = len(terminal.output)
        # Textual sometimes drops a ctrl+s that follows typing within a few
        # milliseconds; a person whose meeting did not start presses it again.
        for _ in range(5):
            terminal.press("ctrl+s")
            if terminal.wait_for_text(r"Type to capture", timeout=2, since=since) is not None:
                return
        raise TrialFailure(f"trial {self.trial}: the meeting did not start")

    def wait_acknowledged(self, terminal: Terminal, token: str, since: int) -> None:
        """Until the screen shows `token` as captured (see `acknowledged`)."""
        deadline = time.monotonic() + STARTUP
        seen = -1
        while time.monotonic() < deadline:
            if len(terminal.output) != seen:  # parse again only when the screen changed
                seen = len(terminal.output)
                if token in acknowledged(bytes(terminal.output[since:])):
                    return
            if terminal.process.poll() is not None:
                break
            time.sleep(0.02)
        raise TrialFailure(f"trial {self.trial}: the first capture ({token}) was never shown as saved")

    def capture(self, terminal: Terminal, number: int, *, keys: bool = True) -> str | None:
        """Type one capture (or, when `keys`, perhaps a meeting key instead); the token typed, if any."""
        rng = self.rng
        token = f"{self.trial:03d}{number:02d}"
        kinds, weights = ["person", "note", "decision", "action", "key"], [3, 4, 1, 2, 2 if keys else 0]
        kind = rng.choices(kinds, weights)[0]
        if kind == "person":
            line = f"+P{token} Lane, Org {rng.randrange(9)}"
        elif kind == "note":
            line = f"N{token} " + rng.choice(["parking is a barrier", "[b]not bold[/b]", "café ☕ at 10", "x"])
        elif kind == "decision":
            line = f"=D{token} we meet monthly"
        elif kind == "action":
            line = f"!Sam: A{token} call the team by fri"
        else:
            terminal.press(rng.choice(["right", "down", "space", "space", "ctrl+t", "ctrl+n"]), delay=0.01)
            return None
        self.figures.typed += 1
        terminal.type(line, delay=self.type_delay)
        terminal.press("enter", delay=rng.uniform(0.0, 0.06))
        return TOKEN.search(line).group()

    def live_meeting_id(self) -> str | None:
        try:
            return replay_meeting(LiveFile.read(self.live))[0].id
        except (LiveFileError, FileNotFoundError):
            return None

    # -- after the kill ---------------------------------------------------------------------

    def check(self, output: bytes) -> None:
        shown = acknowledged(output)
        self.figures.acknowledged += len(shown - self.acked)
        self.acked |= shown
        kept = read_files(self.db, self.live)
        if kept.torn_tail:
            self.figures.torn_tails += 1
        lost = sorted(self.acked - set(kept.tokens))
        doubled = sorted(token for token, count in kept.tokens.items() if count > 1)
        if lost:
            self.figures.lost.extend(lost)
            kept_at = self.keep_evidence(output)
            raise TrialFailure(f"trial {self.trial}: captures shown but lost: {lost} (files and output in {kept_at})")
        if doubled:
            raise TrialFailure(f"trial {self.trial}: captures kept twice: {doubled}")

    def keep_evidence(self, output: bytes) -> Path:
        """Copy the files and the terminal output somewhere pytest will not clean up."""
        import shutil
        import tempfile

        target = Path(tempfile.gettempdir()) / "facilitate-crash-failures" / f"{self.folder.name}-trial{self.trial}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.folder, target, ignore=shutil.ignore_patterns("config*", "data"))
        (target / "output.bin").write_bytes(output)
        (target / "screen.txt").write_text(
            "\n".join(f"{run.row:3d},{run.col:3d} {run.text}" for run in runs(output)), encoding="utf-8"
        )
        return target

    def finish_phase(self, meeting_id: str | None) -> str:
        kept = read_files(self.db, self.live)
        if kept.live is not None:
            if kept.live.status != "finished":
                return BEFORE_FINISH
            return IN_ARCHIVE if kept.live.id in kept.archived_ids else FINISH_SAVED
        if meeting_id is not None and meeting_id in kept.archived_ids:
            return DONE
        raise TrialFailure("the meeting is neither in its live file nor in the archive")


def plain_since(output: bytes, since: int) -> str:
    return "\n".join(run.text for run in runs(output[since:]))
