"""Archive schema migrations, from each earlier version to the current one.

Version 1 is the first released schema, so there is nothing to migrate yet;
the machinery is here, and tested with a pretend version 2, so that the first
real change to the schema is one function in `MIGRATIONS` and one fixture
archive in tests/fixtures/archives/.

A migration changes the data in memory, after the old file has been kept
among the rolling backups; the archive is rewritten in the new version the
next time it is saved. An archive that is only read (`--read-only`) is
migrated in memory and never written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from facilitate import models

if TYPE_CHECKING:
    from facilitate.archive import Archive

Migration = Callable[[dict[str, Any]], None]

MIGRATIONS: dict[int, Migration] = {}
"""From version N to N+1: changes the whole archive's data (tables of documents) in place."""


class MigrationError(ValueError):
    pass


def migrate_data(data: dict[str, Any], version: int, target: int | None = None) -> int:
    """Bring the data from `version` up to `target` (the current version). Raises `MigrationError`."""
    target = models.SCHEMA_VERSION if target is None else target
    if version > target:
        raise MigrationError(f"archive version {version} is newer than {target}")
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationError(f"no migration from archive version {version} to {version + 1}")
        step(data)
        version += 1
    meta = data.setdefault("meta", {})
    stamped = False
    for doc in meta.values():
        if isinstance(doc, dict) and "schema" in doc:
            doc["schema"] = target
            stamped = True
    if not stamped:
        meta[str(len(meta) + 1)] = {"schema": target}
    return version


def migrate(archive: Archive, data: dict[str, Any], version: int) -> None:
    """Migrate an archive as it opens. Raises `ArchiveError`, leaving the file untouched."""
    from facilitate.archive import ArchiveError

    if not archive.read_only:
        # The file as it was, before any newer facilitate writes over it.
        archive.backup()
    try:
        migrate_data(data, version)
    except MigrationError as error:
        raise ArchiveError(archive.path, str(error)) from None
    if not archive.read_only:
        archive.storage.dirty = True
