"""8. Peak resident memory with the big archive loaded, against a bare Textual app plus 3x the file.

Each is a child process (see `bench.children`): facilitate runs headless
until the home screen lists the archive's meetings; the bare app until its
first screen is up. Also shown: facilitate with the history fully loaded.
"""

from __future__ import annotations

from bench import children
from bench.archives import archive, size_mb
from bench.harness import Row, Settings, row


def run(settings: Settings) -> list[Row]:
    path = archive(settings.meetings, settings)
    file_mb = size_mb(path)
    bare = min(children.memory_bare().max_rss_mb for _ in range(2))
    loaded = children.memory_facilitate(path).max_rss_mb
    history = children.memory_facilitate(path, history=True).max_rss_mb
    allowed = bare + 3 * file_mb
    name = f"bare app {bare:.0f} MB + 3× {file_mb:.0f} MB file"
    return [
        row(f"Peak memory, {settings.meetings:,} meetings loaded", loaded, "MB",
            baseline=allowed, baseline_name=name, max_ratio=1.0, target="≤ bare + 3× file"),
        row(f"Peak memory, {settings.meetings:,} meetings, history open", history, "MB",
            baseline=allowed, baseline_name=name, max_ratio=1.0, target="≤ bare + 3× file"),
    ]  # fmt: skip
