"""Writing files so that a crash leaves the old version or the new one, never a torn one.

Files are created readable by the user alone (folders too, where facilitate
makes them). A whole-file write goes to a temporary file in the same folder,
is fsynced, then replaces the original, and the folder is fsynced so that the
rename itself survives a power cut (`atomic_write`). A copy is made the same
way (`copy_whole`), so a copy cut short never passes for a whole one.

Readers elsewhere open, read and close: on Windows a file held open cannot be
replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from facilitate.storage.paths import real_path

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) as a folder only the user can read.

    Existing folders we did not create are left as they are: the user may have
    chosen to put the archive somewhere shared on purpose.
    """
    if path.is_dir():
        return
    # Each missing folder on the way made private too: mkdir(parents=True)
    # would make the parents with the umask's permissions.
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        try:
            os.chmod(folder, DIR_MODE)
        except OSError:  # pragma: no cover - exotic filesystems
            pass


def open_private(path: Path, flags: int) -> int:
    """os.open with user-only permissions for any file it creates."""
    ensure_private_dir(path.parent)
    return os.open(path, flags, FILE_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | str | list[bytes], *, mode: int = FILE_MODE) -> None:
    """Replace `path` with `data`: temporary file, fsync, rename, fsync folder.

    `data` may be a list of pieces, written in order without joining them
    first (the archive writes thousands of records it already holds encoded).
    A symbolic link is followed: the file it points to is replaced, and the
    link stays. Raises OSError (ENOSPC, EROFS, EACCES...) with the original
    file untouched.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.is_symlink():
        path = real_path(path)
    folder = path.parent
    ensure_private_dir(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # pragma: no cover - Windows before Python 3.13
            os.chmod(tmp, mode)
        write_all(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(folder)


def copy_whole(source: Path, target: Path) -> None:
    """Copy `source` to `target` whole or not at all (a copy cut short by a crash must not pass for a backup)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # The system's own copy (copy_file_range, sendfile, CopyFile): the bytes never pass through Python.
        shutil.copyfile(source, tmp)
        os.chmod(tmp, FILE_MODE)
        fd = os.open(tmp, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(target.parent)


def write_all(fd: int, data: bytes | list[bytes]) -> None:
    """Write all of `data` (bytes, or pieces in order) to `fd`, however much each call takes."""
    if isinstance(data, list):
        _write_pieces(fd, data)
        return
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_pieces(fd: int, pieces: list[bytes]) -> None:
    """Write every piece, many to a system call (`writev`), whatever each call takes."""
    step = 512  # below every system's limit on pieces per call (IOV_MAX, 1024 on Linux)
    for start in range(0, len(pieces), step):
        batch = pieces[start : start + step]
        expected = sum(map(len, batch))
        written = os.writev(fd, batch) if hasattr(os, "writev") else 0
        if written == expected:
            continue
        # A short write (or no writev): the rest, piece by piece.
        rest = memoryview(b"".join(batch))[written:]
        while rest:
            rest = rest[os.write(fd, rest) :]
