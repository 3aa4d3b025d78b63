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
from textual.widgets import Footer, Static

from facilitate.clock import format_duration
from facilitate.dates import describe_date, short_date
from facilitate.followups import describe
from facilitate.matters import outcome_text
from facilitate.models import Meeting
from facilitate.summary import MeetingReport, report
from facilitate.text import clean_block, clean_line, plural
from screens.base import BaseScreen


def _when(meeting: Meeting) -> str:
    start = meeting.started_at or meeting.planned_start
    if not start:
        return ""
    moment = datetime.fromisoformat(start)
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M}"


def timing_table(data: MeetingReport) -> Table:
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


def people_block(data: MeetingReport) -> Table:
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


def actions_block(data: MeetingReport, today: date) -> Table | Text:
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


def sessions_block(meeting: Meeting) -> Group | None:
    """The open space sessions: where and when, who convened, who took part, the report."""
    lines: list[Text] = []
    for segment in meeting.segments:
        space = segment.open_space
        if space is None or not space.live_proposals:
            continue
        captured: dict[str, int] = {}
        for item in meeting.items:
            session_id = item.context.get("session")
            if item.segment_id == segment.id and session_id:
                captured[session_id] = captured.get(session_id, 0) + 1
        placed = sorted(
            ((space.cell_of(p.id), p) for p in space.live_proposals),
            key=lambda entry: entry[0] if entry[0] is not None else (99, 99),
        )
        lines.append(Text(f"{clean_line(segment.name)}: {plural(len(placed), 'session')}", style="italic"))
        for cell, proposal in placed:
            line = Text(clean_line(proposal.title) or "Untitled session", style="bold")
            if cell is not None:
                slot, room = cell
                when = space.slot_times[slot] if slot < len(space.slot_times) else f"slot {slot + 1}"
                where = space.spaces[room] if room < len(space.spaces) else f"space {room + 1}"
                line.append(f"  {clean_line(when)}, {clean_line(where)}", style="dim")
            else:
                line.append("  not on the wall", style="dim")
            if proposal.by:
                line.append(f"  convened by {clean_line(proposal.by)}", style="dim")
            people = len(dict.fromkeys(proposal.participants))
            if people:
                line.append(f"  · {plural(people, 'person', 'people')} took part", style="dim")
            if captured.get(proposal.id):
                line.append(f"  · {plural(captured[proposal.id], 'capture')}", style="dim")
            lines.append(line)
            report_text = clean_block(proposal.report)
            if report_text:
                first = report_text.splitlines()[0]
                more = " …" if "\n" in report_text or len(first) > 160 else ""
                lines.append(Text("  " + first[:160] + more))
    return Group(*lines) if lines else None


def notes_block(data: MeetingReport) -> Group | None:
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


def matters_block(data: MeetingReport, today: date) -> Table | None:
    """What became of the series' earlier actions, reviewed under matters arising."""
    matters = [m for segment in data.meeting.segments for m in segment.matters]
    if not matters:
        return None
    reviewed = [m for m in matters if m.outcome]
    table = Table(
        title=f"Earlier actions reviewed: {len(reviewed)} of {len(matters)}",
        title_justify="left",
        expand=True,
        box=None,
        show_header=bool(reviewed),
    )
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Action", ratio=1)
    table.add_column("Owner", no_wrap=True, overflow="ellipsis", max_width=24)
    for matter in reviewed:
        table.add_row(Text(outcome_text(matter, today), style="green"), Text(clean_block(matter.text)), Text(clean_line(matter.owner) or "–"))
    return table


def decisions_block(data: MeetingReport) -> Group | Text:
    if not data.decisions:
        return Text("Decisions: none", style="italic")
    lines = [Text(f"Decisions: {len(data.decisions)}", style="italic")]
    for item in data.decisions:
        lines.append(Text("= ").append(clean_block(item.text)))
    return Group(*lines)


def rounds_block(data: MeetingReport) -> Group:
    lines = []
    for record in data.rounds:
        line = Text(clean_line(record.segment.name), style="bold")
        spoke = ", ".join(f"{clean_line(name)} {format_duration(seconds)}" for name, seconds in record.spoke)
        line.append(f"  spoke: {spoke or 'nobody'}")
        if record.passed:
            line.append(f"  passed: {', '.join(clean_line(n) for n in record.passed)}")
        if record.not_heard:
            line.append(f"  not heard: {', '.join(clean_line(n) for n in record.not_heard)}", style="yellow")
        if record.left:
            line.append(f"  left before their turn: {', '.join(clean_line(n) for n in record.left)}", style="dim")
        lines.append(line)
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
        data = report(meeting)
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
            yield Static(timing_table(data), classes="block")
            if data.rounds:
                yield Static(rounds_block(data), classes="block")
            yield Static(people_block(data), classes="block")
            yield Static(actions_block(data, today), classes="block", id="actions")
            if (matters := matters_block(data, today)) is not None:
                yield Static(matters, classes="block")
            yield Static(decisions_block(data), classes="block")
            if (sessions := sessions_block(meeting)) is not None:
                yield Static(sessions, classes="block")
            if (notes := notes_block(data)) is not None:
                yield Static(notes, classes="block")
        yield Footer()

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
