"""The capture line, and what sits around it on the run screen.

`CaptureArea` is the bottom of the run screen: the lines Enter could not
capture (held above the entry, never put back into it), the disk's notice, the
hint that says what the line will capture, and the line itself. It turns what
Enter sends into one call to `MeetingSession.capture`, holds what cannot be
captured, and asks the screen to redraw from the session.

`QuickEntry` takes keys in the order they were typed: Enter and the keys of
the empty line (space, arrows, ?) are handled in its own key handler rather
than as bindings, which Textual runs only once the key has bubbled to the app
(see `screens.upstream` for the editing keys).
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester

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
from facilitate.storage.errors import StorageError
from facilitate.text import pasted_line
from screens import kinds
from screens.inputs import OrderedInput
from screens.kinds import LineKey
from screens.run_widgets import SessionPart, Shown, StorageNotice, safe
from screens.textual_internals import prepare_default_styles, suggestion_shown
from screens.upstream import clean_paste

if TYPE_CHECKING:
    from screens.run import RunScreen
    from screens.run_dialogs import ActionForm

PREPARE_AFTER = 1.5
"""Seconds after the run screen opens when the action form's styles are made ready."""


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


# -- the run screen's own keys on the empty line (the kinds add theirs: screens.kinds) ---------


class ToBoard(LineKey):
    """↓ on the empty line: to the segment's board (the wall, the topics, the actions)."""

    key, description, key_display, rank = "down", "Board", "↓", 5

    def applies(self, host) -> bool:
        segment = host.session.segment
        return segment is not None and not segment.is_round and any(
            view.has_board(segment) for view in kinds.for_segment(segment)
        )

    def run(self, host) -> None:
        host.focus_board()


class Pause(LineKey):
    key, description = "space", "Pause"

    def applies(self, host) -> bool:
        return host.session.segment is not None

    def run(self, host) -> None:
        host.action_toggle_pause()


class TakeBack(LineKey):
    key, description, key_display = "up", "Fix the held line", "↑"

    def applies(self, host) -> bool:
        return bool(host.session.held)

    def run(self, host) -> None:
        host.capture.take_back()


class CaptureLine(QuickEntry):
    """The run screen's quick entry, with every kind's keys for the empty line."""

    LINE_KEYS = kinds.line_keys((ToBoard(), Pause(), TakeBack()))
    BINDINGS = [
        Binding(k.key, f"line_key({index})", k.description, key_display=k.key_display, show=k.show)
        for index, k in enumerate(LINE_KEYS)
    ]


class CaptureArea(Vertical):
    """Held lines, the disk's notice, the hint and the capture line: what Enter captures."""

    def __init__(self, session: MeetingSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session

    def compose(self) -> ComposeResult:
        yield HeldLines(id="held")
        yield StorageNotice(id="storage-notice")
        yield EntryHint(id="hint")
        yield CaptureLine(
            placeholder="Type to capture: +Asha Patel, Age UK · !Asha: call the team by fri · =We agree",
            id="entry",
            suggester=EntrySuggester(self.session),
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self.hint.preview(self.session, "")
        self.set_timer(PREPARE_AFTER, self._prepare_form)

    def _prepare_form(self) -> None:
        """The action form's styles, parsed while the meeting is quiet rather than at its first
        ctrl+y, which was the slowest opening of all."""
        from screens.run_dialogs import ActionForm

        prepare_default_styles(self.app, (ActionForm, *ActionForm.PARTS))

    @property
    def host(self) -> RunScreen:
        return self.screen  # type: ignore[return-value]

    @property
    def entry(self) -> CaptureLine:
        return self.query_one(CaptureLine)

    @property
    def hint(self) -> EntryHint:
        return self.query_one(EntryHint)

    @on(QuickEntry.Changed, "#entry")
    def _changed(self, event: QuickEntry.Changed) -> None:
        if not event.value and self.hint.has_class("-done"):
            return  # keep the acknowledgement of what was just captured
        self.hint.preview(self.session, event.value)

    @on(QuickEntry.Captured, "#entry")
    def _captured(self, event: QuickEntry.Captured) -> None:
        event.stop()
        host = self.host
        if host.finishing:
            # The meeting is on its way into the archive; its live file is about to go.
            self.hold(event.value, "The meeting is being saved into the archive; this line waits.")
            return
        try:
            captured = self.session.capture(event.value)
        except EntryError as error:
            self.hold(event.value, str(error))  # nothing recorded: held, as typed, with the reason
            return
        except StorageError as error:
            # In memory and pending; the bar shows it unsaved until the disk takes it.
            host.storage_problem(error)
            self.hint.error(str(error))
            host.refresh_all()
            return
        self.hint.done(captured.message)
        host.refresh_all()

    def hold(self, line: str, reason: str) -> None:
        """A line Enter could not capture: out of the entry, kept above it with the reason.

        Never back into the entry: a fast typist who has not looked up would type
        the next capture onto its end, and two captures would become one.
        """
        self.session.hold(line, reason)
        self.hint.preview(self.session, "")  # the held line above says it all
        self.query_one(HeldLines).refresh_from(self.session)
        self.host.refresh_keys()
        self.host.facilitate_app.ring()

    def take_back(self) -> None:
        """↑ on the empty line: the newest held line back into the entry, to be fixed."""
        entry = self.entry
        if entry.value or (held := self.session.take_back()) is None:
            return
        entry.take_back(held.line)
        self.hint.error(held.reason, held.line)
        self.query_one(HeldLines).refresh_from(self.session)
        self.host.refresh_keys()

    def saved_again(self) -> None:
        """The disk took what waited: the "not saved" under the entry is no longer true."""
        if self.hint.has_class("-error") and self.hint.error_for is None:
            self.hint.preview(self.session, self.entry.value)

    def action_form(self) -> None:
        """ctrl+y: an action with a form (owner, due date), for when the grammar is in the way."""
        from screens.run_dialogs import ActionForm

        def done(result) -> None:
            if result is None:
                return
            host = self.host
            try:
                item = self.session.add_action(*result)
            except StorageError as error:
                host.storage_problem(error)
            else:
                self.hint.done(f"Action for {item.owner or 'no owner'}")
            host.refresh_all()

        app = self.app
        name = f"action-form-{id(self)}"
        if self._form is None:
            # Kept (installed) while this screen lasts, and emptied for each opening.
            self._form = ActionForm(self.session)
            app.install_screen(self._form, name)
        else:
            self._form.reset()
        app.push_screen(name, done)

    _form: ActionForm | None = None

    def on_unmount(self) -> None:
        if self._form is not None:
            with suppress(ScreenStackError):  # still open as the app closes: it goes with the app
                self.app.uninstall_screen(self._form)
            self._form = None
