"""Where facilitate keeps its files: every path the app uses comes from here.

The archive's path is resolved once, links and all (`resolve_db_path`): its
lock, live file, backups and export cache sit beside the real file, so two
paths to one archive (a link into a synced folder, say) share one lock, and a
write replaces the real file, leaving the link a link. Nothing here writes.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP_NAME = "facilitate"
DB_ENV = "FACILITATE_DB"
CONFIG_ENV = "FACILITATE_CONFIG"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def user_formats_dir() -> Path:
    return default_config_dir() / "formats"


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


# -- beside the archive's real file -------------------------------------------------------


def live_path_for(archive: Path) -> Path:
    """The meeting in progress: `archive.json` → `archive.live.jsonl`."""
    archive = real_path(archive)
    return archive.with_name(archive.stem + ".live.jsonl")


def lock_path_for(archive: Path) -> Path:
    """The lock: `archive.json` → `archive.json.lock`."""
    archive = real_path(archive)
    return archive.with_name(archive.name + ".lock")


def backup_dir_for(archive: Path) -> Path:
    """The rolling backups: `archive.json` → `archive.json.backups/`."""
    archive = real_path(archive)
    return archive.with_name(archive.name + ".backups")


def wiki_cache_dir_for(archive: Path) -> Path:
    """The wiki export's cache: `archive.json` → `archive.json.wiki-cache/`."""
    archive = real_path(archive)
    return archive.with_name(archive.name + ".wiki-cache")


def join_path_for_live(live: Path) -> Path:
    """The join link for other room views, beside the live file:
    `archive.live.jsonl` → `archive.join.json` (`facilitate.phones.join`)."""
    name = live.name
    stem = name[: -len(".live.jsonl")] if name.endswith(".live.jsonl") else name
    return live.with_name(stem + ".join.json")
