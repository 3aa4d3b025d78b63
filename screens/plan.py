"""Planning a meeting: title, series, facilitator, start time and the agenda."""

from __future__ import annotations

import copy
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from facilitate import kinds
from facilitate.clock import format_minutes
from facilitate.planning import (
    PlanError,
    agenda_from_plan,
    default_agenda,
    new_meeting,
    parse_start,
    plan_from_agenda,
    totals,
)
from facilitate.session import MeetingSession
from facilitate.storage.errors import StorageError
from screens.agenda_editor import AgendaEditor
from screens.base import BaseScreen, SteadyFooter
from screens.dialogs import FIELD_KEYS, FieldError
from screens.inputs import OrderedInput
from screens.plan_dialogs import FormatPicker, SegmentEditor, SeriesHint


class SeriesInput(OrderedInput):
    """The series field: type a new name, or ↓ for the list of existing series."""

    BINDINGS = [Binding("down", "pick", "Pick a series", key_display="↓")]

    class PickRequested(Message):
        """The facilitator wants to choose from the existing series."""

    def action_pick(self) -> None:
        self.post_message(self.PickRequested())


class PlanScreen(BaseScreen):
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        # Not a priority binding: it runs after the keys typed before it, so a
        # title typed fast is all in before the meeting starts.
        Binding("ctrl+s", "start", "Start meeting"),
        Binding("escape", "back", "Back"),
        *FIELD_KEYS,
    ]

    HELP_SECTIONS = (("Keys on the agenda (Tab to it)", AgendaEditor),)
    """F1 lists the agenda's keys too, wherever the focus is."""

    def __init__(self) -> None:
        super().__init__()
        self.series_names: list[str] = []
        self.agenda_touched = False
        """The person has edited the agenda; a series' plan no longer replaces it."""
        self.loaded_plan_for = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="plan"):
            yield Static(Content.from_markup("[b]Plan a meeting[/b]"), id="plan-title")
            with Horizontal(classes="field"):
                yield Label("Title", classes="label")
                with Vertical(classes="control"):
                    yield OrderedInput(placeholder="e.g. November open meeting", id="title")
                    yield FieldError(id="title-error")
            with Horizontal(classes="field"):
                yield Label("Series", classes="label")
                with Vertical(classes="control"):
                    yield SeriesInput(placeholder="A new name, or ↓ to pick one (→ completes)", id="series")
                    yield SeriesHint(id="series-hint", classes="hint")
            with Horizontal(classes="field"):
                yield Label("Facilitator", classes="label")
                with Vertical(classes="control"):
                    yield OrderedInput(placeholder="Your name", id="facilitator")
            with Horizontal(classes="field"):
                yield Label("Start", classes="label")
                with Vertical(classes="control"):
                    yield OrderedInput("now", id="start")
                    yield Static(id="start-hint", classes="hint")
                    yield FieldError(id="start-error")
            yield Static(
                Content.from_markup(
                    "[b]Agenda[/b]  [dim]a add · x remove · ctrl+↑/↓ move · ←/→ minutes · e edit[/dim]"
                ),
                id="agenda-title",
            )
            yield AgendaEditor(default_agenda(self.formats), id="agenda")
            yield FieldError(id="agenda-error")
            with Horizontal(id="plan-footer"):
                yield Static(id="totals")
                yield Button("Start meeting  ctrl+s", id="start-button", variant="primary")
        yield SteadyFooter()

    def on_mount(self) -> None:
        draft = self.facilitate_app.plan_draft
        if draft is not None:
            self.facilitate_app.plan_draft = None
            self.restore(draft)
        self.watch(self.app, "archive_state", self._archive_state_changed)
        self.query_one("#title", Input).focus()
        self.update_totals()

    def _archive_state_changed(self, state: str) -> None:
        if state != "ready":
            self.query_one(SeriesHint).refresh_from("", [])
            return
        self.series_names = self.archive.series_names()
        series = self.query_one("#series", Input)
        series.suggester = SuggestFromList(self.series_names, case_sensitive=False)
        self.query_one(SeriesHint).refresh_from(series.value, self.series_names)
        if series.value:
            self.maybe_load_plan(series.value)

    # -- fields ------------------------------------------------------------------------

    @on(SeriesInput.PickRequested)
    def _pick_series(self) -> None:
        from screens.dialogs import PickOne

        if not self.series_names:
            self.notify("No series yet: type a name to start one.")
            return
        series = self.query_one("#series", Input)

        def chosen(name: str | None) -> None:
            if name is not None:
                series.value = name
                series.cursor_position = len(name)
            series.focus()

        self.app.push_screen(PickOne("Pick a series", [(n, n) for n in self.series_names]), chosen)

    @on(Input.Changed, "#series")
    def _series_changed(self, event: Input.Changed) -> None:
        self.query_one(SeriesHint).refresh_from(event.value, self.series_names)
        self.maybe_load_plan(event.value)

    def maybe_load_plan(self, series: str) -> None:
        if self.facilitate_app.archive_state != "ready" or self.agenda_touched:
            return
        key = series.strip().casefold()
        if not key or key == self.loaded_plan_for:
            return
        plan = self.archive.plan(series.strip())
        if plan is None or not plan.agenda:
            return
        agenda, missing = agenda_from_plan(plan, self.formats)
        if not agenda:
            return
        self.loaded_plan_for = key
        self.query_one(AgendaEditor).refresh_from(agenda)
        facilitator = self.query_one("#facilitator", Input)
        if not facilitator.value and plan.facilitator:
            facilitator.value = plan.facilitator
        note = "Agenda from the series' last meeting."
        if missing:
            note += f" Formats no longer available were left out: {', '.join(missing)}."
        # From the review distilled when the archive loaded (caught up, not read again):
        # decoding the series' meetings here would hold the screen with years of them.
        review = self.review
        review.refresh(self.archive)
        open_actions = len(review.actions(series=plan.name))
        # What each kind would have the facilitator know (actions to review, topics waiting).
        note += "".join(kind.series_note(plan, agenda, open_actions) for kind in kinds.all_kinds())
        self.notify(note, timeout=10)
        self.update_totals()

    @on(Input.Changed, "#start")
    def _start_changed(self) -> None:
        self.query_one("#start-error", FieldError).clear()
        self.update_totals()

    @on(Input.Changed, "#title")
    def _title_changed(self) -> None:
        self.query_one("#title-error", FieldError).clear()

    def start_time(self) -> datetime | None:
        try:
            return parse_start(self.query_one("#start", Input).value, self.clock.now())
        except PlanError:
            return None

    def update_totals(self) -> None:
        agenda = self.query_one(AgendaEditor).segments
        start = self.start_time()
        result = totals(agenda, start)
        hint = self.query_one("#start-hint", Static)
        if start is not None:
            hint.update(Content(f"{start:%a} {start.day} {start:%b}, {start:%H:%M}"))
        else:
            hint.update(Content("Not a time yet: now, 10:30, 2pm, 26/11 10:30"))
        text = f"{result.segments} segment{'s' if result.segments != 1 else ''} · {format_minutes(result.planned)}"
        if start is not None and result.end is not None:
            text += f" · {start:%H:%M} → {result.end:%H:%M}"
        self.query_one("#totals", Static).update(Content(text))

    # -- the agenda ------------------------------------------------------------------------

    @on(AgendaEditor.Changed)
    def _agenda_changed(self) -> None:
        self.agenda_touched = True
        self.query_one("#agenda-error", FieldError).clear()
        self.update_totals()

    @on(AgendaEditor.AddRequested)
    def action_add_segment(self) -> None:
        def add(format_id: str | None) -> None:
            if format_id is None:
                return
            editor = self.query_one(AgendaEditor)
            editor.insert(self.formats[format_id].segment())
            editor.focus()

        self.app.push_screen(FormatPicker(self.formats), add)

    @on(AgendaEditor.EditRequested)
    def _edit_segment(self, event: AgendaEditor.EditRequested) -> None:
        editor = self.query_one(AgendaEditor)
        index = event.index

        def done(segment) -> None:
            if segment is not None:
                editor.replace(index, segment)
            editor.focus()

        self.app.push_screen(SegmentEditor(editor.segments[index]), done)

    # -- starting ------------------------------------------------------------------------------

    @on(Button.Pressed, "#start-button")
    def action_start(self) -> None:
        if self.session_in_progress is not None or self.config.live_path.exists():
            self.notify("A meeting is already in progress: resume it from the home screen.", severity="error")
            return
        fields = {"title": "#title", "start": "#start", "agenda": "#agenda"}
        problems: dict[str, str] = {}
        try:
            start = parse_start(self.query_one("#start", Input).value, self.clock.now())
        except PlanError as error:
            problems[error.field] = str(error)
            start = self.clock.now()
        try:
            meeting = new_meeting(
                title=self.query_one("#title", Input).value,
                series=self.query_one("#series", Input).value,
                facilitator=self.query_one("#facilitator", Input).value,
                start=start,
                agenda=self.query_one(AgendaEditor).segments,
            )
        except PlanError as error:
            problems[error.field] = str(error)
        # Every problem at its field at once; the typed text stays as it is.
        for field, message in problems.items():
            self.query_one(f"{fields[field]}-error", FieldError).show(message)
        if problems:
            first = next(field for field in fields if field in problems)
            self.query_one(fields[first]).focus()
            return
        directory = self.archive.directory() if self.facilitate_app.archive_state == "ready" else None
        try:
            session = MeetingSession.begin(
                meeting,
                self.clock,
                self.config.live_path,
                directory,
                self.config.rng,
                series_archive=self.facilitate_app.series_archive(),
            )
        except StorageError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.session_in_progress = session
        if meeting.series:
            self.save_plan(plan_from_agenda(meeting.series, meeting.segments, meeting.facilitator))
        from screens.run import RunScreen

        # The plan's notices (the agenda loaded, carried topics) have done their job.
        self.app.clear_notifications()
        self.app.switch_screen(RunScreen(session))

    @work(thread=True, group="save-plan")
    def save_plan(self, plan) -> None:
        if self.facilitate_app.archive_state != "ready":
            return
        try:
            self.archive.save_plan(plan)
        except Exception as error:  # a disk problem or any other: the meeting runs regardless
            self.app.call_from_thread(self.app.notify, f"The series' plan was not saved: {error}", severity="warning")

    def action_back(self) -> None:
        """Back home; what was typed is kept for the next new meeting of this session."""
        draft = self.draft()
        self.facilitate_app.plan_draft = draft
        if draft is not None:
            self.notify("The plan so far is kept: n brings it back.", timeout=4)
        self.app.pop_screen()

    FIELDS = ("title", "series", "facilitator", "start")

    def draft(self) -> dict | None:
        """The fields and agenda as typed, or None if nothing differs from a fresh plan."""
        values = {name: self.query_one(f"#{name}", Input).value for name in self.FIELDS}
        typed = any(values[name].strip() for name in ("title", "series", "facilitator"))
        if not typed and values["start"].strip() in ("", "now") and not self.agenda_touched:
            return None
        return {
            "values": values,
            "segments": [copy.deepcopy(s) for s in self.query_one(AgendaEditor).segments],
            "agenda_touched": self.agenda_touched,
            "loaded_plan_for": self.loaded_plan_for,
        }

    def restore(self, draft: dict) -> None:
        self.agenda_touched = draft["agenda_touched"]
        self.loaded_plan_for = draft["loaded_plan_for"]
        for name, value in draft["values"].items():
            field = self.query_one(f"#{name}", Input)
            field.value = value
            field.cursor_position = len(value)
        self.query_one(AgendaEditor).refresh_from(draft["segments"])
