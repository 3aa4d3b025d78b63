"""The rolling backups of an archive file: the last `BACKUPS_KEPT` versions, beside it.

facilitate only ever replaces the archive file, never changes it in place, so
a backup can be a hard link to the file as it is: the next save replaces the
archive and the link keeps the old version, at no cost. The backup taken just
after a save is a whole copy instead (`copy=True`), so that damage done to the
file in place, by a failing disk or an editor, cannot reach it too. Finishing a
meeting takes one before the save and a copy after it, so the newest backup
always holds the newest meeting.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from facilitate.storage.files import copy_whole, ensure_private_dir
from facilitate.storage.paths import backup_dir_for

BACKUPS_KEPT = 5


class Backups:
    """The backups of one archive file, in `archive.json.backups/`."""

    def __init__(self, archive: Path, kept: int = BACKUPS_KEPT) -> None:
        self.archive = archive
        self.kept = kept
        self.folder = backup_dir_for(archive)

    def all(self) -> list[Path]:
        """Every backup, newest first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{self.archive.stem}-*.json"), reverse=True)

    def take(self, *, copy: bool = False) -> Path | None:
        """Keep the archive as it is now among the backups; returns the backup, or None if it could not be made.

        A hard link where possible; `copy=True` copies whole (see the module docstring).
        """
        archive = self.archive
        if not archive.is_file():
            return None
        ensure_private_dir(self.folder)
        newest = self.all()[:1]
        if newest and _same_version(newest[0], archive):
            # Unchanged since the last backup (a finish retried): keep the older ones.
            return newest[0]
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.folder / f"{archive.stem}-{stamp}.json"
        try:
            if copy:
                copy_whole(archive, target)
            else:
                try:
                    os.link(archive, target)
                except OSError:
                    copy_whole(archive, target)
        except OSError:
            return None
        for old in sorted(self.folder.glob(f"{archive.stem}-*.json"))[: -self.kept]:
            try:
                old.unlink()
            except OSError:
                pass
        return target


def _same_version(backup: Path, archive: Path) -> bool:
    """Whether `backup` already holds the archive as it is: the same file, or a copy made since its last change."""
    try:
        if os.path.samefile(backup, archive):
            return True
        kept, now = backup.stat(), archive.stat()
    except OSError:
        return False
    return kept.st_size == now.st_size and kept.st_mtime_ns >= now.st_mtime_ns
