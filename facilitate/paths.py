"""Where facilitate keeps its files, and how it writes them safely.

Every path the app uses comes from here. Files are created readable by the
user alone, and whole-file writes go to a temporary file in the same folder,
are fsynced, and then replace the original, so a crash leaves either the old
file or the new one, never a torn one.

The archive's path is resolved once, links and all (`resolve_db_path`): its
lock, live file and backups sit beside the real file, so two paths to one
archive (a link into a synced folder, say) share one lock, and a write
replaces the real file, leaving the link a link.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

APP_NAME = "facilitate"
DB_ENV = "FACILITATE_DB"
CONFIG_ENV = "FACILITATE_CONFIG"

FILE_MODE = 0o600
DIR_MODE = 0o700


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The archive's real path: `--db`, else `$FACILITATE_DB`, else the user data folder.

    Symbolic links are followed (a link to a link too, and a link to a file
    not made yet), so everything derived from the path is the real file's.
    """
    if cli_value:
        return real_path(Path(cli_value).expanduser())
    env = os.environ.get(DB_ENV)
    if env:
        return real_path(Path(env).expanduser())
    return real_path(default_data_dir() / "archive.json")


def real_path(path: Path) -> Path:
    """`path` with every symbolic link on the way resolved, absolute."""
    return Path(os.path.realpath(path))


_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{name}{n}" for name in ("COM", "LPT") for n in "123456789"]
)
_SPECIAL_FOLDERS = ("/dev", "/proc", "/sys")


def archive_path_problem(path: Path, *, windows: bool = sys.platform == "win32") -> str | None:
    """Why `path` (already resolved) cannot be an archive, or None.

    An archive is a regular file (or one not made yet): never a device such as
    `/dev/null`, a pipe, a socket, or a path in the system's device and process
    folders, where writing a lock or a backup beside it makes no sense.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        return f"{path} cannot be looked at ({error.strerror or error})"
    if mode is not None and stat.S_ISDIR(mode):
        return f"{path} is a folder, not an archive file"
    if mode is not None and not stat.S_ISREG(mode):
        kind = (
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a pipe" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file"
        )  # fmt: skip
        return f"{path} is {kind}, not an archive file"
    if not windows:
        for folder in map(Path, _SPECIAL_FOLDERS):
            if path == folder or folder in path.parents:
                return f"{path} is in the system folder {folder}, not a place for an archive"
    if windows and path.stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        return f"{path} names a Windows device ({path.stem.split('.')[0]}), not an archive file"
    return None


def user_formats_dir() -> Path:
    return default_config_dir() / "formats"


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


def open_private(path: Path, flags: int) -> int:
    """os.open with user-only permissions for any file it creates."""
    ensure_private_dir(path.parent)
    return os.open(path, flags, FILE_MODE)


def live_path_for(archive: Path) -> Path:
    """The meeting in progress lives beside its archive's real file: `archive.json` → `archive.live.jsonl`."""
    archive = real_path(archive)
    return archive.with_name(archive.stem + ".live.jsonl")
