"""Dialogs over the run screen: action form, who is here, captured items, rebalancing an
overrun. (A kind's own dialogs are in its module, `screens/kinds/`.)"""

from __future__ import annotations

from datetime import date
from typing import Callable, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitate import kinds
from facilitate.dates import DueDate, DueDateError, parse_due, short_date
from facilitate.export.markdown import context_key
from facilitate.models import ACTION
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession
from facilitate.storage.errors import StorageError
from facilitate.text import clean_block, clean_line, plural
from screens.base import SteadyFooter
from screens.dialogs import DIALOG_CSS, FIELD_KEYS, ConfirmDialog, FieldError, TextPrompt
from screens.inputs import OrderedInput

FORM_CSS = DIALOG_CSS.replace("width: 80;", "width: 76;", 1)
"""The look of the run screen's own forms: the dialogs' look, four columns narrower."""
assert FORM_CSS != DIALOG_CSS

LIST_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 100; max-width: 98%; height: 90%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} .title {{ text-style: bold; margin: 0 0 1 0; }}
{name} DataTable {{ height: 1fr; }}
"""


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _due_field(value: str, today: date) -> tuple[DueDate | None, str]:
    if not value.strip():
        return None, ""
    try:
        return parse_due(value, today), ""
    except DueDateError as error:
        return None, str(error)


class ActionForm(ModalScreen["tuple[str, str, DueDate | None] | None"]):
    """An action in three fields: what, who, by when."""

    DEFAULT_CSS = FORM_CSS.format(name="ActionForm")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]
    PARTS: ClassVar[tuple[type[Widget], ...]] = (Vertical, Horizontal, Static, Label, OrderedInput, FieldError, Button)
    """The classes of widget it is made of (their styles can be made ready before it first opens)."""

    def __init__(
        self, session: MeetingSession, text: str = "", owner: str = "", due: str = "", *, editing: bool = False
    ) -> None:
        super().__init__()
        self.session = session
        self.values = (text, owner, due)
        self.editing = editing
        """Changing an action already captured (the button says so), not adding one."""

    def _names(self) -> list[str]:
        """Who the Who field suggests: the people here, then everyone known."""
        return [a.name for a in self.session.meeting.present] + [p.name for p in self.session.directory.people]

    def compose(self) -> ComposeResult:
        names = self._names()
        with Vertical():
            yield Static(Content("Edit the action" if self.editing else "A new action"), classes="title")
            yield Label("What")
            yield OrderedInput(self.values[0], id="what")
            yield FieldError(id="what-error")
            yield Label("Who")
            yield OrderedInput(self.values[1], id="who", suggester=SuggestFromList(names, case_sensitive=False))
            yield Static(classes="hint", id="who-hint")
            yield Label("By when")
            yield OrderedInput(self.values[2], id="due", placeholder="fri, next tue, in 2 weeks, 3 Dec, 3/12")
            yield Static(classes="hint", id="due-hint")
            yield FieldError(id="due-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save changes" if self.editing else "Add action", id="save", variant="primary")

    def reset(self) -> None:
        """Empty again for the next action, suggesting who is here now, the cursor in What.

        The run screen keeps one form and opens it again for each ctrl+y
        (`CaptureArea.action_form`): composing and styling a new one was most of
        the time a dialog took to appear, and ctrl+y is the dialog a meeting opens
        most. Typed keys already wait for an opening dialog (`screens.keys`)."""
        for field in self.query(Input):
            field.value = ""
        for error in self.query(FieldError):
            error.clear()
        for hint in self.query(".hint").results(Static):
            hint.update("")
        self.query_one("#who", Input).suggester = SuggestFromList(self._names(), case_sensitive=False)
        self.set_focus(self.query_one("#what", Input))

    @on(Input.Changed, "#who")
    def _who(self, event: Input.Changed) -> None:
        name, person_id = self.session.resolve_owner_quiet(event.value)
        hint = self.query_one("#who-hint", Static)
        if not name:
            hint.update("")
        elif person_id is not None:
            hint.update(Content(f"{name}"))
        else:
            hint.update(Content(f"{name} (not here; kept as a name)"))

    @on(Input.Changed, "#due")
    def _due(self, event: Input.Changed) -> None:
        due, _problem = _due_field(event.value, self.session.clock.today())
        self.query_one("#due-error", FieldError).clear()
        hint = self.query_one("#due-hint", Static)
        hint.update(Content(due.describe(self.session.clock.today())) if due else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = clean_block(self.query_one("#what", Input).value)
        owner = clean_line(self.query_one("#who", Input).value)
        due, problem = _due_field(self.query_one("#due", Input).value, self.session.clock.today())
        ok = True
        if not text:
            self.query_one("#what-error", FieldError).show("Say what the action is")
            self.query_one("#what", Input).focus()
            ok = False
        else:
            self.query_one("#what-error", FieldError).clear()
        if problem:
            self.query_one("#due-error", FieldError).show(problem)
            if ok:
                self.query_one("#due", Input).focus()
            ok = False
        if ok:
            self.dismiss((text, owner, due))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PersonForm(ModalScreen["tuple[str, str] | None"]):
    """A person's name and organisation."""

    DEFAULT_CSS = FORM_CSS.format(name="PersonForm")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, title: str, name: str = "", organisation: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.values = (name, organisation)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="title")
            yield Label("Name")
            yield OrderedInput(self.values[0], id="name")
            yield FieldError(id="name-error")
            yield Label("Organisation")
            yield OrderedInput(self.values[1], id="organisation")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = clean_line(self.query_one("#name", Input).value)
        if not name:
            self.query_one("#name-error", FieldError).show("A name is needed")
            return
        self.dismiss((name, clean_line(self.query_one("#organisation", Input).value)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SessionList(ModalScreen[None]):
    """A list over the meeting that changes it through the session and redraws."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session

    def action_close(self) -> None:
        self.dismiss(None)

    def do(self, call: Callable[..., object], *args: object) -> bool:
        """Run a session operation (as the run screen's `do`); a problem is shown, never raised;
        then refill the list. False when the session refused it."""
        try:
            call(*args)
        except EntryError as error:
            self.notify(str(error), severity="error")
            return False
        except StorageError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
        self.fill()
        return True

    COLUMNS: tuple[str, ...] = ()
    ENTER = ""
    """The action Enter on a row runs (the table takes Enter itself, as a row selection)."""

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        if self.ENTER:
            getattr(self, f"action_{self.ENTER}")()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(classes="title")
            yield DataTable(cursor_type="row", zebra_stripes=True)
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.COLUMNS)
        self.fill()
        table.focus()

    def fill(self) -> None:
        """Redraw the rows (keeping the cursor's place) and the title."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        rows = self.rows()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one(".title", Static).update(Content(self.title_text()))

    def rows(self) -> list[tuple[str, list[Text]]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def title_text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value


class WhoIsHere(SessionList):
    """Everyone registered: add, edit, mark as left (or back), remove a mistake."""

    DEFAULT_CSS = LIST_CSS.format(name="WhoIsHere")
    BINDINGS = [
        Binding("plus,a", "add", "Add person"),
        Binding("e", "edit", "Edit"),
        Binding("l", "left", "Left / back"),
        Binding("delete,x", "remove", "Remove (a mistake)"),
        Binding("escape,q", "close", "Close"),
    ]

    COLUMNS = ("Name", "Organisation", "New", "Arrived", "Left")
    ENTER = "edit"

    def rows(self) -> list[tuple[str, list[Text]]]:
        return [
            (
                attendee.person_id,
                [
                    Text(clean_line(attendee.name)),
                    Text(clean_line(attendee.organisation)),
                    Text("new" if attendee.new else ""),
                    Text(attendee.arrived_at[11:16]),
                    Text((attendee.left_at or "")[11:16]),
                ],
            )
            for attendee in self.session.meeting.attendees
        ]

    def title_text(self) -> str:
        meeting = self.session.meeting
        present = len(meeting.present)
        new = sum(1 for a in meeting.present if a.new)
        return f"Who is here: {present} present, {new} new, {len(meeting.attendees) - present} left"

    def action_add(self) -> None:
        def done(result) -> None:
            if result is not None:
                self.do(self.session.arrive, *result)

        self.app.push_screen(PersonForm("Someone arrives"), done)

    def action_edit(self) -> None:
        person_id = self.selected_key()
        attendee = self.session.meeting.attendee(person_id)
        if attendee is None:
            return

        def done(result) -> None:
            if result is not None:
                self.do(self.session.edit_person, attendee.person_id, *result)

        self.app.push_screen(PersonForm("Edit", attendee.name, attendee.organisation), done)

    def action_left(self) -> None:
        attendee = self.session.meeting.attendee(self.selected_key())
        if attendee is None:
            return
        if attendee.present:
            self.do(self.session.leave, attendee.person_id)
        else:
            self.do(self.session.arrive, attendee.name, attendee.organisation)

    def action_remove(self) -> None:
        attendee = self.session.meeting.attendee(self.selected_key())
        if attendee is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.do(self.session.remove_person, attendee.person_id)

        self.app.push_screen(
            ConfirmDialog(
                f"Remove {attendee.name}?",
                "For someone registered by mistake. Someone who went home: press l instead.",
                yes="Remove",
            ),
            answer,
        )


class CapturedItems(SessionList):
    """Every note, decision and action of this meeting: edit or delete."""

    DEFAULT_CSS = LIST_CSS.format(name="CapturedItems")
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("delete,x", "delete", "Delete"),
        Binding("escape,q", "close", "Close"),
    ]

    COLUMNS = ("Kind", "Owner", "Due", "From", "Text")
    """The text comes last: a long one runs off the edge (e shows it whole) and never pushes
    the owner, the due date or where it came from out of sight."""
    ENTER = "edit"

    def rows(self) -> list[tuple[str, list[Text]]]:
        meeting = self.session.meeting
        today = self.session.clock.today()
        result = []
        for item in meeting.items:
            due = short_date(item.due, today) if item.due else ""
            if item.due_not_understood:
                due = f"⚠ “{clean_line(item.due_text)}” not understood"
            result.append(
                (
                    item.id,
                    [
                        Text(item.kind),
                        Text(_clip(clean_line(item.owner), 20)),
                        Text(due),
                        Text(_clip(self.where(item), 32)),
                        Text(_clip(clean_line(item.text), 120)),
                    ],
                )
            )
        return result

    def where(self, item) -> str:
        """The segment a capture came from, and its open space session or Lean Coffee topic."""
        segment = self.session.meeting.segment_by_id(item.segment_id)
        if segment is None:
            return ""
        label = segment.name
        key = context_key(item)
        home = kinds.get(segment.kind).item_home(segment, key) if key else None
        if home is not None:
            label += f": {home.title}"
        return clean_line(label)

    def title_text(self) -> str:
        meeting = self.session.meeting
        return (
            f"Captured: {plural(len(meeting.actions), 'action')}, {plural(len(meeting.decisions), 'decision')}, "
            f"{plural(len(meeting.notes), 'note')}"
        )

    def action_edit(self) -> None:
        item = self.session.meeting.item(self.selected_key() or "")
        if item is None:
            return
        if item.kind == ACTION:
            form = ActionForm(self.session, item.text, item.owner, item.due_text or item.due or "", editing=True)

            def done(result) -> None:
                if result is None:
                    return
                text, owner, due = result
                name, owner_id = self.session.resolve_owner_quiet(owner)
                self.do(
                    lambda: self.session.edit_item(
                        item.id,
                        text=text,
                        owner=name,
                        owner_id=owner_id,
                        due=due.date.isoformat() if due else None,
                        due_text=due.text if due else "",
                    )
                )

            self.app.push_screen(form, done)
            return

        def edited(value: str | None) -> None:
            if value is not None:
                self.do(lambda: self.session.edit_item(item.id, text=value))

        self.app.push_screen(
            TextPrompt(
                f"Edit the {item.kind}",
                item.text,
                validate=lambda v: "" if clean_block(v) else "The text is empty",
            ),
            edited,
        )

    def action_delete(self) -> None:
        item = self.session.meeting.item(self.selected_key() or "")
        if item is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.do(self.session.delete_item, item.id)

        preview = clean_line(item.text)
        preview = preview[:80] + ("…" if len(preview) > 80 else "")
        self.app.push_screen(ConfirmDialog(f"Delete this {item.kind}?", preview, yes="Delete"), answer)


class Rebalance(ModalScreen["int | None"]):
    """Take an overrun from later segments: shorten them, or skip one."""

    DEFAULT_CSS = (
        FORM_CSS.format(name="Rebalance")
        + """
    Rebalance OptionList { height: auto; max-height: 16; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, choices: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield OptionList(*[Option(Text(label), id=str(i)) for i, label in enumerate(self.choices)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


def rebalance(host) -> None:
    """F3: running over, take the time from later segments (shorten them, or skip one)."""
    from facilitate.clock import format_duration
    from facilitate.rebalance import apply_option, rebalance_options

    options = rebalance_options(host.session)
    if not options:
        host.notify("The meeting is on time: nothing to rebalance.")
        return
    drift = format_duration(host.session.drift())

    def chosen(index: int | None) -> None:
        if index is not None:
            host.do(apply_option, host.session, options[index])
            host.notify(f"Agenda changed: {options[index].label}", timeout=4, markup=False)

    heading = f"The meeting would end {drift} late. Take the time from:"
    host.app.push_screen(Rebalance(heading, [o.label for o in options]), chosen)


def add_segment(host) -> None:
    """F7: a segment the plan did not have, straight after this one: ctrl+n goes to it."""
    from screens.plan_dialogs import FormatPicker

    formats = host.formats

    def chosen(format_id: str | None) -> None:
        host.focus_entry()
        if format_id is None or format_id not in formats:
            return
        segment = formats[format_id].segment()
        host.do(host.session.insert_segment, segment)
        if any(s.id == segment.id for s in host.session.meeting.segments):
            host.notify(
                f"Added after this one: {segment.name} ({segment.planned / 60:g} min). ctrl+n goes to it.", markup=False
            )

    host.app.push_screen(FormatPicker(formats, heading="Add a segment after this one"), chosen)
