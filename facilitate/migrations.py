"""Archive schema migrations, from each earlier version to the current one.

- 1 to 2: an action's own fields go back to what its meeting agreed, and what
  happened later (its `log`, which used to overwrite them) becomes a list of
  follow-ups (`models.FollowUp`); a segment's `options`, a second copy of its
  open space or Lean Coffee settings, goes.
- 2 to 3: each meeting is stored packed (`facilitate.packing`): about a
  quarter of the space, the segments' settings once in a new `formats` table.
  A meeting that does not read (damaged) is left as it is, for the archive to
  name; version 3 reads the long form as well. In an interchange file meetings
  stay long: only their version changes.

Each migration has a fixture archive of the version it starts from in
tests/fixtures/archives/. Meetings in an interchange file of an earlier
version go through the same steps (`migrate_meetings`).

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
MeetingStep = Callable[[dict[str, Any], dict[str, dict[str, Any]]], dict[str, Any]]


# -- 1 to 2: actions as agreed, with follow-ups --------------------------------------------


def _matter_for(meetings: dict[str, dict[str, Any]], reviewer: str, meeting_id: str, item_id: str) -> dict[str, Any]:
    """The matter arising (as a dict) with which meeting `reviewer` reviewed an action, or {}."""
    doc = meetings.get(reviewer)
    if not isinstance(doc, dict):
        return {}
    for segment in doc.get("segments") or ():
        if not isinstance(segment, dict):
            continue
        for matter in segment.get("matters") or ():
            if isinstance(matter, dict) and matter.get("meeting_id") == meeting_id and matter.get("item_id") == item_id:
                return matter
    return {}


def _person_at(doc: dict[str, Any], name: str) -> str | None:
    """The person id of whoever of this name came to the meeting, if anyone did."""
    from facilitate.text import name_key

    key = name_key(name)
    for attendee in doc.get("attendees") or ():
        if isinstance(attendee, dict) and key and name_key(str(attendee.get("name", ""))) == key:
            person_id = attendee.get("person_id")
            return person_id if isinstance(person_id, str) else None
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _agreed_action(item: dict[str, Any], doc: dict[str, Any], meetings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A version 1 action (fields as they stand now, log of what changed) as version 2 keeps it:
    the fields as agreed, the log as follow-ups. Each change is undone, newest first, with the
    values its log entry kept or, failing that, those the reviewing meeting's matter kept."""
    state = {
        "owner": _text(item.get("owner")),
        "owner_id": _optional(item.get("owner_id")),
        "due": _optional(item.get("due")),
        "due_text": _text(item.get("due_text")),
        "status": _text(item.get("status")) or "open",
        "closed_at": _optional(item.get("closed_at")),
    }
    follow_ups: list[dict[str, Any]] = []
    for entry in reversed([e for e in item.get("log") or () if isinstance(e, dict)]):
        outcome = _text(entry.get("outcome"))
        reviewer = _text(entry.get("meeting"))
        matter = _matter_for(meetings, reviewer, _text(doc.get("id")), _text(item.get("id"))) if reviewer else {}
        follow_up: dict[str, Any] = {
            "at": _text(entry.get("at")), "outcome": outcome, "meeting": reviewer, "owner": None,
            "owner_id": None, "due": None, "due_text": "", "note": _text(entry.get("note")),
        }  # fmt: skip
        if outcome in ("done", "dropped"):
            state["status"] = _text(entry.get("from_status")) or "open"
        elif outcome == "reopened":
            state["status"] = _text(entry.get("from_status")) or "done"
        if "owner" in entry and isinstance(entry["owner"], str):
            follow_up["owner"] = entry["owner"]
            if matter and matter.get("new_owner") == entry["owner"]:
                follow_up["owner_id"] = _optional(matter.get("new_owner_id"))
            elif state["owner"] == entry["owner"]:
                follow_up["owner_id"] = state["owner_id"]
            if isinstance(entry.get("from_owner"), str):
                before = entry["from_owner"]
            else:
                before = _text(matter.get("owner")) if matter else state["owner"]
            if matter and matter.get("owner") == before:
                before_id = _optional(matter.get("owner_id")) or _person_at(doc, before)
            else:
                before_id = _person_at(doc, before)
            state["owner"], state["owner_id"] = before, before_id
        if isinstance(entry.get("due"), str) and entry["due"]:
            follow_up["due"] = entry["due"]
            follow_up["due_text"] = _text(entry.get("due_text"))
            if "from_due" in entry:
                before_due = _optional(entry.get("from_due"))
            elif matter:
                before_due = _optional(matter.get("due"))
            else:
                before_due = state["due"]
            if before_due != state["due"]:
                state["due"], state["due_text"] = before_due, ""
        follow_ups.insert(0, follow_up)
    finished = _optional(doc.get("finished_at"))
    if state["status"] == "open":
        state["closed_at"] = None
    elif finished and (state["closed_at"] is None or state["closed_at"] > finished):
        state["closed_at"] = finished
    return {**item, **state, "log": follow_ups}


def meeting_one_to_two(doc: dict[str, Any], meetings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One meeting document of version 1 as version 2 (a new dict; `doc` is not changed).

    `meetings` holds every meeting by id: an action's later changes were
    decided at other meetings, whose matters arising say what they changed."""
    doc = dict(doc)
    segments = []
    for segment in doc.get("segments") or ():
        if isinstance(segment, dict) and "options" in segment:
            segment = {k: v for k, v in segment.items() if k != "options"}
        segments.append(segment)
    if isinstance(doc.get("segments"), list):
        doc["segments"] = segments
    items = doc.get("items")
    if isinstance(items, list):
        doc["items"] = [
            _agreed_action(item, doc, meetings)
            if isinstance(item, dict) and item.get("kind") == "action" and item.get("log")
            else item
            for item in items
        ]
    doc["v"] = 2
    return doc


def _one_to_two(data: dict[str, Any]) -> None:
    table = data.get("meetings")
    if not table:
        return
    peek = getattr(table, "peek", table.get)
    keys = list(table)
    by_id = {}
    for key in keys:
        doc = peek(key)
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            by_id[doc["id"]] = doc
    changed = {}
    for key in keys:
        doc = peek(key)
        if isinstance(doc, dict):
            changed[key] = meeting_one_to_two(doc, by_id)
    for key, doc in changed.items():
        table[key] = doc


# -- 2 to 3: meetings packed -------------------------------------------------------------------


def meeting_two_to_three(doc: dict[str, Any], settings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One stored meeting of version 2 as version 3 stores it (packed); `settings` gains what it names.
    A meeting that does not read is returned as it is (the archive names the damage when it opens)."""
    from facilitate.packing import pack
    from facilitate.serial import SchemaError, from_dict, to_dict

    try:
        full = to_dict(from_dict(models.Meeting, doc))
    except SchemaError:
        return doc
    full["v"] = 3
    return pack(full, settings)


def _two_to_three(data: dict[str, Any]) -> None:
    from facilitate.packing import FORMATS, settings_of

    table = data.get("meetings")
    if not table:
        return
    peek = getattr(table, "peek", table.get)
    formats = data.get(FORMATS)
    settings = settings_of(formats)
    known = set(settings)
    for key in list(table):
        doc = peek(key)
        if isinstance(doc, dict):
            table[key] = meeting_two_to_three(doc, settings)
    added = [key for key in settings if key not in known]
    if added:
        formats = data[FORMATS] = formats if isinstance(formats, dict) else {}
        number = max((int(k) for k in formats if k.isdigit()), default=0)
        for key in added:
            number += 1
            formats[str(number)] = {"key": key, **settings[key]}


MIGRATIONS: dict[int, Migration] = {1: _one_to_two, 2: _two_to_three}
"""From version N to N+1: changes the whole archive's data (tables of documents) in place."""

MEETING_STEPS: dict[int, MeetingStep] = {1: meeting_one_to_two, 2: lambda doc, meetings: {**doc, "v": 3}}
"""The same steps for meetings alone (an interchange file's), where a step touches only meetings."""


def migrate_meetings(docs: list[Any], versions: list[int]) -> list[Any]:
    """Meeting documents of earlier versions (each `versions[i]`) brought up to the current one.

    Documents that are not objects are returned as they are (the reader names them)."""
    target = models.SCHEMA_VERSION
    by_id = {d["id"]: d for d in docs if isinstance(d, dict) and isinstance(d.get("id"), str)}
    result = list(docs)
    for step_from in range(min(versions, default=target), target):
        step = MEETING_STEPS.get(step_from)
        if step is None:
            raise MigrationError(f"no migration from meeting version {step_from} to {step_from + 1}")
        for index, doc in enumerate(result):
            if isinstance(doc, dict) and versions[index] == step_from:
                result[index] = step(doc, by_id)
                by_id[result[index].get("id")] = result[index]
                versions[index] = step_from + 1
    return result


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
