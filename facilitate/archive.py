"""The archive: the repository of finished meetings, the people and the series' plans.

A TinyDB database in one JSON file, over the storage layer (`facilitate.storage`:
the file's layout, atomic writes, backups, the lock). This module opens the
archive, checks it, and gets and puts its records: meetings, people, series
plans. The rules that change records live with what they are about
(`facilitate.actions`: an action's follow-ups; `facilitate.people`: editing
and merging people) and change the archive through `transaction`.

A meeting in progress is not here: it lives in the small live file
(`facilitate.live`) and joins the archive when it is finished, so captures
never pay for rewriting a large archive.

Years of meetings make a file of a hundred megabytes or more. The meetings
stay in memory as their JSON text, decoded one at a time when needed, and a
save re-encodes only what changed. Opening reads each meeting once, in one
pass that checks it, keeps its listing and who came, and hands it to whoever
asked (`Archive.visitors`: the review distils its facts there).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

if TYPE_CHECKING:
    from tinydb import TinyDB

from facilitate.followups import current_of_doc
from facilitate.models import (
    ACTION,
    OPEN,
    SCHEMA_VERSION,
    Meeting,
    Person,
    SeriesPlan,
)
from facilitate.packing import FORMATS, LENIENT, has_start, pack, settings_of, unpack
from facilitate.people import Known, PeopleDirectory
from facilitate.serial import SchemaError, check, from_dict, to_dict
from facilitate.storage.backups import Backups
from facilitate.storage.errors import ArchiveError, StorageError
from facilitate.storage.layout import DocTable
from facilitate.storage.paths import real_path
from facilitate.storage.store import MEETINGS, ArchiveStorage

PEOPLE, SERIES, META = "people", "series", "meta"

__all__ = ["Archive", "ArchiveError", "MeetingListing", "FORMATS", "MEETINGS", "PEOPLE", "SERIES", "META", "listing_of"]


class _Undecodable(Exception):
    """A meeting read from the file as text is not valid JSON."""


@dataclass(frozen=True)
class MeetingListing:
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


Visitor = Callable[[MeetingListing, dict[str, Any]], None]
"""Shown each meeting (its listing and document) as the archive reads it: `Archive.visitors`."""


def listing_of(doc_id: int, doc: dict[str, Any]) -> MeetingListing:
    """A meeting document's listing, tolerant of missing fields."""
    attendees = doc.get("attendees") or []
    items = doc.get("items") or []
    actions = [i for i in items if isinstance(i, dict) and i.get("kind") == ACTION]
    started = doc.get("started_at") or doc.get("planned_start") or ""
    duration = 0.0
    for segment in doc.get("segments") or []:
        if isinstance(segment, dict) and isinstance(segment.get("elapsed"), (int, float)):
            duration += segment["elapsed"]
    return MeetingListing(
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
        self._backups = Backups(path)
        self._db: TinyDB | None = None
        self.lock = threading.RLock()
        self._meeting_ids: dict[str, int] = {}
        self._listings: dict[int, MeetingListing] = {}
        self._attendance: dict[int, tuple[str, tuple[str, ...]]] = {}
        """Each meeting's day and who came (person ids), for `directory` without decoding meetings."""
        self._damage: ArchiveError | None = None
        """The first meeting found damaged while opening; `validate` raises it."""
        self._settings: dict[str, dict[str, Any]] | None = None
        """The `formats` table by key: the segment settings the stored meetings name (`facilitate.packing`)."""
        self._opened = False
        self._indexed = False
        self.problem: ArchiveError | None = None
        """Why `validate` found the archive damaged; it then stays closed and is never written."""
        self.visitors: list[Visitor] = []
        """Called with each meeting's listing and document as the archive opens (in one pass
        over the file, so that nothing needs to read every meeting again). The document is
        unpacked with its less needed moments left as seconds after the start
        (`facilitate.packing.unpack(..., moments=False)`): an arrival, a capture's time."""

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
        self._settings = None
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
        self._settings = None
        self._meeting_ids.clear()
        self._listings.clear()
        self._attendance.clear()
        self._damage = None

    def _index(self, table: DocTable) -> None:
        """One pass over every meeting: check it, learn its listing and who came, show it to the visitors."""
        visitors = list(self.visitors)
        settings = self.settings()
        for count, doc_key in enumerate(table):
            try:
                # The moments nothing needs yet stay seconds: most of what unpacking costs.
                doc = unpack(table.peek(doc_key), settings, moments=False)
            except (ValueError, RecursionError):
                raise _Undecodable from None
            if not isinstance(doc, dict):
                raise ArchiveError(self.path, f"meeting {doc_key} is not an object")
            meeting_id = doc.get("id")
            if not isinstance(meeting_id, str):
                raise ArchiveError(self.path, f"meeting {doc_key} has no id")
            doc_id = int(doc_key)
            self._meeting_ids[meeting_id] = doc_id
            listing = self._learn(doc_id, doc)
            if self._damage is None:
                try:
                    check(Meeting, doc, lenient=LENIENT if has_start(doc) else ())
                except SchemaError as error:
                    self._damage = ArchiveError(self.path, f"meeting {doc_key} (id {meeting_id}) is damaged: {error}")
            for visit in visitors:
                visit(listing, doc)
            # A file read whole holds every meeting decoded: keep each as its text instead.
            table.settle(doc_key)
            if count % 8 == 7:
                # Let the app's event loop have the interpreter: this runs in a worker.
                time.sleep(0)

    def _learn(self, doc_id: int, doc: dict[str, Any]) -> MeetingListing:
        """Keep what the archive answers from without decoding the meeting again."""
        listing = self._listings[doc_id] = listing_of(doc_id, doc)
        people = tuple(
            sys.intern(a["person_id"])
            for a in doc.get("attendees") or ()
            if isinstance(a, dict) and isinstance(a.get("person_id"), str) and a["person_id"]
        )
        self._attendance[doc_id] = (str(doc.get("started_at") or "")[:10], people)
        return listing

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

    def listings(self) -> list[MeetingListing]:
        """Every meeting's listing, newest first."""
        with self.lock:
            table = self._meetings()
            result = []
            for key in table:
                doc_id = int(key)
                listing = self._listings.get(doc_id)
                if listing is None:
                    doc = self._doc(table, key)
                    listing = self._learn(doc_id, doc if isinstance(doc, dict) else {})
                result.append(listing)
        result.sort(key=lambda s: s.started_at, reverse=True)
        return result

    def settings(self) -> dict[str, dict[str, Any]]:
        """The segment settings stored meetings name, by key (the `formats` table)."""
        if self._settings is None:
            self._settings = settings_of(self._raw(FORMATS))
        return self._settings

    def _doc(self, table: DocTable, key: str) -> Any:
        """A meeting's full document (`facilitate.packing.unpack`), decoded afresh unless held."""
        return unpack(table.peek(key), self.settings())

    def _raw(self, table: str) -> Mapping[str, Any]:
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
            doc = self._doc(self._meetings(), str(doc_id))
        return doc if isinstance(doc, dict) else None

    def meeting(self, meeting_id: str) -> Meeting | None:
        """A meeting from the archive. Raises `ArchiveError` if its record is damaged."""
        doc = self.meeting_doc(meeting_id)
        if doc is None:
            return None
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
        with self.lock:
            doc = unpack(doc, self.settings())
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
            # The listings know each meeting's series: only that series' meetings are decoded.
            wanted = {str(s.doc_id) for s in self.listings() if name_key(s.series) == key}
            docs = [self._doc(table, k) for k in table if k in wanted]
        return [d for d in docs if isinstance(d, dict)]

    def _put_meeting(self, doc: dict[str, Any]) -> None:
        """Add a meeting's full document, or update the stored one (fields it lacks are kept, as
        TinyDB's upsert); stored packed (`facilitate.packing`)."""
        table = self.storage.meetings()
        doc_id = self._meeting_ids.get(doc["id"])
        if doc_id is not None:
            old = self._doc(table, str(doc_id))
            if isinstance(old, dict):
                doc = {**old, **doc}
        else:
            doc_id = table.next_id()
            self._meeting_ids[doc["id"]] = doc_id
        table[str(doc_id)] = self._pack(doc)
        self._learn(doc_id, doc)
        self.storage.write(self.storage.read() or {})

    def _pack(self, doc: dict[str, Any]) -> dict[str, Any]:
        """A full meeting document as stored, its new segment settings added to the `formats` table."""
        settings = self.settings()
        known = set(settings)
        packed = pack(doc, settings)
        added = [{"key": key, **settings[key]} for key in settings if key not in known]
        if added:
            self.db.table(FORMATS).insert_multiple(added)
        return packed

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
                    invited_by=attendee.invited_by,
                )
                inserts.append({**person.to_dict(), "v": SCHEMA_VERSION})
            else:
                changes = {}
                if attendee.organisation and attendee.organisation != existing.get("organisation"):
                    changes["organisation"] = attendee.organisation
                if attendee.invited_by and not existing.get("invited_by"):
                    changes["invited_by"] = attendee.invited_by
                if changes:
                    table.update(changes, doc_ids=[existing.doc_id])
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
                    doc = self._doc(table, key)
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
            for listing in self.listings():
                if listing.series:
                    names.add(listing.series)
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
                doc = {**person.to_dict(), "v": SCHEMA_VERSION}
                if person.id in by_id:
                    table.update(doc, doc_ids=[by_id[person.id]])
                else:
                    by_id[person.id] = table.insert(doc)
            for plan in plans:
                self._write_plan(plan)

    # -- changes to records already archived (facilitate.actions, facilitate.people) ------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the archive for a change made of several reads and writes: under its lock,
        refused at once when read-only, and written to disk once, when it ends.

        Raises `ArchiveError` (read-only, or damaged) or `StorageError` (the disk
        refused: the change is kept in memory; `retry_save` tries again).
        """
        with self.lock:
            self.check_writable()
            with self.storage.batch():
                yield

    def person(self, person_id: str) -> Person:
        """Someone's record. Raises `KeyError` (nobody with that id) or `ArchiveError` (damaged)."""
        with self.lock:
            return self._typed_person(self._person_doc(person_id)[1])

    def has_person(self, person_id: str) -> bool:
        with self.lock:
            try:
                self._person_doc(person_id)
            except KeyError:
                return False
            return True

    def update_person(self, person_id: str, **fields: Any) -> None:
        """Change some fields of someone's record (inside a `transaction`). Raises `KeyError`."""
        doc_id, _ = self._person_doc(person_id)
        self.db.table(PEOPLE).update(fields, doc_ids=[doc_id])

    def remove_person(self, person_id: str) -> None:
        """Remove someone's record (inside a `transaction`). Raises `KeyError`."""
        doc_id, _ = self._person_doc(person_id)
        self.db.table(PEOPLE).remove(doc_ids=[doc_id])

    def meeting_docs_mentioning(self, *ids: str) -> Iterator[dict[str, Any]]:
        """The meeting documents whose text holds any of these ids (as a JSON string), decoded one by
        one: the meetings that may mention someone, found without decoding the others. Do not change them."""
        table = self._meetings()
        needles = [json.dumps(i, ensure_ascii=True).encode("ascii") for i in ids]
        for key in table:
            raw = table.raw(key)
            if any(needle in raw for needle in needles):
                doc = self._doc(table, key)
                if isinstance(doc, dict):
                    yield doc

    def typed_meeting(self, doc: dict[str, Any]) -> Meeting:
        """A meeting from its document. Raises `ArchiveError` naming the damage."""
        try:
            return Meeting.from_dict(doc)
        except SchemaError as error:
            raise ArchiveError(self.path, f"meeting {doc.get('id')} is damaged: {error}") from None

    def replace_meetings(self, meetings: Iterable[Meeting]) -> None:
        """Put archived meetings, changed, in place of their stored versions (inside a `transaction`)."""
        docs = {meeting.id: meeting.to_dict() for meeting in meetings}
        if not docs:
            return
        table = self.storage.meetings()
        for meeting_id, doc in docs.items():
            doc_id = self._meeting_ids[meeting_id]
            # A new object, not the old one changed in place: readers holding the
            # old document (a review refreshing in a worker) see it whole.
            table[str(doc_id)] = self._pack(doc)
            self._learn(doc_id, doc)
        self.storage.write(self.storage.read() or {})

    def check_writable(self) -> None:
        """Raises `ArchiveError` when the archive is open read-only."""
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
        return self._backups.folder

    def backup(self, *, copy: bool = False) -> Path | None:
        """Keep the archive as it is now among the rolling backups (see `facilitate.storage.backups`).

        `copy=True` for the backup taken just after a save, so that the newest
        backup does not share the archive's current file.
        """
        return self._backups.take(copy=copy)

    def backups(self) -> list[Path]:
        """The backups, newest first."""
        return self._backups.all()

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
