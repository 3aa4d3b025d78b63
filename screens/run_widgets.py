"""The run screen's widgets. Each shows one thing, from the session it is given.

They never change the meeting: the screen calls the session and then asks
them to `refresh_from` it. User text is always passed as `Text`/`Content`, never
as markup.
"""

from __future__ import annotations

import errno
from datetime import datetime
from typing import Callable, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester
from textual.visual import VisualType
from textual.widgets import Digits, Static

from facilitate.clock import format_countdown, format_elapsed, format_minutes
from facilitate.dates import describe_date
from facilitate.models import ACTION, DECISION, NOTE, PASSED, SPOKE, Item, SegmentState
from facilitate.people import fold
from facilitate.quickentry import (
    ActionEntry,
    DecisionEntry,
    EntryError,
    LeftEntry,
    NoteEntry,
    PersonEntry,
    ProposalEntry,
    parse_entry,
)
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line, pasted_line
from screens.inputs import OrderedInput
from screens.kinds import LineKey
from screens.kinds import for_segment as kind_views
from screens.textual_internals import suggestion_shown
from screens.upstream import clean_paste

WARNING_SECONDS = 60
"""The countdown turns to the warning colour in the last minute."""


def safe(text: str) -> str:
    """Text from the record as one displayable line (an imported archive may hold anything)."""
    return clean_line(text)


class Shown(Static):
    """A Static that redraws only when what it shows has changed.

    The run screen asks every widget to refresh after each capture and key, and
    the clock's tick asks the time-dependent ones each second; `draw` compares
    a plain description of the content (the words and their styles) with the
    last one drawn, and leaves the screen alone when they are the same.
    """

    _shown: object = ()  # nothing drawn yet: no key equals it

    def draw(self, key: object, build: Callable[[], VisualType]) -> bool:
        """Draw `build()` unless `key` equals the key of what is already drawn; True if drawn."""
        if key == self._shown and self._shown != ():
            return False
        self._shown = key
        self.update(build())
        return True

    def draw_content(self, content: Text | Content) -> bool:
        """Draw `content` unless it looks the same as what is already drawn; True if drawn."""
        return self.draw(_text_key(content), lambda: content)


def _text_key(content: object) -> object:
    """What a Text or Content looks like, for comparing with what is drawn."""
    if isinstance(content, Text):
        return ("text", content.plain, tuple((span.start, span.end, str(span.style)) for span in content.spans), str(content.style))
    if isinstance(content, Content):
        return ("content", content.plain, tuple((span.start, span.end, str(span.style)) for span in content.spans))
    return ("other", repr(content))


class SessionPart(Shown):
    """A part of the run screen drawn from the session: the screen calls `refresh_from(session)`
    after every change, and the part redraws only what changed."""

    def refresh_from(self, session: MeetingSession) -> None:
        raise NotImplementedError


class MeetingBar(SessionPart):
    """Title, series, the time of day, running or paused, who is here, unsaved work."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        now = session.clock.now()
        present = meeting.present
        new = sum(1 for a in present if a.new)
        phones = self.phones
        key = (meeting.title, meeting.series, f"{now:%H:%M}", meeting.running, len(present), new, session.unsaved,
               phones)  # fmt: skip
        self.draw(key, lambda: self._build(session, now, present, new, phones))

    phones: tuple[bool, int] = (False, 0)
    """Whether the room is open to phones (the bar says so all the while), and how many wait for
    a nod: set by the run screen."""

    def _build(self, session: MeetingSession, now, present, new, phones=(False, 0)) -> Table:
        meeting = session.meeting
        title = Text(safe(meeting.title), style="bold", no_wrap=True, overflow="ellipsis")
        if meeting.series:
            title.append(f"  {safe(meeting.series)}", style="dim")
        right = Text(f"{now:%H:%M}  ")
        if meeting.running:
            right.append("▶ running", style="bold green")
        else:
            right.append("⏸ paused", style="bold yellow")
        right.append(f"  {len(present)} here" + (f", {new} new" if new else ""))
        if phones[0]:
            right.append("  phones open", style="bold reverse")
            if phones[1]:
                right.append(f" {phones[1]} waiting (F12)", style="bold")
        if session.unsaved:
            right.append(f"  ⚠ {session.unsaved} not saved", style="bold red")
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(title, right)
        return grid


class StorageNotice(SessionPart):
    """While the disk refuses the meeting's writes: that nothing new is saved, why, and what to do.

    Shown for as long as anything waits in memory (after a start on a full
    disk, say), so the facilitator never takes "captured" for "saved".
    """

    def refresh_from(self, session: MeetingSession) -> None:
        from facilitate.storage.errors import describe_os_error

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
        if self.draw(text, lambda: Text(text)):
            self.display = bool(text)


class SegmentTitle(SessionPart):
    """Which segment this is, its format, and its prompt."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        segment = meeting.segment
        if segment is None:
            self.draw(None, lambda: "")
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
        for view in kind_views(segment):
            # What the segment is doing now, in its kind's words (the topic under discussion).
            prompt = view.prompt(session, segment) or prompt
        if prompt:
            head = Content.assemble(head, "\n", (safe(prompt), "bold $accent"))
        self.draw_content(head)


class Countdown(Digits):
    """The segment's time left, large; an overrun counts up in the warning colour."""

    def refresh_from(self, session: MeetingSession) -> None:
        remaining, running = session.countdown(), session.meeting.running
        text = format_countdown(remaining)
        if text != self.value:
            self.update(text)
        self.set_class(remaining < 0, "-overrun")
        self.set_class(0 <= remaining <= WARNING_SECONDS, "-last-minute")
        self.set_class(not running, "-paused")


class NextUp(SessionPart):
    """Under the countdown: what comes next (the next phase, or the next segment), and whether paused."""

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        segment = meeting.segment
        paused = ("" if meeting.running else "PAUSED · space resumes   ", "bold $warning")
        if segment is not None and segment.phases and segment.phase < len(segment.phases) - 1:
            upcoming = segment.phases[segment.phase + 1]
            name, minutes = upcoming.name, upcoming.seconds / 60
        elif after := next((s for s in meeting.segments[meeting.current + 1 :] if s.state == SegmentState.PENDING), None):
            name, minutes = after.name, after.planned / 60
        else:
            self.draw_content(Content.assemble(paused, ("Last segment · ctrl+f finishes", "$text-muted")))
            return
        self.draw_content(
            Content.assemble(paused, ("Next: ", "$text-muted"), name, (f" ({minutes:g} min)", "$text-muted"))
        )


class SpeakerLine(SessionPart):
    """In a round: who has the floor and their own countdown, and who is next."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        # Always one line high: a new text never changes the layout.
        super().update(content, layout=layout)

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.is_round or segment.round is None:
            self.display = False
            return
        self.display = True
        speaker = session.round.speaker()
        upcoming = session.round.upcoming()
        if speaker is None:
            done = any(t.state in (SPOKE, PASSED) for t in segment.round.turns)
            if upcoming is not None:
                lead = "Next" if done else "First"
                self.draw_content(
                    Content.assemble(
                        (f"{lead}: ", "$text-muted"),
                        (safe(upcoming.name), "bold"),
                        ("   → gives them the floor", "$text-muted"),
                    )
                )
            elif segment.round.turns:
                self.draw_content(Content.styled("Everyone has had their turn.  ← goes back, ctrl+n moves on", "$text-muted"))
            else:
                self.draw_content(Content.styled("Nobody here yet: + adds people", "$text-muted"))
            return
        left = session.round.speaker_remaining() or 0.0
        style = "bold $error" if left < 0 else ("bold $warning" if left <= 10 else "bold")
        parts: list = [
            ("▶ ", "$success"),
            (safe(speaker.name), "bold"),
            (f"  {format_countdown(left)}", style),
            (" over" if left < 0 else " left", "$text-muted"),
        ]
        if upcoming is not None:
            parts += [("   next: ", "$text-muted"), safe(upcoming.name)]
        self.draw_content(Content.assemble(*parts))


class Guidance(SessionPart):
    """The format's guidance for the facilitator (g hides it when the screen is shown)."""

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        text = clean_block(segment.guidance) if segment else ""
        self.draw(text, lambda: Content(text))


def running_minutes(seconds: float) -> str:
    """Time so far of something still running, in whole minutes: it changes once a minute."""
    return f"{int(max(seconds, 0) // 60)}m"


class AgendaPanel(SessionPart):
    """The agenda with planned and actual times, and where the end of the meeting now falls.

    The running segment's time is shown in whole minutes (the countdown has the
    seconds), so the agenda redraws once a minute, not every second.
    """

    def refresh_from(self, session: MeetingSession) -> None:
        meeting = session.meeting
        rows = []
        for index, segment in enumerate(meeting.segments):
            current = index == meeting.current
            elapsed = session.elapsed(segment)
            mark = "▶" if current else {SegmentState.DONE: "✓", SegmentState.SKIPPED: "×"}.get(segment.state, "·")
            if current and segment.state == SegmentState.ACTIVE:
                actual = running_minutes(elapsed)
            else:
                actual = format_elapsed(elapsed, segment.allowed) if elapsed or segment.state in (SegmentState.ACTIVE, SegmentState.DONE) else ""
            over = elapsed > segment.allowed and segment.allowed > 0
            if current and over:
                over = int(elapsed // 60) * 60 > segment.allowed
            rows.append((mark, safe(segment.name), current, segment.state == SegmentState.SKIPPED, f"{segment.planned / 60:g}", actual, over))
        footer, late = session.end_outlook()
        key = (tuple(rows), footer, late)
        self.draw(key, lambda: self._build(rows, footer, late))

    @staticmethod
    def _build(rows, footer_text: str, late: int) -> Table:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=4, justify="right")
        table.add_column(width=6, justify="right")
        for mark, name, current, skipped, planned, actual, over in rows:
            table.add_row(
                Text(mark, style="bold" if current else "dim"),
                Text(name, style="bold" if current else ("dim" if skipped else "")),
                Text(planned, style="dim"),
                Text(actual, style="red" if over else ("bold" if current else "")),
            )
        first, _, second = footer_text.partition("\n")
        footer = Text(first, style="bold")
        if second:
            footer.append("\n" + second, style="yellow" if late > 0 else "dim")
        grid = Table.grid(expand=True)
        grid.add_row(table)
        grid.add_row(footer)
        return grid


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
    elif item.due_not_understood:
        line.append(f"  ⚠ “{safe(item.due_text)}”: date not understood (ctrl+l)", style="bold yellow")
    if item.speaker_id:
        speaker = session.meeting.attendee(item.speaker_id)
        if speaker is not None:
            line.append(f"  ({safe(speaker.name)})", style="dim")
    return line


class CaptureLog(SessionPart):
    """The latest captures, newest first."""

    LIMIT = 30

    def refresh_from(self, session: MeetingSession) -> None:
        today = session.clock.today()
        items = session.meeting.items[-self.LIMIT :]
        if not items:
            self.draw(
                None,
                lambda: Content.styled(
                    "Nothing captured yet. Type below: + a person, ! an action, = a decision, or a note.", "$text-muted"
                ),
            )
            return
        text = Text()
        for item in reversed(items):
            text.append_text(item_line(item, session, today))
            text.append("\n")
        self.draw_content(text)


class EntrySuggester(Suggester):
    """Completes names as they are typed after +, - and ! in the quick entry.

    The faint suggestion after the cursor is a name that starts with what was
    typed; `complete` (Tab) also takes a name any of whose words match ("reed"
    for Dr Tom Reed), replacing what was typed."""

    def __init__(self, session: MeetingSession) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.session = session

    def complete(self, value: str) -> str | None:
        """The line with the best matching name in place of what was typed, or None."""
        if len(value) < 2:
            return None
        prefix, body = value[0], value[1:]
        if prefix == "+" and "," not in body:
            lead_plus = "++" if body.startswith("+") else "+"
            typed = body[1:] if lead_plus == "++" else body
            if not typed.strip():
                return None
            matches = self.session.suggest_people(typed.strip(), limit=1)
            if matches:
                person = matches[0]
                return lead_plus + person.name + (f", {person.organisation}" if person.organisation else "")
        if prefix in "-!" and ":" not in body and body.strip():
            present = self.session.suggest_present(body.strip(), limit=1)
            if present:
                return prefix + present[0].name + (": " if prefix == "!" else "")
        return None

    async def get_suggestion(self, value: str) -> str | None:
        completed = self.complete(value)
        if completed is None or completed == value:
            return None
        # Shown after the cursor only when it carries on what was typed.
        return completed if fold(completed).startswith(fold(value)) and len(completed) > len(value) else None


class QuickEntry(OrderedInput):
    """One line to capture anything: people, actions, decisions, notes.

    It always has focus on the run screen. When it is empty, space and the
    arrow keys drive the meeting instead (they cannot start a capture): each is
    a `LineKey` of a format kind (`screens.kinds`: → the next speaker, phase,
    topic or action) or of the run screen (space pauses, ↓ the board, ↑ the held
    line). It handles those keys itself, and clears itself on Enter, so they are
    taken in the order they were typed however fast the typing.
    """

    BINDINGS = [Binding("tab", "complete", "Complete the name", show=False)]

    LINE_KEYS: ClassVar[tuple[LineKey, ...]] = ()
    """The capture line's keys, in order of preference for each key; the run screen's entry
    sets them, and a binding for each (`line_key(index)`) puts the one that applies in the footer."""
    CURSOR_KEYS: ClassVar[tuple[str, ...]] = ("right", "down", "left")
    """Keys whose first binding stays on while typing: → and ← move the cursor then."""

    class LineKeyPressed(Message):
        """A key of the empty line that applies now, for the screen to run."""

        def __init__(self, line_key: LineKey) -> None:
            super().__init__()
            self.line_key = line_key

    class HelpAsked(Message):
        """? on the empty line: the help (a note never starts with "?" alone)."""

    class Captured(Message):
        """Enter pressed: the line, already taken out of the entry."""

        def __init__(self, entry: QuickEntry, value: str) -> None:
            super().__init__()
            self.entry = entry
            self.value = value

        @property
        def control(self) -> QuickEntry:
            return self.entry

    def on_mount(self) -> None:
        # A steady cursor: the screen is often on a projector, and a blinking one redrew
        # the line twice a second, most of what an idle meeting cost.
        self.cursor_blink = False

    def _watch_value(self, value: str) -> None:
        # Names are offered only after + - and !: without a suggester, Input starts no
        # worker for each key of a note.
        names = self.__dict__.setdefault("_names", self.suggester)
        self.suggester = names if value[:1] in ("+", "-", "!") else None
        super()._watch_value(value)

    def _on_paste(self, event) -> None:
        """A paste of several lines joins them, rather than keeping the first and losing the rest."""
        event.stop()
        event.prevent_default()  # not Input's own, which keeps the first line only
        line, count = pasted_line(clean_paste(event.text))
        if not line:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *self.selection)
        if count > 1:
            self.notify(f"{count} lines pasted as one, joined by /", timeout=3, markup=False)

    def _applies(self, line_key: LineKey) -> bool:
        check = getattr(self.screen, "line_key_applies", None)
        return bool(check(line_key)) if check is not None else False

    def _first_that_applies(self, key: str) -> LineKey | None:
        return next((k for k in self.LINE_KEYS if k.key == key and self._applies(k)), None)

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
            # Never typed at the start of a line: it pauses or resumes the clock.
            event.stop()
            event.prevent_default()
            if (line_key := self._first_that_applies("space")) is not None:
                self.post_message(self.LineKeyPressed(line_key))
        elif event.character == "?":
            # A note never starts with "?" alone: on the empty line it opens the help.
            event.stop()
            event.prevent_default()
            self.post_message(self.HelpAsked())
        elif (line_key := self._first_that_applies(event.key)) is not None:
            # Also here rather than as bindings, so an arrow is taken in order
            # with the typing around it. The bindings remain for the footer.
            event.stop()
            event.prevent_default()
            self.post_message(self.LineKeyPressed(line_key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "line_key":
            line_key = self.LINE_KEYS[int(parameters[0])]  # type: ignore[call-overload]
            if self.value and line_key.key in self.CURSOR_KEYS:
                # Typing: the first binding of each arrow moves the cursor (see below).
                first = next(k for k in self.LINE_KEYS if k.key == line_key.key)
                return first is line_key or self._applies(line_key)
            return self._applies(line_key)
        return True

    def action_line_key(self, index: int) -> None:
        line_key = self.LINE_KEYS[index]
        if not self.value:
            self.post_message(self.LineKeyPressed(line_key))
        elif line_key.key == "right":
            self.action_cursor_right()
        elif line_key.key == "left":
            self.action_cursor_left()

    def action_complete(self) -> None:
        if not self.cursor_at_end:
            return
        # The suggestion shown, else a name any of whose words match (EntrySuggester.complete).
        complete = getattr(self.suggester, "complete", None)
        target = suggestion_shown(self) or (complete(self.value) if complete is not None else None)
        if target:
            self.value = target
            self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        value = self.value
        if not value.strip():
            return
        self.value = ""
        self.post_message(self.Captured(self, value))

    def take_back(self, value: str) -> None:
        """Put a held line back on the (empty) line, to be fixed."""
        self.value = value
        self.cursor_position = len(value)


class HeldLines(SessionPart):
    """Above the entry: lines Enter could not capture, kept out of the entry until fixed.

    A refused line leaves the entry at once, so a fast typist who has not looked
    up starts the next capture on an empty line instead of extending it; the line
    waits here, in the error colour, until ↑ on the empty line brings it back.
    """

    DEFAULT_CSS = """
    HeldLines { display: none; height: auto; max-height: 3; color: $error; text-style: bold; }
    HeldLines.-shown { display: block; }
    """

    def refresh_from(self, session: MeetingSession) -> None:
        held = session.held
        self.set_class(bool(held), "-shown")
        if not held:
            self.draw(None, lambda: "")
            return
        latest = held[-1]
        count = f"{len(held)} lines not captured; the latest: " if len(held) > 1 else "Not captured: "
        self.draw(
            (len(held), latest),
            lambda: Content.assemble(
                "⚠ ",
                count,
                ("“" + safe(latest.line)[:120] + "”", "not bold"),
                f"  {safe(latest.reason)}",
                ("  ↑ on the empty line brings it back to fix", "$text-muted not bold"),
            )
        )


class EntryHint(Shown):
    """Under the entry: what the line will capture, or why it cannot."""

    error_for: str | None = None
    """The line the error shown is about; it stays while that line is unchanged."""

    def preview(self, session: MeetingSession, line: str) -> None:
        if self.has_class("-error") and line == self.error_for:
            return
        self.error_for = None
        self.remove_class("-error", "-done")
        if not line.strip():
            self.remove_class("-ask")
            self.draw_content(
                Content.styled("+name, org · -name · !owner: action by fri · =decision · note · F1 help", "$text-muted")
            )
            return
        try:
            entry = parse_entry(line, session.clock.today())
        except EntryError:
            self.set_class(False, "-ask")
            self.draw_content(Content.styled("Enter to check what is wrong", "$text-muted"))
            return
        if isinstance(entry, PersonEntry):
            text, asking = describe_arrival(session, entry)
        else:
            text, asking = describe_entry(session, entry, line), False
        # A question (is this someone known?) stands out, and may take two lines.
        self.set_class(asking, "-ask")
        self.draw_content(Content(text) if asking else Content.styled(text, "$text-muted"))

    def error(self, message: str, line: str | None = None) -> None:
        self.error_for = line
        self.remove_class("-done", "-ask")
        self.add_class("-error")
        self.draw_content(Content(message))

    def done(self, message: str) -> None:
        self.remove_class("-error", "-ask")
        self.add_class("-done")
        self.draw_content(Content("✓ " + message))


def describe_arrival(session: MeetingSession, entry: PersonEntry) -> tuple[str, bool]:
    """What Enter does with `+name`, and whether that is a question to answer: the same plan
    `MeetingSession.arrive` carries out.

    A near match (a title, an initial, accents, the order of the words) is offered
    as a question that Enter answers yes to; someone new with a like name is `++`."""
    plan = session.plan_arrival(entry.name, entry.organisation, new=entry.new)
    name, organisation = entry.name, entry.organisation
    where = f", {plan.organisation}" if plan.organisation else ""
    if plan.kind == "here":
        if plan.near:
            return f"{plan.name} is already here. Someone else? ++{name} adds them", True
        return f"{plan.name} is already here", False
    if plan.kind == "back":
        if plan.near:
            return f"{plan.name}{where}, back? Enter to confirm, or keep typing for someone new", True
        return f"{plan.name} is back", False
    if plan.kind == "known":
        if plan.near:
            return (
                f"{plan.name}{where}? Enter to confirm, or keep typing for someone new"
                f" (++{name} adds someone new)"
            ), True
        assert plan.known is not None
        count = plan.known.meetings
        return f"Returning: {plan.name}{where} · {count} meeting{'s' if count != 1 else ''} before", False
    if plan.kind == "ambiguous":
        return (
            f"Which one? {plan.describe_candidates(3)}. Add ', organisation' to choose, or ++{name} for someone new"
        ), True
    lead = f"New person: {name}" + (f", {organisation}" if organisation else "")
    if entry.new:
        return lead + " (not matched to anyone known)", False
    suggestions = session.suggest_people(name, limit=3)
    if suggestions:
        others = "; ".join(p.name + (f" ({p.organisation})" if p.organisation else "") for p in suggestions)
        return f"{lead}   Tab: {others}", False
    return lead, False


def describe_entry(session: MeetingSession, entry, line: str) -> str:
    """A one-line preview of what pressing Enter will capture."""
    today = session.clock.today()
    if isinstance(entry, PersonEntry):
        return describe_arrival(session, entry)[0]
    if isinstance(entry, LeftEntry):
        here = session.find_present_quiet(entry.name)
        return f"{here.name} leaves" if here else f"Nobody here matches {entry.name!r}"
    if isinstance(entry, ActionEntry):
        owner, owner_id = session.resolve_owner_quiet(entry.owner)
        who = owner or "no owner yet"
        if owner and owner_id is None:
            who += " (not here)"
        when = f" · due {entry.due.describe(today)}" if entry.due else " · no due date"
        if entry.due_unread:
            when = f" · “{entry.due_unread}” is not a date we can read: kept and flagged to fix (or end with by -)"
        return f"Action for {who}{when}"
    if isinstance(entry, DecisionEntry):
        return "Decision"
    if isinstance(entry, ProposalEntry):
        return f"Proposal: {entry.title}" + (f" by {entry.by}" if entry.by else "")
    if isinstance(entry, NoteEntry):
        return "Note"
    return ""
