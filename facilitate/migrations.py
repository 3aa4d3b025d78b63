"""Archive schema migrations, from each earlier version to the current one.

Version 1 is the first released schema, so there is nothing to migrate yet.
A migration changes the data in memory; the archive is rewritten (after a
backup of the old file) the next time it is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from facilitate.models import SCHEMA_VERSION

if TYPE_CHECKING:
    from facilitate.archive import Archive

MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {}
"""From version N to N+1."""


def migrate(archive: Archive, data: dict[str, Any], version: int) -> None:
    from facilitate.archive import ArchiveError

    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ArchiveError(archive.path, f"no migration from archive version {version}")
        step(data)
        version += 1
    for doc in data.get("meta", {}).values():
        if isinstance(doc, dict) and "schema" in doc:
            doc["schema"] = SCHEMA_VERSION
    archive.storage.dirty = True
