"""Everyone who has come: organisation, meetings, first and last seen, open actions.

Sorted by name, so two records of one person (a typo, a changed
organisation) sit side by side. Edit a person with e; merge two records with
m on the one to keep, m on the other, and a confirmation. Both are saved at
once in a worker (`Archive.edit_person`, `Archive.merge_people`); a backup of
the archive is kept before a merge.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from facilitate.people import edit_person, merge_people, references
from facilitate.review import PersonStats, Review, name_words
from facilitate.text import clean_line, plural
from screens.base import SteadyFooter
from screens.dialogs import FIELD_KEYS, ConfirmDialog, FieldError
from screens.inputs import OrderedInput
from screens.review_common import ChunkedTable, ReviewScreen, Row, status_line


def person_row(person: PersonStats, keep_id: str | None = None) -> Row:
    name = Text(clean_line(person.name) or "(no name)", overflow="ellipsis", no_wrap=True)
    if person.id == keep_id:
        name.stylize("bold reverse")
    return (
        (
            name,
            Text(clean_line(person.organisation) or "–", overflow="ellipsis", no_wrap=True),
            Text(str(person.meetings), justify="right"),
            Text(person.first_seen or "–"),
            Text(person.last_seen or "–"),
            Text(str(person.open_actions) if person.open_actions else "", justify="right",
                 style="bold red" if person.overdue_actions else ""),  # fmt: skip
        ),
        person.id,
    )


def describe(person: PersonStats) -> str:
    org = f", {clean_line(person.organisation)}" if person.organisation else ""
    meetings = f"{person.meetings} meeting{'s' if person.meetings != 1 else ''}"
    since = f", first {person.first_seen}" if person.first_seen else ""
    return f"“{clean_line(person.name)}”{org} ({meetings}{since})"


def matches(person: PersonStats, words: list[str]) -> bool:
    """Every word typed starts a word of the name or the organisation."""
    mine = name_words(person.name) + name_words(person.organisation)
    return all(any(w.startswith(word) for w in mine) for word in words)


class PersonEditor(ModalScreen[tuple[str, str] | None]):
    """A person's name and organisation; the name cannot be empty."""

    DEFAULT_CSS = """
    PersonEditor { align: center middle; }
    PersonEditor > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    PersonEditor Label { margin-top: 1; }
    PersonEditor .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
        *FIELD_KEYS,
    ]

    def __init__(self, person: PersonStats) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Edit ", "bold"), (clean_line(self.person.name), "bold")))
            yield Label("Name")
            yield OrderedInput(self.person.name, id="name")
            yield FieldError(id="name-error")
            yield Label("Organisation")
            yield OrderedInput(self.person.organisation, id="organisation")
            yield Static(
                Content("The new name shows in every meeting they came to. Enter saves; Esc cancels."),
                classes="hint",
            )

    @on(Input.Submitted, "#name")
    def _next(self) -> None:
        self.query_one("#organisation", Input).focus()

    @on(Input.Submitted, "#organisation")
    def action_save(self) -> None:
        name = self.query_one("#name", Input).value
        if not clean_line(name):
            self.query_one(FieldError).show("A person needs a name.")
            self.query_one("#name", Input).focus()
            return
        self.dismiss((name, self.query_one("#organisation", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PeopleTable(ChunkedTable[PersonStats]):
    """Everyone, by name."""

    WIDTHS = (None, None, 8, 10, 10, 4)


class PeopleScreen(ReviewScreen):
    CSS_PATH = "people.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("m", "merge", "Merge"),
        Binding("slash", "find", "Find", key_display="/"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.find_text = ""
        self.keep: PersonStats | None = None
        """The record to keep, picked first when merging."""
        self._people: list[PersonStats] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Content.from_markup("[b]People[/b]  [dim]everyone who has come[/dim]"), classes="review-title")
            with Horizontal(classes="filters"):
                yield Label("Find", classes="filter-label")
                yield OrderedInput(placeholder="name or organisation", id="find", compact=True)
            yield PeopleTable(id="people")
            yield Static(id="merge-banner")
            yield status_line()
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#merge-banner", Static).display = False
        table = self.query_one(PeopleTable)
        for label in ("Name", "Organisation", "Meetings", "First", "Last", "Open"):
            table.add_column(label)
        table.focus()
        super().on_mount()

    # -- showing ------------------------------------------------------------------------------

    def show_review(self) -> None:
        if self.review_ready:
            self._gather(self.review)

    @work(thread=True, exclusive=True, group="people-query")
    def _gather(self, review: Review) -> None:
        people = review.people(self.archive.people(), self.clock.today())
        if not get_current_worker().is_cancelled:
            self.post(self._gathered, people)

    def _gathered(self, people: list[PersonStats]) -> None:
        self._people = people
        if self.keep is not None:
            self.keep = next((p for p in people if p.id == self.keep.id), None)
        self.show_people()

    def show_people(self) -> None:
        words = name_words(self.find_text)
        shown = [p for p in self._people if matches(p, words)] if words else self._people
        keep_id = self.keep.id if self.keep else None
        self.query_one(PeopleTable).refresh_from(shown, lambda person: person_row(person, keep_id))
        total = len(self._people)
        came = sum(1 for p in self._people if p.meetings)
        everyone = plural(total, "person", "people")
        text = f"{everyone}, {came:,} of them at a meeting" if total != came else everyone
        if words:
            text = f"{len(shown):,} of {text}"
        self.set_status(text)
        self._show_banner()

    @on(Input.Changed, "#find")
    def _typed(self, event: Input.Changed) -> None:
        self.find_text = event.value
        self.after_typing(self.show_people)

    @on(Input.Submitted, "#find")
    def _found(self) -> None:
        self.query_one(PeopleTable).focus()

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()

    def action_back(self) -> None:
        if self.keep is not None:
            self.keep = None
            self.show_people()
            return
        if not isinstance(self.focused, PeopleTable):
            self.query_one(PeopleTable).focus()
            return
        super().action_back()

    # -- editing --------------------------------------------------------------------------------

    def _current(self) -> PersonStats | None:
        person = self.query_one(PeopleTable).current()
        if person is None:
            self.notify("Nobody chosen.")
        return person

    def action_edit(self) -> None:
        person = self._current()
        if person is None or not self.writable():
            return

        def edited(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            name, organisation = result
            self.save(lambda: self._edit(person, name, organisation))

        self.app.push_screen(PersonEditor(person), edited)

    def _edit(self, person: PersonStats, name: str, organisation: str) -> str:
        changed = edit_person(self.archive, person.id, name, organisation)
        meetings = f" in {changed} meeting{'s' if changed != 1 else ''}" if changed else ""
        return f"Saved {clean_line(name)}{meetings}."

    # -- merging --------------------------------------------------------------------------------

    def _show_banner(self) -> None:
        banner = self.query_one("#merge-banner", Static)
        if self.keep is None:
            banner.display = False
            return
        banner.update(
            Content.assemble(
                ("Merging: ", "bold"),
                f"keep {describe(self.keep)}. Pick the other record of them and press m. Esc stops.",
            )
        )
        banner.display = True

    def action_merge(self) -> None:
        person = self._current()
        if person is None or not self.writable():
            return
        if self.keep is None:
            self.keep = person
            self.show_people()
            return
        keep = self.keep
        if person.id == keep.id:
            self.notify("That is the record to keep: pick the other one.", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.keep = None
                self._show_banner()
                self.save(lambda: self._merge(keep, person))

        self.app.push_screen(
            ConfirmDialog(
                f"Merge {clean_line(person.name)} into {clean_line(keep.name)}?",
                f"{describe(person)} becomes {describe(keep)} everywhere: attendance, actions, rounds and "
                "sessions. Their record is then removed. A backup of the archive is kept first.",
                yes="Merge",
            ),
            confirmed,
        )

    def _merge(self, keep: PersonStats, other: PersonStats) -> str:
        """In the worker: refuse while the meeting in progress knows the other record, back up, merge."""
        if self._in_progress(other.id):
            raise ValueError(f"{clean_line(other.name)} is in the meeting in progress: finish it first, then merge.")
        self.archive.backup()
        changed = merge_people(self.archive, keep.id, other.id)
        return f"Merged into {clean_line(keep.name)} ({changed} meeting{'s' if changed != 1 else ''} changed)."

    def _in_progress(self, person_id: str) -> bool:
        """Whether the meeting in progress (or finished but not yet archived) links to this person:
        merging them away now would bring the record back when that meeting is saved."""
        from facilitate.live import LiveFile, LiveFileError
        from facilitate.session import replay_meeting

        path = self.config.live_path
        if not path.exists():
            return False
        session = self.session_in_progress
        meeting = session.meeting if session is not None else None
        if meeting is None:
            try:
                meeting = replay_meeting(LiveFile.read(path))[0]
            except (LiveFileError, OSError):
                return False
        return references(meeting.to_dict(), {person_id})
