"""What goes wrong with files on disk, said without personal data.

- `ArchiveError`: the archive file cannot be used as it is (damaged, of a
  newer version, read-only); it is left untouched.
- `StorageError`: a write failed; what was to be written is still in memory.
- `describe_os_error`: a short, human reason for an operating-system error.
"""

from __future__ import annotations

import errno
from pathlib import Path


class ArchiveError(RuntimeError):
    """The archive file cannot be used as it is. It is left untouched."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class StorageError(OSError):
    """Writing to disk failed; the data is still in memory."""

    def __init__(self, message: str, cause: OSError | None = None) -> None:
        self.cause = cause
        super().__init__(cause.errno if cause else None, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def describe_os_error(error: OSError) -> str:
    """A short, human reason for a failed write, without personal data."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the folder is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EDQUOT: "the disk quota is used up",
        errno.EIO: "the disk reported an error",
        errno.ENOENT: "the file or its folder is no longer there",
    }
    return reasons.get(error.errno or -1, error.strerror or type(error).__name__)
