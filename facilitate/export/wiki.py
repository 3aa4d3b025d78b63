"""The whole archive as a folder of markdown pages: a wiki the group can keep in git.

`write_wiki(archive, folder)` writes:

- one page per meeting, named by its date and series (or title):
  `2026-11-26-east-icb-open-meeting.md`. Two meetings that would share a name
  are told apart by start time: the earlier keeps the plain name, the later
  ones get `-2`, `-3`;
- `index.md`: the meetings by series, newest first, each linked;
- `actions.md`: the open actions by owner, each linked to its meeting;
- `people.md`: who has come, how often, and from which organisations.

Links are relative, so the folder works as a GitHub or GitLab wiki
repository, an Obsidian vault or a Wiki.js import. Pages are rendered in
memory and a file is written (atomically, readable by the user alone) only
when its content changed, so running the export again after one new meeting
touches only that meeting's page and the three overview pages that list it.
Files that are not facilitate's are never touched or removed.

Years of meetings make thousands of pages, so `write_wiki` keeps a cache
beside the archive (`archive.json.wiki-cache/`, one file per export folder):
what each meeting's text hashed to, its page's name, size and modification
time when written, and the little the overview pages need from it. Running
the export again renders only meetings whose text changed or whose page is
not as it was left, and when the archive file itself has not changed since
and every page is as written, nothing is rendered at all. A missing or stale
cache only makes the export slower, never different; so does a change to the
exporter's own code, which is part of the cache's key. The overview pages are
made from each meeting's `Overview`, which the cache keeps, so a meeting that
has not changed is not decoded at all.

Pages are rendered in this one process. Sharing a first export out among
forked processes was measured on the benchmark archive on two cores: it took a
fifth more CPU time, and on a machine busy with other work it was slower (10,000
meetings: 36 s against 27 s; 1,000: 5.2 s against 3.7 s); every later export
renders only what changed, which the cache alone makes fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from facilitate.export import markdown
from facilitate.export.escape import inline
from facilitate.export.markdown import DASH, Page, uk_date
from facilitate.followups import ActionState, current
from facilitate.models import ACTION, OPEN, Item, Meeting, Person
from facilitate.storage.files import FILE_MODE, atomic_write, ensure_private_dir, fsync_dir, write_all
from facilitate.text import name_key

if TYPE_CHECKING:
    from facilitate.archive import Archive

INDEX, ACTIONS, PEOPLE = "index.md", "actions.md", "people.md"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SLUG = 60


class Named(Protocol):
    """What a page's name is made from: a `Meeting` or its `Overview`."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def series(self) -> str: ...
    @property
    def started_at(self) -> str | None: ...
    @property
    def planned_start(self) -> str | None: ...


class Overview(NamedTuple):
    """What the overview pages (index, actions, people) need from one meeting.

    Small and cheap to make by the thousand; the cache keeps it as a JSON list,
    so meetings that have not changed are never decoded for the overview pages.
    """

    id: str
    title: str
    series: str
    started_at: str | None
    planned_start: str | None
    attendees: list[tuple[str, str, str]]
    """Person id, name and organisation, as at the meeting."""
    open_actions: list[tuple[str, str, str | None]]
    """Text, owner and due date of each action still open, as it stands now."""

    @classmethod
    def of(cls, meeting: Meeting) -> Overview:
        return cls(
            meeting.id,
            meeting.title,
            meeting.series,
            meeting.started_at,
            meeting.planned_start,
            [(a.person_id, a.name, a.organisation) for a in meeting.attendees],
            [(item.text, state.owner, state.due) for item, state in _actions_now(meeting) if state.status == OPEN],
        )

    @classmethod
    def from_cache(cls, entry: list[Any]) -> Overview:
        meeting_id, title, series, started_at, planned_start, attendees, actions = entry
        return cls(
            meeting_id,
            title,
            series,
            started_at,
            planned_start,
            [(a[0], a[1], a[2]) for a in attendees],
            [(a[0], a[1], a[2]) for a in actions],
        )


def _actions_now(meeting: Meeting) -> list[tuple[Item, ActionState]]:
    """A meeting's actions with where each stands now (as agreed, then its follow-ups)."""
    return [(item, current(item)) for item in meeting.items if item.kind == ACTION]


def slug(text: str) -> str:
    """`East ICB open meeting` → `east-icb-open-meeting`: ASCII letters, digits and hyphens only."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    result = "-".join(words)[:MAX_SLUG].strip("-")
    return result


def page_stem(meeting: Named) -> str:
    """The page name before any tie-breaking suffix: date, then series (or title)."""
    start = (meeting.started_at or meeting.planned_start or "")[:10]
    day = start if _ISO_DAY.match(start) else "undated"
    name = slug(meeting.series) or slug(meeting.title) or "meeting"
    return f"{day}-{name}"


def page_name(meeting: Meeting) -> str:
    """The stable file name for one meeting on its own (`2026-11-26-east-icb-open-meeting.md`)."""
    return page_stem(meeting) + ".md"


def page_names(meetings: Sequence[Named]) -> dict[str, str]:
    """Meeting id to file name, unique within the folder, the same every run."""
    groups: dict[str, list[Named]] = {}
    for meeting in meetings:
        groups.setdefault(page_stem(meeting), []).append(meeting)
    names: dict[str, str] = {}
    taken = {INDEX, ACTIONS, PEOPLE}
    for stem in sorted(groups):
        ordered = sorted(groups[stem], key=lambda m: (m.started_at or m.planned_start or "", m.id))
        for number, meeting in enumerate(ordered, start=1):
            candidate = f"{stem}.md" if number == 1 else f"{stem}-{number}.md"
            while candidate in taken:  # `...-2` may itself be another meeting's plain stem
                number += 1
                candidate = f"{stem}-{number}.md"
            taken.add(candidate)
            names[meeting.id] = candidate
    return names


def _newest_first(meetings: list[Overview]) -> list[Overview]:
    return sorted(meetings, key=lambda m: (m.started_at or m.planned_start or "", m.id), reverse=True)


def _link(text: str, target: str) -> str:
    """A relative link: the text is escaped user text, the target one of our own file names."""
    return f"[{text}]({target})"


def _meeting_link(meeting: Overview, names: dict[str, str]) -> str:
    when = uk_date(meeting.started_at or meeting.planned_start) or "Undated"
    return _link(f"{when}: {inline(meeting.title, markdown.UNTITLED)}", names[meeting.id])


# -- the overview pages ---------------------------------------------------------------------


def index_page(meetings: list[Overview], names: dict[str, str]) -> str:
    page = Page()
    page.heading(1, "Meetings")
    count = len(meetings)
    page.paragraph(
        f"{count} meeting{'s' if count != 1 else ''}. "
        + _link("Open actions", ACTIONS)
        + " · "
        + _link("People", PEOPLE)
    )
    series: dict[str, list[Overview]] = {}
    labels: dict[str, str] = {}
    for meeting in meetings:
        key = name_key(meeting.series)
        series.setdefault(key, []).append(meeting)
        labels.setdefault(key, meeting.series)
    for key in sorted(series, key=lambda k: (k == "", k)):
        page.heading(2, inline(labels[key]) if key else "Other meetings")
        lines = []
        for meeting in _newest_first(series[key]):
            people = len(meeting.attendees)
            open_actions = len(meeting.open_actions)
            detail = f"{people} {'person' if people == 1 else 'people'}"
            if open_actions:
                detail += f", {open_actions} open action{'s' if open_actions != 1 else ''}"
            lines.append(f"{_meeting_link(meeting, names)} ({detail})")
        page.bullets(lines)
    if not meetings:
        page.paragraph("No meetings yet.")
    return page.text()


def actions_page(meetings: list[Overview], names: dict[str, str]) -> str:
    page = Page()
    page.heading(1, "Open actions")
    owners: dict[str, list[tuple[Overview, str, str | None]]] = {}
    labels: dict[str, str] = {}
    for meeting in _newest_first(meetings):
        # As the actions stand now: a later meeting may have given one to someone else.
        for text, owner, due in meeting.open_actions:
            key = name_key(owner)
            owners.setdefault(key, []).append((meeting, text, due))
            labels.setdefault(key, owner)
    total = sum(len(entries) for entries in owners.values())
    page.paragraph(f"{total} open action{'s' if total != 1 else ''}. " + _link("All meetings", INDEX))
    for key in sorted(owners, key=lambda k: (k == "", k)):
        page.heading(2, inline(labels[key]) if key else "No owner")
        rows = []
        entries = sorted(owners[key], key=lambda e: (e[2] or "9999-99-99",))
        for meeting, text, due in entries:
            rows.append([inline(text, "(no text)"), uk_date(due) or DASH, _meeting_link(meeting, names)])
        page.table(["Action", "Due", "Meeting"], rows)
    return page.text()


@dataclass
class _Attendance:
    name: str
    organisation: str = ""
    meetings: int = 0
    first: str = ""
    last: str = ""
    organisations: list[str] = field(default_factory=list)


def people_page(meetings: list[Overview], people: list[Person]) -> str:
    known = {person.id: person for person in people}
    seen: dict[str, _Attendance] = {}
    for meeting in sorted(meetings, key=lambda m: (m.started_at or m.planned_start or "", m.id)):
        day = (meeting.started_at or meeting.planned_start or "")[:10]
        for person_id, name, organisation in {a[0]: a for a in meeting.attendees}.values():
            record = seen.get(person_id)
            if record is None:
                record = seen[person_id] = _Attendance(name, first=day)
            record.meetings += 1
            record.name = name
            record.last = day
            if inline(organisation):
                record.organisation = organisation
                if organisation not in record.organisations:
                    record.organisations.append(organisation)
    for person_id, record in seen.items():
        person = known.get(person_id)
        if person is not None:
            record.name = person.name or record.name
            record.organisation = person.organisation or record.organisation
    page = Page()
    page.heading(1, "People")
    count = len(seen)
    page.paragraph(
        f"{count} {'person has' if count == 1 else 'people have'} come to {len(meetings)} "
        f"meeting{'s' if len(meetings) != 1 else ''}. " + _link("All meetings", INDEX)
    )
    if seen:
        ordered = sorted(seen.values(), key=lambda r: (-r.meetings, name_key(r.name), r.first))
        page.table(
            ["Name", "Organisation", "Meetings", "First came", "Last came"],
            [
                [
                    inline(r.name, "(no name)"),
                    inline(r.organisation, DASH),
                    str(r.meetings),
                    uk_date(r.first) or DASH,
                    uk_date(r.last) or DASH,
                ]
                for r in ordered
            ],  # fmt: skip
            "llrll",
        )
        organisations: dict[str, tuple[str, set[str], int]] = {}
        for person_id, record in seen.items():
            label = record.organisation
            key = name_key(label)
            if not key:
                continue
            _, ids, visits = organisations.get(key, (label, set(), 0))
            ids.add(person_id)
            organisations[key] = (organisations.get(key, (label,))[0], ids, visits + record.meetings)
        if organisations:
            page.heading(2, "Organisations")
            rows = sorted(organisations.values(), key=lambda o: (-len(o[1]), -o[2], name_key(o[0])))
            page.table(
                ["Organisation", "People", "Attendances"],
                [[inline(label), str(len(ids)), str(visits)] for label, ids, visits in rows],
                "lrr",
            )
    return page.text()


# -- writing the folder ------------------------------------------------------------------------


@dataclass
class WikiResult:
    """What a wiki export did, file names relative to the folder."""

    folder: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def render_wiki(meetings: list[Meeting], people: list[Person], *, tasks: bool = False) -> dict[str, str]:
    """Every page of the wiki: file name to markdown."""
    names = page_names(meetings)
    pages = {names[m.id]: markdown.render(m, tasks=tasks) for m in meetings}
    overviews = [Overview.of(m) for m in meetings]
    pages[INDEX] = index_page(overviews, names)
    pages[ACTIONS] = actions_page(overviews, names)
    pages[PEOPLE] = people_page(overviews, people)
    return pages


BATCH = 32
"""More changed pages than this are written together with one sync, not one fsync each."""


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Replace each file atomically; many at once share one sync instead of two fsyncs each."""
    if len(files) <= BATCH:
        for name, data in files.items():
            atomic_write(folder / name, data)
        return
    ensure_private_dir(folder)
    staged: list[tuple[Path, Path]] = []
    tag = f"{os.getpid()}-{os.urandom(4).hex()}"
    try:
        for name, data in files.items():
            tmp = folder / f".{name}.{tag}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            staged.append((tmp, folder / name))
            try:
                os.fchmod(fd, FILE_MODE)
                write_all(fd, data)
            finally:
                os.close(fd)
        # Every page's bytes reach the disk before any page is replaced: a crash
        # leaves each page whole, old or new, as `atomic_write` would.
        os.sync()
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            try:
                tmp.unlink()
            except OSError:
                pass
        raise
    fsync_dir(folder)


# -- the whole archive, with the cache -------------------------------------------------------

CACHE_VERSION = 2
_SOURCES = (
    "export/wiki.py", "export/markdown.py", "export/escape.py", "summary.py", "models.py", "text.py", "clock.py",
    "followups.py",
)  # fmt: skip


def _renderer_key(tasks: bool) -> str:
    """Changes whenever what a page would say could change: the exporter's code, `tasks`."""
    digest = hashlib.blake2b(f"{CACHE_VERSION}:{tasks}".encode(), digest_size=16)
    base = Path(__file__).resolve().parents[1]
    for name in _SOURCES:
        try:
            digest.update((base / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def _cache_path(archive: Archive, folder: Path) -> Path:
    where = hashlib.blake2b(str(folder.resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return archive.path.with_name(archive.path.name + ".wiki-cache") / f"{where}.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _read_cache(path: Path, renderer: str, folder: Path) -> dict[str, Any]:
    try:
        cache = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(cache, dict) or cache.get("renderer") != renderer or cache.get("folder") != str(folder.resolve()):
        return {}
    return cache


def _from_cache(entry: Any) -> Overview | None:
    """A cached overview, or None when there is none (or it is not one: then the meeting is read)."""
    if entry is None:
        return None
    try:
        return Overview.from_cache(entry)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def write_wiki(archive: Archive, folder: Path, *, tasks: bool = False) -> WikiResult:
    """The archive as a wiki folder. Raises `ArchiveError` (a damaged meeting) or OSError."""
    archive.open(index=False)
    renderer = _renderer_key(tasks)
    cache_path = _cache_path(archive, folder)
    cache = _read_cache(cache_path, renderer, folder)
    pages_before: dict[str, list[int]] = cache.get("pages", {})
    archive_stamp = _stamp(archive.path)

    # Nothing changed: the very archive file of the last export, every page as it was left.
    if archive_stamp is not None and cache.get("archive") == archive_stamp and pages_before:
        if all(_stamp(folder / name) == stamp for name, stamp in pages_before.items()):
            return WikiResult(folder, unchanged=sorted(pages_before))

    # Each meeting's text, hashed: only those the cache does not know are decoded.
    # A new or changed meeting is rendered at once and let go: thousands of
    # meetings held as objects would take several times the archive's size.
    known: dict[str, list[Any]] = cache.get("meetings", {})
    overviews: dict[str, Overview] = {}
    fresh: dict[str, bytes] = {}
    text_of: dict[str, tuple[str, bytes]] = {}
    for key, raw in archive.meeting_texts():
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        overview = _from_cache(known.get(digest))
        if overview is None:
            meeting = archive.meeting_from_text(key, raw)
            overview = Overview.of(meeting)
            fresh[overview.id] = markdown.render(meeting, tasks=tasks).encode("utf-8")
        overviews[digest] = overview
        text_of[overview.id] = (key, raw)
    meetings = list(overviews.values())
    names = page_names(meetings)
    previous_names: dict[str, str] = cache.get("names", {})

    ensure_private_dir(folder)
    result = WikiResult(folder)
    changed: dict[str, bytes] = {}
    for meeting_id, name in names.items():
        page_stamp = pages_before.get(name)
        unchanged = (
            meeting_id not in fresh
            and previous_names.get(meeting_id) == name
            and page_stamp is not None
            and _stamp(folder / name) == page_stamp
        )
        if unchanged:
            result.unchanged.append(name)
            continue
        rendered = fresh.get(meeting_id)
        if rendered is None:
            rendered = markdown.render(archive.meeting_from_text(*text_of[meeting_id]), tasks=tasks).encode("utf-8")
        _compare(folder, name, rendered, changed, result)
    _compare(folder, INDEX, index_page(meetings, names).encode("utf-8"), changed, result)
    _compare(folder, ACTIONS, actions_page(meetings, names).encode("utf-8"), changed, result)
    _compare(folder, PEOPLE, people_page(meetings, archive.people()).encode("utf-8"), changed, result)
    _write_files(folder, changed)
    result.written = sorted(changed)
    result.unchanged.sort()

    pages = {name: _stamp(folder / name) for name in [*names.values(), INDEX, ACTIONS, PEOPLE]}
    new_cache = {
        "renderer": renderer,
        "folder": str(folder.resolve()),
        "archive": archive_stamp,
        "pages": {name: stamp for name, stamp in pages.items() if stamp is not None},
        "names": names,
        "meetings": overviews,
    }
    try:
        atomic_write(cache_path, json.dumps(new_cache, ensure_ascii=True, separators=(",", ":")))
    except OSError:
        pass  # only the next export is slower
    return result


def _compare(folder: Path, name: str, data: bytes, changed: dict[str, bytes], result: WikiResult) -> None:
    path = folder / name
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            result.unchanged.append(name)
            return
    except OSError:
        pass
    changed[name] = data
