"""The room's screen in a terminal: `facilitate room`, and present mode on the run screen.

`RoomView` draws a `RoomState` (`facilitate.room.state`) large and calm: the
meeting and segment, a countdown in big block digits (`screens.bigdigits`)
filling what the other parts leave, the part of the segment's kind (who has
the floor, the open space wall, the Lean Coffee board...), and what is next.
Each part is redrawn only when what it shows has changed.

`RoomApp` is `facilitate room`: read-only, it follows the meeting through its
journal (`facilitate.room.follower`) in a second terminal on the projector.
`PresentMode` gives the run screen a key that turns it into the same view,
keeping the capture line, and a key that blanks the room's screen.
"""

from __future__ import annotations

import json
import math
import time
from typing import TYPE_CHECKING, Any, Callable

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Static

from facilitate.clock import format_countdown
from facilitate.events import Data
from facilitate.phones.join import qr_blocks
from facilitate.room.state import RoomState, waiting
from screens import kinds as kind_views
from screens.bigdigits import best_layout, render

if TYPE_CHECKING:
    from textual.timer import Timer

    from facilitate.session import MeetingSession

PROJECTOR = Theme(
    name="projector",
    primary="#005a8c",
    secondary="#005a8c",
    accent="#005a8c",
    warning="#8a5200",
    error="#b33c00",
    success="#00704f",
    foreground="#0d0d0d",
    background="#ffffff",
    surface="#ffffff",
    panel="#e6e6e6",
    boost="#ececec",
    dark=False,
    variables={"text-muted": "#4a4a4a", "footer-background": "#e6e6e6"},
)
"""Black on white, and dark colours that survive a washed-out projector; the Okabe-Ito
colours, darkened, so that they stay apart for colour-blind eyes."""
ROOM_DARK = Theme(
    name="room-dark",
    primary="#56b4e9",
    secondary="#56b4e9",
    accent="#56b4e9",
    warning="#f0e442",
    error="#ff7f3f",
    success="#009e73",
    foreground="#f4f4f4",
    background="#000000",
    surface="#000000",
    panel="#1f1f1f",
    boost="#141414",
    dark=True,
    variables={"text-muted": "#b8b8b8", "footer-background": "#1f1f1f"},
)
THEMES = {"projector": PROJECTOR, "dark": ROOM_DARK}
QR_CSS = "color: #000000; background: #ffffff; text-style: none;"
"""A QR code's colours: black ink on white, never the theme's (it must scan on any projector)."""
QR_BESIDE = 60
"""Columns the countdown and the segment's part keep beside the QR code in present mode."""
QR_BESIDE_BOARD = 80
"""Columns the open space wall keeps beside it."""


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class Part(Static):
    """A part of the room's view that redraws only when what it shows changes."""

    _shown: str | None = None

    def draw(self, key: Any, build: Callable[[], Any]) -> None:
        key = _key(key)
        if key != self._shown:
            self._shown = key
            self.update(build())


class BigClock(Widget):
    """A countdown in block digits, as large as its space allows (plain text when tiny)."""

    text: str = ""

    def refresh_from(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Content:
        width, height = self.size
        layout = best_layout(self.text, width, height)
        if layout is None:
            return Content(self.text)
        return Content("\n".join(render(self.text, layout)))


# -- each kind's part --------------------------------------------------------------------
# One small function per view of the room state's `body`; they move with the kinds.

Body = Callable[[dict[str, Any]], Any]


def _names(names: list[str]) -> str:
    return " · ".join(names)


def round_body(body: dict[str, Any]) -> Content:
    parts: list[Any] = []
    if body.get("theme"):
        parts += [(body["theme"], "bold $accent"), "\n"]
    speaker = body.get("speaker")
    upcoming = list(body.get("next", []))
    if speaker is not None:
        parts += [("▶ ", "bold $accent"), (speaker["name"], "bold")]
        clock = speaker.get("clock")
        if clock is not None:
            over = clock["overrun"]
            word = " over" if over else " left"
            parts += [("   " + format_countdown(clock["remaining"]), "bold $error" if over else "bold"), word]
    elif upcoming:
        lead = "Next: " if body.get("spoken") else "First: "
        parts += [(lead, "$text-muted"), (upcoming.pop(0), "bold")]
    elif body.get("spoken"):
        parts += [("Everyone has had their turn", "$text-muted")]
    else:
        parts += [("Waiting for the first speaker", "$text-muted")]
    if upcoming:
        parts += ["\n", ("Then: ", "$text-muted"), _names(upcoming)]
        more = body.get("waiting", 0) - len(upcoming) - (0 if speaker is not None else 1)
        if more > 0:
            parts += [(f"  and {more} more", "$text-muted")]
    spoken = body.get("spoken", [])
    if spoken:
        names = [s["name"] + (" (passed)" if s["passed"] else "") for s in spoken]
        parts += ["\n", ("Spoken: ", "$text-muted"), (_names(names), "$text-muted")]
    return Content.assemble(*parts)


def phases_body(body: dict[str, Any]) -> Content:
    parts: list[Any] = [(body.get("phase", ""), "bold $accent")]
    if body.get("prompt"):
        parts += ["\n", (body["prompt"], "bold")]
    steps = []
    for step in body.get("steps", []):
        mark = {"now": "▶ ", "done": "✓ "}.get(step["state"], "· ")
        style = "bold" if step["state"] == "now" else "$text-muted"
        steps.append((mark + step["name"], style))
    if steps:
        parts.append("\n")
        for index, step in enumerate(steps):
            parts += [("   " if index else "", ""), step]
    return Content.assemble(*parts)


def opening_body(body: dict[str, Any]) -> Content:
    parts: list[Any] = [(body.get("theme", ""), "bold $accent")]
    for line in body.get("principles", []):
        parts += ["\n", line]
    return Content.assemble(*parts)


def marketplace_body(body: dict[str, Any]) -> Content:
    proposals = body.get("proposals", [])
    if not proposals:
        return Content.styled("No sessions proposed yet: say your title and your name", "$text-muted")
    parts: list[Any] = [(f"{len(proposals)} sessions proposed", "$text-muted")]
    for number, proposal in enumerate(proposals, 1):
        parts += ["\n", (f"{number:>2}. ", "$text-muted"), (proposal["title"], "bold")]
        if proposal["by"]:
            parts += [("  " + proposal["by"], "$text-muted")]
        if proposal["placed"]:
            parts += [("  ✓ on the wall", "$text-muted")]
    return Content.assemble(*parts)


def wall_body(body: dict[str, Any]) -> Table:
    """The agenda wall, slots by spaces, titles wrapped to fit."""
    table = Table(box=box.SQUARE, show_lines=True, expand=True, padding=(0, 1), header_style="bold")
    table.add_column("", no_wrap=True, width=max((len(s["label"]) for s in body.get("slots", [])), default=6) + 2)
    for space in body.get("spaces", []):
        table.add_column(Text(space), ratio=1, overflow="fold")
    for index, slot in enumerate(body.get("slots", [])):
        now = index == body.get("current_slot")
        label = Text(slot["label"] + (" ▶" if now else ""), style="bold" if now else "")
        cells: list[Any] = [label]
        for cell in slot["sessions"]:
            if cell is None:
                cells.append(Text(""))
            else:
                text = Text(cell["title"], style="bold")
                if cell["by"]:
                    text.append("\n" + cell["by"], style="dim")
                cells.append(text)
        table.add_row(*cells, style="reverse" if now else "")
    return table


def lean_body(body: dict[str, Any]) -> Content:
    parts: list[Any] = [(body.get("heading", ""), "bold $accent")]
    if body.get("view") == "vote":
        parts += [(f"   {body.get('votes_each', 0)} dots each", "$text-muted")]
    current = body.get("current")
    if current is not None:
        parts += ["\n", ("Now: ", "$text-muted"), (current["title"], "bold"), (f"  ({current['votes']} votes)", "$text-muted")]
    thumbs = body.get("thumbs")
    if thumbs is not None:
        parts += [
            "\n",
            ("Thumbs: ", "$text-muted"),
            f"up {thumbs['up']} · sideways {thumbs['sideways']} · down {thumbs['down']} → {thumbs['outcome']}",
            (f"  ({thumbs['topic']})", "$text-muted"),
        ]
    topics = body.get("topics", [])
    if not topics:
        parts += ["\n", ("No topics yet", "$text-muted")]
    for topic in topics:
        votes = "" if body.get("view") == "propose" else f"{topic['votes']:>3} "
        state = topic["state"]
        style = "bold" if state == "discussing" else ("$text-muted" if state == "done" else "")
        mark = {"discussing": "▶ ", "done": "✓ "}.get(state, "  ")
        parts += ["\n", (mark, "bold $accent"), (votes, "bold $accent"), (topic["title"], style)]
    return Content.assemble(*parts)


def matters_body(body: dict[str, Any]) -> Content:
    current = body.get("current")
    if current is None:
        return Content("")
    parts: list[Any] = [(f"Action {body['number']} of {body['of']}", "$text-muted"), "\n", (current["text"], "bold")]
    if current["owner"]:
        parts += ["\n", current["owner"]]
    return Content.assemble(*parts)


BODIES: dict[str, Body] = {
    "round": round_body,
    "closing": round_body,
    "phases": phases_body,
    "opening": opening_body,
    "marketplace": marketplace_body,
    "wall": wall_body,
    "propose": lean_body,
    "vote": lean_body,
    "discuss": lean_body,
    "matters": matters_body,
}
BOARD_VIEWS = {"wall"}
"""Views that need the whole screen: the countdown shrinks to one line at the top."""


def record_body(record: dict[str, Any]) -> Content:
    parts: list[Any] = []
    if record["decisions"]:
        parts.append(("Decisions", "bold $accent"))
        for text in record["decisions"]:
            parts += ["\n", "• ", text]
    if record["actions"]:
        if parts:
            parts.append("\n")
        parts.append(("Actions", "bold $accent"))
        for action in record["actions"]:
            parts += ["\n", "• ", (action["text"], "bold")]
            who = " · ".join(x for x in (action["owner"], f"by {action['due']}" if action["due"] else "") if x)
            if who:
                parts += [("  " + who, "$text-muted")]
    if not parts:
        parts.append(("Nothing agreed yet", "$text-muted"))
    return Content.assemble(*parts)


def clock_word(state: RoomState) -> tuple[str, str]:
    """The countdown's word and its class: never colour alone."""
    clock = state.clock or {}
    if state.paused:
        return "❚❚ PAUSED", "-paused"
    if clock.get("overrun"):
        return "▲ OVER TIME", "-overrun"
    if clock.get("warning"):
        return "last minute", "-warning"
    return "left", ""


class RoomView(Vertical):
    """The room's screen, drawn from a `RoomState`; see the module's docstring."""

    DEFAULT_CSS = """
    RoomView {
        height: 1fr;
        padding: 0 2;
        background: $background;
        color: $foreground;
    }
    RoomView #room-top { height: 1; color: $text-muted; }
    RoomView #room-segment { height: auto; max-height: 4; margin-top: 1; }
    RoomView #room-clock { height: 1fr; min-height: 3; content-align: center middle; text-style: bold; }
    RoomView #room-clock.-warning { color: $warning; }
    RoomView #room-clock.-overrun { color: $error; }
    RoomView #room-clock.-paused { color: $text-muted; }
    RoomView #room-word { height: 1; text-align: center; text-style: bold; color: $text-muted; }
    RoomView #room-word.-overrun { color: $error; }
    RoomView #room-word.-warning { color: $warning; }
    RoomView #room-word.-paused { color: $foreground; }
    RoomView #room-body { height: auto; max-height: 45%; }
    RoomView #room-record { height: auto; max-height: 40%; border-top: solid $panel; display: none; }
    RoomView #room-next { height: auto; max-height: 2; dock: bottom; color: $text-muted; }
    RoomView #room-waiting { height: 1fr; content-align: center middle; text-align: center; display: none; }
    RoomView.-board #room-clock, RoomView.-board #room-word { display: none; }
    RoomView.-board #room-body { height: 1fr; max-height: 100%; }
    RoomView.-record #room-record { display: block; }
    RoomView.-record #room-body { max-height: 30%; }
    RoomView.-waiting > * { display: none; }
    RoomView.-waiting #room-waiting { display: block; }
    RoomView.-blank { background: black; }
    RoomView.-blank > * { display: none; }
    RoomView.-qr #room-qr { display: block; }
    """ + "RoomView #room-qr { dock: right; width: auto; height: auto; margin: 1 0 0 2; display: none; " + QR_CSS + " }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state: RoomState = waiting()

    def compose(self) -> ComposeResult:
        yield Part(id="room-top", markup=False)
        yield Part(id="room-segment", markup=False)
        yield BigClock(id="room-clock")
        yield Part(id="room-word", markup=False)
        yield Part(id="room-body", markup=False)
        yield Part(id="room-record", markup=False)
        yield Part(id="room-next", markup=False)
        yield Part(id="room-waiting", markup=False)
        yield Part(id="room-qr", markup=False)

    def refresh_from(self, state: RoomState) -> None:
        """Draw `state`, touching only the parts that changed."""
        self.state = state
        is_waiting = state.status != "running"
        self.set_class(is_waiting, "-waiting")
        self.set_class(state.blank and not is_waiting, "-blank")
        self._join_code()
        if is_waiting:
            title = state.title if state.status == "finished" else state.ended
            self.query_one("#room-waiting", Part).draw(title, lambda: self._waiting(title))
            return
        body = state.body
        view = body.get("view", body.get("kind", "timer"))
        board = view in BOARD_VIEWS
        self.set_class(board, "-board")
        self.set_class(state.record is not None, "-record")
        segment = state.segment
        clock_text = format_countdown(state.clock["remaining"]) if state.clock else ""
        word, word_class = clock_word(state)
        top_key = (state.title, segment.get("number"), segment.get("of"), board and (clock_text, word))
        self.query_one("#room-top", Part).draw(top_key, lambda: self._top(state, board, clock_text, word, word_class))
        self.query_one("#room-segment", Part).draw(
            (segment.get("name"), segment.get("prompt")), lambda: self._segment(segment)
        )
        big = self.query_one(BigClock)
        big.refresh_from(clock_text)
        word_part = self.query_one("#room-word", Part)
        word_part.draw(word, lambda: Content(word))
        for node in (big, word_part):
            for name in ("-paused", "-overrun", "-warning"):
                node.set_class(name == word_class, name)
        render_body = BODIES.get(view) or (lambda b: kind_views.view(b.get("view", "")).room_body(b) or "")
        self.query_one("#room-body", Part).draw(body, lambda: render_body(body))
        self.query_one("#room-record", Part).draw(
            state.record, lambda: record_body(state.record) if state.record else ""
        )
        self._draw_next()

    def on_resize(self) -> None:
        self._join_code()
        if self.state.status == "running":
            self._draw_next()

    def _draw_next(self) -> None:
        state, width = self.state, self.size.width
        self.query_one("#room-next", Part).draw(
            (state.next, state.join, width), lambda: self._next(state.next, state.join, width)
        )

    def qr_fits(self) -> bool:
        """Whether the QR code fits beside what the room must see: the countdown (or the wall) keeps
        at least `QR_BESIDE` (`QR_BESIDE_BOARD`) columns, and the code its whole height. Else the
        link alone says where to join (on the bottom line, always)."""
        rows = self.state.join_qr
        if not rows:
            return False
        width, height = self.size
        beside = QR_BESIDE_BOARD if self.has_class("-board") else QR_BESIDE
        return width - len(rows[0]) - 2 >= beside and height >= (len(rows) + 1) // 2 + 2

    def _join_code(self) -> None:
        """The QR code of the join link, while the room is open to phones and where it fits."""
        state = self.state
        show = bool(state.join_qr) and state.status == "running" and not state.blank and self.qr_fits()
        self.set_class(show, "-qr")
        if show:
            rows = state.join_qr
            self.query_one("#room-qr", Part).draw(rows, lambda: qr_content(rows))

    def _waiting(self, ended: str) -> Content:
        parts: list[Any] = [("Waiting for the meeting", "bold")]
        if ended:
            parts += ["\n\n", (ended, "$text-muted"), (" has ended. Thank you.", "$text-muted")]
        return Content.assemble(*parts)

    def _top(self, state: RoomState, board: bool, clock_text: str, word: str, word_class: str) -> Content:
        segment = state.segment
        parts: list[Any] = [(state.title, "bold")]
        if segment.get("of"):
            parts += [(f"   {segment['number']} of {segment['of']}", "$text-muted")]
        if board:
            style = {"-overrun": "bold $error", "-warning": "bold $warning"}.get(word_class, "bold")
            parts += ["   ", (clock_text, style), " ", (word, style)]
        return Content.assemble(*parts)

    def _segment(self, segment: dict[str, Any]) -> Content:
        parts: list[Any] = [(segment.get("name", ""), "bold $accent")]
        if segment.get("prompt"):
            parts += ["\n", (segment["prompt"], "bold")]
        return Content.assemble(*parts)

    def _next(self, upcoming: dict[str, Any] | None, join: str = "", width: int = 0) -> Content:
        if upcoming is None:
            shown = Content.styled("Last part of the meeting", "$text-muted")
        else:
            shown = Content.assemble(
                ("Next: ", "$text-muted"), upcoming["name"], (f" ({upcoming['minutes']:g} min)", "$text-muted")
            )
        if join:
            # Late joiners need the address all the while (the QR code too, where it fits): on a
            # line of its own when both do not fit, and with a shorter word before it when narrow.
            label = "Join from your phone: "
            if width and len(shown.plain) + 3 + len(label) + len(join) > width:
                if len(label) + len(join) > width:
                    label = "Join: "
                return Content.assemble(shown, "\n", (label, "$text-muted"), (join, "bold"))
            shown = Content.assemble(shown, "   ", (label, "$text-muted"), (join, "bold"))
        return shown


def qr_content(rows: list[str]) -> Content:
    """The code and, beneath it, what it is for."""
    width = len(rows[0]) if rows else 0
    return Content(qr_blocks(rows) + "\n" + "Scan to join".center(width))


def until_next_second(state: RoomState) -> float:
    """Seconds until a countdown on the room's screen shows a new second (at most one)."""
    if state.status != "running" or state.paused or not state.clock:
        return 1.0
    remaining = [state.clock["remaining"]]
    speaker = state.body.get("speaker") if state.body else None
    if speaker and speaker.get("clock"):
        remaining.append(speaker["clock"]["remaining"])
    waits = []
    for left in remaining:
        # The shown second changes when `left` crosses a whole number (format_countdown rounds up).
        fraction = left - math.floor(left)
        waits.append(fraction if fraction > 1e-6 else 1.0)
    return min(waits + [1.0])


# -- `facilitate room` ----------------------------------------------------------------------


class RoomScreen(Screen):
    """The whole terminal is the room's view."""

    DEFAULT_CSS = """
    RoomScreen { layout: vertical; }
    """
    BINDINGS = [
        Binding("q", "app.quit", "Quit"),
        Binding("t", "app.switch_theme", "Theme", tooltip="Switch between the projector and the dark theme"),
        Binding("b", "app.blank", "Blank", tooltip="Blank this screen, or bring it back"),
    ]

    def compose(self) -> ComposeResult:
        yield RoomView(id="room")

    def on_mount(self) -> None:
        if isinstance(self.app, RoomApp):
            self.app.start_following()


class RoomApp(App[None]):
    """`facilitate room`: the meeting in progress, for the room, following its journal.

    `follower` is a `JournalFollower` (anything with `poll()`, `state(wall)`);
    `wall` the wall clock (the tests freeze it). Read-only: nothing is written.
    """

    TITLE = "facilitate · the room"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, follower, *, theme: str = "projector", wall: Callable[[], float] = time.time,
                 poll_seconds: float = 0.05) -> None:  # fmt: skip
        super().__init__()
        self.follower = follower
        self.wall = wall
        self.poll_seconds = poll_seconds
        self.blanked = False
        for registered in THEMES.values():
            self.register_theme(registered)
        self.theme = THEMES.get(theme, PROJECTOR).name
        self._tick_timer: Timer | None = None

    def get_default_screen(self) -> Screen:
        return RoomScreen()

    def start_following(self) -> None:
        self.follower.poll()
        self.redraw()
        self.set_interval(self.poll_seconds, self._poll)

    @property
    def view(self) -> RoomView:
        return self.screen.query_one(RoomView)

    def _poll(self) -> None:
        if self.follower.poll():
            self.redraw()

    def redraw(self) -> None:
        state = self.follower.state(self.wall())
        if self.blanked and state.status == "running":
            state.blank = True
        self.view.refresh_from(state)
        if self._tick_timer is not None:
            self._tick_timer.stop()
        self._tick_timer = self.set_timer(until_next_second(state) + 0.005, self.redraw)

    def action_switch_theme(self) -> None:
        self.theme = ROOM_DARK.name if self.theme == PROJECTOR.name else PROJECTOR.name

    def action_blank(self) -> None:
        self.blanked = not self.blanked
        self.redraw()


# -- present mode on the run screen -------------------------------------------------------------


class PresentMode(Screen):
    """Present mode for the run screen (mixed in): the room's view fills the screen, above the
    capture line. The screen composes a `RoomView` with the id `present`, and calls
    `refresh_present()` whenever it refreshes."""

    if TYPE_CHECKING:  # the run screen's, which this is mixed into
        session: MeetingSession

        def do(self, call: Any, *args: Any, refresh: bool = True) -> Any: ...

    BINDINGS = [
        Binding("f8", "present", "Present", tooltip="Present mode: show the room's view (the capture line stays)"),
        Binding("f9", "blank_room", "Blank", show=False, tooltip="Blank the room's screen, or bring it back"),
        Binding(
            "f10",
            "show_record",
            "Show agreed",
            show=False,
            tooltip="Show the room the decisions and actions agreed so far, or hide them",
        ),
    ]

    def action_present(self) -> None:
        presenting = not self.has_class("-present")
        self.set_class(presenting, "-present")
        self.refresh_present()
        self.notify("Present mode: F8 goes back, F9 blanks the room" if presenting else "Present mode off", timeout=2)

    def action_blank_room(self) -> None:
        from facilitate.room.state import BLANK

        self._toggle_room_flag(BLANK)

    def action_show_record(self) -> None:
        from facilitate.room.state import SHOW_RECORD

        self._toggle_room_flag(SHOW_RECORD)

    def _toggle_room_flag(self, key: str) -> None:
        """Blanking and showing the record go through the journal, so every room view follows."""
        session = self.session
        segment = session.segment
        if segment is None:
            return
        value = not segment.data.get(key)
        self.do(lambda: session.record(Data(segment=segment.id, key=key, value=value)))

    def refresh_present(self) -> None:
        if not self.has_class("-present"):
            return
        from facilitate.room.state import room_state

        session = self.session
        state = room_state(session.meeting, session.pending_time(), as_of=session.clock.wall())
        phones = self.phones  # type: ignore[attr-defined]  # the run screen's (BaseScreen)
        if phones.running and phones.server is not None:
            state.with_join(phones.server.url)
        self.query_one("#present", RoomView).refresh_from(state)
