"""The boards a segment can show under its countdown.

One widget per job: the open space's opening words for the room, its agenda
wall, the Lean Coffee board, the list of matters arising, the phases of a
phased format. The boards take focus (↓ from the empty capture line; Esc
goes back) and turn keys into messages; the run screen makes the session
calls. They draw from the session they are given and never change it.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from facilitate.clock import format_duration
from facilitate.dates import short_date
from facilitate.matters import outcome_text
from facilitate.models import OpenSpace, Segment
from facilitate.open_space import wall_problems
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line, plural


def safe(text: str) -> str:
    return clean_line(text)


class RoomText(Static):
    """Large, calm text for the room: the open space's theme, principles and the law of two feet."""

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None:
            return
        theme = segment.open_space.theme if segment.open_space else segment.prompt
        room = clean_block(segment.data.get("room", ""))
        self.update(Content.assemble((clean_block(theme), "bold $accent"), "\n\n", room))


class PhaseList(Static):
    """The phases of a phased format, with their times (the running one's in whole minutes, so
    that the list redraws once a minute, not every second)."""

    _shown: object = None

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.phases:
            if self._shown is not None:
                self._shown = None
                self.update("")
            return
        rows = []
        for index, phase in enumerate(segment.phases):
            current = index == segment.phase
            elapsed = phase.elapsed + (session.pending_time() if current else 0)
            mark = "▶" if current else ("✓" if index < segment.phase else "·")
            style = "bold" if current else ("dim" if index < segment.phase else "")
            if current and session.meeting.running:
                shown, over = f"{int(elapsed // 60)}m", int(elapsed // 60) * 60 > phase.seconds
            else:
                shown, over = (format_duration(elapsed) if elapsed else ""), elapsed > phase.seconds
            rows.append((mark, style, safe(phase.name), f"{phase.seconds / 60:g}m", shown, over))
        if rows == self._shown:
            return
        self._shown = rows
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=5, justify="right")
        table.add_column(width=6, justify="right")
        for mark, style, name, planned, shown, over in rows:
            table.add_row(
                Text(mark, style=style),
                Text(name, style=style),
                Text(planned, style="dim"),
                Text(shown, style="red" if over else ""),
            )
        self.update(table)


CAPTURE_KEYS = set("+-!=*\\/")
"""Characters that start a capture: typed on a board, they go to the capture line."""


class BoardLeave(Message):
    """Back to the capture line, perhaps with the character that was typed."""

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed


class Board(Widget, can_focus=True):
    """What the boards share: drawn from a session, full screen on f, and back to the
    capture line on Esc or a capture character."""

    DEFAULT_CSS = """
    Board { height: auto; }
    Board:focus { background: $boost; }
    """
    ALLOW_MAXIMIZE = True

    Leave = BoardLeave
    capture_keys = CAPTURE_KEYS

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: MeetingSession | None = None

    def refresh_from(self, session: MeetingSession) -> None:
        self.session = session
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_full(self) -> None:
        if self.screen.maximized is self:
            self.screen.minimize()
        else:
            self.screen.maximize(self)

    def action_leave(self) -> None:
        if self.screen.maximized is self:
            self.screen.minimize()
        self.post_message(BoardLeave())

    def on_key(self, event) -> None:
        if event.character and event.character in self.capture_keys:
            event.stop()
            event.prevent_default()
            if self.screen.maximized is self:
                self.screen.minimize()
            self.post_message(BoardLeave(event.character))


# -- the agenda wall -------------------------------------------------------------------


class AgendaWall(Board):
    """Open space sessions on a grid of time slots by spaces. Keys move, place, swap and merge."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        # Short words for the footer, which must fit at 80 columns beside the meeting's own
        # keys (some only in the wall's line of keys); the tooltips (F1, the command
        # palette) and the wall's own line of keys say them in full.
        Binding("enter,space", "pick", "Move", tooltip="Pick a session up, or put it down (moving or swapping)"),
        Binding("c", "capture", "Capture", tooltip="Captures from now on go to this session's report"),
        Binding("p", "people", "Who", tooltip="Who took part in this session"),
        Binding("r", "report", "Report", tooltip="Edit this session's report"),
        Binding("m", "merge", "Merge", show=False, tooltip="Merge another session into this one"),
        Binding("e", "edit", "Edit", show=False, tooltip="Edit this session's title, convener and description"),
        Binding("n", "new", "New", show=False, tooltip="Propose a new session, here if the cell is empty"),
        Binding("x,delete", "unplace", "Off", show=False, tooltip="Take this session off the wall"),
        Binding("f", "full", "Full screen", show=False, tooltip="Show the wall full screen"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line"),
    ] + [Binding(str(n), f"place_number({n})", show=False) for n in range(1, 10)]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    holding: reactive[str | None] = reactive(None)
    """A session picked up to move."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._numbers: dict[int, str] | None = None
        """While the wall has focus: the number each waiting session was given."""

    class Command(Message):
        """A key on the wall asks the screen to act: `action` on a session, maybe at a cell."""

        def __init__(
            self,
            action: str,
            proposal_id: str | None = None,
            cell: tuple[int, int] | None = None,
            other: str | None = None,
        ) -> None:
            super().__init__()
            self.action = action
            self.proposal_id = proposal_id
            self.cell = cell
            self.other = other

    @property
    def space(self) -> OpenSpace | None:
        segment = self.session.segment if self.session else None
        return segment.open_space if segment else None

    def refresh_from(self, session: MeetingSession) -> None:
        self.session = session
        space = self.space
        if space is not None:
            slot, room = self.cursor
            self.cursor = (min(slot, space.slots - 1), min(room, len(space.spaces) - 1))
        self.refresh(layout=True)

    def unplaced(self) -> list:
        space = self.space
        if space is None:
            return []
        placed = set(space.wall.values())
        return [p for p in space.live_proposals if p.id not in placed]

    def numbered_waiting(self) -> list:
        """The sessions not on the wall, each with the number that places it.

        While the wall has focus a session keeps its number: placing 1 must not make
        the next session 1, or sessions typed from the list as first shown land wrong.
        """
        waiting = self.unplaced()
        if self._numbers is None:
            return list(enumerate(waiting, start=1))
        numbered = set(self._numbers.values())
        for proposal in waiting:
            if proposal.id not in numbered:
                self._numbers[max(self._numbers, default=0) + 1] = proposal.id
        by_id = {proposal.id: proposal for proposal in waiting}
        return [(number, by_id[pid]) for number, pid in sorted(self._numbers.items()) if pid in by_id]

    def on_focus(self) -> None:
        self._numbers = {}
        # The cursor and the keys' line appear with the focus: the wall's height changes.
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self._numbers = None
        self.refresh(layout=True)

    def at_cursor(self):
        space = self.space
        if space is None:
            return None
        return space.proposal(space.wall.get(f"{self.cursor[0]}:{self.cursor[1]}"))

    def render(self):
        space = self.space
        session = self.session
        if space is None or session is None:
            return Text("")
        segment: Segment = session.segment
        phase = segment.current_phase
        live_slot = phase.slot if phase is not None else None
        problems = wall_problems(space)
        flagged = {pid for p in problems if p.kind == "double-booked" for pid in p.proposal_ids}
        table = Table(expand=True, show_lines=True, pad_edge=False, padding=(0, 1), box=box.ROUNDED)
        table.add_column("", width=6, no_wrap=True)
        for name in space.spaces:
            table.add_column(Text(safe(name), style="bold"), ratio=1, no_wrap=True, overflow="ellipsis")
        for slot in range(space.slots):
            label = Text(f"Slot {slot + 1}", style="bold" if slot == live_slot else "dim")
            label.append("\n▶ now" if slot == live_slot else "", style="green")
            cells = []
            for room in range(len(space.spaces)):
                proposal = space.proposal(space.wall.get(f"{slot}:{room}"))
                if proposal is not None:
                    cell = Text(safe(proposal.title), style="bold", no_wrap=True, overflow="ellipsis")
                    second = Text(no_wrap=True, overflow="ellipsis")
                    if proposal.id in flagged:
                        second.append("⚠ ", style="bold red")
                    if proposal.id == space.current and slot == live_slot:
                        second.append("● ", style="green")
                    second.append(safe(proposal.by) or " ", style="red" if proposal.id in flagged else "dim")
                    cell.append("\n")
                    cell.append_text(second)
                else:
                    cell = Text("·\n ", style="dim")
                if self.has_focus and (slot, room) == self.cursor:
                    cell.stylize("reverse")
                # Clicking anywhere on a cell's text acts on that cell.
                cell.stylize(Style(meta={"@click": f"click_cell({slot}, {room})"}))
                cells.append(cell)
            table.add_row(label, *cells)
        parts = [table]
        waiting = self.numbered_waiting()
        if waiting:
            line = Text("Not on the wall: ", style="yellow")
            for number, proposal in waiting:
                line.append(f"{number} ", style="bold")
                line.append(safe(proposal.title))
                if proposal.by:
                    line.append(f" ({safe(proposal.by)})", style="dim")
                line.append("   ")
            parts.append(line)
        for problem in problems:
            if problem.kind == "double-booked":
                parts.append(Text("⚠ " + problem.message, style="red"))
        if self.holding:
            held = space.proposal(self.holding)
            parts.append(Text(f"Moving: {safe(held.title) if held else ''}: Enter puts it down", style="bold green"))
        elif self.has_focus:
            parts.append(
                Text(
                    "arrows move · Enter pick up/put down · 1-9 place · m merge · c capture · p who · r report · f full · Esc back",
                    style="dim",
                )
            )
        elif not space.proposals:
            parts.append(Text("No sessions yet: *Title @Convener in the capture line proposes one.", style="dim"))
        return Group(*parts)

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_holding(self) -> None:
        self.refresh()

    def action_move(self, slots: int, rooms: int) -> None:
        space = self.space
        if space is None:
            return
        slot, room = self.cursor
        self.cursor = (max(0, min(space.slots - 1, slot + slots)), max(0, min(len(space.spaces) - 1, room + rooms)))

    def action_pick(self) -> None:
        here = self.at_cursor()
        if self.holding:
            self.post_message(self.Command("place", self.holding, self.cursor))
            self.holding = None
        elif here is not None:
            self.holding = here.id
        elif self.unplaced():
            self.post_message(self.Command("choose", None, self.cursor))

    def action_place_number(self, number: int) -> None:
        here = self.at_cursor()
        if here is not None:
            # A number only fills an empty cell: it would otherwise push the session there
            # off the wall without a word. Enter moves or swaps sessions on purpose.
            self.notify(
                f"“{safe(here.title)}” is here: choose an empty cell (or Enter picks this one up to move it).",
                severity="warning",
                timeout=4,
                markup=False,
            )
            return
        for shown, proposal in self.numbered_waiting():
            if shown == number:
                self.post_message(self.Command("place", proposal.id, self.cursor))
                return

    def _on_session(self, action: str) -> None:
        here = self.at_cursor()
        if here is not None:
            self.post_message(self.Command(action, here.id, self.cursor))

    def action_capture(self) -> None:
        self._on_session("capture")

    def action_people(self) -> None:
        self._on_session("people")

    def action_report(self) -> None:
        self._on_session("report")

    def action_merge(self) -> None:
        self._on_session("merge")

    def action_edit(self) -> None:
        self._on_session("edit")

    def action_unplace(self) -> None:
        self._on_session("unplace")

    def action_new(self) -> None:
        self.post_message(self.Command("new", None, self.cursor))

    def action_leave(self) -> None:
        if self.holding:
            self.holding = None
            return
        if self.screen.maximized is self:
            self.screen.minimize()
        self.post_message(self.Leave())

    def action_click_cell(self, slot: int, room: int) -> None:
        """A click on a cell: move there, then pick up or put down (as Enter does)."""
        self.focus()
        self.cursor = (slot, room)
        self.action_pick()


# -- the Lean Coffee board -------------------------------------------------------------


class LeanBoard(Board):
    """Topics by votes, with the one under discussion, its time and the thumbs."""

    capture_keys = set("!*\\/")
    """+, - and = count votes here."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        # Short words for the footer (the board's own line of keys says them in full).
        Binding("plus,equals_sign,right", "vote(1)", "+1", tooltip="One more vote for this topic"),
        Binding("minus,left", "vote(-1)", "−1", tooltip="One vote fewer for this topic"),
        Binding("enter", "discuss", "Discuss", tooltip="Discuss this topic now"),
        Binding("e", "edit", "Edit", show=False, tooltip="Edit this topic"),
        Binding("x,delete", "remove", "Remove", show=False, tooltip="Remove this topic"),
        Binding("f", "full", "Full screen", show=False, tooltip="Show the board full screen"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line (the topics sort by votes)"),
    ] + [Binding(str(n), f"set_votes({n})", show=False) for n in range(10)]

    cursor: reactive[int] = reactive(0)

    class Command(Message):
        def __init__(self, action: str, topic_id: str, value: int = 0) -> None:
            super().__init__()
            self.action = action
            self.topic_id = topic_id
            self.value = value

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._order: list[str] | None = None
        """While the board has focus, its rows keep their places: a tally typed in going down
        the list must not move the topic under the cursor. They sort again on leaving."""

    def topics(self) -> list:
        segment = self.session.segment if self.session else None
        if segment is None or segment.lean_coffee is None:
            return []
        ranked = segment.lean_coffee.by_votes
        if self._order is None:
            return ranked
        place = {topic_id: index for index, topic_id in enumerate(self._order)}
        return sorted(ranked, key=lambda topic: place.get(topic.id, len(place)))

    def on_focus(self) -> None:
        self._order = [topic.id for topic in self.topics()]

    def on_blur(self) -> None:
        self._order = None

    _shown: object = None

    def refresh_from(self, session: MeetingSession) -> None:
        self.session = session
        topics = self.topics()
        self.cursor = max(0, min(self.cursor, len(topics) - 1))
        # What the board would show: redrawn only when it changed (the clock asks every second).
        board = session.segment.lean_coffee if session.segment else None
        key = (
            tuple(
                (t.id, t.title, t.by, t.votes, t.state, t.carried_from, len(t.thumbs), self._time(t, board))
                for t in topics
            ),
            board.current if board else None,
            session.votes_cast() if board else None,
        )
        if key != self._shown:
            self._shown = key
            self.refresh(layout=True)

    def _time(self, topic, board) -> str:
        """A topic's discussion time: the one under discussion in whole minutes while it runs."""
        current = board is not None and topic.id == board.current
        if current and self.session is not None and self.session.meeting.running:
            return f"{int((topic.discussed + self.session.pending_time()) // 60)}m"
        discussed = topic.discussed + (self.session.pending_time() if current and self.session else 0)
        return format_duration(discussed) if discussed else ""

    def selected(self):
        topics = self.topics()
        return topics[self.cursor] if 0 <= self.cursor < len(topics) else None

    def render(self):
        session = self.session
        segment = session.segment if session else None
        if segment is None or segment.lean_coffee is None:
            return Text("")
        board = segment.lean_coffee
        topics = self.topics()
        table = Table(expand=True, box=None, padding=(0, 1), show_header=True, header_style="dim")
        table.add_column("Votes", width=9, no_wrap=True)
        table.add_column("Topic", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Time", width=5, justify="right", no_wrap=True)
        table.add_column("Thumbs", width=9, no_wrap=True)
        for index, topic in enumerate(topics):
            current = topic.id == board.current
            dots = Text("●" * min(topic.votes, 5) + ("+" if topic.votes > 5 else ""), style="cyan")
            dots.append(f" {topic.votes}", style="bold")
            mark = "▶ " if current else ("✓ " if topic.state == "done" else "  ")
            title = Text(
                mark + safe(topic.title), style="bold" if current else ("dim" if topic.state == "done" else "")
            )
            if topic.by:
                title.append(f"  {safe(topic.by)}", style="dim")
            if topic.carried_from:
                title.append("  ↪ from last time", style="dim italic")
            last = topic.thumbs[-1] if topic.thumbs else None
            thumbs = Text(f"{last.up}↑{last.sideways}→{last.down}↓" if last else "", style="dim")
            row = [dots, title, Text(self._time(topic, board)), thumbs]
            if self.has_focus and index == self.cursor:
                for cell in row:
                    cell.stylize("reverse")
            table.add_row(*row)
        cast, expected = session.votes_cast()
        footer = Text(
            f"{plural(len(topics), 'topic')} · {cast} of {plural(expected, 'vote')} entered ({board.votes_per_person} each)",
            style="dim",
        )
        hint = Text(
            "↑↓ choose · +/- or 0-9 votes · Enter discuss now · e edit · x remove · f full · Esc back (and sort by votes)"
            if self.has_focus
            else ("*Topic in the capture line adds a topic · ↓ to the board for votes" if not topics else ""),
            style="dim",
        )
        return Group(table, footer, hint)

    def watch_cursor(self) -> None:
        self.refresh()

    def action_move(self, offset: int) -> None:
        topics = self.topics()
        if topics:
            self.cursor = max(0, min(len(topics) - 1, self.cursor + offset))

    def _command(self, action: str, value: int = 0) -> None:
        topic = self.selected()
        if topic is not None:
            self.post_message(self.Command(action, topic.id, value))

    def action_vote(self, change: int) -> None:
        topic = self.selected()
        if topic is not None:
            self.post_message(self.Command("votes", topic.id, max(0, topic.votes + change)))

    def action_set_votes(self, votes: int) -> None:
        self._command("votes", votes)

    def action_discuss(self) -> None:
        self._command("discuss")

    def action_edit(self) -> None:
        self._command("edit")

    def action_remove(self) -> None:
        self._command("remove")


# -- matters arising -----------------------------------------------------------------------


class MattersPanel(Board):
    """The series' open actions, one highlighted; keys record what became of each."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("d", "decide('done')", "Done"),
        Binding("c", "decide('carried')", "Carry", tooltip="Carry forward, perhaps to a new date"),
        Binding("o", "decide('reowned')", "Owner", tooltip="Give it to someone else"),
        Binding("x", "decide('dropped')", "Drop"),
        Binding("u", "decide('')", "Undo", show=False, tooltip="Undo the outcome recorded"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line"),
    ]

    class Command(Message):
        def __init__(self, outcome: str, index: int) -> None:
            super().__init__()
            self.outcome = outcome
            self.index = index

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def render(self):
        session = self.session
        segment = session.segment if session else None
        if segment is None:
            return Text("")
        if not segment.matters:
            return Text("No open actions from earlier meetings of this series.", style="dim")
        current = session.current_matter_index()
        today = session.clock.today()
        table = Table(expand=True, box=None, padding=(0, 1), show_header=True, header_style="dim")
        table.add_column("", width=1)
        table.add_column("Action", ratio=3, overflow="fold")
        table.add_column("Owner", ratio=2, overflow="fold")
        table.add_column("Due", no_wrap=True)
        table.add_column("Outcome", ratio=2, overflow="fold")
        for index, matter in enumerate(segment.matters):
            overdue = bool(matter.due and matter.due < today.isoformat())
            outcome = outcome_text(matter, today)
            row = [
                Text("▶" if index == current else ""),
                Text(safe(matter.text), style="bold" if index == current else ""),
                Text(safe(matter.owner) or "–"),
                Text(short_date(matter.due, today, weekday=False), style="red" if overdue else ""),
                Text(outcome, style="green" if matter.outcome else "dim"),
            ]
            if self.has_focus and index == current:
                for cell in row:
                    cell.stylize("reverse")
            table.add_row(*row)
        decided = sum(1 for m in segment.matters if m.outcome)
        footer = Text(f"{decided} of {len(segment.matters)} reviewed", style="dim")
        hint = Text(
            "d done · c carry forward · o new owner · x drop · u undo · Esc back"
            if self.has_focus
            else "→ next · ← previous · ↓ to the list to record outcomes",
            style="dim",
        )
        return Group(table, footer, hint)

    def action_move(self, offset: int) -> None:
        if self.session is not None:
            self.post_message(self.Moved(self.session.current_matter_index() + offset))

    def action_decide(self, outcome: str) -> None:
        if self.session is not None and self.session.segment and self.session.segment.matters:
            self.post_message(self.Command(outcome, self.session.current_matter_index()))
