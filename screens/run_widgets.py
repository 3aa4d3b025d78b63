"""The run screen's widgets. Each shows one thing, from the session it is given.

They never change the meeting: the screen calls the session and then asks
them to `refresh_from` it. User text is always passed as `Text`/`Content`, never
as markup.
"""

from __future__ import annotations

import errno
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Digits, Input, Static

from facilitate.clock import format_countdown, format_duration, format_minutes
from facilitate.dates import describe_date
from facilitate.models import (
    ACTION,
    ACTIVE,
    DECISION,
    FINISHED,
    NOTE,
    PASSED,
    SKIPPED,
    SPEAKING,
    SPOKE,
    Item,
)
from facilitate.quickentry import (
    ActionEntry,
    DecisionEntry,
    EntryError,
    LeftEntry,
    NoteEntry,
    PersonEntry,
    ProposalEntry,
    parse_entry,
    split_person,
)
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line, pasted_line

WARNING_SECONDS = 60
"""The countdown turns to the warning colour in the last minute."""


def safe(text: str) -> str:
    """Text from the record as one displayable line (an imported archive may hold anything)."""
    return clean_line(text)


class MeetingBar(Static):
    """Title, series, the time of day, running or paused, who is here, unsaved work."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        now = session.clock.now()
        present = meeting.present
        new = sum(1 for a in present if a.new)
        title = Text(safe(meeting.title), style="bold", no_wrap=True, overflow="ellipsis")
        if meeting.series:
            title.append(f"  {safe(meeting.series)}", style="dim")
        right = Text(f"{now:%H:%M}  ")
        if meeting.running:
            right.append("▶ running", style="bold green")
        else:
            right.append("⏸ paused", style="bold yellow")
        right.append(f"  {len(present)} here" + (f", {new} new" if new else ""))
        if session.unsaved:
            right.append(f"  ⚠ {session.unsaved} not saved", style="bold red")
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(title, right)
        self.update(grid)


class StorageNotice(Static):
    """While the disk refuses the meeting's writes: that nothing new is saved, why, and what to do.

    Shown for as long as anything waits in memory (after a start on a full
    disk, say), so the facilitator never takes "captured" for "saved".
    """

    def refresh_from(self, session: MeetingSession) -> None:
        from facilitate.live import describe_os_error

        waiting = session.unsaved
        text = ""
        if waiting:
            problem = session.live.problem if session.live is not None else None
            cause = problem.cause if problem is not None else None
            reason = describe_os_error(cause) if cause is not None else "the disk refuses to write"
            if cause is not None and cause.errno in (errno.ENOSPC, errno.EDQUOT):
                fix = "until space is freed"
            else:
                fix = "until the folder can be written again"
            changes = f"{waiting} changes wait" if waiting != 1 else "1 change waits"
            text = (
                f"⚠ Nothing new can be saved {fix} ({reason}). {changes} in memory, to be written in order "
                "as soon as the disk takes them; quitting now loses them."
            )
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(Text(text))
            self.display = bool(text)


class SegmentTitle(Static):
    """Which segment this is, its format, and its prompt."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        segment = meeting.segment
        if segment is None:
            self.update("")
            return
        head = Content.assemble(
            (f"{meeting.current + 1}/{len(meeting.segments)}  ", "$text-muted"),
            (safe(segment.name), "bold"),
            (f"   {segment.kind} · {format_minutes(segment.allowed)}", "$text-muted"),
        )
        if segment.adjust:
            sign = "+" if segment.adjust > 0 else "−"
            head = head.append(Content.styled(f" ({sign}{abs(segment.adjust) / 60:g} min)", "$text-muted"))
        prompt = segment.prompt
        phase = segment.current_phase
        if phase is not None:
            head = head.append(
                Content.styled(f"\n{segment.phase + 1}/{len(segment.phases)} {safe(phase.name)}", "bold")
            )
            prompt = phase.prompt or prompt
        if phase is not None and phase.slot is not None and segment.open_space is not None:
            current = segment.open_space.proposal(segment.open_space.current)
            running = {p.id for _, p in session.slot_sessions()}
            if current is not None and current.id in running:
                prompt = f"Capturing for: {current.title}"
            else:
                prompt = "Captures go to no session yet: ↓ then c on a session picks one"
        topic = session.current_topic() if segment.lean_coffee is not None else None
        if topic is not None:
            extension = f" (extension {topic.extensions})" if topic.extensions else ""
            prompt = f"Discussing: {topic.title}{extension}"
        if prompt:
            head = Content.assemble(head, "\n", (safe(prompt), "bold $accent"))
        self.update(head)


class Countdown(Digits):
    """The segment's time left, large; an overrun counts up in the warning colour."""

    def show(self, remaining: float, *, running: bool) -> None:
        self.update(format_countdown(remaining))
        self.set_class(remaining < 0, "-overrun")
        self.set_class(0 <= remaining <= WARNING_SECONDS, "-last-minute")
        self.set_class(not running, "-paused")


class SpeakerLine(Static):
    """In a round: who has the floor and their own countdown, and who is next."""

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.is_round or segment.round is None:
            self.display = False
            return
        self.display = True
        speaker = session.current_speaker()
        upcoming = session.next_speaker()
        if speaker is None:
            done = any(t.state in (SPOKE, PASSED) for t in segment.round.turns)
            if upcoming is not None:
                lead = "Next" if done else "First"
                self.update(
                    Content.assemble(
                        (f"{lead}: ", "$text-muted"),
                        (safe(upcoming.name), "bold"),
                        ("   → gives them the floor", "$text-muted"),
                    )
                )
            elif segment.round.turns:
                self.update(Content.styled("Everyone has had their turn.  ← goes back, ctrl+n moves on", "$text-muted"))
            else:
                self.update(Content.styled("Nobody here yet: + adds people", "$text-muted"))
            return
        left = session.speaker_remaining() or 0.0
        style = "bold $error" if left < 0 else ("bold $warning" if left <= 10 else "bold")
        parts: list = [
            ("▶ ", "$success"),
            (safe(speaker.name), "bold"),
            (f"  {format_countdown(left)}", style),
            (" over" if left < 0 else " left", "$text-muted"),
        ]
        if upcoming is not None:
            parts += [("   next: ", "$text-muted"), safe(upcoming.name)]
        self.update(Content.assemble(*parts))


class Speakers(Static):
    """Everyone in the round with the time they spoke and their share, so nobody goes unheard."""

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.is_round or segment.round is None or not segment.round.turns:
            self.display = False
            return
        self.display = True
        rows = session.round_shares()
        fair = 1 / len(rows) if rows else 0
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(width=5, justify="right")
        table.add_column(ratio=1, no_wrap=True)
        width = 12
        for attendee, state, seconds, share in rows:
            mark = {SPEAKING: "▶", SPOKE: "✓", PASSED: "–"}.get(state, "·")
            style = "bold" if state == SPEAKING else ("dim" if not attendee.present else "")
            bar_length = round(share * width)
            bar = Text("█" * bar_length, style="green" if share >= fair / 2 else "yellow")
            if state == PASSED:
                bar = Text("passed", style="dim italic")
            elif seconds == 0 and state not in (SPEAKING,):
                bar = Text("not heard yet" if state != SPOKE else "", style="dim")
            table.add_row(
                Text(mark, style=style),
                Text(safe(attendee.name), style=style),
                Text(format_duration(seconds), style="dim"),
                bar,
            )
        self.update(table)


class Guidance(Static):
    """The format's guidance for the facilitator (g hides it when the screen is shown)."""

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        text = clean_block(segment.guidance) if segment else ""
        self.update(Content(text))


class AgendaPanel(Static):
    """The agenda with planned and actual times, and where the end of the meeting now falls."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=4, justify="right")
        table.add_column(width=6, justify="right")
        for index, segment in enumerate(meeting.segments):
            current = index == meeting.current
            elapsed = session.elapsed(segment)
            mark = "▶" if current else {FINISHED: "✓", SKIPPED: "×"}.get(segment.state, "·")
            actual = format_duration(elapsed) if elapsed or segment.state in (ACTIVE, FINISHED) else ""
            over = elapsed > segment.allowed and segment.allowed > 0
            table.add_row(
                Text(mark, style="bold" if current else "dim"),
                Text(safe(segment.name), style="bold" if current else ("dim" if segment.state == SKIPPED else "")),
                Text(f"{segment.planned / 60:g}", style="dim"),
                Text(actual, style="red" if over else ("bold" if current else "")),
            )
        planned_end = session.planned_end()
        projected = session.projected_end()
        drift = session.drift()
        footer = Text(f"ends ~{projected:%H:%M}", style="bold")
        if planned_end is not None and abs(drift) >= 60:
            sign = "+" if drift > 0 else "−"
            footer.append(
                f"  ({sign}{format_minutes(abs(drift))} vs {planned_end:%H:%M})", style="yellow" if drift > 0 else "dim"
            )
        grid = Table.grid(expand=True)
        grid.add_row(table)
        grid.add_row(footer)
        self.update(grid)


LOG_TEXT_LIMIT = 300
"""Characters of a capture shown in the log; the rest is kept, and ctrl+l shows it all."""


def item_line(item: Item, session: MeetingSession, today) -> Text:
    mark = {NOTE: "·", DECISION: "=", ACTION: "!"}.get(item.kind, "·")
    line = Text(f"{mark} ", style="bold")
    if item.kind == ACTION:
        line.append(safe(item.owner) or "no owner", style="bold")
        line.append(": ")
    raw = item.text
    if len(raw) > LOG_TEXT_LIMIT:
        # Cut before cleaning: the log redraws on every capture, and a note can be 100,000 characters.
        line.append(safe(raw[:LOG_TEXT_LIMIT]).rstrip() + f"… (+{len(raw) - LOG_TEXT_LIMIT:,} characters, ctrl+l)")
    else:
        line.append(safe(raw))
    if item.kind == ACTION and item.due:
        line.append(f"  {describe_date(datetime.fromisoformat(item.due).date(), today)}", style="cyan")
    if item.speaker_id:
        speaker = session.meeting.attendee(item.speaker_id)
        if speaker is not None:
            line.append(f"  ({safe(speaker.name)})", style="dim")
    return line


class CaptureLog(Static):
    """The latest captures, newest first."""

    LIMIT = 30

    def refresh_from(self, session: MeetingSession) -> None:
        today = session.clock.today()
        items = session.meeting.items[-self.LIMIT :]
        if not items:
            self.update(
                Content.styled(
                    "Nothing captured yet. Type below: + a person, ! an action, = a decision, or a note.", "$text-muted"
                )
            )
            return
        text = Text()
        for item in reversed(items):
            text.append_text(item_line(item, session, today))
            text.append("\n")
        self.update(text)


class EntrySuggester(Suggester):
    """Completes names as they are typed after +, - and ! in the quick entry."""

    def __init__(self, session: MeetingSession) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.session = session

    async def get_suggestion(self, value: str) -> str | None:
        if len(value) < 2:
            return None
        prefix, body = value[0], value[1:]
        if prefix == "+" and "," not in body:
            matches = self.session.suggest_people(body.strip(), limit=1)
            if matches and matches[0].name.casefold().startswith(body.strip().casefold()) and body.strip():
                person = matches[0]
                lead = value[: len(value) - len(body.lstrip())]
                suggestion = lead + person.name + (f", {person.organisation}" if person.organisation else "")
                return suggestion if suggestion != value else None
        if prefix in "-!" and ":" not in body:
            matches = self.session.suggest_present(body.strip(), limit=1)
            if matches and matches[0].name.casefold().startswith(body.strip().casefold()) and body.strip():
                return value[: len(value) - len(body.lstrip())] + matches[0].name + (": " if prefix == "!" else "")
        return None


class QuickEntry(Input):
    """One line to capture anything: people, actions, decisions, notes.

    It always has focus on the run screen. When it is empty, space and the
    arrow keys drive the meeting instead (they cannot start a capture). It
    handles those keys itself, and clears itself on Enter, so they are taken
    in the order they were typed however fast the typing.
    """

    # On the empty line, → ← ↓ mean what the segment needs: speakers in a round,
    # phases in a phased format, topics in Lean Coffee, actions in matters arising.
    # The screen's check_action enables the one that applies; the footer shows it.
    BINDINGS = [
        Binding("tab", "complete", "Complete the name", show=False),
        Binding("right", "meeting_key('next_speaker', 'right')", "Speaker", key_display="→"),
        Binding("right", "meeting_key('lean_next', 'right')", "Thumbs / next topic", key_display="→"),
        Binding("right", "meeting_key('next_phase', 'right')", "Next phase", key_display="→"),
        Binding("right", "meeting_key('next_matter', 'right')", "Next action", key_display="→"),
        Binding("down", "meeting_key('pass_turn', 'down')", "Pass", key_display="↓"),
        Binding("down", "meeting_key('focus_board', 'down')", "Board", key_display="↓"),
        Binding("left", "meeting_key('previous_speaker', 'left')", "Back a speaker", key_display="←", show=False),
        Binding("left", "meeting_key('previous_phase', 'left')", "Previous phase", key_display="←", show=False),
        Binding("left", "meeting_key('previous_matter', 'left')", "Previous action", key_display="←", show=False),
        Binding("space", "meeting_key('toggle_pause', 'space')", "Pause", show=True),
    ]

    class MeetingKey(Message):
        """A meeting key pressed on the empty line, for the screen to act on."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    class Captured(Message):
        """Enter pressed: the line, already taken out of the entry."""

        def __init__(self, entry: QuickEntry, value: str) -> None:
            super().__init__()
            self.entry = entry
            self.value = value

        @property
        def control(self) -> QuickEntry:
            return self.entry

    def _on_paste(self, event) -> None:
        """A paste of several lines joins them, rather than keeping the first and losing the rest."""
        event.stop()
        event.prevent_default()  # not Input's own, which keeps the first line only
        line, count = pasted_line(event.text)
        if not line:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *self.selection)
        if count > 1:
            self.notify(f"{count} lines pasted as one, joined by /", timeout=3, markup=False)

    async def _on_key(self, event) -> None:
        if event.key == "enter":
            # Here, not as a binding: a binding runs when the key has bubbled up
            # to the app, by which time keys typed after Enter may already be in
            # the line, and two captures would become one.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if self.value:
            return
        if event.key == "space":
            event.stop()
            event.prevent_default()
            self.post_message(self.MeetingKey("toggle_pause"))
        elif event.character == "?":
            # A note never starts with "?" alone: on the empty line it opens the help.
            event.stop()
            event.prevent_default()
            self.post_message(self.MeetingKey("help"))
        elif event.key in self.ARROW_ACTIONS:
            # Also here rather than as bindings, so an arrow is taken in order
            # with the typing around it. The bindings remain for the footer.
            screen_check = getattr(self.screen, "check_action", None)
            for action in self.ARROW_ACTIONS[event.key]:
                if screen_check is not None and screen_check(action, ()):
                    event.stop()
                    event.prevent_default()
                    self.post_message(self.MeetingKey(action))
                    return

    ARROW_ACTIONS = {
        "right": ("next_speaker", "lean_next", "next_phase", "next_matter"),
        "down": ("pass_turn", "focus_board"),
        "left": ("previous_speaker", "previous_phase", "previous_matter"),
    }
    """What an arrow does on the empty line, in order of preference (the first that applies)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "meeting_key":
            screen_check = getattr(self.screen, "check_action", None)
            applies = bool(screen_check(str(parameters[0]), ())) if screen_check else False
            if self.value:
                # Typing: the first binding of each key moves the cursor (see below).
                return parameters[0] in ("next_speaker", "pass_turn", "previous_speaker") or applies
            return applies
        return True

    def action_meeting_key(self, action: str, key: str) -> None:
        if not self.value:
            self.post_message(self.MeetingKey(action))
        elif key == "right":
            self.action_cursor_right()
        elif key == "left":
            self.action_cursor_left()

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        value = self.value
        if not value.strip():
            return
        self.value = ""
        self.post_message(self.Captured(self, value))

    def give_back(self, value: str) -> None:
        """Put a line that could not be captured back, ahead of anything typed since."""
        self.value = value + self.value
        self.cursor_position = len(value)


class EntryHint(Static):
    """Under the entry: what the line will capture, or why it cannot."""

    error_for: str | None = None
    """The line the error shown is about; it stays while that line is unchanged."""

    def preview(self, session: MeetingSession, line: str) -> None:
        if self.has_class("-error") and line == self.error_for:
            return
        self.error_for = None
        self.remove_class("-error", "-done")
        if not line.strip():
            self.update(
                Content.styled("+name, org · -name · !owner: action by fri · =decision · note · F1 help", "$text-muted")
            )
            return
        try:
            entry = parse_entry(line, session.clock.today())
        except EntryError:
            self.update(Content.styled("Enter to check what is wrong", "$text-muted"))
            return
        self.update(Content.styled(describe_entry(session, entry, line), "$text-muted"))

    def error(self, message: str, line: str | None = None) -> None:
        self.error_for = line
        self.remove_class("-done")
        self.add_class("-error")
        self.update(Content(message))

    def done(self, message: str) -> None:
        self.remove_class("-error")
        self.add_class("-done")
        self.update(Content("✓ " + message))


def describe_entry(session: MeetingSession, entry, line: str) -> str:
    """A one-line preview of what pressing Enter will capture."""
    today = session.clock.today()
    if isinstance(entry, PersonEntry):
        name, organisation = split_person(line[1:])
        suggestions = session.suggest_people(name, limit=4)
        here = session.find_present_quiet(name)
        if here is not None and clean_line(here.name).casefold() == name.casefold():
            return f"{here.name} is already here"
        known = session.directory.exact(name, organisation)
        if known is not None:
            org = organisation or known.organisation
            return f"Returning: {known.name}" + (f", {org}" if org else "") + f" · {known.meetings} meeting{'s' if known.meetings != 1 else ''} before"
        others = ", ".join(p.name + (f" ({p.organisation})" if p.organisation else "") for p in suggestions)
        return (
            f"New person: {name}"
            + (f", {organisation}" if organisation else "")
            + (f"   Tab completes: {others}" if others else "")
        )
    if isinstance(entry, LeftEntry):
        here = session.find_present_quiet(entry.name)
        return f"{here.name} leaves" if here else f"Nobody here matches {entry.name!r}"
    if isinstance(entry, ActionEntry):
        owner, owner_id = session.resolve_owner_quiet(entry.owner)
        who = owner or "no owner yet"
        if owner and owner_id is None:
            who += " (not here)"
        when = f" · due {entry.due.describe(today)}" if entry.due else " · no due date"
        return f"Action for {who}{when}"
    if isinstance(entry, DecisionEntry):
        return "Decision"
    if isinstance(entry, ProposalEntry):
        return f"Proposal: {entry.title}" + (f" by {entry.by}" if entry.by else "")
    if isinstance(entry, NoteEntry):
        return "Note"
    return ""
