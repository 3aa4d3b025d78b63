"""Starting again after something went wrong: leftovers, damaged archives, backups.

Whole-file writes go to a temporary file first (see `facilitate.paths`), so a
process killed mid-write leaves the old file intact and a stray temporary file
beside it; the next process to hold the archive's lock removes those.

A damaged archive is never changed in place. `restore_backup` keeps it aside
under a new name and puts the newest backup that opens in its place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facilitate.archive import Archive, ArchiveError
from facilitate.paths import atomic_write, fsync_dir, live_path_for


def leftovers(db_path: Path) -> list[Path]:
    """Temporary files that a killed process left beside the archive and the live file."""
    folder = db_path.parent
    if not folder.is_dir():
        return []
    found = []
    for name in (db_path.name, live_path_for(db_path).name):
        found.extend(folder.glob(f".{name}.*.tmp"))
    return sorted(found)


def remove_leftovers(db_path: Path) -> int:
    """Remove them. Only call this holding the archive's lock: nobody else is writing."""
    removed = 0
    for path in leftovers(db_path):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    if removed:
        fsync_dir(db_path.parent)
    return removed


def check_archive(path: Path) -> Archive:
    """Open an archive read-only and read every meeting in it. Raises `ArchiveError`."""
    archive = Archive(path, read_only=True).open()
    for summary in archive.summaries():
        archive.meeting(summary.id)
    return archive


@dataclass
class Restored:
    backup: Path
    """The backup now in place."""
    kept_aside: Path | None
    """Where the damaged archive went (None if there was no file)."""
    meetings: int
    skipped: list[tuple[Path, str]]
    """Newer backups that did not open either, and why."""

    def describe(self, archive: Path) -> str:
        lines = [f"Restored {archive} from the backup {self.backup.name} ({self.meetings} meetings)."]
        if self.kept_aside is not None:
            lines.append(f"The damaged archive is kept as {self.kept_aside}.")
        for path, problem in self.skipped:
            lines.append(f"Skipped the newer backup {path.name}: {problem}")
        return "\n".join(lines)


class NothingToRestore(RuntimeError):
    pass


def restore_backup(db_path: Path) -> Restored:
    """Put the newest backup that opens in place of the archive, keeping the old file aside.

    Raises `NothingToRestore` (with the reason) when the archive opens as it is
    or no backup opens; the archive is then left as it was.
    """
    try:
        if db_path.exists() and not db_path.is_dir():
            check_archive(db_path)
            raise NothingToRestore(f"{db_path} opens as it is; nothing was restored.")
    except ArchiveError:
        pass
    skipped: list[tuple[Path, str]] = []
    for backup in Archive(db_path).backups():
        try:
            meetings = len(check_archive(backup))
        except ArchiveError as error:
            skipped.append((backup, error.problem))
            continue
        data = backup.read_bytes()
        kept_aside = None
        if db_path.exists() or db_path.is_symlink():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept_aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
            number = 1
            while kept_aside.exists():
                number += 1
                kept_aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{number}")
            os.replace(db_path, kept_aside)
            fsync_dir(db_path.parent)
        atomic_write(db_path, data)
        return Restored(backup, kept_aside, meetings, skipped)
    reasons = "".join(f"\n  {path.name}: {problem}" for path, problem in skipped)
    where = Archive(db_path).backup_dir()
    raise NothingToRestore(
        f"No backup of {db_path} opens (looked in {where}){reasons or ': there are none'}. "
        "The archive was left as it was."
    )
