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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from facilitate.export import markdown
from facilitate.export.escape import inline
from facilitate.export.markdown import DASH, Page, meeting_date, uk_date
from facilitate.models import ACTION, OPEN, Meeting, Person
from facilitate.paths import atomic_write, ensure_private_dir
from facilitate.text import name_key

if TYPE_CHECKING:
    from facilitate.archive import Archive

INDEX, ACTIONS, PEOPLE = "index.md", "actions.md", "people.md"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SLUG = 60


def slug(text: str) -> str:
    """`East ICB open meeting` → `east-icb-open-meeting`: ASCII letters, digits and hyphens only."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", folded)
    result = "-".join(words)[:MAX_SLUG].strip("-")
    return result


def page_stem(meeting: Meeting) -> str:
    """The page name before any tie-breaking suffix: date, then series (or title)."""
    start = (meeting.started_at or meeting.planned_start or "")[:10]
    day = start if _ISO_DAY.match(start) else "undated"
    name = slug(meeting.series) or slug(meeting.title) or "meeting"
    return f"{day}-{name}"


def page_name(meeting: Meeting) -> str:
    """The stable file name for one meeting on its own (`2026-11-26-east-icb-open-meeting.md`)."""
    return page_stem(meeting) + ".md"


def page_names(meetings: list[Meeting]) -> dict[str, str]:
    """Meeting id to file name, unique within the folder, the same every run."""
    groups: dict[str, list[Meeting]] = {}
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


def _newest_first(meetings: list[Meeting]) -> list[Meeting]:
    return sorted(meetings, key=lambda m: (m.started_at or m.planned_start or "", m.id), reverse=True)


def _link(text: str, target: str) -> str:
    """A relative link: the text is escaped user text, the target one of our own file names."""
    return f"[{text}]({target})"


def _meeting_link(meeting: Meeting, names: dict[str, str]) -> str:
    when = meeting_date(meeting) or "Undated"
    return _link(f"{when}: {inline(meeting.title, markdown.UNTITLED)}", names[meeting.id])


# -- the overview pages ---------------------------------------------------------------------


def index_page(meetings: list[Meeting], names: dict[str, str]) -> str:
    page = Page()
    page.heading(1, "Meetings")
    count = len(meetings)
    page.paragraph(
        f"{count} meeting{'s' if count != 1 else ''}. "
        + _link("Open actions", ACTIONS)
        + " · "
        + _link("People", PEOPLE)
    )
    series: dict[str, list[Meeting]] = {}
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
            open_actions = sum(1 for i in meeting.items if i.kind == ACTION and i.status == OPEN)
            detail = f"{people} {'person' if people == 1 else 'people'}"
            if open_actions:
                detail += f", {open_actions} open action{'s' if open_actions != 1 else ''}"
            lines.append(f"{_meeting_link(meeting, names)} ({detail})")
        page.bullets(lines)
    if not meetings:
        page.paragraph("No meetings yet.")
    return page.text()


def actions_page(meetings: list[Meeting], names: dict[str, str]) -> str:
    page = Page()
    page.heading(1, "Open actions")
    owners: dict[str, list[tuple[Meeting, object]]] = {}
    labels: dict[str, str] = {}
    for meeting in _newest_first(meetings):
        for item in meeting.items:
            if item.kind != ACTION or item.status != OPEN:
                continue
            key = name_key(item.owner)
            owners.setdefault(key, []).append((meeting, item))
            labels.setdefault(key, item.owner)
    total = sum(len(entries) for entries in owners.values())
    page.paragraph(f"{total} open action{'s' if total != 1 else ''}. " + _link("All meetings", INDEX))
    for key in sorted(owners, key=lambda k: (k == "", k)):
        page.heading(2, inline(labels[key]) if key else "No owner")
        rows = []
        entries = sorted(owners[key], key=lambda e: (e[1].due or "9999-99-99",))  # type: ignore[attr-defined]
        for meeting, item in entries:
            rows.append(
                [
                    inline(item.text, "(no text)"),  # type: ignore[attr-defined]
                    uk_date(item.due) or DASH,  # type: ignore[attr-defined]
                    _meeting_link(meeting, names),
                ]
            )
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


def people_page(meetings: list[Meeting], people: list[Person]) -> str:
    known = {person.id: person for person in people}
    seen: dict[str, _Attendance] = {}
    for meeting in sorted(meetings, key=lambda m: (m.started_at or m.planned_start or "", m.id)):
        day = (meeting.started_at or meeting.planned_start or "")[:10]
        for attendee in {a.person_id: a for a in meeting.attendees}.values():
            record = seen.get(attendee.person_id)
            if record is None:
                record = seen[attendee.person_id] = _Attendance(attendee.name, first=day)
            record.meetings += 1
            record.name = attendee.name
            record.last = day
            if inline(attendee.organisation):
                record.organisation = attendee.organisation
                if attendee.organisation not in record.organisations:
                    record.organisations.append(attendee.organisation)
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
    pages[INDEX] = index_page(meetings, names)
    pages[ACTIONS] = actions_page(meetings, names)
    pages[PEOPLE] = people_page(meetings, people)
    return pages


def write_pages(pages: dict[str, str], folder: Path) -> WikiResult:
    """Write the pages that differ from what is on disk. Raises OSError."""
    ensure_private_dir(folder)
    result = WikiResult(folder)
    for name in sorted(pages):
        data = pages[name].encode("utf-8")
        path = folder / name
        try:
            if path.is_file() and path.read_bytes() == data:
                result.unchanged.append(name)
                continue
        except OSError:
            pass
        atomic_write(path, data)
        result.written.append(name)
    return result


def write_wiki(archive: Archive, folder: Path, *, tasks: bool = False) -> WikiResult:
    """The archive as a wiki folder. Raises `ArchiveError` (a damaged meeting) or OSError."""
    from facilitate.export.interchange import archive_bundle

    bundle = archive_bundle(archive)
    return write_pages(render_wiki(bundle.meetings, bundle.people, tasks=tasks), folder)
