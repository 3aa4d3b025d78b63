"""9. Typing through a real terminal, dialogs, and what an idle meeting costs.

Both facilitate (the run screen of a meeting in progress) and a bare Textual
app (an Input, a Digits clock updated every second, a Footer) run in a
pseudo-terminal, driven and read the same way (tests/proof: the pty and a
pyte screen):

- Keypress to screen: a character written to the terminal, timed to the
  moment the screen shows it in the input line; quiet, then with busy-loop
  processes on every core.
- Dialog open: ctrl+y on the run screen to the screen showing the action form.
- Idle CPU: the process's CPU time (user + system, from /proc) over a window
  with nothing typed: the run screen with its clock running, against the bare
  app with its one-second clock.
- CPU per capture: CPU time of typing and capturing short notes, per capture,
  against the bare app typing the same keys.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

from bench.harness import ROOT, Row, Settings, percentile, row

BARE_APP = """
from textual.app import App
from textual.widgets import Digits, Footer, Input

class Bare(App):
    BINDINGS = [("ctrl+y", "noop", "Nothing")]
    def compose(self):
        yield Digits("0:00", id="clock")
        yield Input(placeholder="Type to capture")
        yield Footer()
    def on_mount(self):
        self.seconds = 0
        self.set_interval(1, self.tick)
    def tick(self):
        self.seconds += 1
        self.query_one(Digits).update(f"{self.seconds // 60}:{self.seconds % 60:02d}")
    def action_noop(self):
        pass

Bare().run()
"""

LETTERS = "abcdefghjkmnpqrstuvwxyz"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Subject:
    """facilitate on its run screen, or the bare app, in a pty."""

    def __init__(self, kind: str, folder: Path, size=(100, 30)) -> None:
        from tests.proof.terminal import Terminal
        from tests.proof.typing import TypingTrial

        self.kind = kind
        self._typed = ""
        """What is on the input line now (the keypresses go on from it)."""
        if kind == "facilitate":
            self.trial = TypingTrial(folder, "open-conversation", size=size)
            self.terminal = self.trial.terminal
            self.trial.start()
        else:
            self.trial = None
            self.terminal = Terminal([], {}, size=size, command=[sys.executable, "-c", BARE_APP])
            if not self.terminal.wait_for_screen("Type to capture", timeout=60):
                raise RuntimeError("the bare app never showed its input")

    @property
    def pid(self) -> int:
        return self.terminal.process.pid

    def entry_shows(self, text: str) -> bool:
        return any(text in line for line in self.terminal.display())

    def keypresses(self, count: int, rng: random.Random) -> list[float]:
        """Milliseconds from writing each character to the screen showing it in the input."""
        term = self.terminal
        latencies: list[float] = []
        typed = self._typed
        while len(latencies) < count:
            if not typed:
                typed = "qz"
                term.send(typed.encode())
                self._wait(lambda: self.entry_shows(typed))
            character = rng.choice(LETTERS)
            typed += character
            seen = len(term.output)
            started = time.perf_counter()
            term.send(character.encode())
            want = typed
            while True:
                if len(term.output) != seen:
                    seen = len(term.output)
                    if self.entry_shows(want):
                        break
                if time.perf_counter() - started > 5:
                    raise RuntimeError(f"{self.kind}: {character!r} never showed")
                time.sleep(0.0005)
            latencies.append((time.perf_counter() - started) * 1000)
            if len(typed) >= 18:
                term.send(b"\x15")  # ctrl+u: an empty line again
                gone = typed
                self._wait(lambda: not self.entry_shows(gone))
                typed = ""
        self._typed = typed
        return latencies

    def _wait(self, predicate, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.kind}: the screen never showed what was typed")
            time.sleep(0.002)

    def dialog_opens(self, count: int) -> list[float]:
        """Milliseconds from ctrl+y to the terminal receiving the frame with the action form."""
        term = self.terminal
        times = []
        for _ in range(count):
            start = len(term.output)
            started = time.perf_counter()
            term.send(b"\x19")
            while True:
                # The raw output, not the pyte screen: parsing a whole new frame in Python
                # would take longer than the app took to draw it.
                if b"By when" in term.output[start:]:
                    break
                if time.perf_counter() - started > 10:
                    raise RuntimeError("the action form never showed")
                time.sleep(0.0005)
            times.append((time.perf_counter() - started) * 1000)
            term.send(b"\x1b")
            self._wait(lambda: not self.entry_shows("By when"))
        return times

    def idle_cpu(self, seconds: float) -> float:
        """Percent of one core used over `seconds` with nothing typed."""
        before, started = cpu_seconds(self.pid), time.monotonic()
        time.sleep(seconds)
        return 100 * (cpu_seconds(self.pid) - before) / (time.monotonic() - started)

    def cpu_per_capture(self, count: int) -> float:
        """CPU milliseconds per short note typed and captured (for the bare app: typed and cleared)."""
        before = cpu_seconds(self.pid)
        for number in range(count):
            line = f"note {number} typed"
            self.terminal.send(line.encode() + (b"\r" if self.kind == "facilitate" else b"\x15"))
            time.sleep(0.05)
        if self.trial is not None:
            self.trial.wait_for_live(lambda m: len(m.items) >= count, timeout=60)
        time.sleep(0.5)
        return 1000 * (cpu_seconds(self.pid) - before) / count

    def close(self) -> None:
        self.terminal.kill()


def alternate(subjects: dict[str, Subject], keys: int, rng: random.Random) -> dict[str, list[float]]:
    """Keypress latencies of both subjects, a few keys each in turn, so that whatever else the
    machine is doing weighs on both alike."""
    result: dict[str, list[float]] = {name: [] for name in subjects}
    while min(len(values) for values in result.values()) < keys:
        for name, subject in subjects.items():
            result[name] += subject.keypresses(5, rng)
    return result


def run(settings: Settings) -> list[Row]:
    from tests.proof.typing import busy_cores

    quick = settings.quick
    keys = 40 if quick else 150
    idle_seconds = 6.0 if quick else 60.0
    folder = settings.work / "typing"
    shutil.rmtree(folder, ignore_errors=True)
    settings.scratch_folders.append(folder)
    rng = random.Random(5)
    subjects = {kind: Subject(kind, folder / kind) for kind in ("bare", "facilitate")}
    try:
        time.sleep(2.0)  # let start-up work (the archive, the first frames) finish
        # Idle: both measured over the same window.
        before = {kind: (cpu_seconds(s.pid), time.monotonic()) for kind, s in subjects.items()}
        time.sleep(idle_seconds)
        idle = {
            kind: 100 * (cpu_seconds(s.pid) - before[kind][0]) / (time.monotonic() - before[kind][1])
            for kind, s in subjects.items()
        }
        quiet = alternate(subjects, keys, rng)
        with busy_cores():
            busy = alternate(subjects, keys, rng)
        dialog = subjects["facilitate"].dialog_opens(8 if quick else 30)
        capture = {kind: s.cpu_per_capture(10 if quick else 40) for kind, s in subjects.items()}
    finally:
        for subject in subjects.values():
            subject.close()
    ours, bare = "facilitate", "bare"
    return [
        row(f"Keypress to screen p95, real terminal, quiet ({keys} keys)", percentile(quiet[ours], 95), "ms",
            baseline=percentile(quiet[bare], 95), baseline_name="bare Textual Input", max_ratio=1.5,
            note=f"p50 {percentile(quiet[ours], 50):.1f} ms (bare {percentile(quiet[bare], 50):.1f} ms)"),
        row(f"Keypress to screen p95, real terminal, every core busy ({keys} keys)", percentile(busy[ours], 95),
            "ms", baseline=percentile(busy[bare], 95), baseline_name="bare Textual Input", max_ratio=1.5,
            note=f"p50 {percentile(busy[ours], 50):.1f} ms (bare {percentile(busy[bare], 50):.1f} ms)"),
        row(f"Dialog open to first frame p95, action form ({len(dialog)} opens)",
            percentile(dialog, 95), "ms", max_value=100.0, note=f"p50 {percentile(dialog, 50):.1f} ms"),
        row(f"Idle CPU, run screen over {idle_seconds:g} s", idle[ours], "% core",
            baseline=idle[bare], baseline_name="bare app, 1 s Digits clock", max_ratio=1.5),
        row("CPU per capture (a short note typed and captured)", capture[ours], "ms",
            baseline=capture[bare], baseline_name="bare Input, same keys"),
    ]  # fmt: skip


if __name__ == "__main__":  # pragma: no cover - for a quick look: python -m bench.metrics.typing
    sys.path.insert(0, str(ROOT))
    for r in run(Settings.make(quick=True)):
        print(r)
