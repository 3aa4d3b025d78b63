"""The summary of a meeting: planned against actual, people, actions, decisions."""

from __future__ import annotations

from datetime import date, datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitate.clock import format_duration
from facilitate.dates import describe_date, short_date
from facilitate.followups import describe
from facilitate.models import Meeting
from facilitate.summary import Summary, summarise
from facilitate.text import clean_block, clean_line
from screens import kinds as views
from screens.base import BaseScreen, SteadyFooter


def _when(meeting: Meeting) -> str:
    start = meeting.started_at or meeting.planned_start
    if not start:
        return ""
    moment = datetime.fromisoformat(start)
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M}"


def timing_table(data: Summary) -> Table:
    table = Table(title="Time: planned against actual", title_justify="left", expand=True, box=None)
    table.add_column("Segment", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Planned", justify="right")
    table.add_column("Actual", justify="right")
    table.add_column("Over", justify="right")
    for row in data.segments:
        over = ""
        if row.status == "done" and abs(row.over) >= 1:
            over = ("+" if row.over > 0 else "−") + format_duration(abs(row.over))
        actual = format_duration(row.actual) if row.status != "not reached" else row.status
        if row.status == "skipped":
            actual = "skipped"
        table.add_row(
            Text(clean_line(row.segment.name)),
            Text(format_duration(row.planned)),
            Text(actual),
            Text(over, style="red" if row.over > 60 else ""),
        )
    table.add_row(
        Text("Total", style="bold"),
        Text(format_duration(data.planned_total), style="bold"),
        Text(format_duration(data.actual_total), style="bold"),
        Text(""),
    )
    return table


def people_block(data: Summary) -> Table:
    total = len(data.meeting.attendees)
    table = Table(
        title=f"People: {total} ({len(data.new_people)} new, {len(data.returning)} returning)",
        title_justify="left",
        expand=True,
        box=None,
    )
    table.add_column("Name", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Organisation", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("")
    for attendee in data.meeting.attendees:
        table.add_row(
            Text(clean_line(attendee.name)),
            Text(clean_line(attendee.organisation)),
            Text("new" if attendee.new else "", style="green"),
        )
    return table


def actions_block(data: Summary, today: date) -> Table | Text:
    """The actions as the meeting agreed them, soonest due first; what became of each
    since (a later meeting's matters arising, the actions list) beneath it, dated."""
    if not data.actions:
        return Text("Actions: none", style="italic")
    table = Table(title=f"Actions: {len(data.actions)}", title_justify="left", expand=True, box=None)
    table.add_column("Owner", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("Action", ratio=1)
    table.add_column("Due", no_wrap=True)
    moment = data.meeting.started_at or data.meeting.planned_start
    year = int(moment[:4]) if moment and moment[:4].isdigit() else None
    for item in sorted(data.actions, key=lambda i: (i.due is None, i.due or "")):
        if item.due_not_understood:
            due = Text(f"⚠ “{clean_line(item.due_text)}”: date not understood", style="bold yellow")
        else:
            due = Text(describe_date(date.fromisoformat(item.due), today) if item.due else "–")
        text = Text(clean_block(item.text))
        if item.status != "open":
            text.append(f" ({item.status})", style="dim")
        table.add_row(Text(clean_line(item.owner) or "–"), text, due)
        for follow_up in item.log:
            line = describe(follow_up, year=year, date_words=lambda iso: short_date(iso, today), name=clean_line)
            table.add_row(Text(""), Text(f"↳ {line}", style="dim italic"), Text(""))
    unread = sum(1 for item in data.actions if item.due_not_understood)
    if unread:
        table.caption = (
            f"⚠ {unread} due date{'s' if unread != 1 else ''} not understood: "
            f"set {'them' if unread != 1 else 'it'} in the actions list (a from the home screen, then d)."
        )
        table.caption_justify = "left"
    return table


def notes_block(data: Summary) -> Group | None:
    """The notes, each with the segment (and round speaker) it came from."""
    if not data.notes:
        return None
    meeting = data.meeting
    lines = [Text(f"Notes: {len(data.notes)}", style="italic")]
    for item in data.notes:
        line = Text("· ").append(clean_block(item.text))
        segment = meeting.segment_by_id(item.segment_id)
        speaker = meeting.attendee(item.speaker_id)
        where = ", ".join(clean_line(x) for x in (segment.name if segment else "", speaker.name if speaker else "") if x)
        if where:
            line.append(f"  ({where})", style="dim")
        lines.append(line)
    return Group(*lines)


def decisions_block(data: Summary) -> Group | Text:
    if not data.decisions:
        return Text("Decisions: none", style="italic")
    lines = [Text(f"Decisions: {len(data.decisions)}", style="italic")]
    for item in data.decisions:
        lines.append(Text("= ").append(clean_block(item.text)))
    return Group(*lines)


class SummaryScreen(BaseScreen):
    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("h,escape", "home", "Home"),
        Binding("r", "record", "Record"),
        Binding("c", "copy_record", "Copy"),
        Binding("s", "save_record", "Save"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, meeting: Meeting, *, from_archive: bool = False) -> None:
        super().__init__()
        self.meeting = meeting
        self.from_archive = from_archive

    def compose(self) -> ComposeResult:
        meeting = self.meeting
        data = summarise(meeting)
        today = self.clock.today()
        with VerticalScroll(id="summary"):
            heading = Content.assemble(
                (clean_line(meeting.title), "bold"),
                ("  " + clean_line(meeting.series) if meeting.series else "", "$text-muted"),
                "\n",
                (_when(meeting), "$text-muted"),
                (f" · facilitated by {clean_line(meeting.facilitator)}" if meeting.facilitator else "", "$text-muted"),
                ("" if self.from_archive else "\nFinished and saved in the archive.", "$success"),
            )
            yield Static(heading, id="summary-title")
            # Each kind's blocks (who spoke in the rounds, the open space sessions, the
            # actions reviewed) after the block they follow.
            blocks: dict[str, list] = {}
            for view in views.views():
                for after, block in view.summary_blocks(data, today):
                    blocks.setdefault(after, []).append(block)
            yield Static(timing_table(data), classes="block")
            yield from (Static(block, classes="block") for block in blocks.get("timing", ()))
            yield Static(people_block(data), classes="block")
            yield Static(actions_block(data, today), classes="block", id="actions")
            yield from (Static(block, classes="block") for block in blocks.get("actions", ()))
            yield Static(decisions_block(data), classes="block")
            yield from (Static(block, classes="block") for block in blocks.get("decisions", ()))
            if (notes := notes_block(data)) is not None:
                yield Static(notes, classes="block")
        yield SteadyFooter()

    def action_home(self) -> None:
        from screens.home import HomeScreen

        if self.from_archive and len(self.app.screen_stack) > 2:
            # A past meeting opened from the history or the actions: back to that list.
            self.app.pop_screen()
            return
        # Back to the home screen under this one (or a fresh one if it is gone).
        while len(self.app.screen_stack) > 2 and not isinstance(self.app.screen_stack[-2], HomeScreen):
            self.app.pop_screen()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_screen(HomeScreen())

    # -- the record as markdown (screens/record.py) ---------------------------------------

    def action_record(self) -> None:
        """Preview the wiki page, with copy and save."""
        from screens.record import RecordScreen

        self.app.push_screen(RecordScreen(self.meeting))

    def action_copy_record(self) -> None:
        from screens.record import copy_record

        copy_record(self, self.meeting)

    def action_save_record(self) -> None:
        from screens.record import save_record

        save_record(self, self.meeting)
