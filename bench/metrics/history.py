"""5. History at scale: first rows, fully loaded, and a search across notes.

- First rows: the history opened (as a facilitator would, from the home
  screen) once the app has read the archive, until its table shows rows.
- Fully loaded: the history opened the moment the app is up, before it has
  read the archive, until every meeting is in its table, against a plain
  `json.load` of the archive file in the same run.
- Search: `Review.history(query=...)` over every meeting's titles, notes,
  decisions, actions, people and organisations, for several queries; also,
  for information, the screen's search from Enter until the table shows the
  result.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time

from bench.archives import archive, copy_archive, scratch
from bench.harness import Row, Settings, median, percentile, row

QUERIES = ["referral route", "discharge", "carers", "patel", "zoë", "winter pressures volunteers", "xyzzy", "mill road"]


async def until(check, pilot, timeout: float = 900.0, step: float = 0.005) -> float:
    """Wait until `check()` holds; returns the perf_counter time it was first seen to.

    Plain sleeps: the app runs in this event loop, and `Pilot.pause` would force
    a screen update on every look, slowing down what is being measured.
    """
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise TimeoutError("the benchmark waited too long")
        await asyncio.sleep(step)
    return time.perf_counter()


def _filled(app) -> bool:
    from screens.history import HistoryScreen, HistoryTable

    screen = app.screen
    if not isinstance(screen, HistoryScreen) or screen.review is None:
        return False
    tables = screen.query(HistoryTable)
    return bool(tables) and not tables.first().filling and tables.first().row_count == len(screen.review.meetings)


def _rows(app) -> int:
    from screens.history import HistoryScreen, HistoryTable

    screen = app.screen
    tables = screen.query(HistoryTable) if isinstance(screen, HistoryScreen) else []
    return tables.first().row_count if tables else 0


async def opened_at_start(db_path) -> tuple[float, float, object]:
    from facilitate.config import Config
    from screens.app import make_app
    from screens.history import HistoryScreen

    app = make_app(Config(db_path=db_path, bell=False))
    async with app.run_test(size=(120, 40)) as pilot:
        # Opened as soon as the app is up, before it has read the archive: the history
        # then waits for the archive, so this is the longest it can take.
        started = time.perf_counter()
        app.push_screen(HistoryScreen())
        first = await until(lambda: _rows(app) > 0, pilot)
        full = await until(lambda: _filled(app), pilot, step=0.02)
        await pilot.pause()
        ui = await screen_search(app, pilot)
    return first - started, full - started, ui


async def opened_when_ready(db_path) -> tuple[float, float]:
    from facilitate.config import Config
    from screens.app import make_app
    from screens.history import HistoryScreen

    app = make_app(Config(db_path=db_path, bell=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: app.archive_state != "loading", pilot, step=0.02)
        await pilot.pause(0.5)  # the home screen lists the meetings
        opened = time.perf_counter()
        app.push_screen(HistoryScreen())
        first = await until(lambda: _rows(app) > 0, pilot, step=0.002)
        full = await until(lambda: _filled(app), pilot, step=0.02)
    return first - opened, full - opened


async def screen_search(app, pilot) -> list[float]:
    """From Enter in the search box until the table holds the matches."""
    from textual.widgets import Input

    from screens.history import HistoryTable

    screen = app.screen
    timings = []
    for query in QUERIES[:4]:
        box = screen.query_one("#search", Input)
        box.value = query
        await pilot.pause(0.3)  # let the as-you-type search run first
        box.focus()
        await pilot.pause()
        expected = len(screen.review.history(query=query))
        started = time.perf_counter()
        await pilot.press("enter")
        table = screen.query_one(HistoryTable)
        await until(lambda: not table.filling and table.row_count == expected and "for “" in _status(screen), pilot, step=0.002)
        timings.append(time.perf_counter() - started)
    return timings


def _status(screen) -> str:
    from textual.widgets import Static

    content = screen.query_one("#status", Static).content
    return str(getattr(content, "plain", content))


def core_search(db_path, reps: int) -> list[float]:
    from facilitate.archive import Archive
    from facilitate.review import Review

    arch = Archive(db_path, read_only=True).open()
    review = Review()
    review.refresh(arch)
    timings = []
    for _ in range(reps):
        for query in QUERIES:
            started = time.perf_counter()
            review.history(query=query)
            timings.append(time.perf_counter() - started)
    return timings


def run(settings: Settings) -> list[Row]:
    source = archive(settings.meetings, settings)
    folder = scratch(settings, "history")
    db_path = copy_archive(source, folder)
    loads = []
    for _ in range(min(settings.reps, 3)):
        started = time.perf_counter()
        with open(db_path, "rb") as file:
            data = json.load(file)
        loads.append(time.perf_counter() - started)
        del data
        gc.collect()
    baseline = median(loads)
    first_cold, full_cold, ui = asyncio.run(opened_at_start(db_path))
    gc.collect()
    first_ready, full_ready = asyncio.run(opened_when_ready(db_path))
    gc.collect()
    search = core_search(db_path, 5 if settings.quick else 10)
    n = f"{settings.meetings:,}"
    return [
        row(f"History first rows, {n} meetings, opened from home", first_ready, "s", max_value=0.3,
            note=f"fully loaded {full_ready:.2f} s after opening"),
        row(f"History first rows, {n} meetings, opened at start-up", first_cold, "s"),
        row(f"History fully loaded, {n} meetings, opened at start-up", full_cold, "s",
            baseline=baseline, baseline_name="json.load of the file", max_ratio=1.5),
        row(f"History search across notes, {n} meetings (p95 of {len(search)})", percentile(search, 95) * 1000, "ms",
            max_value=50.0, note=f"median {median(search) * 1000:.1f} ms; queries: {', '.join(QUERIES)}"),
        row(f"History search on screen, Enter to rows (median of {len(ui)})", median(ui) * 1000, "ms"),
    ]  # fmt: skip
