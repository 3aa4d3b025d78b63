"""One meeting as a GitHub-flavoured markdown page, ready for a wiki.

The page follows the shape wikis already use for meeting notes (Confluence's
meeting-notes template): a title with the date and series; date, time and
facilitator; who came; the agenda, planned against actual; what each segment
produced (notes, decisions, who spoke in a round, and each format kind's own
section: the open space proceedings, the Lean Coffee board, matters arising,
written by the kind, `facilitate.kinds`); every decision; every action as a
table (Owner | Action | Due | From), and with `tasks=True` as a task list.

The page is the minutes: each action as the meeting agreed it (owner, text,
due date). What became of it since (done at a later meeting, given to
someone else, re-dated) is shown beneath it, dated, never by changing what
was agreed; the task list alone shows where the actions stand now.

It is plain GFM (pipe tables, `-` lists, no raw HTML) so that it survives
pasting into GitHub and GitLab wikis, Wiki.js, Obsidian and Confluence Cloud.
Every piece of user text goes through `facilitate.export.escape`. The output
is deterministic: the same meeting always gives the same bytes, so a wiki
kept in git shows clean diffs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from facilitate import kinds
from facilitate.clock import format_minutes
from facilitate.export.escape import block, inline
from facilitate.followups import current, describe
from facilitate.models import (
    DONE,
    DROPPED,
    Item,
    Meeting,
    Proposal,
    Segment,
)
from facilitate.summary import summarise
from facilitate.text import name_key

if TYPE_CHECKING:
    from facilitate.kinds.round import RoundRecord

DASH = "–"
FOLLOW_UP_MARK = "↳"
"""Before each follow-up under an action: what happened after the meeting agreed it."""
UNTITLED = "Untitled meeting"
NAME_SEPARATOR = "; "
"""Between names in a line: people's names may have commas in them ("Smith, John")."""


# -- dates --------------------------------------------------------------------------


def parse_moment(value: str | None) -> datetime | None:
    """An ISO date or date-time from the record, or None if it is not one."""
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def uk_date(value: str | date | None) -> str:
    """`Thu 26 Nov 2026`; empty when there is no readable date."""
    if isinstance(value, date):
        day = value
    else:
        moment = parse_moment(value)
        if moment is None:
            return ""
        day = moment.date()
    return f"{day:%a} {day.day} {day:%b} {day.year}"


def clock_time(value: str | None) -> str:
    """`10:00` in the time zone the record was made in (not this machine's)."""
    moment = parse_moment(value)
    if moment is None or (isinstance(value, str) and len(value.strip()) <= 10):
        return ""
    return f"{moment:%H:%M}"


def meeting_start(meeting: Meeting) -> str | None:
    return meeting.started_at or meeting.planned_start


def meeting_date(meeting: Meeting) -> str:
    """The meeting's day as `Thu 26 Nov 2026`, or empty."""
    return uk_date(meeting_start(meeting))


# -- the writer ----------------------------------------------------------------------


@dataclass
class Page:
    """Markdown being assembled: blocks separated by one blank line."""

    blocks: list[str] = field(default_factory=list)
    last_was_list: bool = False
    """Two `-` lists with only a blank line between are one (loose) list in
    CommonMark, so a list that follows a list joins it instead."""

    def _add(self, text: str, *, is_list: bool = False) -> None:
        self.blocks.append(text)
        self.last_was_list = is_list

    def heading(self, level: int, text: str) -> None:
        self._add("#" * level + " " + text)

    def paragraph(self, text: str) -> None:
        if text:
            self._add(text)

    def bullets(self, lines: list[str]) -> None:
        if not lines:
            return
        text = "\n".join("- " + line for line in lines)
        if self.last_was_list:
            self.blocks[-1] += "\n" + text
        else:
            self._add(text, is_list=True)

    def table(self, headers: list[str], rows: list[list[str]], align: str = "") -> None:
        """A pipe table; `align` has one letter per column ("l" or "r")."""
        align = align.ljust(len(headers), "l")
        lines = [
            "| " + " | ".join(headers) + " |",
            "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |",
        ]
        for row in rows:
            lines.append("| " + " | ".join(row) + " |")
        self._add("\n".join(lines))

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


# -- pieces of a meeting -----------------------------------------------------------------


def title_parts(meeting: Meeting) -> tuple[str, str, str]:
    """The title, the series and the date for a heading, as plain text; the series and the
    date are left out (empty) when the title already says them ("East ICB open meeting,
    26 Nov 2026" is not followed by the series and the date again)."""
    title = meeting.title
    folded = name_key(title)
    series = meeting.series if name_key(meeting.series) not in folded else ""
    when = meeting_date(meeting)
    moment = parse_moment(meeting_start(meeting))
    if moment is not None and name_key(f"{moment.day} {moment:%b} {moment.year}") in folded:
        when = ""
    return title, series, when


def title_line(meeting: Meeting) -> str:
    """The page title: meeting title, series and date, each once."""
    title, series, when = title_parts(meeting)
    parts = [inline(title, UNTITLED), inline(series), when]
    return " · ".join(part for part in parts if part)


def follow_up_lines(meeting: Meeting, item: Item, escape: Callable[[str], str] | None = None) -> list[str]:
    """What became of an action since its meeting, one dated line each, oldest first."""
    escape = escape or inline
    moment = parse_moment(meeting_start(meeting))
    year = moment.year if moment is not None else None
    return [describe(entry, year=year, date_words=uk_date, name=escape) for entry in item.log]


def person_name(meeting: Meeting, person_id: str | None) -> str:
    """A person's name as the meeting recorded it (escaped), or empty."""
    attendee = meeting.attendee(person_id)
    return inline(attendee.name, "someone") if attendee else ""


def context_key(item: Item) -> str | None:
    """The open space session or Lean Coffee topic an item was captured in."""
    context = item.context or {}
    value = context.get("session") or context.get("topic")
    return value if isinstance(value, str) and value else None


def item_home(meeting: Meeting, item: Item) -> tuple[Segment | None, Proposal | None]:
    """The segment an item came from and, inside it, its session or topic."""
    segment = meeting.segment_by_id(item.segment_id)
    key = context_key(item)
    if segment is None or key is None:
        return segment, None
    return segment, kinds.get(segment.kind).item_home(segment, key)


def from_label(meeting: Meeting, item: Item) -> str:
    """Where an action came from: its segment, and its session or topic."""
    segment, proposal = item_home(meeting, item)
    if segment is None:
        return DASH
    label = inline(segment.name, "Segment")
    if proposal is not None:
        label += ": " + inline(proposal.title, "untitled")
    return label


def due_label(item: Item) -> str:
    if item.due_not_understood:
        return f"{inline(item.due_text)} (date not understood)"
    return uk_date(item.due) or (inline(item.due_text) if item.due_text else DASH)


def action_text(item: Item) -> str:
    text = inline(item.text, "(no text)")
    if item.status == DONE:
        text += " (done)"
    elif item.status == DROPPED:
        text += " (dropped)"
    return text


def item_line(meeting: Meeting, item: Item, *, indent: str = "  ") -> str:
    """A note, decision or action as a list item's text; an action as agreed, with what
    became of it since as a list beneath."""
    text = block(item.text, indent=indent, empty="(no text)")
    if item.kind == "decision":
        text = "**Decision:** " + text
    elif item.kind == "action":
        owner = inline(item.owner, "no owner")
        due = uk_date(item.due)
        text = f"**Action:** {owner}: {text}" + (f" (due {due})" if due else "")
        if item.status in (DONE, DROPPED):
            text += f" ({item.status})"
        for line in follow_up_lines(meeting, item):
            text += f"\n{indent}- {FOLLOW_UP_MARK} {line}"
    speaker = person_name(meeting, item.speaker_id)
    if speaker and item.kind != "action":
        text += f" ({speaker})"
    return text


def _names(meeting: Meeting, person_ids: list[str]) -> tuple[int, str]:
    """How many people, and their names (someone the meeting did not record counts as "another")."""
    names = []
    unknown = 0
    for person_id in dict.fromkeys(person_ids):
        name = person_name(meeting, person_id)
        if name:
            names.append(name)
        else:
            unknown += 1
    if unknown:
        names.append(f"{unknown} other{'s' if unknown != 1 else ''}")
    return len(names) - (1 if unknown else 0) + unknown, NAME_SEPARATOR.join(names)


@dataclass
class RecordContext:
    """What a format kind writes its section of the record from (`Kind.record`)."""

    meeting: Meeting
    segment: Segment
    by_context: dict[str, list[Item]]
    """Items captured in a session or topic, by its id: shown there, not under the segment."""

    @cached_property
    def rounds(self) -> RoundRecord | None:
        """Who was heard, when the segment had a round (its own, or a round phase)."""
        return kinds.rounds().record_of(self.meeting, self.segment) if self.segment.round is not None else None

    @property
    def round_happened(self) -> bool:
        return self.rounds is not None and self.rounds.happened

    def write_round(self, page: Page) -> None:
        if self.rounds is not None:
            kinds.rounds().write(page, self.rounds)

    def prompt_and_round(self, page: Page) -> None:
        """A round's prompt and who was heard: what a segment with a round records."""
        if self.rounds is None:
            return
        if prompt := inline(self.segment.prompt):
            page.paragraph("**Prompt:** " + prompt)
        self.write_round(page)

    def item_line(self, item: Item) -> str:
        return item_line(self.meeting, item)

    def names(self, person_ids: list[str]) -> tuple[int, str]:
        return _names(self.meeting, person_ids)


# -- the page ------------------------------------------------------------------------------


def render(meeting: Meeting, *, tasks: bool = False) -> str:
    """The meeting as a markdown page."""
    data = summarise(meeting)
    page = Page()
    page.heading(1, title_line(meeting))

    # Details
    facts = []
    when = meeting_date(meeting)
    if when:
        facts.append(f"**Date:** {when}")
    start, end = clock_time(meeting_start(meeting)), clock_time(meeting.finished_at)
    if start:
        span = f"{start} to {end}" if end else start
        facts.append(f"**Time:** {span} ({format_minutes(data.actual_total)})")
    if series := inline(meeting.series):
        facts.append("**Series:** " + series)
    if facilitator := inline(meeting.facilitator):
        facts.append("**Facilitator:** " + facilitator)
    count, new = len(meeting.attendees), len(data.new_people)
    facts.append(f"**Attendees:** {count} ({new} new)")
    page.bullets(facts)

    # Attendees
    page.heading(2, "Attendees")
    if meeting.attendees:
        page.paragraph(f"{count} {'person' if count == 1 else 'people'}, {new} new.")
        page.table(
            ["Name", "Organisation", "New"],
            [[inline(a.name, "(no name)"), inline(a.organisation), "new" if a.new else ""] for a in meeting.attendees],
        )
    else:
        page.paragraph("Nobody was recorded.")

    # Agenda
    page.heading(2, "Agenda")
    rows = []
    for row in data.segments:
        actual = {"skipped": "skipped", "not reached": "not reached"}.get(row.status) or format_minutes(row.actual)
        rows.append(
            [
                clock_time(row.segment.started_at),
                inline(row.segment.name, "Segment"),
                format_minutes(row.planned),
                actual,
            ]
        )
    rows.append(["", "**Total**", format_minutes(data.planned_total), format_minutes(data.actual_total)])
    page.table(["Time", "Segment", "Planned", "Actual"], rows, "llrr")

    # What each segment produced. Items captured in a session or topic are
    # shown there; the rest under their segment.
    by_context: dict[str, list[Item]] = {}
    by_segment: dict[str, list[Item]] = {}
    orphans: list[Item] = []
    for item in meeting.items:
        segment, proposal = item_home(meeting, item)
        if segment is None:
            if item.kind != "action":
                orphans.append(item)
        elif proposal is not None:
            by_context.setdefault(proposal.id, []).append(item)
        elif item.kind != "action":
            by_segment.setdefault(segment.id, []).append(item)
    for segment in meeting.segments:
        own = by_segment.get(segment.id, [])
        if not own and not any(kind.has_record(segment) for kind in kinds.for_segment(segment)):
            continue
        page.heading(2, inline(segment.name, "Segment"))
        kinds.get(segment.kind).record(page, RecordContext(meeting, segment, by_context))
        page.bullets([item_line(meeting, item) for item in own])
    if orphans:
        page.heading(2, "Other notes")
        page.bullets([item_line(meeting, item) for item in orphans])

    # Decisions
    page.heading(2, "Decisions")
    if data.decisions:
        page.bullets([block(item.text, indent="  ", empty="(no text)") for item in data.decisions])
    else:
        page.paragraph("None recorded.")

    # Actions: as agreed at this meeting, soonest due first; what happened since beneath each.
    page.heading(2, "Actions")
    actions = sorted(data.actions, key=lambda item: (item.due is None, item.due or ""))
    if actions:
        rows = []
        for item in actions:
            rows.append([inline(item.owner, DASH), action_text(item), due_label(item), from_label(meeting, item)])
            for line in follow_up_lines(meeting, item):
                rows.append(["", f"{FOLLOW_UP_MARK} {line}", "", ""])
        page.table(["Owner", "Action", "Due", "From"], rows)
        if tasks:
            # A task list to tick off in the wiki: where each action stands now.
            lines = []
            for item in actions:
                state = current(item)
                mark = "x" if state.status in (DONE, DROPPED) else " "
                due = uk_date(state.due)
                text = inline(item.text, "(no text)") + (f" ({state.status})" if state.status in (DONE, DROPPED) else "")
                line = f"[{mark}] {inline(state.owner, 'No owner')}: {text}"
                lines.append(line + (f" (due {due})" if due else ""))
            if any(item.log for item in actions):
                page.paragraph("Where they stand now:")
            page.bullets(lines)
    else:
        page.paragraph("None recorded.")
    return page.text()
