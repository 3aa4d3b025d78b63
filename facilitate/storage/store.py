"""The archive file as TinyDB's storage: read once, then replaced atomically on every write.

TinyDB's stock `JSONStorage` rewrites the file in place, which a crash can
leave truncated, and re-reads it on every query. `ArchiveStorage` keeps the
data in memory after one read and replaces the file atomically on every write
(`files.atomic_write`). Several changes that belong together (a meeting, its
new people, its series) are written once, in a `batch`.

The file is written one record a line (`layout`): the meetings table is a
`DocTable` that keeps each meeting as its JSON text, and a save re-encodes
only what changed. A file in another layout is read whole with `json.loads`,
which also names what is wrong with a damaged one (`ArchiveError`).

When the disk refuses a write the data stays in memory (`dirty`) and
`flush` raises `StorageError`; the next `flush` tries again. Once the file is
found damaged, `refuse` is set and every write raises it: a damaged file is
never written over.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, MutableMapping

from facilitate.storage.errors import ArchiveError, StorageError, describe_os_error
from facilitate.storage.files import atomic_write
from facilitate.storage.layout import DocTable, NotLayout, layout_pieces, read_layout

MEETINGS = "meetings"
"""The table kept encoded, one meeting at a time (a `DocTable`)."""

Tables = dict[str, MutableMapping[str, Any]]


class ArchiveStorage:
    """TinyDB storage: read once, then atomic whole-file replaces.

    (TinyDB asks a storage only for `read`, `write` and `close`; not deriving
    from its `Storage` keeps TinyDB out of the app's start-up.)"""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._data: Tables | None = None
        self._loaded = False
        self._batch = 0
        self.dirty = False
        """Changes in memory that the disk has not taken yet."""
        self.size = 0
        """Bytes in the file as last read or written."""
        self.refuse: ArchiveError | None = None
        """Set when the archive is found damaged: writes raise it, leaving the file untouched."""

    # -- reading -----------------------------------------------------------------

    def load(self) -> None:
        """Read the file, if not read yet: in the one-record-a-line layout, else whole."""
        if self._loaded:
            return
        data = None
        if self.path.is_file():
            try:
                data, self.size = read_layout(self.path, lazy=(MEETINGS,))
            except NotLayout:
                data = None
            except OSError as error:
                raise ArchiveError(self.path, f"cannot read it ({describe_os_error(error)})") from None
        self._data = data if data is not None else self._whole()
        self._loaded = True

    def read_whole(self) -> None:
        """Read the file again, whole with `json.loads`: it names what is wrong with a damaged file."""
        self._data = self._whole()
        self._loaded = True

    def _whole(self) -> Tables | None:
        data = self._read_file()
        docs = data.get(MEETINGS) if data is not None else None
        if data is not None and isinstance(docs, dict):
            data[MEETINGS] = DocTable.from_docs(docs)
        return data

    def _read_file(self) -> Tables | None:
        path = self.path
        if not path.exists():
            return None
        if path.is_dir():
            raise ArchiveError(path, "this is a folder, not an archive file")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise ArchiveError(path, f"cannot read it ({describe_os_error(error)})") from None
        self.size = len(raw)
        if not raw.strip():
            raise ArchiveError(path, "the file is empty (it may have been cut short)")
        try:
            # Decoded here, not by json: it would take a stray byte-order mark for UTF-16.
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ArchiveError(path, "the file is not text (it may be damaged)") from None
        except json.JSONDecodeError as error:
            if error.msg.startswith("Extra data"):
                problem = f"unexpected data after the end of the archive (line {error.lineno}, column {error.colno})"
            elif error.pos >= len(raw.rstrip()) - 1 or error.msg.startswith("Unterminated string"):
                # (An unterminated string runs to the end of the file: the end is missing.)
                problem = "the file ends too early (it was cut short)"
            else:
                problem = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            raise ArchiveError(path, problem) from None
        except RecursionError:
            raise ArchiveError(path, "the file is nested too deeply to be an archive") from None
        if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
            raise ArchiveError(path, "this is JSON, but not a facilitate archive")
        return data

    def read(self) -> Tables | None:
        self.load()
        return self._data

    def meetings(self) -> DocTable:
        """The meetings table, made a `DocTable` in the data if it is not one yet."""
        data = self.read()
        if data is None:
            data = self._data = {}
        table = data.get(MEETINGS)
        if not isinstance(table, DocTable):
            table = data[MEETINGS] = DocTable.from_docs(table) if isinstance(table, dict) else DocTable()
        return table

    def close(self) -> None:
        """Nothing to release: every write is complete when it returns."""

    # -- writing -------------------------------------------------------------------

    def write(self, data: Tables) -> None:
        if self.refuse is not None:
            raise self.refuse
        if self.read_only:
            raise ArchiveError(self.path, "the archive is open read-only")
        self._data = data
        self._loaded = True
        self.dirty = True
        if self._batch == 0:
            self.flush()

    def flush(self) -> None:
        """Write the data if the disk has not got it yet. Raises `StorageError`."""
        if not self.dirty or self._data is None:
            return
        if self.refuse is not None:
            raise self.refuse
        if self.read_only:
            raise ArchiveError(self.path, "the archive is open read-only")
        for table in self._data.values():
            if isinstance(table, DocTable):
                table.settle()
        # The meetings last: a file cut short then loses only meetings, never the small
        # tables they need (the segment settings they name) nor the people.
        tables = {name: table for name, table in self._data.items() if name != MEETINGS}
        if MEETINGS in self._data:
            tables[MEETINGS] = self._data[MEETINGS]
        # In pieces, not joined: a second copy of a large archive for the length of a save.
        payload = layout_pieces(tables)
        try:
            atomic_write(self.path, payload)
        except OSError as error:
            raise StorageError(
                f"Could not save the archive: {describe_os_error(error)}. Kept in memory; try again.",
                error,
            ) from None
        self.size = sum(map(len, payload))
        self.dirty = False

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: the file is written once, when the outermost batch ends."""
        self._batch += 1
        try:
            yield
        finally:
            self._batch -= 1
        if self._batch == 0:
            self.flush()
