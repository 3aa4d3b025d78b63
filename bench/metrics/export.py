"""6. Exporting the whole big archive to a folder, and again with nothing changed.

The command a facilitator runs, as a whole process:
`facilitate export --all --to DIR`. First into an empty folder; then again
into the same folder, where nothing has changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from bench.archives import archive, copy_archive, scratch
from bench.harness import ROOT, Row, Settings, median, row


def export(db_path, folder) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "--db", str(db_path), "export", "--all", "--to", str(folder)],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"export failed ({result.returncode}): {result.stderr[-2000:]}")
    return seconds


def run(settings: Settings) -> list[Row]:
    source = archive(settings.meetings, settings)
    work = scratch(settings, "export")
    db_path = copy_archive(source, work)
    first = []
    for rep in range(settings.export_reps):
        folder = work / f"wiki-{rep}"
        if folder.exists():
            shutil.rmtree(folder)
        first.append(export(db_path, folder))
    again = [export(db_path, folder) for _ in range(max(2, settings.export_reps + 1))]
    pages = sum(1 for _ in folder.iterdir())
    n = f"{settings.meetings:,}"
    return [
        row(f"Export {n} meetings to a folder (median of {len(first)})", median(first), "s", max_value=10.0,
            note=f"{pages:,} files written"),
        row(f"Export again, nothing changed (median of {len(again)})", median(again), "s", max_value=2.0),
    ]  # fmt: skip
