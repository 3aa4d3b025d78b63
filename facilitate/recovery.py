"""Starting again after something went wrong: leftovers, damaged archives, backups.

Whole-file writes go to a temporary file first (see `facilitate.storage.files`), so a
process killed mid-write leaves the old file intact and a stray temporary file
beside it; the next process to hold the archive's lock removes those.

A damaged archive is never changed in place. `restore_backup` keeps it aside
under a new name, puts the newest backup that opens in its place, and then
recovers what it can: every record of the damaged file that still reads
(`salvage`) and that the backup lacks or holds in an older form, and a
finished meeting left in the live file. It says what the backup lacked and
what could not be recovered.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from facilitate.archive import MEETINGS, META, PEOPLE, SERIES, Archive, ArchiveError
from facilitate.models import SCHEMA_VERSION, Meeting, MeetingStatus, Person, SeriesPlan
from facilitate.serial import SchemaError, from_dict, to_dict
from facilitate.storage.files import atomic_write, fsync_dir
from facilitate.storage.paths import join_path_for_live, live_path_for

_SPACE = re.compile(r"[\s,]*")


def _past_space(text: str, position: int) -> int:
    """Where the white space and commas from `position` end."""
    found = _SPACE.match(text, position)
    return found.end() if found is not None else position


def leftovers(db_path: Path) -> list[Path]:
    """Temporary files that a killed process left beside the archive and the live file."""
    folder = db_path.parent
    if not folder.is_dir():
        return []
    found: list[Path] = []
    join = join_path_for_live(live_path_for(db_path))
    for name in (db_path.name, live_path_for(db_path).name, join.name):
        found.extend(folder.glob(f".{name}.*.tmp"))
    if join.exists():
        found.append(join)  # a join link a killed app left: nothing is open to phones before it starts
    backups = Archive(db_path).backup_dir()
    if backups.is_dir():
        found.extend(backups.glob(f".{db_path.stem}-*.json.*.tmp"))
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
    for listing in archive.listings():
        archive.meeting(listing.id)
    return archive


# -- what a damaged file still holds ----------------------------------------------------------


@dataclass
class Salvage:
    """The records of a damaged archive file that still read as JSON."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each table's readable records by key."""
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)
    """Records that did not read: (table, key, their id if it could be seen)."""
    ends_early: bool = False
    """The file stops before its end (cut short): records after the last whole one are gone."""

    @property
    def readable(self) -> bool:
        return any(self.tables.values())


_ID = re.compile(r'"id"\s*:\s*"([^"\\]{1,64})"')
_NEXT_RECORD = re.compile(r'[,{]\s*"(\d+)"\s*:\s*\{')


def salvage(raw: bytes) -> Salvage:
    """Every record of an archive file that still reads, however the rest of it is damaged.

    Works on both layouts (one record a line, or one long line): the tables
    are walked with a JSON decoder record by record; a record that does not
    read is noted (with its id, if it shows) and the walk goes on at the
    next record's key.
    """
    result = Salvage()
    text = raw.decode("utf-8-sig", "replace")
    decoder = json.JSONDecoder()
    position = _past_space(text, 0)
    if text[position : position + 1] != "{":
        return result
    position += 1
    while True:
        position = _past_space(text, position)
        if position >= len(text):
            result.ends_early = True
            return result
        if text[position] == "}":
            return result
        try:
            name, position = decoder.raw_decode(text, position)
            position = _past_space(text, position)
            if text[position : position + 1] != ":" or not isinstance(name, str):
                raise ValueError
            position = _past_space(text, position + 1)
        except (ValueError, IndexError):
            result.ends_early = True
            return result
        if text[position : position + 1] != "{":
            # Not a table of records: read past it if it reads, else stop.
            try:
                _, position = decoder.raw_decode(text, position)
                continue
            except ValueError:
                result.ends_early = True
                return result
        table = result.tables.setdefault(name, {})
        position += 1
        while True:
            position = _past_space(text, position)
            if position >= len(text):
                result.ends_early = True
                return result
            if text[position] == "}":
                position += 1
                break
            try:
                key, after = decoder.raw_decode(text, position)
                after = _past_space(text, after)
                if text[after : after + 1] != ":":
                    raise ValueError
                doc, position = decoder.raw_decode(text, _past_space(text, after + 1))
                table[str(key)] = doc
                continue
            except (ValueError, RecursionError):
                pass
            # This record does not read: note it, and go on at the next one, if any.
            found = _NEXT_RECORD.search(text, position + 1)
            piece = text[position : found.start() if found else len(text)]
            key_match = re.match(r'\s*"(\d+)"', piece)
            seen_id = _ID.search(piece)
            result.unreadable.append((name, key_match.group(1) if key_match else "?", seen_id.group(1) if seen_id else ""))
            if found is None:
                result.ends_early = True
                return result
            position = found.start() + 1


# -- restoring ------------------------------------------------------------------------------------


def _when(doc: dict[str, Any]) -> str:
    started = str(doc.get("started_at") or doc.get("planned_start") or "")
    return f"{started[:10]} {started[11:16]}".strip() if len(started) >= 16 else started[:10] or "undated"


def _meeting_line(doc: dict[str, Any]) -> str:
    from facilitate.output import one_line

    title = one_line(doc.get("title") if isinstance(doc.get("title"), str) else "", 60) or "(untitled)"
    return f"{_when(doc)}  {title} (id {one_line(str(doc.get('id', '?')), 40)})"


@dataclass
class Recovery:
    """What was taken back from the damaged file and the live file after a restore."""

    readable: bool = True
    added: list[str] = field(default_factory=list)
    """Meetings the backup lacked, recovered from the damaged file."""
    updated: list[str] = field(default_factory=list)
    """Meetings changed since the backup, their newer form recovered."""
    lost: list[str] = field(default_factory=list)
    """What the backup lacked and could not be recovered, and why."""
    people: int = 0
    series: int = 0
    ends_early: bool = False
    untouched: str = ""
    """Why nothing was taken from the damaged file (a newer archive version, say)."""
    live: str = ""
    """What became of the meeting in the live file."""

    def describe(self) -> list[str]:
        lines = []
        if self.untouched:
            lines.append(self.untouched)
        elif not self.readable:
            lines.append(
                "Nothing in the damaged file could be read, so what the backup lacks cannot be told: "
                "meetings finished after the backup was made may be missing."
            )
        else:
            if self.added:
                lines.append(
                    f"The backup lacked {len(self.added)} meeting{'s' if len(self.added) != 1 else ''} that the "
                    "damaged file had; recovered from the damaged file:"
                )
                lines += [f"  {line}" for line in self.added]
            if self.updated:
                lines.append(f"Recovered later changes to {len(self.updated)} meeting{'s' if len(self.updated) != 1 else ''}:")
                lines += [f"  {line}" for line in self.updated]
            if self.people or self.series:
                lines.append(
                    f"Recovered {self.people} {'person' if self.people == 1 else 'people'}'s records and "
                    f"{self.series} series plan{'s' if self.series != 1 else ''} from the damaged file."
                )
            if self.lost:
                lines.append("Could not recover from the damaged file (not in the backup either):")
                lines += [f"  {line}" for line in self.lost]
            if not (self.added or self.updated or self.people or self.series or self.lost):
                lines.append("The backup holds everything that could be read from the damaged file.")
            if self.ends_early:
                lines.append("The damaged file ends early: whatever came after its last whole record is lost.")
        if self.live:
            lines.append(self.live)
        return lines


@dataclass
class Restored:
    backup: Path
    """The backup now in place."""
    kept_aside: Path | None
    """Where the damaged archive went (None if there was no file)."""
    meetings: int
    """Meetings in the archive now: the backup's and those recovered."""
    skipped: list[tuple[Path, str]]
    """Newer backups that did not open either, and why."""
    recovery: Recovery = field(default_factory=Recovery)

    def describe(self, archive: Path) -> str:
        lines = [f"Restored {archive} from the backup {self.backup.name}."]
        if self.kept_aside is not None:
            lines.append(f"The damaged archive is kept as {self.kept_aside}.")
        for path, problem in self.skipped:
            lines.append(f"Skipped the newer backup {path.name}: {problem}")
        lines += self.recovery.describe()
        lines.append(f"The archive now holds {self.meetings} meeting{'s' if self.meetings != 1 else ''}.")
        return "\n".join(lines)


class NothingToRestore(RuntimeError):
    pass


def restore_backup(db_path: Path) -> Restored:
    """Put the newest backup that opens in place of the archive, keeping the old file aside,
    then recover what the backup lacks from the damaged file and the live file.

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
            check_archive(backup)
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
        archive = Archive(db_path).open()
        recovery = Recovery(readable=False)
        if kept_aside is not None and kept_aside.is_file():
            try:
                recovery = recover_from(archive, kept_aside.read_bytes())
            except OSError:
                pass
        recovery.live = recover_live(archive)
        if recovery.added or recovery.updated or recovery.people or recovery.series or recovery.live:
            archive.backup(copy=True)
        return Restored(backup, kept_aside, len(archive), skipped, recovery)
    reasons = "".join(f"\n  {path.name}: {problem}" for path, problem in skipped)
    where = Archive(db_path).backup_dir()
    raise NothingToRestore(
        f"No backup of {db_path} opens (looked in {where}){reasons or ': there are none'}. "
        "The archive was left as it was."
    )


def _schema(tables: dict[str, dict[str, Any]]) -> Any:
    for doc in tables.get(META, {}).values():
        if isinstance(doc, dict) and "schema" in doc:
            return doc["schema"]
    return None


def recover_from(archive: Archive, damaged: bytes) -> Recovery:
    """Put into `archive` (a restored backup) the records of the damaged file that are newer or missing."""
    from facilitate.export.interchange import canonical
    from facilitate.output import one_line

    found = salvage(damaged)
    recovery = Recovery(readable=found.readable, ends_early=found.ends_early)
    if not found.readable:
        return recovery
    version = _schema(found.tables)
    if isinstance(version, int) and not isinstance(version, bool) and 1 <= version < SCHEMA_VERSION:
        # An older archive: what still reads is brought up to date, as the archive itself would be.
        from facilitate.migrations import MigrationError, migrate_data

        try:
            migrate_data(found.tables, version)
        except MigrationError:
            pass
        else:
            version = SCHEMA_VERSION
    if version != SCHEMA_VERSION:
        recovery.untouched = (
            f"The damaged file is archive version {one_line(str(version), 20)}, not {SCHEMA_VERSION}: "
            "nothing was taken from it (it is kept as it was)."
        )
        return recovery
    from facilitate.packing import FORMATS, settings_of, unpack

    settings = settings_of(found.tables.get(FORMATS))
    meetings: list[Meeting] = []
    for key, doc in found.tables.get(MEETINGS, {}).items():
        meeting_id = doc.get("id") if isinstance(doc, dict) else None
        doc = unpack(doc, settings)
        try:
            meeting = Meeting.from_dict(doc)
        except SchemaError as error:
            if not (isinstance(meeting_id, str) and archive.has_meeting(meeting_id)):
                what = _meeting_line(doc) if isinstance(doc, dict) else f"meeting {key}"
                recovery.lost.append(f"{what}: damaged ({one_line(str(error), 120)})")
            continue
        if not meeting.id.strip():
            continue
        have = archive.meeting(meeting.id) if archive.has_meeting(meeting.id) else None
        if have is None:
            recovery.added.append(_meeting_line(doc))
            meetings.append(meeting)
        elif canonical(have) != canonical(meeting):
            recovery.updated.append(_meeting_line(doc))
            meetings.append(meeting)
    for table, key, seen_id in found.unreadable:
        if table == MEETINGS and not (seen_id and archive.has_meeting(seen_id)):
            recovery.lost.append(f"meeting {key}" + (f" (id {one_line(seen_id, 40)})" if seen_id else "") + ": not readable")
    known = {person.id: person for person in archive.people()}
    people = []
    for doc in found.tables.get(PEOPLE, {}).values():
        try:
            person = from_dict(Person, doc)
        except SchemaError:
            continue
        if person.id.strip() and known.get(person.id) != person:
            people.append(person)
    plans = []
    for doc in found.tables.get(SERIES, {}).values():
        try:
            plan = from_dict(SeriesPlan, doc)
        except SchemaError:
            continue
        ours = archive.plan(plan.name)
        if plan.name.strip() and (ours is None or to_dict(ours) != to_dict(plan)):
            plans.append(plan)
    recovery.people, recovery.series = len(people), len(plans)
    if meetings or people or plans:
        archive.add_records(meetings, people, plans)
    return recovery


def recover_live(archive: Archive) -> str:
    """What the live file beside the archive holds, said; a finished meeting in it goes into the archive."""
    from facilitate.live import LiveFile, LiveFileError
    from facilitate.output import one_line
    from facilitate.session import replay_meeting

    path = live_path_for(archive.path)
    if not path.exists():
        return ""
    try:
        meeting = replay_meeting(LiveFile.read(path))[0]
    except LiveFileError as error:
        return f"The live file cannot be read ({error}); it is left as it is."
    title = one_line(meeting.title, 60) or "(untitled)"
    if meeting.status != MeetingStatus.FINISHED:
        return f"The meeting in progress, {title}, is safe in its live file: r on the home screen resumes it."
    # Finished, but its live file was never retired: it may not have reached the archive.
    archive.save_meeting(meeting)
    LiveFile(path).remove()
    return f"The finished meeting {title} was in its live file; it is in the archive now."

