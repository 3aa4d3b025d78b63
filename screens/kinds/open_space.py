"""Open space on screen: the opening's words for the room, the agenda wall, its dialogs
(a session's report, who took part) and its stage, which turns the wall's messages into
`session.open_space` operations; F4 proposes a session."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from rich import box
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from facilitate.dates import short_date
from facilitate.kinds.open_space import resize_wall, wall_problems
from facilitate.models import OPEN_SPACE, Meeting, OpenSpace, Segment
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line, plural
from screens.boards import Board, safe
from screens.dialogs import DIALOG_CSS, FieldError, PickOne, ProposalForm
from screens.inputs import OrderedInput, OrderedTextArea
from screens.kinds import Host, KindView, Stage
from screens.ticks import TickList

if TYPE_CHECKING:
    from facilitate.summary import Summary

WALL_PHASES = ("marketplace", "slot")
"""The phases that show the agenda wall."""


class RoomText(Static):
    """Large, calm text for the room: the open space's theme, principles and the law of two feet."""

    DEFAULT_CSS = """
    RoomText { height: auto; padding: 1 2; text-style: bold; text-align: center; content-align: center middle; }
    """

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None:
            return
        theme = segment.open_space.theme if segment.open_space else segment.prompt
        room = clean_block(segment.data.get("room", ""))
        self.update(Content.assemble((clean_block(theme), "bold $accent"), "\n\n", room))




class AgendaWall(Board):
    """Open space sessions on a grid of time slots by spaces. Keys move, place, swap and merge."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
        Binding(
            "e", "edit", "Edit", show=False,
            tooltip="Edit this session's title, convener and description (on an empty cell: one waiting)",
        ),  # fmt: skip
        Binding(
            "h", "hide", "Hide", show=False,
            tooltip="Hide this session, a duplicate or something unwanted (on an empty cell: one waiting)",
        ),  # fmt: skip
        Binding("u", "unhide", "Show hidden", show=False, tooltip="Show a hidden session again"),
        Binding("n", "new", "New", show=False, tooltip="Propose a new session, here if the cell is empty"),
        Binding("x,delete", "unplace", "Off", show=False, tooltip="Take this session off the wall"),
        Binding("f", "full", "Full screen", show=False, tooltip="Show the wall full screen"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line"),
        *(Binding(str(n), f"place_number({n})", show=False) for n in range(1, 10)),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    holding: reactive[str | None] = reactive(None)
    """A session picked up to move."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._numbers: dict[int, str] | None = None
        """While the wall has focus: the number each waiting session was given."""

    class SessionPlaced(Message):
        """A session put down in a cell (moved, or placed from those waiting)."""

        def __init__(self, proposal_id: str, cell: tuple[int, int]) -> None:
            super().__init__()
            self.proposal_id = proposal_id
            self.cell = cell

    class CellPicked(Message):
        """Enter on an empty cell while sessions wait: which one goes here?"""

        def __init__(self, cell: tuple[int, int]) -> None:
            super().__init__()
            self.cell = cell

    class SessionChosen(Message):
        """A key about the session under the cursor; each kind of request its own class."""

        def __init__(self, proposal_id: str, cell: tuple[int, int]) -> None:
            super().__init__()
            self.proposal_id = proposal_id
            self.cell = cell

    class TakenOff(SessionChosen):
        """x: the session comes off the wall."""

    class CaptureChosen(SessionChosen):
        """c: captures from now on go to this session's report."""

    class MergeRequested(SessionChosen):
        """m: another session is to join this one."""

    class HereOrWaiting(Message):
        """A key about the session under the cursor or, on an empty cell, about one of those
        waiting for a place (`proposal_id` None: which one is asked)."""

        def __init__(self, proposal_id: str | None, cell: tuple[int, int]) -> None:
            super().__init__()
            self.proposal_id = proposal_id
            self.cell = cell

    class EditRequested(HereOrWaiting):
        """e: the session's title, convener and description, to edit."""

    class HideRequested(HereOrWaiting):
        """h: the session is hidden (u shows it again)."""

    class UnhideRequested(Message):
        """u: a hidden session, to choose and show again."""

    class PeopleRequested(SessionChosen):
        """p: who took part, to tick."""

    class ReportRequested(SessionChosen):
        """r: the session's report, to write."""

    class NewRequested(Message):
        """n: a new session, put here if the cell is empty."""

        def __init__(self, cell: tuple[int, int]) -> None:
            super().__init__()
            self.cell = cell

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
        if hidden := len(space.hidden_proposals):
            parts.append(Text(f"{plural(hidden, 'session')} hidden (u on the wall shows one again)", style="dim"))
        if self.holding:
            held = space.proposal(self.holding)
            parts.append(Text(f"Moving: {safe(held.title) if held else ''}: Enter puts it down", style="bold green"))
        elif self.has_focus:
            parts.append(
                Text(
                    "arrows move · Enter pick up/put down · 1-9 place · m merge · e edit · h hide · u unhide"
                    " · c capture · p who · r report · f full · Esc back",
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
            self.post_message(self.SessionPlaced(self.holding, self.cursor))
            self.holding = None
        elif here is not None:
            self.holding = here.id
        elif self.unplaced():
            self.post_message(self.CellPicked(self.cursor))

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
                self.post_message(self.SessionPlaced(proposal.id, self.cursor))
                return

    def _on_session(self, request: type[SessionChosen]) -> None:
        here = self.at_cursor()
        if here is not None:
            self.post_message(request(here.id, self.cursor))

    def action_capture(self) -> None:
        self._on_session(self.CaptureChosen)

    def action_people(self) -> None:
        self._on_session(self.PeopleRequested)

    def action_report(self) -> None:
        self._on_session(self.ReportRequested)

    def action_merge(self) -> None:
        self._on_session(self.MergeRequested)

    def _here_or_waiting(self, request: type[HereOrWaiting]) -> None:
        here = self.at_cursor()
        if here is not None or self.unplaced():
            self.post_message(request(here.id if here is not None else None, self.cursor))

    def action_edit(self) -> None:
        self._here_or_waiting(self.EditRequested)

    def action_hide(self) -> None:
        self._here_or_waiting(self.HideRequested)

    def action_unhide(self) -> None:
        self.post_message(self.UnhideRequested())

    def action_unplace(self) -> None:
        self._on_session(self.TakenOff)

    def action_new(self) -> None:
        self.post_message(self.NewRequested(self.cursor))

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




class ReportEditor(ModalScreen[str | None]):
    """A session's report, in the convener's words: several lines; with what was captured
    for the session (c on the wall) shown above it, as it goes into the record with it."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ReportEditor")
        + """
    ReportEditor TextArea { height: 12; }
    ReportEditor #captured { height: auto; max-height: 8; overflow-y: auto; margin-top: 1; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, heading: str, text: str, captured: list[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.text = text
        self.captured = captured or []
        """The session's captures as lines ("= We agree...", "! Asha: call..."), already plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            if self.captured:
                lines = Text(f"Captured for this session ({len(self.captured)}), in the record with the report:\n",
                             style="dim")  # fmt: skip
                lines.append("\n".join(self.captured))
                yield Static(lines, id="captured")
            yield Static("What was discussed, what came out of it. ctrl+s saves.", classes="hint")
            yield OrderedTextArea(self.text, id="report", soft_wrap=True)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save  ctrl+s", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(clean_block(self.query_one(TextArea).text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class WhoTookPart(ModalScreen["list[str] | None"]):
    """Tick who took part in a session (people move between sessions freely)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="WhoTookPart")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, heading: str, people: list[tuple[str, str]], chosen: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.people = people
        self.chosen = list(chosen)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield Static("Space or Enter ticks or unticks a person; ctrl+s saves.", classes="hint")
            yield TickList(self.people, self.chosen, id="people")
            yield Static(classes="hint", id="count")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save  ctrl+s", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TickList).focus()
        self._count()

    @on(TickList.Changed)
    def _count(self) -> None:
        ticks = self.query_one(TickList)
        self.query_one("#count", Static).update(Content(f"{len(ticks.ticked)} of {len(ticks.rows)} ticked"))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TickList).ticked)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)




def session_captures(session: MeetingSession, proposal_id: str) -> list[str]:
    """What was captured for an open space session (c on the wall sends captures to it), one
    plain line each: notes, decisions (=) and actions (!) with their owner and date."""
    today = session.clock.today()
    lines = []
    for item in session.meeting.items:
        if item.context.get("session") != proposal_id:
            continue
        text = clean_line(item.text)
        if item.kind == "decision":
            lines.append(f"= {text}")
        elif item.kind == "action":
            due = f" (due {short_date(item.due, today)})" if item.due else ""
            lines.append(f"! {clean_line(item.owner) or 'no owner'}: {text}{due}")
        else:
            lines.append(f"· {text}")
    return lines


# -- the stage ------------------------------------------------------------------------------------


class OpenSpaceStage(Stage):
    """The opening's words for the room, then the agenda wall; the wall's requests become
    `session.open_space` operations here, after a dialog where there is more to say."""

    def __init__(self) -> None:
        super().__init__()
        self.room = RoomText(id="room")
        self.wall = AgendaWall(id="wall")

    def compose(self) -> ComposeResult:
        yield self.room
        yield self.wall

    def refresh_from(self, session: MeetingSession) -> None:
        super().refresh_from(session)
        segment = session.segment
        phase = segment.current_phase if segment else None
        for widget, show in (
            (self.room, phase is not None and phase.kind == "opening"),
            (self.wall, phase is not None and phase.kind in WALL_PHASES),
        ):
            if show:
                widget.refresh_from(session)
            if widget.display != show:
                widget.display = show
                if not show and widget.has_focus:
                    self.host.focus_entry()

    def focus_board(self) -> bool:
        wall = self.wall
        segment = self.session.segment if self.session else None
        phase = segment.current_phase if segment else None
        if not wall.display:
            return False
        if phase is not None and phase.slot is not None:
            # Start on the row of the sessions running now.
            wall.cursor = (phase.slot, wall.cursor[1])
        self.screen.set_focus(wall)
        wall.refresh()
        return True

    @property
    def operations(self):
        return self.host.session.open_space

    def _back_to_wall(self) -> None:
        self.wall.focus()

    @on(AgendaWall.SessionPlaced)
    def _placed(self, event: AgendaWall.SessionPlaced) -> None:
        self.host.do(self.operations.place, event.proposal_id, *event.cell)
        self.host.refresh_all()

    @on(AgendaWall.CellPicked)
    def _cell_picked(self, event: AgendaWall.CellPicked) -> None:
        cell = event.cell

        def place(proposal_id: str | None) -> None:
            if proposal_id:
                self.host.do(self.operations.place, proposal_id, *cell)
            self._back_to_wall()

        waiting = self.wall.unplaced()
        choices = [(p.id, f"{p.title} ({p.by})" if p.by else p.title) for p in waiting]
        self.app.push_screen(PickOne("Put which session here?", choices), place)
        self.host.refresh_all()

    @on(AgendaWall.TakenOff)
    def _taken_off(self, event: AgendaWall.TakenOff) -> None:
        self.host.do(self.operations.unplace, event.proposal_id)
        self.host.refresh_all()

    @on(AgendaWall.CaptureChosen)
    def _capture_chosen(self, event: AgendaWall.CaptureChosen) -> None:
        proposal = self.operations.space.proposal(event.proposal_id)
        if proposal is None:
            return
        self.host.do(self.operations.focus, proposal.id)
        self.host.notify(f"Captures now go to “{proposal.title}”", timeout=3, markup=False)
        self.host.focus_entry()
        self.host.refresh_all()

    @on(AgendaWall.MergeRequested)
    def _merge_requested(self, event: AgendaWall.MergeRequested) -> None:
        space = self.operations.space
        proposal = space.proposal(event.proposal_id)
        if proposal is None:
            return
        others = [p for p in space.live_proposals if p.id != proposal.id]

        def merge(other_id: str | None) -> None:
            if other_id:
                self.host.do(self.operations.merge, proposal.id, other_id)
            self._back_to_wall()

        heading = f"Merge which session into “{proposal.title}”?"
        self.app.push_screen(PickOne(heading, [(p.id, p.title) for p in others]), merge)
        self.host.refresh_all()

    def _which(self, event: AgendaWall.HereOrWaiting, verb: str, then) -> None:
        """`then` the session the key was about, or, on an empty cell, the waiting one chosen."""
        if event.proposal_id is not None:
            then(event.proposal_id)
            return

        def chosen(proposal_id: str | None) -> None:
            if proposal_id:
                then(proposal_id)
            else:
                self._back_to_wall()

        waiting = self.wall.unplaced()
        choices = [(p.id, f"{p.title} ({p.by})" if p.by else p.title) for p in waiting]
        self.app.push_screen(PickOne(f"{verb} which session waiting for the wall?", choices), chosen)
        self.host.refresh_all()

    @on(AgendaWall.EditRequested)
    def _edit_requested(self, event: AgendaWall.EditRequested) -> None:
        def edit(proposal_id: str) -> None:
            proposal = self.operations.space.proposal(proposal_id)
            if proposal is None:
                return

            def edited(result) -> None:
                if result is not None:
                    self.host.do(self.operations.edit, proposal.id, *result)
                self._back_to_wall()

            form = ProposalForm("Edit the session", proposal.title, proposal.by, proposal.description)
            self.app.push_screen(form, edited)
            self.host.refresh_all()

        self._which(event, "Edit", edit)

    @on(AgendaWall.HideRequested)
    def _hide_requested(self, event: AgendaWall.HideRequested) -> None:
        def hide(proposal_id: str) -> None:
            proposal = self.operations.space.proposal(proposal_id)
            if proposal is None:
                return
            self.host.do(self.operations.hide, proposal.id)
            if proposal.hidden:
                self.host.notify(f"Hidden: {proposal.title} (u on the wall shows it again)", timeout=4, markup=False)
            self._back_to_wall()

        self._which(event, "Hide", hide)

    @on(AgendaWall.UnhideRequested)
    def _unhide_requested(self) -> None:
        hidden = self.operations.space.hidden_proposals
        if not hidden:
            self.host.notify("No session is hidden.", timeout=3)
            return

        def show(proposal_id: str | None) -> None:
            if proposal_id:
                self.host.do(self.operations.show, proposal_id)
            self._back_to_wall()

        choices = [(p.id, f"{p.title} ({p.by})" if p.by else p.title) for p in hidden]
        self.app.push_screen(PickOne("Show which hidden session again?", choices), show)
        self.host.refresh_all()

    @on(AgendaWall.NewRequested)
    def _new_requested(self, event: AgendaWall.NewRequested) -> None:
        space = self.operations.space
        cell = event.cell

        def proposed(result) -> None:
            if result is not None:
                created = self.host.do(self.operations.propose, *result)
                if created is not None and space.wall.get(f"{cell[0]}:{cell[1]}") is None:
                    self.host.do(self.operations.place, created.id, *cell)
            self._back_to_wall()

        self.app.push_screen(ProposalForm("Propose a session"), proposed)
        self.host.refresh_all()

    @on(AgendaWall.PeopleRequested)
    def _people_requested(self, event: AgendaWall.PeopleRequested) -> None:
        session = self.host.session
        proposal = self.operations.space.proposal(event.proposal_id)
        if proposal is None:
            return
        people = [(a.person_id, a.name) for a in session.meeting.attendees]

        def chosen(person_ids) -> None:
            if person_ids is not None:
                self.host.do(self.operations.set_participants, proposal.id, person_ids)
            self._back_to_wall()

        heading = f"Who took part in “{proposal.title}”?"
        self.app.push_screen(WhoTookPart(heading, people, proposal.participants), chosen)
        self.host.refresh_all()

    @on(AgendaWall.ReportRequested)
    def _report_requested(self, event: AgendaWall.ReportRequested) -> None:
        session = self.host.session
        proposal = self.operations.space.proposal(event.proposal_id)
        if proposal is None:
            return

        def reported(text: str | None) -> None:
            if text is not None:
                self.host.do(self.operations.set_report, proposal.id, text)
            self._back_to_wall()

        editor = ReportEditor(f"Report: {proposal.title}", proposal.report, session_captures(session, proposal.id))
        self.app.push_screen(editor, reported)
        self.host.refresh_all()


# -- the summary ------------------------------------------------------------------------------------


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


# -- the view --------------------------------------------------------------------------------------


class OpenSpaceView(KindView):
    kind = OPEN_SPACE
    position = 50

    def stage(self) -> Stage | None:
        return OpenSpaceStage()

    def shows(self, segment: Segment) -> bool:
        phase = segment.current_phase
        return segment.kind == OPEN_SPACE and phase is not None and phase.kind in ("opening", *WALL_PHASES)

    def has_board(self, segment: Segment) -> bool:
        phase = segment.current_phase
        return segment.open_space is not None and phase is not None and phase.kind in WALL_PHASES

    def prompt(self, session: MeetingSession, segment: Segment) -> str | None:
        phase = segment.current_phase
        if phase is None or phase.slot is None or segment.open_space is None:
            return None
        current = session.open_space.capturing()
        if current is not None:
            return f"Capturing for: {current.title}"
        return "Captures go to no session yet: ↓ then c on a session picks one"

    def can_propose(self, segment: Segment) -> bool:
        return segment.open_space is not None

    def propose(self, host: Host) -> None:
        def done(result) -> None:
            if result is not None:
                host.do(host.session.open_space.propose, *result)

        host.app.push_screen(ProposalForm("Propose a session"), done)

    def editor_fields(self, segment: Segment) -> ComposeResult:
        space = segment.open_space
        assert space is not None
        yield Label("Theme (a question, shown large for the room)")
        yield OrderedInput(space.theme, id="theme")
        yield Label("Time slots on the wall")
        yield OrderedInput(str(space.slots), id="slots", type="integer")
        yield FieldError(id="slots-error")
        yield Label("Minutes per slot")
        yield OrderedInput(f"{space.slot_minutes:g}", id="slot-minutes")
        yield FieldError(id="slot-minutes-error")
        yield Label("Spaces, separated by commas")
        yield OrderedInput(", ".join(space.spaces), id="spaces")
        yield FieldError(id="spaces-error")

    def editor_check(self, editor: ModalScreen, segment: Segment) -> dict[str, Any] | None:
        slots = editor.check("slots", "Slots", 12, whole=True)  # type: ignore[attr-defined]
        slot_minutes = editor.check("slot-minutes", "Minutes per slot", 240)  # type: ignore[attr-defined]
        spaces = [clean_line(x) for x in editor.query_one("#spaces", Input).value.split(",") if clean_line(x)]
        spaces_error = editor.query_one("#spaces-error", FieldError)
        if not 1 <= len(spaces) <= 12:
            spaces_error.show("Name 1 to 12 spaces, separated by commas")
            return None
        spaces_error.clear()
        if slots is None or slot_minutes is None:
            return None
        theme = clean_line(editor.query_one("#theme", Input).value)
        return {"slots": int(slots), "slot_minutes": float(slot_minutes), "spaces": spaces, "theme": theme}

    def editor_apply(self, segment: Segment, values: dict[str, Any], minutes: float | None) -> None:
        resize_wall(segment, **values)

    def summary_blocks(self, summary: Summary, today: date) -> Iterable[tuple[str, Any]]:
        if (sessions := sessions_block(summary.meeting)) is not None:
            yield "decisions", sessions


VIEW = OpenSpaceView()
