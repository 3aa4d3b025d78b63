"""Rounds on screen: everyone in the round with the time they spoke, the keys that pass the
floor (→ next, ↓ pass, ← back), the speaking order dialog (ctrl+o) and the round's settings.

A capability as well as a kind: its stage and keys serve any segment in a round
phase (open space's closing circle). The speaker's own countdown is on the run
screen's speaker line, with the time."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from facilitate.clock import format_duration, format_elapsed
from facilitate.models import LEFT, PASSED, ROUND, SPEAKING, SPOKE, Segment
from facilitate.session import MeetingSession
from facilitate.text import clean_line
from screens.dialogs import FieldError, TextPrompt
from screens.inputs import OrderedInput
from screens.kinds import Host, KindView, LineKey, Stage
from screens.run_dialogs import LIST_CSS, SessionList
from screens.run_widgets import Shown, safe

if TYPE_CHECKING:
    from facilitate.summary import Summary


def _in_round(host: Host) -> bool:
    segment = host.session.segment
    return segment is not None and segment.is_round and segment.round is not None


class Speakers(Shown):
    """Everyone in the round with the time they spoke and their share, so nobody goes unheard.

    The person speaking shows "speaking" rather than a count: their countdown is on
    the speaker line, and this table then changes only when a turn ends, not every
    second. Shares are of the time of turns taken so far.
    """

    DEFAULT_CSS = """
    Speakers { height: auto; margin-bottom: 1; }
    """

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.is_round or segment.round is None or not segment.round.turns:
            self.display = False
            return
        self.display = True
        rows = []
        for turn in segment.round.turns:
            attendee = session.meeting.attendee(turn.person_id)
            if attendee is None:
                continue
            seconds = 0.0 if turn.state == SPEAKING else turn.spoke
            rows.append((safe(attendee.name), attendee.present, turn.state, seconds))
        total = sum(seconds for *_, seconds in rows)
        per_person = segment.per_person
        self.draw((tuple(rows), per_person), lambda: self._build(rows, total, per_person))

    @staticmethod
    def _build(rows, total: float, per_person: float | None) -> Table:
        fair = 1 / len(rows) if rows else 0
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(width=5, justify="right")
        table.add_column(ratio=1, no_wrap=True)
        width = 12
        for name, present, state, seconds in rows:
            share = seconds / total if total else 0.0
            mark = {SPEAKING: "▶", SPOKE: "✓", PASSED: "–", LEFT: "×"}.get(state, "·")
            style = "bold" if state == SPEAKING else ("dim" if not present else "")
            bar = Text("█" * round(share * width), style="green" if share >= fair / 2 else "yellow")
            if state == SPEAKING:
                bar = Text("speaking", style="bold green")
            elif state == PASSED:
                bar = Text("passed", style="dim italic")
            elif state == LEFT:
                bar = Text("left", style="dim italic")
            elif seconds == 0:
                bar = Text("not heard yet" if state != SPOKE else "", style="dim")
            table.add_row(
                Text(mark, style=style),
                Text(name, style=style),
                Text("" if state == SPEAKING else format_elapsed(seconds, per_person), style="dim"),
                bar,
            )
        return table


class RoundStage(Stage):
    """The round's speakers, under the countdown."""

    def __init__(self) -> None:
        super().__init__()
        self.speakers = Speakers(id="speakers")

    def compose(self) -> ComposeResult:
        yield self.speakers

    def refresh_from(self, session: MeetingSession) -> None:
        super().refresh_from(session)
        self.speakers.refresh_from(session)


# -- keys ---------------------------------------------------------------------------------------


class NextSpeaker(LineKey):
    key, description, key_display, rank = "right", "Speaker", "→", 0

    def applies(self, host: Host) -> bool:
        return _in_round(host)

    def run(self, host: Host) -> None:
        speaker = host.do(host.session.round.next)
        if speaker is None and host.session.segment and host.session.segment.round:
            host.notify("Everyone has had their turn. ctrl+n moves to the next segment.", timeout=3)


class PassTurn(LineKey):
    key, description, key_display, rank = "down", "Pass", "↓", 0

    def applies(self, host: Host) -> bool:
        return _in_round(host)

    def run(self, host: Host) -> None:
        if host.session.round.speaker() is None:
            host.notify("Nobody has the floor: → gives it to the next person.")
            return
        host.do(host.session.round.pass_turn)


class PreviousSpeaker(LineKey):
    key, description, key_display, rank, show = "left", "Back a speaker", "←", 0, False

    def applies(self, host: Host) -> bool:
        return _in_round(host)

    def run(self, host: Host) -> None:
        host.do(host.session.round.back)


def can_order(host: Host) -> bool:
    """ctrl+o (the speaking order) applies: people speak in turn now."""
    return _in_round(host)


def speaking_order(host: Host) -> None:
    """ctrl+o: the speaking order dialog."""
    host.app.push_screen(SpeakingOrder(host.session), lambda _: host.refresh_all())


# -- dialogs --------------------------------------------------------------------------------------


class SpeakingOrder(SessionList):
    """The round's order: move people, shuffle, back to arrival order, give someone the floor."""

    DEFAULT_CSS = LIST_CSS.format(name="SpeakingOrder")
    BINDINGS = [
        Binding("ctrl+up,shift+up,K", "move(-1)", "Move up", key_display="ctrl+↑"),
        Binding("ctrl+down,shift+down,J", "move(1)", "Move down", key_display="ctrl+↓"),
        Binding("s", "shuffle", "Shuffle"),
        Binding("a", "arrival", "Arrival order"),
        Binding("f", "floor", "Give the floor"),
        Binding("t", "time_each", "Time each"),
        Binding("escape,q", "close", "Close"),
    ]

    COLUMNS = ("#", "Name", "State", "Spoke")
    ENTER = "floor"

    def rows(self) -> list[tuple[str, list[Text]]]:
        segment = self.session.segment
        if segment is None or segment.round is None:
            return []
        labels = {SPEAKING: "speaking", SPOKE: "spoke", PASSED: "passed", LEFT: "left"}
        result = []
        for index, turn in enumerate(segment.round.turns):
            attendee = self.session.meeting.attendee(turn.person_id)
            if attendee is None:
                continue
            state = labels.get(turn.state, "waiting")
            if not attendee.present and turn.state != LEFT:
                state += " (left)"
            cells = [
                Text(str(index + 1)),
                Text(clean_line(attendee.name)),
                Text(state),
                Text(format_elapsed(self.session.round.spoken(turn.person_id), segment.per_person)),
            ]
            result.append((turn.person_id, cells))
        return result

    def title_text(self) -> str:
        segment = self.session.segment
        each = format_duration(segment.per_person or 0) if segment else ""
        return f"Speaking order · {each} each"

    def action_move(self, offset: int) -> None:
        person_id = self.selected_key()
        if person_id is None:
            return
        self.do(self.session.round.move, person_id, offset)
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(person_id))

    def action_shuffle(self) -> None:
        self.do(self.session.round.shuffle)

    def action_arrival(self) -> None:
        self.do(self.session.round.by_arrival)

    def action_floor(self) -> None:
        person_id = self.selected_key()
        if person_id is not None:
            self.do(self.session.round.floor, person_id)
            self.dismiss(None)

    def action_time_each(self) -> None:
        segment = self.session.segment
        current = f"{(segment.per_person or 60):g}" if segment else "60"

        def check(value: str) -> str:
            try:
                seconds = float(value.strip())
            except ValueError:
                return f"{value.strip()!r} is not a number of seconds"
            return "" if 0 < seconds <= 3600 else "Between 1 and 3600 seconds"

        def done(value: str | None) -> None:
            if value is not None:
                self.do(self.session.round.set_per_person, float(value.strip()))

        self.app.push_screen(TextPrompt("Seconds each person speaks", current, validate=check), done)


# -- the summary ----------------------------------------------------------------------------------


def rounds_block(summary: Summary) -> Group:
    lines = []
    for record in summary.rounds:
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


# -- the view ---------------------------------------------------------------------------------------


class RoundView(KindView):
    kind = ROUND
    position = 20
    capability = True
    line_keys = (NextSpeaker(), PassTurn(), PreviousSpeaker())

    def applies(self, segment: Segment) -> bool:
        return segment.is_round and segment.round is not None

    def stage(self) -> Stage | None:
        return RoundStage()

    def agenda_note(self, segment: Segment) -> str:
        return f"{format_duration(segment.per_person)} each" if segment.kind == ROUND and segment.per_person else ""

    def editor_fields(self, segment: Segment) -> ComposeResult:
        yield Label("Seconds each person speaks")
        yield OrderedInput(f"{(segment.per_person or 60):g}", id="per-person")
        yield FieldError(id="per-person-error")

    def editor_check(self, editor: ModalScreen, segment: Segment) -> dict[str, Any] | None:
        seconds = editor.check("per-person", "Seconds each", 3600)  # type: ignore[attr-defined]
        return None if seconds is None else {"per_person": seconds}

    def editor_apply(self, segment: Segment, values: dict[str, Any], minutes: float | None) -> None:
        segment.per_person = values["per_person"]
        super().editor_apply(segment, values, minutes)

    def summary_blocks(self, summary: Summary, today: date) -> Iterable[tuple[str, Any]]:
        if summary.rounds:
            yield "timing", rounds_block(summary)


VIEW = RoundView()

__all__ = ["RoundView", "SpeakingOrder", "Speakers", "VIEW", "can_order", "speaking_order"]
