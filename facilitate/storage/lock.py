"""One process writes an archive at a time.

The lock is an operating-system file lock on `<archive>.lock`, beside the
archive's real file (`paths.lock_path_for`) (so every path to one archive, links included, meets the
same lock), held for the life of the process. `portalocker` takes it the
same way on every system (`flock` on Linux and macOS, `LockFileEx` or
`msvcrt.locking` on Windows). The operating system releases it when the
process dies, however it dies, so a lock left by a killed process never
blocks the next start: the stale file is simply locked again.

Holding the lock writes nothing: on a full disk it still holds, so the
meeting in progress can be resumed and the archive read. The file records
the holder's process id and start time, for the message a second instance
shows; that stamp is written when the disk takes it (`stamp`, retried by
`keep_stamping`). On Windows the lock covers the stamp's bytes, so a second
instance there cannot read who holds it.
"""

from __future__ import annotations

import errno
import os
import platform
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import portalocker

from facilitate.storage.files import open_private, write_all
from facilitate.storage.paths import lock_path_for

STAMP_RETRY_SECONDS = 5.0


class LockedError(RuntimeError):
    """Another facilitate has this archive open."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"Another facilitate is using this archive ({holder}). "
            "Close it first, or open past meetings read-only with --read-only."
        )


@dataclass
class ArchiveLock:
    path: Path
    _fd: int = -1
    stamped: bool = False
    """The holder's stamp is in the file (not yet, when the disk refused it)."""
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _mutex: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Held while the descriptor is written or closed (the stamp may be retried from a thread)."""

    @classmethod
    def for_archive(cls, archive: Path) -> ArchiveLock:
        return cls(lock_path_for(archive))

    def acquire(self) -> None:
        """Take the lock, or raise `LockedError` (someone has it) or OSError (the folder refuses)."""
        fd = self._open()
        try:
            portalocker.lock(fd, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
        except portalocker.AlreadyLocked:
            holder = self._read_holder(fd)
            os.close(fd)
            raise LockedError(self.path, holder) from None
        except portalocker.LockException as error:
            os.close(fd)
            cause = error.__cause__ if isinstance(error.__cause__, OSError) else None
            raise OSError(cause.errno if cause else errno.ENOLCK, f"cannot lock {self.path}") from error
        self._fd = fd
        self._stop.clear()
        self.stamp()

    def _open(self) -> int:
        try:
            return open_private(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as error:
            # A folder that refuses writing (read-only, or not ours): a lock
            # held through a descriptor opened for reading still excludes others.
            if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and self.path.is_file():
                return os.open(self.path, os.O_RDONLY)
            raise

    def stamp(self) -> bool:
        """Write who holds the lock, if the disk takes it. True once it is written."""
        text = f"pid {os.getpid()} on {platform.node()} since {datetime.now():%H:%M %d %b}\n"
        with self._mutex:
            if self._fd < 0 or self.stamped:
                return self.stamped
            try:
                # Emptying first needs no space, so a stale stamp never outlives its process.
                os.ftruncate(self._fd, 0)
                os.lseek(self._fd, 0, os.SEEK_SET)
                write_all(self._fd, text.encode())
            except OSError:
                try:
                    os.ftruncate(self._fd, 0)  # no half a stamp: the next try writes it whole
                except OSError:
                    pass
                return False
            self.stamped = True
            return True

    def keep_stamping(self, every: float = STAMP_RETRY_SECONDS) -> threading.Thread | None:
        """Until the stamp is written (or the lock released), try again every `every` seconds."""
        if self.stamped or self._fd < 0:
            return None

        def retry() -> None:
            while not self._stop.wait(every):
                if self.stamp() or self._fd < 0:
                    return

        thread = threading.Thread(target=retry, name="facilitate-lock-stamp", daemon=True)
        thread.start()
        return thread

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            return os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown process"
        except OSError:
            return "unknown process"

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        self._stop.set()
        with self._mutex:
            if self._fd < 0:
                return
            fd, self._fd = self._fd, -1
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            try:
                portalocker.unlock(fd)
            except (portalocker.LockException, OSError):
                pass  # closing releases it anyway
            os.close(fd)
            self.stamped = False

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
