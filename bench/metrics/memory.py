"""8. Peak resident memory with the big archive loaded, against a bare Textual app plus 3x the file;
and the archive's size per meeting.

Each is a child process (see `bench.children`): facilitate runs headless
until the home screen lists the archive's meetings; the bare app until its
first screen is up. Also shown: facilitate with the history fully loaded.

The size is the whole file (people, series and segment settings included)
over its meetings, in KB of 1,000 bytes, against each meeting's full record
(`Meeting.to_dict()`, as schema 2 stored every field).
"""

from __future__ import annotations

from bench import children
from bench.archives import archive, size_mb
from bench.harness import Row, Settings, row


def record_bytes(path) -> tuple[int, int]:
    """The meetings' bytes as stored, and as their full records (`Meeting.to_dict()`, what
    schema 2 stored)."""
    import json

    from facilitate.archive import Archive
    from facilitate.models import Meeting
    from facilitate.packing import unpack
    from facilitate.storage.layout import encode

    archive = Archive(path, read_only=True).open(index=False)
    table = archive.storage.meetings()
    settings = archive.settings()
    stored = full = 0
    for key in table:
        raw = table.raw(key)
        stored += len(raw)
        full += len(encode(Meeting.from_dict(unpack(json.loads(raw), settings)).to_dict()))
    return stored, full


def size_rows(path, meetings: int, stored: int, full: int) -> list[Row]:
    """Bytes a meeting takes in the archive file, against its full record."""
    per_meeting = path.stat().st_size / max(meetings, 1) / 1000
    return [
        row("Archive size per meeting", per_meeting, "KB", max_value=4.0,
            baseline=full / max(meetings, 1) / 1000, baseline_name="its full record, as schema 2 stored it",
            note=f"the meetings alone {stored / max(meetings, 1) / 1000:.2f} KB each; "
                 f"the file {path.stat().st_size / 1e6:.1f} MB for {meetings:,} meetings"),
    ]  # fmt: skip


def run(settings: Settings) -> list[Row]:
    path = archive(settings.meetings, settings)
    file_mb = size_mb(path)
    stored, full = record_bytes(path)
    # Against the meetings' full records, not the file: the file is packed (about a quarter of
    # them since schema 3), and what the app holds is the meetings it reads from it.
    records_mb = full / 1e6
    bare = min(children.memory_bare().max_rss_mb for _ in range(2))
    loaded = children.memory_facilitate(path).max_rss_mb
    history = children.memory_facilitate(path, history=True).max_rss_mb
    allowed = bare + 3 * records_mb
    name = f"bare app {bare:.0f} MB + 3× {records_mb:.0f} MB of records"
    note = f"the file itself {file_mb:.1f} MB"
    return [
        row(f"Peak memory, {settings.meetings:,} meetings loaded", loaded, "MB", baseline=allowed,
            baseline_name=name, max_ratio=1.0, target="≤ bare + 3× the full records", note=note),
        row(f"Peak memory, {settings.meetings:,} meetings, history open", history, "MB", baseline=allowed,
            baseline_name=name, max_ratio=1.0, target="≤ bare + 3× the full records", note=note),
        *size_rows(path, settings.meetings, stored, full),
    ]  # fmt: skip
