"""4. Finishing a meeting into the big archive, against `json.dump` + fsync of the same data.

Finishing is what the run screen's worker does: keep a backup of the archive
(`Archive.backup`), then `Archive.save_meeting` (the meeting, its new people,
its series, matters arising) durably. The baseline writes the archive's whole
data, as plain dicts, with `json.dump` and fsyncs it, in the same folder.
"""

from __future__ import annotations

import gc
import json
import os
import time

from bench.archives import archive, copy_archive, scratch
from bench.harness import Row, Settings, median, row


def new_meetings(count: int):
    """Realistic finished meetings that are not in the archive yet."""
    from bench.generate import generate
    from facilitate.models import Meeting, new_id

    meetings = []
    for doc in list(generate(count, seed=4242)["meetings"].values())[:count]:
        meeting = Meeting.from_dict(doc)
        meeting.id = new_id()
        meetings.append(meeting)
    return meetings


def run(settings: Settings) -> list[Row]:
    from facilitate.archive import Archive

    source = archive(settings.meetings, settings)
    folder = scratch(settings, "finish")
    db_path = copy_archive(source, folder)
    arch = Archive(db_path)
    arch.validate()  # as the app has it open while the meeting runs
    arch.listings()
    timings = []
    for meeting in new_meetings(settings.reps):
        started = time.perf_counter()
        arch.backup()
        arch.save_meeting(meeting)
        timings.append(time.perf_counter() - started)
    del arch
    gc.collect()

    with open(db_path, "rb") as file:
        data = json.load(file)
    target = folder / "baseline.json"
    baseline = []
    for _ in range(settings.reps):
        started = time.perf_counter()
        with open(target, "w", encoding="ascii") as file:
            json.dump(data, file, ensure_ascii=True, separators=(",", ":"))
            file.flush()
            os.fsync(file.fileno())
        baseline.append(time.perf_counter() - started)
    del data
    gc.collect()
    return [
        row(
            f"Finish a meeting into {settings.meetings:,} meetings (median of {settings.reps})",
            median(timings), "s",
            baseline=median(baseline), baseline_name="json.dump + fsync", max_ratio=1.5,
        )  # fmt: skip
    ]
