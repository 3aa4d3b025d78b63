"""The meeting in progress, on disk: a small journal beside the archive.

The first line is a snapshot of the meeting; every later line is one event
(a capture, a pause, a next speaker: `facilitate.events`, documented in
docs/journal.md). Each event is appended and fsynced before the screen shows
it, so a capture costs one small write whatever the size of the archive.
After a crash the meeting is rebuilt by replaying the events over the
snapshot. A torn last line (the power went mid-write) is recognised and
dropped: it was never acknowledged. Any other line that does not read is
handed to the replay as it is, to be kept (`facilitate.session.replay_meeting`).

When a write fails (disk full, folder read-only), the event stays in memory
in `pending` and is written, in order, by the next successful write.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitate.events import JOURNAL_VERSION, Event, to_record
from facilitate.storage.errors import StorageError, describe_os_error
from facilitate.storage.files import atomic_write, fsync_dir, open_private

MAGIC = "facilitate-live"
LIVE_VERSION = JOURNAL_VERSION


class LiveFileError(ValueError):
    """The live file cannot be read as a meeting."""


def _encode(record: dict[str, Any]) -> bytes:
    # ASCII-only JSON: any text, even a lone surrogate from a bad paste, encodes.
    return (json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


@dataclass
class Replay:
    """What was read back from a live file."""

    meeting: dict[str, Any]
    records: list[tuple[str, dict[str, Any] | None]]
    """Each line after the snapshot, in order: its text, and the JSON object it holds (None
    when it holds none: damaged, but kept)."""
    version: int = LIVE_VERSION
    """The journal version the file was written in."""
    torn_tail: bool = False
    wall: float = 0.0
    """Wall time the snapshot was taken."""
    seq: int = 0
    """Sequence number of the snapshot; events continue from it."""
    valid_size: int = 0
    """Bytes up to the end of the last readable line."""

    @property
    def events(self) -> list[dict[str, Any]]:
        """The records that read as JSON objects, in order (not yet checked as events)."""
        return [record for _, record in self.records if record is not None]


@dataclass
class LiveFile:
    path: Path
    seq: int = 0
    pending: list[bytes] = field(default_factory=list)
    _fd: int = -1
    _size: int = 0
    """Bytes known to be fully written; a failed write is cut back to here."""
    _needs_newline: bool = False
    """The file may end in a complete record without its newline."""
    removed: bool = False
    """The meeting went into the archive and the file was removed: nothing more is written."""
    problem: StorageError | None = None
    """Why the last write failed, while what it carried is still pending."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # -- creating and opening ------------------------------------------------

    @classmethod
    def create(cls, path: Path, meeting: dict[str, Any], wall: float) -> LiveFile:
        live = cls(path)
        live._write_snapshot(meeting, wall)
        return live

    @staticmethod
    def read(path: Path) -> Replay:
        """Read a live file without opening it for writing."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise LiveFileError(f"cannot read {path}: {describe_os_error(error)}") from None
        records: list[tuple[str, dict[str, Any] | None]] = []
        torn = False
        valid_size = 0
        position = 0
        while position < len(data):
            end = data.find(b"\n", position)
            last = end < 0
            raw = data[position:] if last else data[position:end]
            next_position = len(data) if last else end + 1
            try:
                record = json.loads(raw)
                if not isinstance(record, dict):
                    raise ValueError("not an object")
            except (ValueError, RecursionError):
                if last:
                    torn = True
                elif raw.strip():
                    records.append((raw.decode("utf-8", "backslashreplace"), None))
                    valid_size = next_position
                position = next_position
                continue
            records.append((raw.decode("utf-8", "backslashreplace"), record))
            # A complete record without its newline is kept; the next write adds one.
            valid_size = next_position if not last else len(data)
            position = next_position
        header = records[0][1] if records else None
        if header is None or header.get("kind") != MAGIC:
            raise LiveFileError(f"{path} is not a facilitate live file")
        version = header.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise LiveFileError(f"{path} has no journal version this facilitate knows ({version!r})")
        if version > LIVE_VERSION:
            raise LiveFileError(f"{path} was written by a newer facilitate (live format {version})")
        meeting = header.get("meeting")
        if not isinstance(meeting, dict):
            raise LiveFileError(f"{path} has no meeting in its first line")
        wall = header.get("wall", 0.0)
        seq = header.get("seq", 0)
        return Replay(
            meeting=meeting,
            records=records[1:],
            version=version,
            torn_tail=torn,
            wall=float(wall) if isinstance(wall, (int, float)) else 0.0,
            seq=seq if isinstance(seq, int) else 0,
            valid_size=valid_size,
        )

    @classmethod
    def resume(cls, path: Path, meeting: dict[str, Any], seq: int, wall: float) -> LiveFile:
        """Continue a replayed meeting: rewrite the file as one fresh snapshot."""
        live = cls(path, seq=seq)
        live._write_snapshot(meeting, wall)
        return live

    @classmethod
    def reopen(cls, path: Path, replay: Replay, seq: int) -> LiveFile:
        """Continue appending to a live file as it is (when a fresh snapshot cannot be written)."""
        return cls(path, seq=seq, _size=replay.valid_size, _needs_newline=True)

    # -- writing ---------------------------------------------------------------

    def _write_snapshot(self, meeting: dict[str, Any], wall: float) -> None:
        self.close()
        header = {"kind": MAGIC, "version": LIVE_VERSION, "seq": self.seq, "wall": wall, "meeting": meeting}
        data = _encode(header)
        try:
            atomic_write(self.path, data)
        except OSError as error:
            raise StorageError(f"Could not save the meeting: {describe_os_error(error)}", error) from None
        self._size = len(data)

    def _open(self) -> None:
        if self._fd < 0:
            # Never O_CREAT: the snapshot made the file. Recreating a file that
            # has gone would start it with a hole where the snapshot was.
            self._fd = open_private(self.path, os.O_WRONLY)
            os.lseek(self._fd, self._size, os.SEEK_SET)

    def append(self, event: Event) -> Event:
        """Number the event and make it durable. Raises `StorageError`, keeping it pending."""
        self.add(event)
        self.flush()
        return event

    def add(self, event: Event) -> Event:
        """Number the event and keep it pending: the next `flush` makes it durable (one fsync for
        a burst of phones' submissions, each answered only once flushed)."""
        self.seq += 1
        event.seq = self.seq
        self.pending.append(_encode(to_record(event)))
        return event

    def flush(self) -> None:
        """Write whatever is pending. Raises `StorageError` if the disk still refuses.

        Safe from a worker thread while the event loop's thread adds events: one flush runs at
        a time, and what is added meanwhile waits for the next."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        count = len(self.pending)
        if not count:
            return
        if self.removed:
            raise StorageError("Not saved: the meeting has already gone into the archive.")
        data = b"".join(self.pending[:count])
        if self._needs_newline:
            data = b"\n" + data
        try:
            self._open()
            # A failed earlier write may have left part of a line; cut it off.
            os.ftruncate(self._fd, self._size)
            os.lseek(self._fd, self._size, os.SEEK_SET)
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as error:
            self._drop_fd()
            self.problem = StorageError(
                f"Not saved yet: {describe_os_error(error)}. Kept in memory; facilitate will keep trying.",
                error,
            )
            raise self.problem from None
        self._size += len(data)
        self._needs_newline = False
        del self.pending[:count]
        self.problem = None

    def _drop_fd(self) -> None:
        if self._fd >= 0:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = -1

    def close(self) -> None:
        with self._lock:
            self._drop_fd()

    def remove(self) -> None:
        self.close()
        self.removed = True
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        fsync_dir(self.path.parent)
