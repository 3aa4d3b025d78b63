"""The archive: every finished meeting, the people, the series' plans.

A TinyDB database in one JSON file. TinyDB's stock `JSONStorage` rewrites
the file in place, which a crash can leave truncated, and re-reads it on every
query; `ArchiveStorage` instead keeps the data in memory after one read and
replaces the file atomically on every write. Several changes that belong
together (a meeting, its new people, its series) are written once, in a batch.

A meeting in progress is not here: it lives in the small live file
(`facilitate.live`) and joins the archive when it is finished, so captures
never pay for rewriting a large archive.

Years of meetings make a file of a hundred megabytes or more. The file is
written one record a line (`facilitate.archive_file`): the meetings stay in
memory as their JSON text, decoded one at a time when needed, and a save
re-encodes only what changed. Opening reads each meeting once, in one pass
that checks it, keeps its summary and who came, and hands it to whoever asked
(`Archive.visitors`: the review distils its facts there).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from tinydb import TinyDB

from facilitate.archive_file import DocTable, NotLayout, layout_pieces, read_layout
from facilitate.fastcheck import builder, checker
from facilitate.followups import current_of_doc
from facilitate.live import StorageError, describe_os_error
from facilitate.models import (
    ACTION,
    OPEN,
    SCHEMA_VERSION,
    Item,
    Meeting,
    Person,
    SeriesPlan,
)
from facilitate.paths import atomic_write, ensure_private_dir, real_path
from facilitate.people import Known, PeopleDirectory
from facilitate.serial import SchemaError, from_dict, to_dict

MEETINGS, PEOPLE, SERIES, META = "meetings", "people", "series", "meta"
BACKUPS_KEPT = 5


class ArchiveError(RuntimeError):
    """The archive file cannot be used as it is. It is left untouched."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class _Undecodable(Exception):
    """A meeting read from the file as text is not valid JSON."""


class ArchiveStorage:
    """TinyDB storage: read once, then atomic whole-file replaces.

    (TinyDB asks a storage only for `read`, `write` and `close`; not deriving
    from its `Storage` keeps TinyDB out of the app's start-up.)"""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._data: dict[str, dict[str, Any]] | None = None
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

    def _whole(self) -> dict[str, Any] | None:
        data = self._read_file()
        if data is not None and isinstance(data.get(MEETINGS), dict):
            data[MEETINGS] = DocTable.from_docs(data[MEETINGS])
        return data

    def _read_file(self) -> dict[str, dict[str, Any]] | None:
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

    def read(self) -> dict[str, dict[str, Any]] | None:
        self.load()
        return self._data

    def close(self) -> None:
        """Nothing to release: every write is complete when it returns."""

    # -- writing -------------------------------------------------------------------

    def write(self, data: dict[str, dict[str, Any]]) -> None:
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
        # In pieces, not joined: a second copy of a large archive for the length of a save.
        payload = layout_pieces(self._data)
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


@dataclass(frozen=True)
class MeetingSummary:
    """One line of the history: enough to list and search without loading a meeting."""

    id: str
    doc_id: int
    title: str
    series: str
    date: str
    """ISO date the meeting started (or was planned)."""
    started_at: str
    status: str
    people: int
    new_people: int
    actions_open: int
    actions_total: int
    duration: float
    """Seconds the meeting ran."""


def summarise(doc_id: int, doc: dict[str, Any]) -> MeetingSummary:
    """A meeting document's summary, tolerant of missing fields."""
    attendees = doc.get("attendees") or []
    items = doc.get("items") or []
    actions = [i for i in items if isinstance(i, dict) and i.get("kind") == ACTION]
    started = doc.get("started_at") or doc.get("planned_start") or ""
    duration = 0.0
    for segment in doc.get("segments") or []:
        if isinstance(segment, dict) and isinstance(segment.get("elapsed"), (int, float)):
            duration += segment["elapsed"]
    return MeetingSummary(
        id=str(doc.get("id", doc_id)),
        doc_id=doc_id,
        title=str(doc.get("title", "")),
        series=str(doc.get("series", "")),
        date=started[:10] if isinstance(started, str) else "",
        started_at=started if isinstance(started, str) else "",
        status=str(doc.get("status", "")),
        people=len(attendees),
        new_people=sum(1 for a in attendees if isinstance(a, dict) and a.get("new")),
        actions_open=sum(1 for a in actions if current_of_doc(a).status == OPEN),
        actions_total=len(actions),
        duration=duration,
    )


class Archive:
    """The archive of finished meetings, people and series plans."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        # The real file, links resolved: backups go beside it and writes replace it (a link stays a link).
        path = real_path(path)
        self.path = path
        self.read_only = read_only
        self.storage = ArchiveStorage(path, read_only=read_only)
        self._db: TinyDB | None = None
        self.lock = threading.RLock()
        self._meeting_ids: dict[str, int] = {}
        self._summaries: dict[int, MeetingSummary] = {}
        self._attendance: dict[int, tuple[str, tuple[str, ...]]] = {}
        """Each meeting's day and who came (person ids), for `directory` without decoding meetings."""
        self._damage: ArchiveError | None = None
        """The first meeting found damaged while opening; `validate` raises it."""
        self._opened = False
        self._indexed = False
        self.problem: ArchiveError | None = None
        """Why `validate` found the archive damaged; it then stays closed and is never written."""
        self.visitors: list[Callable[[MeetingSummary, dict[str, Any]], None]] = []
        """Called with each meeting's summary and document as the archive opens (in one pass
        over the file, so that nothing needs to read every meeting again)."""

    # -- opening -----------------------------------------------------------------

    def open(self, *, index: bool = True) -> Archive:
        """Read the file, check its version, and index it. Raises `ArchiveError`.

        With `index=False` the meetings are not read yet (a whole-archive export
        reads each once itself, with `meeting_texts` and `meeting_from_text`);
        a later `open()` reads them.
        """
        with self.lock:
            if self.problem is not None:
                raise self.problem
            if self._opened and (self._indexed or not index):
                return self
            try:
                if not self._opened:
                    self._open_tables()
                    self._opened = True
                if index:
                    self._index_all()
            except ArchiveError as error:
                # Never write over a file that did not open: it is left for a restore or a repair.
                self.storage.refuse = error
                raise
            self.storage.refuse = None
            return self

    def _open_tables(self) -> None:
        self.storage.load()
        data = self.storage.read() or {}
        self._check_tables(data)
        self._check_version(data)

    def _index_all(self) -> None:
        try:
            self._index(self._meetings())
        except _Undecodable:
            # A record that is not valid JSON: reading the file whole names the damage.
            self._forget()
            self.storage.read_whole()
            self._open_tables()
            self._index(self._meetings())
        self._indexed = True

    def _forget(self) -> None:
        self._meeting_ids.clear()
        self._summaries.clear()
        self._attendance.clear()
        self._damage = None

    def _index(self, table: DocTable) -> None:
        """One pass over every meeting: check it, learn its summary and who came, show it to the visitors."""
        check = checker(Meeting)
        visitors = list(self.visitors)
        for count, doc_key in enumerate(table):
            try:
                doc = table.peek(doc_key)
            except (ValueError, RecursionError):
                raise _Undecodable from None
            if not isinstance(doc, dict):
                raise ArchiveError(self.path, f"meeting {doc_key} is not an object")
            meeting_id = doc.get("id")
            if not isinstance(meeting_id, str):
                raise ArchiveError(self.path, f"meeting {doc_key} has no id")
            doc_id = int(doc_key)
            self._meeting_ids[meeting_id] = doc_id
            summary = self._learn(doc_id, doc)
            if self._damage is None and not check(doc):
                try:
                    from_dict(Meeting, doc)
                except SchemaError as error:
                    self._damage = ArchiveError(self.path, f"meeting {doc_key} (id {meeting_id}) is damaged: {error}")
            for visit in visitors:
                visit(summary, doc)
            # A file read whole holds every meeting decoded: keep each as its text instead.
            table.settle(doc_key)
            if count % 8 == 7:
                # Let the app's event loop have the interpreter: this runs in a worker.
                time.sleep(0)

    def _learn(self, doc_id: int, doc: dict[str, Any]) -> MeetingSummary:
        """Keep what the archive answers from without decoding the meeting again."""
        summary = self._summaries[doc_id] = summarise(doc_id, doc)
        people = tuple(
            sys.intern(a["person_id"])
            for a in doc.get("attendees") or ()
            if isinstance(a, dict) and isinstance(a.get("person_id"), str) and a["person_id"]
        )
        self._attendance[doc_id] = (str(doc.get("started_at") or "")[:10], people)
        return summary

    def _check_tables(self, data: dict[str, Any]) -> None:
        """Every record an object under a numeric key, as TinyDB needs; cheap, so always done."""
        for name, table in data.items():
            if isinstance(table, DocTable):
                # Records read from the file as text are objects under numeric keys
                # (`read_layout` checks); those read whole are checked here.
                items = table.decoded_items()
            else:
                items = iter(table.items())
            for key, doc in items:
                what = f"{name} record {key}" if name != MEETINGS else f"meeting {key}"
                if not isinstance(doc, dict):
                    raise ArchiveError(self.path, f"{what} is {_kind(doc)}, not an object")
                if not key.isdigit():
                    raise ArchiveError(self.path, f"{what}: the key {key!r} is not a number")
        for key, doc in data.get(SERIES, {}).items():
            if not isinstance(doc.get("name", ""), str):
                raise ArchiveError(self.path, f"series record {key}: name: expected text, found {_kind(doc['name'])}")

    def validate(self) -> Archive:
        """Open the archive and read every record in it, as the review screens will.

        Raises `ArchiveError` naming the first damaged record and field (never its
        content). The archive then stays unusable: nothing is written to it, so the
        file is left as it is for `facilitate --restore-backup` or a repair.
        """
        with self.lock:
            self.open()
            if self._damage is not None:
                self._fail(self._damage)
            data = self.storage.read() or {}
            # The meetings were checked as the archive opened.
            checks = ((PEOPLE, Person, "person"), (SERIES, SeriesPlan, "series"))
            for table, cls, what in checks:
                for key, doc in data.get(table, {}).items():
                    try:
                        from_dict(cls, doc)
                    except SchemaError as error:
                        label = f"{what} {key}" + (f" (id {doc['id']})" if isinstance(doc.get("id"), str) else "")
                        self._fail(ArchiveError(self.path, f"{label} is damaged: {error}"))
            return self

    def _fail(self, error: ArchiveError) -> None:
        self.problem = error
        self._opened = self._indexed = False
        self.storage.refuse = error
        raise error

    def _check_version(self, data: dict[str, Any]) -> None:
        meta = data.get(META, {})
        version = None
        for doc in meta.values():
            if isinstance(doc, dict) and "schema" in doc:
                version = doc["schema"]
        if version is None and not any(data.values()):
            return
        if not isinstance(version, int) or isinstance(version, bool):
            raise ArchiveError(self.path, "the archive has no schema version; is it a facilitate archive?")
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                self.path,
                f"written by a newer facilitate (archive version {version}; this one reads up to "
                f"{SCHEMA_VERSION}). Update facilitate to open it.",
            )
        if version < SCHEMA_VERSION:
            from facilitate.migrations import migrate

            migrate(self, data, version)

    def _ensure_meta(self) -> None:
        table = self.db.table(META)
        if not table.all():
            table.insert({"schema": SCHEMA_VERSION})

    # -- meetings ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._meeting_ids)

    def summaries(self) -> list[MeetingSummary]:
        """Every meeting's summary, newest first."""
        with self.lock:
            table = self._meetings()
            result = []
            for key in table:
                doc_id = int(key)
                summary = self._summaries.get(doc_id)
                if summary is None:
                    doc = table.peek(key)
                    summary = self._learn(doc_id, doc if isinstance(doc, dict) else {})
                result.append(summary)
        result.sort(key=lambda s: s.started_at, reverse=True)
        return result

    def _raw(self, table: str) -> dict[str, Any]:
        data = self.storage.read() or {}
        return data.get(table, {})

    def _meetings(self) -> DocTable:
        """The meetings table (created when the archive has none yet)."""
        data = self.storage.read()
        table = data.get(MEETINGS) if data is not None else None
        if isinstance(table, DocTable):
            return table
        return DocTable.from_docs(table) if isinstance(table, dict) else DocTable()

    def meeting_doc(self, meeting_id: str) -> dict[str, Any] | None:
        """A meeting's document (decoded afresh unless a change to it is not saved yet): do not change it."""
        with self.lock:
            doc_id = self._meeting_ids.get(meeting_id)
            if doc_id is None:
                return None
            doc = self._meetings().peek(str(doc_id))
        return doc if isinstance(doc, dict) else None

    def meeting(self, meeting_id: str) -> Meeting | None:
        """A meeting from the archive. Raises `ArchiveError` if its record is damaged."""
        doc = self.meeting_doc(meeting_id)
        if doc is None:
            return None
        if checker(Meeting)(doc):
            return builder(Meeting)(doc)
        try:
            return Meeting.from_dict(doc)
        except SchemaError as error:
            raise ArchiveError(self.path, f"meeting {meeting_id} is damaged: {error}") from None

    def meeting_texts(self) -> list[tuple[str, bytes]]:
        """Every meeting as the file stores it (document key, JSON bytes), nothing decoded."""
        with self.lock:
            table = self._meetings()
            return [(key, table.raw(key)) for key in table]

    def meeting_from_text(self, key: str, raw: bytes) -> Meeting:
        """A meeting from `meeting_texts`. Raises `ArchiveError` naming the damage."""
        try:
            doc = json.loads(raw)
        except (ValueError, RecursionError):
            with self.lock:
                self.storage.read_whole()  # names where the file is damaged
            raise ArchiveError(self.path, f"meeting {key} is not valid JSON") from None
        if not isinstance(doc, dict):
            raise ArchiveError(self.path, f"meeting {key} is {_kind(doc)}, not an object")
        if checker(Meeting)(doc):
            return builder(Meeting)(doc)
        try:
            return Meeting.from_dict(doc)
        except SchemaError as error:
            label = f"meeting {key}" + (f" (id {doc['id']})" if isinstance(doc.get("id"), str) else "")
            raise ArchiveError(self.path, f"{label} is damaged: {error}") from None

    def has_meeting(self, meeting_id: str) -> bool:
        return meeting_id in self._meeting_ids

    def save_meeting(self, meeting: Meeting) -> None:
        """Add or replace a meeting, with its new people and its series, in one write."""
        self.open()  # never write over a file that does not open
        with self.lock, self.storage.batch():
            self._ensure_meta()
            self._put_meeting(meeting.to_dict())
            self._update_people(meeting)
            if meeting.series.strip():
                self._touch_series(meeting.series, meeting.facilitator)
            self._apply_meeting_effects(meeting)

    def _apply_meeting_effects(self, meeting: Meeting) -> None:
        """What a finished meeting changes elsewhere, as each format kind says (matters arising
        update the actions they reviewed; Lean Coffee topics not reached go to the series)."""
        from facilitate.kinds import finish_effects

        finish_effects(meeting, _FinishRepository(self))

    def _write_plan(self, plan: SeriesPlan) -> None:
        table = self.db.table(SERIES)
        doc = {**to_dict(plan), "v": SCHEMA_VERSION}
        for existing in table.all():
            if str(existing.get("name", "")).casefold() == plan.name.casefold():
                table.update(doc, doc_ids=[existing.doc_id])
                return
        table.insert(doc)

    def series_docs(self, series: str) -> list[dict[str, Any]]:
        """The meeting documents of a series (for matters arising)."""
        from facilitate.text import name_key

        key = name_key(series)
        with self.lock:
            table = self._meetings()
            # The summaries know each meeting's series: only that series' meetings are decoded.
            wanted = {str(s.doc_id) for s in self.summaries() if name_key(s.series) == key}
            docs = [table.peek(k) for k in table if k in wanted]
        return [d for d in docs if isinstance(d, dict)]

    def _put_meeting(self, doc: dict[str, Any]) -> None:
        """Add a meeting document, or update the stored one (fields it lacks are kept, as TinyDB's upsert)."""
        data = self.storage.read()
        if data is None:
            data = {}
        table = data.get(MEETINGS)
        if not isinstance(table, DocTable):
            table = data[MEETINGS] = DocTable.from_docs(table) if isinstance(table, dict) else DocTable()
        doc_id = self._meeting_ids.get(doc["id"])
        if doc_id is not None:
            old = table.peek(str(doc_id))
            if isinstance(old, dict):
                doc = {**old, **doc}
        else:
            doc_id = table.next_id()
            self._meeting_ids[doc["id"]] = doc_id
        table[str(doc_id)] = doc
        self._learn(doc_id, doc)
        self.storage.write(data)

    def _update_people(self, meeting: Meeting) -> None:
        table = self.db.table(PEOPLE)
        known = {doc.get("id"): doc for doc in table.all()}
        day = (meeting.started_at or "")[:10]
        inserts = []
        for attendee in meeting.attendees:
            existing = known.get(attendee.person_id)
            if existing is None:
                person = Person(
                    id=attendee.person_id,
                    name=attendee.name,
                    organisation=attendee.organisation,
                    first_seen=day,
                )
                inserts.append({**to_dict(person), "v": SCHEMA_VERSION})
            elif attendee.organisation and attendee.organisation != existing.get("organisation"):
                table.update({"organisation": attendee.organisation}, doc_ids=[existing.doc_id])
        if inserts:
            table.insert_multiple(inserts)

    # -- people ------------------------------------------------------------------------

    def people(self) -> list[Person]:
        with self.lock:
            result = []
            for doc in self._raw(PEOPLE).values():
                try:
                    result.append(from_dict(Person, doc))
                except SchemaError:
                    continue
            return result

    def directory(self) -> PeopleDirectory:
        """Known people with how often and when they last came, for suggestions."""
        with self.lock:
            counts: dict[str, int] = {}
            last: dict[str, str] = {}
            table = self._meetings()
            for key in table:
                entry = self._attendance.get(int(key))
                if entry is None:
                    doc = table.peek(key)
                    self._learn(int(key), doc if isinstance(doc, dict) else {})
                    entry = self._attendance[int(key)]
                day, people = entry
                for person_id in people:
                    counts[person_id] = counts.get(person_id, 0) + 1
                    if day > last.get(person_id, ""):
                        last[person_id] = day
            return PeopleDirectory(
                [
                    Known(p.id, p.name, p.organisation, counts.get(p.id, 0), last.get(p.id, ""))
                    for p in self.people()
                ]
            )

    # -- series --------------------------------------------------------------------------

    def series_names(self) -> list[str]:
        with self.lock:
            names = {str(doc.get("name")) for doc in self._raw(SERIES).values() if doc.get("name")}
            for summary in self.summaries():
                if summary.series:
                    names.add(summary.series)
        return sorted(names, key=str.casefold)

    def plan(self, series: str) -> SeriesPlan | None:
        with self.lock:
            for doc in self._raw(SERIES).values():
                if isinstance(doc, dict) and doc.get("name", "").casefold() == series.casefold():
                    try:
                        return from_dict(SeriesPlan, doc)
                    except SchemaError:
                        return None
        return None

    def save_plan(self, plan: SeriesPlan) -> None:
        """Keep the agenda a series' next meeting starts from (saved as a meeting starts).

        Its Lean Coffee topics not reached stay as they are: they belong to the
        series and are offered when its next Lean Coffee starts, whatever the
        plan. (Saving the plan over them once emptied them before they were offered.)
        """
        self.open()
        with self.lock, self.storage.batch():
            self._ensure_meta()
            table = self.db.table(SERIES)
            for existing in table.all():
                if str(existing.get("name", "")).casefold() == plan.name.casefold():
                    carried = existing.get("carried_topics")
                    doc = {**to_dict(plan), "v": SCHEMA_VERSION}
                    if isinstance(carried, list):
                        doc["carried_topics"] = carried
                    table.update(doc, doc_ids=[existing.doc_id])
                    return
            table.insert({**to_dict(plan), "v": SCHEMA_VERSION})

    def _touch_series(self, name: str, facilitator: str) -> None:
        table = self.db.table(SERIES)
        for existing in table.all():
            if str(existing.get("name", "")).casefold() == name.casefold():
                return
        table.insert({**to_dict(SeriesPlan(name=name, facilitator=facilitator)), "v": SCHEMA_VERSION})

    # -- imports ------------------------------------------------------------------------

    def add_records(
        self, meetings: list[Meeting], people: list[Person], plans: list[SeriesPlan]
    ) -> None:
        """Records from elsewhere (`facilitate import`), in one write.

        Unlike `save_meeting`, nothing is derived: people and plans are stored
        as given (replacing any with the same id or series name) and a meeting's
        matters arising are not applied again. The caller decides what may be
        replaced (`facilitate.export.interchange.merge`).
        """
        self.open()
        with self.lock, self.storage.batch():
            self._ensure_meta()
            for meeting in meetings:
                self._put_meeting(meeting.to_dict())
            table = self.db.table(PEOPLE)
            by_id = {doc.get("id"): doc.doc_id for doc in table.all()}
            for person in people:
                doc = {**to_dict(person), "v": SCHEMA_VERSION}
                if person.id in by_id:
                    table.update(doc, doc_ids=[by_id[person.id]])
                else:
                    by_id[person.id] = table.insert(doc)
            for plan in plans:
                self._write_plan(plan)

    # -- looking back: changes made while reviewing (facilitate.review) --------------------

    def update_action(self, meeting_id: str, item_id: str, *, now: datetime | None = None, **changes: Any) -> Item:
        """Change an archived action and save at once; each change is a follow-up on the action.

        The action keeps what its meeting agreed; the follow-ups say what
        became of it (see `facilitate.followups`). `status`: "done", "open"
        (reopen) or "dropped"; `owner`: a name, linked to the person when it
        matches someone at that meeting or on record; `due`: date words ("fri",
        "in 2 weeks", "3/12"), read with `parse_due` relative to `now`, the
        words kept. Raises `KeyError` (no such action), `DueDateError` or
        `ValueError` (nothing changed), `ArchiveError` (read-only) or
        `StorageError` (kept in memory; retry).
        """
        from facilitate.dates import parse_due
        from facilitate.followups import current, record
        from facilitate.models import DONE, DROPPED, REDATED, REOPENED, REOWNED, FollowUp
        from facilitate.text import clean_line, name_key

        unknown = set(changes) - {"status", "owner", "due"}
        if unknown:
            raise TypeError(f"update_action() cannot change {', '.join(sorted(unknown))}")
        now = now or datetime.now().astimezone()
        stamp = now.isoformat(timespec="seconds")
        with self.lock:
            self._check_writable()
            meeting = self.meeting(meeting_id)
            item = meeting.item(item_id) if meeting is not None else None
            if meeting is None or item is None or item.kind != ACTION:
                raise KeyError(f"no action {item_id} in meeting {meeting_id}")
            status = changes.get("status")
            if status is not None and status not in (OPEN, DONE, DROPPED):
                raise ValueError(f"an action is open, done or dropped, not {status!r}")
            due = parse_due(str(changes["due"]), now.date()) if "due" in changes else None
            state = current(item)
            follow_ups: list[FollowUp] = []
            if status is not None and status != state.status:
                follow_ups.append(FollowUp(at=stamp, outcome=REOPENED if status == OPEN else status))
            if "owner" in changes:
                name, owner_id = clean_line(str(changes["owner"])), None
                if name:
                    key = name_key(name)
                    for attendee in meeting.attendees:
                        if name_key(attendee.name) == key:
                            name, owner_id = attendee.name, attendee.person_id
                            break
                    else:
                        for doc in self._raw(PEOPLE).values():
                            if isinstance(doc, dict) and name_key(str(doc.get("name", ""))) == key:
                                name, owner_id = str(doc["name"]), doc.get("id")
                                break
                if (name, owner_id) != (state.owner, state.owner_id):
                    follow_ups.append(FollowUp(at=stamp, outcome=REOWNED, owner=name, owner_id=owner_id))
            if due is not None:
                when = due.date.isoformat()
                if (when, due.text) != (state.due, state.due_text):
                    follow_ups.append(FollowUp(at=stamp, outcome=REDATED, due=when, due_text=due.text))
            if follow_ups:
                for follow_up in follow_ups:
                    record(item, follow_up)
                with self.storage.batch():
                    self._replace_meeting_docs({meeting.id: meeting.to_dict()})
            return item

    def edit_person(self, person_id: str, name: str, organisation: str) -> int:
        """Correct someone's name and organisation, everywhere they appear; one write.

        Their attendee records, the actions they own and the sessions they
        convened take the new name. An attendee record's organisation changes
        where it was the one being corrected; an earlier, different one stays
        in the history. Returns how many meetings changed.
        """
        from facilitate.review import references, rename_person
        from facilitate.text import clean_line

        name, organisation = clean_line(name), clean_line(organisation)
        if not name:
            raise ValueError("A person needs a name")
        with self.lock:
            self._check_writable()
            doc_id, record = self._person_doc(person_id)
            old_org = str(record.get("organisation", ""))
            changed: dict[str, dict[str, Any]] = {}
            for doc in self._docs_mentioning(person_id):
                if isinstance(doc, dict) and references(doc, {person_id}):
                    meeting = self._typed(doc)
                    if rename_person(meeting, person_id, name, old_org, organisation):
                        changed[meeting.id] = meeting.to_dict()
            with self.storage.batch():
                self.db.table(PEOPLE).update({"name": name, "organisation": organisation}, doc_ids=[doc_id])
                self._replace_meeting_docs(changed)
            return len(changed)

    def merge_people(self, keep_id: str, other_id: str) -> int:
        """Two records of the same person become one (`keep_id`), keeping all their history; one write.

        Every link to `other_id` in every meeting (attendees, owners, speakers,
        round turns, conveners and participants, matters arising) becomes
        `keep_id`; if both came to the same meeting, their attendee records and
        turns become one. The merged person is new only at their first meeting.
        The other record is removed. Returns how many meetings changed.
        """
        from facilitate.review import merge_person, references, set_new_flag

        if keep_id == other_id:
            raise ValueError("Pick two different people to merge")
        with self.lock:
            self._check_writable()
            keep_doc_id, keep_doc = self._person_doc(keep_id)
            try:
                other_doc_id, other_doc = self._person_doc(other_id)
            except KeyError:
                other_doc_id, other_doc = None, {}
            keep = self._typed_person(keep_doc)
            if other_doc:
                other = self._typed_person(other_doc)
                keep.organisation = keep.organisation or other.organisation
                if other.note and other.note not in keep.note:
                    keep.note = f"{keep.note}\n{other.note}".strip()
            changed: dict[str, Meeting] = {}
            attended: list[tuple[str, str, dict[str, Any]]] = []
            was_new = False
            for doc in self._docs_mentioning(keep_id, other_id):
                if not isinstance(doc, dict):
                    continue
                if references(doc, {other_id}):
                    meeting = self._typed(doc)
                    merge_person(meeting, keep, other_id)
                    changed[meeting.id] = meeting
                for attendee in doc.get("attendees") or ():
                    if isinstance(attendee, dict) and attendee.get("person_id") in (keep_id, other_id):
                        was_new = was_new or attendee.get("new") is True
                        attended.append((str(doc.get("started_at") or doc.get("planned_start") or ""), str(doc.get("id")), doc))
                        break
            if other_doc_id is None and not changed:
                raise KeyError(f"nobody with the id {other_id}")
            attended.sort(key=lambda entry: entry[0])
            for index, (_, meeting_id, doc) in enumerate(attended):
                meeting = changed.get(meeting_id) or self._typed(doc)
                if set_new_flag(meeting, keep_id, was_new and index == 0):
                    changed[meeting_id] = meeting
            if attended and attended[0][0]:
                keep.first_seen = attended[0][0][:10]
            with self.storage.batch():
                self.db.table(PEOPLE).update(
                    {"organisation": keep.organisation, "note": keep.note, "first_seen": keep.first_seen},
                    doc_ids=[keep_doc_id],
                )
                if other_doc_id is not None:
                    self.db.table(PEOPLE).remove(doc_ids=[other_doc_id])
                self._replace_meeting_docs({mid: m.to_dict() for mid, m in changed.items()})
            return len(changed)

    def _check_writable(self) -> None:
        # TinyDB changes its documents in memory before the storage refuses the write.
        if self.read_only:
            raise ArchiveError(self.path, "the archive is open read-only")

    def _person_doc(self, person_id: str) -> tuple[int, dict[str, Any]]:
        for key, doc in self._raw(PEOPLE).items():
            if isinstance(doc, dict) and doc.get("id") == person_id:
                return int(key), doc
        raise KeyError(f"nobody with the id {person_id}")

    def _typed_person(self, doc: dict[str, Any]) -> Person:
        try:
            return from_dict(Person, doc)
        except SchemaError as error:
            raise ArchiveError(self.path, f"a person's record is damaged: {error}") from None

    def _typed(self, doc: dict[str, Any]) -> Meeting:
        try:
            return Meeting.from_dict(doc)
        except SchemaError as error:
            raise ArchiveError(self.path, f"meeting {doc.get('id')} is damaged: {error}") from None

    def _docs_mentioning(self, *ids: str) -> Iterator[dict[str, Any]]:
        """The meeting documents whose text holds any of these ids (as a JSON string), decoded one by one."""
        table = self._meetings()
        needles = [json.dumps(i, ensure_ascii=True).encode("ascii") for i in ids]
        for key in table:
            raw = table.raw(key)
            if any(needle in raw for needle in needles):
                yield table.peek(key)

    def _replace_meeting_docs(self, docs: dict[str, dict[str, Any]]) -> None:
        """Put whole meeting documents in place of the stored ones (inside a batch)."""
        if not docs:
            return
        data = self.storage.read() or {}
        table = self._meetings()
        data[MEETINGS] = table
        for meeting_id, doc in docs.items():
            doc_id = self._meeting_ids[meeting_id]
            # A new object, not the old one changed in place: readers holding the
            # old document (a review refreshing in a worker) see it whole.
            table[str(doc_id)] = doc
            self._learn(doc_id, doc)
        self.storage.write(data)

    # -- durability ----------------------------------------------------------------------

    @property
    def unsaved(self) -> bool:
        return self.storage.dirty

    def retry_save(self) -> bool:
        with self.lock:
            try:
                self.storage.flush()
            except StorageError:
                return False
            return True

    def backup_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

    def backup(self, *, copy: bool = False) -> Path | None:
        """Keep the archive as it is now among the rolling backups (the last `BACKUPS_KEPT`).

        A hard link where possible: facilitate only ever replaces the file,
        never changes it in place, so the link keeps this version once the next
        save replaces it. `copy=True` copies instead: for the backup taken just
        after a save (which would otherwise share the archive's current file),
        so that damage done to the file in place, by a failing disk or an
        editor, cannot reach the newest backup too. Finishing a meeting takes
        one before the save and a copy after it, so the newest backup always
        holds the newest meeting.
        """
        if not self.path.is_file():
            return None
        folder = self.backup_dir()
        ensure_private_dir(folder)
        newest = self.backups()[:1]
        if newest and _same_version(newest[0], self.path):
            # Unchanged since the last backup (a finish retried): keep the older ones.
            return newest[0]
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{self.path.stem}-{stamp}.json"
        try:
            if copy:
                _copy_whole(self.path, target)
            else:
                try:
                    os.link(self.path, target)
                except OSError:
                    _copy_whole(self.path, target)
        except OSError:
            return None
        backups = sorted(folder.glob(f"{self.path.stem}-*.json"))
        for old in backups[:-BACKUPS_KEPT]:
            try:
                old.unlink()
            except OSError:
                pass
        return target

    def backups(self) -> list[Path]:
        folder = self.backup_dir()
        if not folder.is_dir():
            return []
        return sorted(folder.glob(f"{self.path.stem}-*.json"), reverse=True)

    def write_all(self) -> None:
        """Rewrite the whole file (after a migration, say)."""
        with self.lock:
            self.storage.dirty = True
            self.storage.flush()

    @property
    def db(self) -> TinyDB:
        """The TinyDB database over the storage, made when first needed."""
        if self._db is None:
            from tinydb import TinyDB

            # TinyDB builds its storage by calling this; hand it ours.
            self._db = TinyDB(storage=lambda: self.storage)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _same_version(backup: Path, archive: Path) -> bool:
    """Whether `backup` already holds the archive as it is: the same file, or a copy made since its last change."""
    try:
        if os.path.samefile(backup, archive):
            return True
        kept, now = backup.stat(), archive.stat()
    except OSError:
        return False
    return kept.st_size == now.st_size and kept.st_mtime_ns >= now.st_mtime_ns


def _copy_whole(source: Path, target: Path) -> None:
    """Copy `source` to `target` whole or not at all (a copy cut short by a crash must not pass for a backup)."""
    import shutil
    import tempfile

    from facilitate.paths import FILE_MODE, fsync_dir

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


class _FinishRepository:
    """The archive as the format kinds see it when a meeting is saved (`Kind.finish`), inside
    `save_meeting`'s lock and batch."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    def meeting(self, meeting_id: str) -> Meeting | None:
        try:
            return self.archive.meeting(meeting_id)
        except ArchiveError:
            return None  # a damaged earlier record is left as it is: this meeting is still saved

    def put_meeting(self, meeting: Meeting) -> None:
        self.archive._put_meeting(meeting.to_dict())

    def plan(self, series: str) -> SeriesPlan | None:
        return self.archive.plan(series)

    def put_plan(self, plan: SeriesPlan) -> None:
        self.archive._write_plan(plan)
