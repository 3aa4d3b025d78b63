"""Whole processes: start-up to the first frame, and peak memory, of facilitate and a bare app.

Each child is `python -c SCRIPT`, started the same way for facilitate and for
the bare Textual app (Header, Static, Footer), from the repository's folder.
A child says "frame" on standard output when its screen's first frame is
composed (Textual's headless driver composes every frame and only skips
writing it to a terminal), then ends at once; the parent times the whole
process from spawning it to that line. For memory, the child reports its peak
resident set, VmHWM from /proc/self/status: what `ru_maxrss` means, without
the parent's own peak, which Linux carries over into a child's `ru_maxrss`
across the fork and exec that start it (a benchmark process that has loaded a
large archive would otherwise make every child look as large).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import ROOT

_FIRST_FRAME = """
import os, sys
def _on_first_frame(app, wanted):
    original = app._display
    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None and not app._batch_count and wanted(screen):
            sys.stdout.write("frame\\n")
            sys.stdout.flush()
            os._exit(0)
    app._display = display
"""

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("A bare Textual app")
        yield Footer()

app = Bare()
"""

FACILITATE_APP = """
from pathlib import Path
from facilitate.config import Config
from screens.app import make_app

app = make_app(Config(db_path=Path(sys.argv[1])))
"""

STARTUP_BARE = _FIRST_FRAME + BARE_APP + """
_on_first_frame(app, lambda screen: True)
app.run(headless=True, size=(100, 30))
"""

STARTUP_FACILITATE = _FIRST_FRAME + FACILITATE_APP + """
from screens.home import HomeScreen
_on_first_frame(app, lambda screen: isinstance(screen, HomeScreen))
app.run(headless=True, size=(100, 30))
"""

# Memory: run until the archive is loaded (the home screen lists its meetings),
# optionally open the history and wait until every row is in; then end.
_MEMORY_WAIT = """
import asyncio

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await until(lambda: ready(app), pilot)
        await pilot.pause()
        if HISTORY:
            from screens.history import HistoryScreen, HistoryTable
            app.push_screen(HistoryScreen())
            await pilot.pause()
            def filled():
                screen = app.screen
                if getattr(screen, "review", None) is None:
                    return False
                table = screen.query_one(HistoryTable)
                return not table.filling and table.row_count == len(screen.review.meetings)
            await until(filled, pilot)
        sys.stdout.write(f"loaded {peak_kb()}\\n")
        sys.stdout.flush()
        os._exit(0)

def peak_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

async def until(check, pilot, timeout=600.0):
    import time
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        await pilot.pause(0.02)
"""

MEMORY_BARE = "import os, sys\nHISTORY = False\n" + BARE_APP + _MEMORY_WAIT + """
def ready(app):
    return app.screen.query("Footer")
asyncio.run(main())
"""

MEMORY_FACILITATE = "import os, sys\nHISTORY = sys.argv[2] == 'history'\n" + FACILITATE_APP + _MEMORY_WAIT + """
def ready(app):
    from screens.home import HomeScreen
    if app.archive_state == "error":
        raise SystemExit(f"the archive did not open: {app.archive_error}")
    if app.archive_state != "ready" or not isinstance(app.screen, HomeScreen):
        return False
    from textual.widgets import DataTable
    tables = app.screen.query(DataTable)
    return len(app.archive) == 0 or any(t.row_count for t in tables)
asyncio.run(main())
"""


@dataclass
class ChildResult:
    seconds: float
    """From spawning the process to its line on standard output."""
    max_rss_mb: float
    """Peak resident memory of the child (its VmHWM; ru_maxrss where it does not say)."""


def run_child(script: str, *args: str, expect: str, timeout: float = 900.0) -> ChildResult:
    env = dict(os.environ)
    env.pop("TEXTUAL", None)  # no devtools in a benchmark
    # Bytecode written and read as on a facilitator's machine: the first run warms it for
    # both apps. (With it off, each start compiles every module again, which weighs on
    # the app with more code of its own, and a run measures whatever happens to be cached.)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    seconds = time.perf_counter() - started
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    words = line.decode().split()
    if not words or words[0] != expect:
        raise RuntimeError(f"the child process failed ({process.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    peak_kb = int(words[1]) if len(words) > 1 else usage.ru_maxrss
    return ChildResult(seconds, peak_kb / 1024)


def startup_bare() -> ChildResult:
    return run_child(STARTUP_BARE, expect="frame")


def startup_facilitate(archive: Path) -> ChildResult:
    return run_child(STARTUP_FACILITATE, str(archive), expect="frame")


def memory_bare() -> ChildResult:
    return run_child(MEMORY_BARE, expect="loaded")


def memory_facilitate(archive: Path, *, history: bool = False) -> ChildResult:
    return run_child(MEMORY_FACILITATE, str(archive), "history" if history else "home", expect="loaded")
