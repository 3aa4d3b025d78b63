"""1. Start-up to the home screen's first frame, with the big archive, against a bare Textual app.

Both are whole processes started the same way (see `bench.children`), run
alternately so that whatever else the machine is doing weighs on both.
"""

from __future__ import annotations

from bench import children
from bench.archives import archive
from bench.harness import Row, Settings, median, row


def run(settings: Settings) -> list[Row]:
    path = archive(settings.meetings, settings)
    children.startup_bare()  # warm the disk cache and the bytecode for both
    children.startup_facilitate(path)
    # A start-up is short and the machine may be busy with other work: more pairs than elsewhere.
    reps = 5 if settings.quick else 15
    bare, ours = [], []
    for _ in range(reps):
        bare.append(children.startup_bare().seconds)
        ours.append(children.startup_facilitate(path).seconds)
    return [
        row(
            f"Start-up to first frame, {settings.meetings:,} meetings (median of {reps})",
            median(ours), "s",
            baseline=median(bare), baseline_name="bare Textual app", max_ratio=1.3,
        )  # fmt: skip
    ]
