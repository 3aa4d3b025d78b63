"""A disk that fails on demand, for the fault tests of the core and the app.

`Disk` wraps the `os` calls facilitate writes with (open, write, fsync,
ftruncate, replace, link, unlink) and fails them for paths under one folder
only, so Textual, pytest and the rest of the process carry on untouched. It
stands in for:

- a full disk: `ENOSPC` from write and fsync, after part of the data went
  down if `partial` (a write the disk could only partly take);
- a read-only folder or a permission problem: `EROFS` or `EACCES` when a
  file is opened for writing, created, renamed or removed;
- a power cut: part of a write reaches the disk and then nothing more does
  (the test drops the process's state and reads the files back).

Tests run as root here, where chmod cannot make a folder read-only, so the
refusals are injected rather than made with permissions.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

FULL = errno.ENOSPC
READ_ONLY = errno.EROFS
DENIED = errno.EACCES
IO_ERROR = errno.EIO

WRITE_CALLS = {"write", "fsync"}
"""Where a full disk shows."""
OPEN_CALLS = {"open", "replace", "link", "unlink", "ftruncate"}
"""Where a read-only folder or a refused permission shows."""


@dataclass
class Disk:
    folder: Path
    error: int | None = None
    calls: set[str] = field(default_factory=set)
    partial: bool = False
    """A failing write first writes half of what it was given."""
    injected: int = 0
    """How many calls were made to fail."""
    _fds: dict[int, str] = field(default_factory=dict)
    _real: dict[str, object] = field(default_factory=dict)

    # -- switching faults ------------------------------------------------------------

    def full(self, *, partial: bool = True) -> None:
        self.error, self.calls, self.partial = FULL, set(WRITE_CALLS), partial

    def read_only(self, code: int = READ_ONLY) -> None:
        self.error, self.calls, self.partial = code, set(OPEN_CALLS), False

    def power_cut(self) -> None:
        """The next write goes half way; every write after it fails too."""
        self.error, self.calls, self.partial = IO_ERROR, set(WRITE_CALLS) | {"replace", "link"}, True

    def fail(self, code: int, *calls: str, partial: bool = False) -> None:
        self.error, self.calls, self.partial = code, set(calls), partial

    def heal(self) -> None:
        self.error, self.calls, self.partial = None, set(), False

    # -- installing ----------------------------------------------------------------------

    def install(self, monkeypatch) -> Disk:
        for name in ("open", "write", "fsync", "ftruncate", "replace", "link", "unlink", "close"):
            self._real[name] = getattr(os, name)
        monkeypatch.setattr(os, "open", self._open)
        monkeypatch.setattr(os, "write", self._write)
        monkeypatch.setattr(os, "fsync", self._fsync)
        monkeypatch.setattr(os, "ftruncate", self._ftruncate)
        monkeypatch.setattr(os, "replace", self._replace)
        monkeypatch.setattr(os, "link", self._link)
        monkeypatch.setattr(os, "unlink", self._unlink)
        monkeypatch.setattr(os, "close", self._close)
        return self

    def _ours(self, path) -> bool:
        try:
            return Path(os.fspath(path)).absolute().is_relative_to(self.folder)
        except TypeError:
            return False

    def _refuse(self, call: str) -> None:
        if self.error is not None and call in self.calls:
            self.injected += 1
            raise OSError(self.error, os.strerror(self.error))

    def _open(self, path, flags, mode=0o777, *, dir_fd=None):
        ours = self._ours(path)
        if ours and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            self._refuse("open")
        fd = self._real["open"](path, flags, mode, dir_fd=dir_fd)
        if ours:
            self._fds[fd] = os.fspath(path)
        return fd

    def _write(self, fd, data):
        if fd in self._fds and self.error is not None and "write" in self.calls:
            if self.partial and len(data) > 1:
                self._real["write"](fd, bytes(data[: len(data) // 2]))
            self._refuse("write")
        return self._real["write"](fd, data)

    def _fsync(self, fd):
        if fd in self._fds:
            self._refuse("fsync")
        return self._real["fsync"](fd)

    def _ftruncate(self, fd, length):
        if fd in self._fds:
            self._refuse("ftruncate")
        return self._real["ftruncate"](fd, length)

    def _replace(self, src, dst, **kwargs):
        if self._ours(dst):
            self._refuse("replace")
        return self._real["replace"](src, dst, **kwargs)

    def _link(self, src, dst, **kwargs):
        if self._ours(dst):
            self._refuse("link")
        return self._real["link"](src, dst, **kwargs)

    def _unlink(self, path, **kwargs):
        if self._ours(path):
            self._refuse("unlink")
        return self._real["unlink"](path, **kwargs)

    def _close(self, fd):
        self._fds.pop(fd, None)
        return self._real["close"](fd)


def stray_files(folder: Path) -> list[str]:
    """Temporary files left behind: a half-written file that could be mistaken for data."""
    return sorted(path.name for path in folder.rglob("*.tmp"))
