"""The run screen's widgets. Each shows one thing, from the session it is given.

They never change the meeting: the screen calls the session and then asks
them to `refresh_from` it. User text is always passed as `Text`/`Content`, never
as markup.
"""

from __future__ import annotations

import errno
from datetime import datetime
from typing import Callable

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Digits, Static

from facilitate.clock import format_countdown, format_elapsed, format_minutes
from facilitate.dates import describe_date
from facilitate.models import ACTION, DECISION, NOTE, PASSED, SPOKE, Item, SegmentState
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line
from screens.kinds import for_segment as kind_views

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
