"""One process writes an archive at a time.

The lock is an OS file lock (`flock`) on `<archive>.lock`, held for the life
of the process. The operating system releases it when the process dies,
however it dies, so a lock left by a killed process never blocks the next
start: the stale file is simply locked again. The file records the holder's
process id and start time, for the message a second instance shows.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facilitate.paths import open_private

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class LockedError(RuntimeError):
    """Another facilitate has this archive open."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"Another facilitate is using this archive ({holder}). "
            "Close it first, or open past meetings read-only with --read-only."
        )


def lock_path_for(archive: Path) -> Path:
    return archive.with_name(archive.name + ".lock")


@dataclass
class ArchiveLock:
    path: Path
    _fd: int = -1

    @classmethod
    def for_archive(cls, archive: Path) -> ArchiveLock:
        return cls(lock_path_for(archive))

    def acquire(self) -> None:
        fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = self._read_holder(fd)
                os.close(fd)
                raise LockedError(self.path, holder) from None
        stamp = f"pid {os.getpid()} on {platform.node()} since {datetime.now():%H:%M %d %b}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        self._fd = fd

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown process"
        except OSError:
            return "unknown process"

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        if self._fd < 0:
            return
        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
