"""Lean Coffee on screen: the board of topics by votes, the thumbs at the end of a timebox,
→ to start the most-voted topic or record the thumbs, F4 to add a topic, and the board's
settings; its stage turns the board's messages into `session.lean_coffee` operations."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
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
from textual.widgets import Button, Input, Label, Static

from facilitate.clock import format_duration
from facilitate.kinds.lean_coffee import mergeable, rebuild
from facilitate.models import LEAN_COFFEE, Segment
from facilitate.session import MeetingSession
from facilitate.text import plural
from screens.boards import Board, safe
from screens.dialogs import DIALOG_CSS, FIELD_KEYS, FieldError, PickOne, ProposalForm
from screens.inputs import OrderedInput
from screens.kinds import Host, KindView, LineKey, Stage


class LeanBoard(Board):
    """Topics by votes, with the one under discussion, its time and the thumbs."""

    capture_keys = set("!*\\/")
    """+, - and = count votes here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        # Short words for the footer (the board's own line of keys says them in full).
        Binding("plus,equals_sign,right", "vote(1)", "+1", tooltip="One more vote for this topic"),
        Binding("minus,left", "vote(-1)", "−1", tooltip="One vote fewer for this topic"),
        Binding("enter", "discuss", "Discuss", tooltip="Discuss this topic now"),
        Binding("e", "edit", "Edit", show=False, tooltip="Edit this topic"),
        Binding("m", "merge", "Merge", show=False, tooltip="Merge another topic into this one"),
        Binding("x,delete,h", "hide", "Hide", show=False, tooltip="Hide this topic (a duplicate, something unwanted)"),
        Binding("u", "unhide", "Show hidden", show=False, tooltip="Show a hidden topic again"),
        Binding("f", "full", "Full screen", show=False, tooltip="Show the board full screen"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line (the topics sort by votes)"),
        *(Binding(str(n), f"set_votes({n})", show=False) for n in range(10)),
    ]

    cursor: reactive[int] = reactive(0)

    class TopicChosen(Message):
        """A key about the topic under the cursor; each kind of request its own class."""

        def __init__(self, topic_id: str) -> None:
            super().__init__()
            self.topic_id = topic_id

    class VotesSet(TopicChosen):
        """The topic's dot votes, as counted (0-9, + and -)."""

        def __init__(self, topic_id: str, votes: int) -> None:
            super().__init__(topic_id)
            self.votes = votes

    class DiscussionChosen(TopicChosen):
        """Enter: discuss this topic now."""

    class EditRequested(TopicChosen):
        """e: the topic's title and proposer, to edit."""

    class MergeRequested(TopicChosen):
        """m: another topic is to join this one."""

    class HideRequested(TopicChosen):
        """x or h: the topic is hidden (u shows it again)."""

    class UnhideRequested(Message):
        """u: a hidden topic, to choose and show again."""

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
                (t.id, t.title, t.by, t.votes, t.state, t.carried_from, len(t.thumbs), len(t.merged_titles),
                 self._time(t, board))  # fmt: skip
                for t in topics
            ),
            len(board.hidden_topics) if board else 0,
            board.current if board else None,
            session.lean_coffee.votes_cast() if board else None,
        )
        if key != self._shown:
            # Its height follows the number of topics (one line each); a dot or a minute more
            # is redrawn in place, without laying out the screen again.
            layout = not isinstance(self._shown, tuple) or len(self._shown[0]) != len(key[0])
            self._shown = key
            self.refresh(layout=layout)

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
            for merged in topic.merged_titles:  # before the proposers: what the topic is comes first
                title.append(f" + {safe(merged)}", style="dim")
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
        cast, expected = session.lean_coffee.votes_cast()
        footer = Text(
            f"{plural(len(topics), 'topic')} · {cast} of {plural(expected, 'vote')} entered ({board.votes_per_person} each)",
            style="dim",
        )
        if hidden := len(board.hidden_topics):
            footer.append(f" · {hidden} hidden (u on the board shows {'it' if hidden == 1 else 'one'} again)")
        hint = Text(
            "↑↓ choose · +/- or 0-9 votes · Enter discuss now · e edit · m merge · x hide · u unhide · f full"
            " · Esc back (and sort by votes)"
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

    def _request(self, request: type[TopicChosen]) -> None:
        topic = self.selected()
        if topic is not None:
            self.post_message(request(topic.id))

    def action_vote(self, change: int) -> None:
        topic = self.selected()
        if topic is not None:
            self.post_message(self.VotesSet(topic.id, max(0, topic.votes + change)))

    def action_set_votes(self, votes: int) -> None:
        topic = self.selected()
        if topic is not None:
            self.post_message(self.VotesSet(topic.id, votes))

    def action_discuss(self) -> None:
        self._request(self.DiscussionChosen)

    def action_edit(self) -> None:
        self._request(self.EditRequested)

    def action_merge(self) -> None:
        self._request(self.MergeRequested)

    def action_hide(self) -> None:
        self._request(self.HideRequested)

    def action_unhide(self) -> None:
        self.post_message(self.UnhideRequested())




# -- the thumbs ------------------------------------------------------------------------------------


def _count(value: str) -> int | None:
    value = value.strip() or "0"
    return int(value) if value.isdigit() and int(value) <= 10000 else None


class ThumbsVote(ModalScreen["tuple[int, int, int, bool] | None"]):
    """The room's thumbs at the end of a Lean Coffee timebox: continue or move on."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ThumbsVote")
        + """
    ThumbsVote .counts { height: auto; }
    ThumbsVote .counts Vertical { width: 1fr; height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, topic: str, extension_minutes: float, counts: tuple[int, int, int] | None = None) -> None:
        super().__init__()
        self.topic = topic
        self.extension_minutes = extension_minutes
        self.counts = counts
        """Thumbs already given from phones, filled in to add the room's hands to."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Thumbs on “{self.topic}”"), classes="title")
            yield Static(
                "Count the thumbs (Tab moves between them). Leave them empty to move on without a vote.", classes="hint"
            )
            with Horizontal(classes="counts"):
                for key, label in (("up", "👍 up"), ("sideways", "👉 sideways"), ("down", "👎 down")):
                    with Vertical():
                        yield Label(label)
                        yield OrderedInput(id=key, placeholder="0", type="integer")
            yield FieldError(id="error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(f"Continue (+{self.extension_minutes:g} min)", id="continue")
                yield Button("Move on", id="move-on", variant="primary")

    def on_mount(self) -> None:
        if self.counts is not None and any(self.counts):
            for key, count in zip(("up", "sideways", "down"), self.counts):
                self.query_one(f"#{key}", Input).value = str(count)
        self.query_one("#up", Input).focus()

    def _counts(self) -> tuple[int, int, int] | None:
        values = [_count(self.query_one(f"#{key}", Input).value) for key in ("up", "sideways", "down")]
        if any(v is None for v in values):
            self.query_one(FieldError).show("Counts are whole numbers")
            return None
        return values[0], values[1], values[2]  # type: ignore[return-value]

    @on(Input.Submitted)
    def _submitted(self) -> None:
        counts = self._counts()
        if counts is None:
            return
        up, sideways, down = counts
        # Enter decides by the thumbs: more up than down continues.
        self.dismiss((up, sideways, down, up > down + sideways and up > 0))

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        counts = self._counts()
        if counts is not None:
            self.dismiss((*counts, True))

    @on(Button.Pressed, "#move-on")
    def _move_on(self) -> None:
        counts = self._counts()
        if counts is not None:
            self.dismiss((*counts, False))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)




# -- the stage ------------------------------------------------------------------------------------


class LeanStage(Stage):
    """The board of topics; its messages become `session.lean_coffee` operations."""

    def __init__(self) -> None:
        super().__init__()
        self.board = LeanBoard(id="lean")

    def compose(self) -> ComposeResult:
        yield self.board

    def refresh_from(self, session: MeetingSession) -> None:
        super().refresh_from(session)
        self.board.refresh_from(session)

    def tick(self, session: MeetingSession) -> None:
        self.board.refresh_from(session)

    def focus_board(self) -> bool:
        board = self.board
        self.screen.set_focus(board)
        board.refresh()
        return True

    def _topic(self, topic_id: str):
        segment = self.host.session.segment
        return segment.lean_coffee.topic(topic_id) if segment and segment.lean_coffee else None

    @on(LeanBoard.VotesSet)
    def _votes(self, event: LeanBoard.VotesSet) -> None:
        if self._topic(event.topic_id) is not None:
            self.host.do(self.host.session.lean_coffee.set_votes, event.topic_id, event.votes)
            self.host.refresh_all()

    @on(LeanBoard.DiscussionChosen)
    def _discuss(self, event: LeanBoard.DiscussionChosen) -> None:
        topic = self._topic(event.topic_id)
        if topic is not None:
            self.host.do(self.host.session.lean_coffee.discuss, topic.id)
            self.host.notify(f"Discussing: {topic.title}", timeout=3, markup=False)
            self.host.refresh_all()

    def _back_to_board(self) -> None:
        self.board.focus()

    @on(LeanBoard.MergeRequested)
    def _merge(self, event: LeanBoard.MergeRequested) -> None:
        topic = self._topic(event.topic_id)
        lean = self.host.session.lean_coffee
        if topic is None:
            return
        board = lean.board
        if why := mergeable(board, topic):
            self.host.notify(f"This topic {why}: it cannot be merged.", severity="warning", timeout=4, markup=False)
            return
        others = [t for t in board.by_votes if t.id != topic.id and not mergeable(board, t)]
        if not others:
            self.host.notify("No other topic waits to be discussed: nothing to merge.", timeout=4)
            return

        def merge(other_id: str | None) -> None:
            if other_id:
                self.host.do(lean.merge, topic.id, other_id)
            self._back_to_board()

        choices = [(t.id, f"{t.title} ({t.by}, {plural(t.votes, 'vote')})" if t.by else t.title) for t in others]
        self.app.push_screen(PickOne(f"Merge which topic into “{topic.title}”?", choices), merge)
        self.host.refresh_all()

    @on(LeanBoard.HideRequested)
    def _hide(self, event: LeanBoard.HideRequested) -> None:
        topic = self._topic(event.topic_id)
        if topic is None:
            return
        self.host.do(self.host.session.lean_coffee.hide, topic.id)
        if topic.hidden:
            self.host.notify(f"Hidden: {topic.title} (u on the board shows it again)", timeout=4, markup=False)

    @on(LeanBoard.UnhideRequested)
    def _unhide(self) -> None:
        lean = self.host.session.lean_coffee
        hidden = lean.board.hidden_topics
        if not hidden:
            self.host.notify("No topic is hidden.", timeout=3)
            return

        def show(topic_id: str | None) -> None:
            if topic_id:
                self.host.do(lean.show, topic_id)
            self._back_to_board()

        choices = [(t.id, f"{t.title} ({t.by})" if t.by else t.title) for t in hidden]
        self.app.push_screen(PickOne("Show which hidden topic again?", choices), show)
        self.host.refresh_all()

    @on(LeanBoard.EditRequested)
    def _edit(self, event: LeanBoard.EditRequested) -> None:
        topic = self._topic(event.topic_id)
        if topic is None:
            return
        board = self.board

        def edited(result) -> None:
            if result is not None:
                title, by, _ = result
                self.host.do(self.host.session.lean_coffee.edit_topic, topic.id, title, by)
            board.focus()

        form = ProposalForm("Edit the topic", topic.title, topic.by, with_description=False)
        self.app.push_screen(form, edited)
        self.host.refresh_all()


# -- keys ---------------------------------------------------------------------------------------


class ThumbsOrNextTopic(LineKey):
    """→ in the discussion: thumbs on the topic being discussed, or start the most-voted one."""

    key, description, key_display, rank = "right", "Thumbs / next topic", "→", 1

    def applies(self, host: Host) -> bool:
        segment = host.session.segment
        phase = segment.current_phase if segment else None
        return segment is not None and segment.lean_coffee is not None and phase is not None and phase.kind == "discuss"

    def run(self, host: Host) -> None:
        lean = host.session.lean_coffee
        topic = lean.current_topic()
        if topic is None:
            upcoming = lean.next_topic()
            if upcoming is None:
                host.notify("No topics left to discuss.")
                return
            host.do(lean.discuss, upcoming.id)
            host.notify(f"Discussing: {upcoming.title}", timeout=3, markup=False)
            return

        board = host.session.segment.lean_coffee if host.session.segment else None
        if host.session.meeting.phones.devices and board is not None and board.asking != topic.id:
            host.do(lean.ask_thumbs)
            host.notify("Thumbs asked on the phones: → again counts them", timeout=4)
            return

        def voted(result) -> None:
            if result is None:
                return
            up, sideways, down, carry_on = result
            upcoming = host.do(lambda: lean.thumbs(up, sideways, down, carry_on=carry_on))
            if carry_on:
                left = lean.remaining() or 0
                host.notify(f"Continuing: {format_duration(max(left, 0))} more", timeout=3, markup=False)
            elif upcoming is not None:
                host.notify(f"Next: {upcoming.title}", timeout=3, markup=False)
            else:
                host.notify("All topics discussed.", timeout=3)

        counts = lean.thumbs_from_phones() if board is not None and board.asking == topic.id else None
        host.app.push_screen(ThumbsVote(topic.title, lean.next_extension() / 60, counts), voted)


# -- the view ---------------------------------------------------------------------------------------


class LeanCoffeeView(KindView):
    kind = LEAN_COFFEE
    position = 60
    line_keys = (ThumbsOrNextTopic(),)

    def stage(self) -> Stage | None:
        return LeanStage()

    def shows(self, segment: Segment) -> bool:
        return segment.lean_coffee is not None

    def has_board(self, segment: Segment) -> bool:
        return segment.lean_coffee is not None

    def prompt(self, session: MeetingSession, segment: Segment) -> str | None:
        topic = session.lean_coffee.current_topic() if segment.lean_coffee is not None else None
        if topic is None:
            return None
        extension = f" (extension {topic.extensions})" if topic.extensions else ""
        return f"Discussing: {topic.title}{extension}"

    def can_propose(self, segment: Segment) -> bool:
        return segment.lean_coffee is not None

    def propose(self, host: Host) -> None:
        def done(result) -> None:
            if result is not None:
                title, by, _ = result
                host.do(host.session.lean_coffee.add_topic, title, by)

        host.app.push_screen(ProposalForm("Add a topic", with_description=False), done)

    def editor_fields(self, segment: Segment) -> ComposeResult:
        board = segment.lean_coffee
        assert board is not None
        yield Label("Votes per person")
        yield OrderedInput(str(board.votes_per_person), id="votes", type="integer")
        yield FieldError(id="votes-error")
        yield Label("Minutes per topic (extensions are half as long again)")
        yield OrderedInput(f"{board.timebox_minutes:g}", id="timebox")
        yield FieldError(id="timebox-error")

    def editor_check(self, editor: ModalScreen, segment: Segment) -> dict[str, Any] | None:
        votes = editor.check("votes", "Votes per person", 20, whole=True)  # type: ignore[attr-defined]
        timebox = editor.check("timebox", "Minutes per topic", 120)  # type: ignore[attr-defined]
        if votes is None or timebox is None:
            return None
        return {"votes": int(votes), "timebox": float(timebox)}

    def editor_apply(self, segment: Segment, values: dict[str, Any], minutes: float | None) -> None:
        assert segment.lean_coffee is not None and minutes is not None
        segment.lean_coffee.votes_per_person = values["votes"]
        segment.lean_coffee.timebox_minutes = values["timebox"]
        rebuild(segment, minutes)


VIEW = LeanCoffeeView()
