"""The meeting's record as markdown: a rendered preview, copy to the clipboard, save to a file.

`RecordScreen` shows the page `facilitate.export.markdown` makes, rendered
by Textual's `Markdown` widget, so the facilitator sees what the wiki will
show. `copy_record` and `save_record` are shared with the summary screen,
which offers the same keys. Rendering and writing run in worker threads.

Copying uses `App.copy_to_clipboard` (the OSC 52 escape sequence). Some
terminals ignore it (macOS Terminal, some tmux and SSH setups), and the app
cannot tell; so every copy says so and offers saving to a file instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Markdown, Static

from facilitate.export.markdown import meeting_date, render
from facilitate.export.wiki import page_name
from facilitate.models import Meeting
from facilitate.storage.errors import describe_os_error
from facilitate.storage.files import atomic_write
from facilitate.text import clean_line
from screens.base import BaseScreen, SteadyFooter
from screens.dialogs import FieldError
from screens.inputs import OrderedInput

CLIPBOARD_CAVEAT = (
    "Some terminals ignore clipboard requests; if pasting gives you nothing, press s to save the record as a file."
)


def default_save_path(meeting: Meeting) -> Path:
    """Documents (or home) plus the page's stable name: `~/Documents/2026-11-26-east-icb-open-meeting.md`."""
    home = Path.home()
    documents = home / "Documents"
    return (documents if documents.is_dir() else home) / page_name(meeting)


def display_path(path: Path) -> str:
    """A path as the person would type it: `~/Documents/x.md` rather than the full home folder."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def check_save_path(value: str) -> tuple[Path | None, str]:
    """The file a typed path names, or what is wrong with it (said at the field)."""
    text = value.strip()
    if not text:
        return None, "Type a file name, for example ~/Documents/meeting.md"
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = Path.home() / path
    if path.is_dir():
        return None, f"{display_path(path)} is a folder; add a file name to the end"
    if not path.parent.is_dir():
        return None, f"There is no folder {display_path(path.parent)}"
    if path.exists() and not path.is_file():
        return None, f"{display_path(path)} is not a regular file; choose another name"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return None, f"You cannot write in {display_path(path.parent)}; choose another folder"
    return path, ""


# -- shared with the summary screen -------------------------------------------------------


def copy_record(node: Widget, meeting: Meeting, *, tasks: bool = False) -> None:
    """Render the record in a worker, then put it on the clipboard and say how it went."""

    def export() -> None:
        text = render(meeting, tasks=tasks)
        node.app.call_from_thread(_copied, node, text)

    node.run_worker(export, thread=True, exclusive=True, group="record-copy", name="copy record")


def _copied(node: Widget, text: str) -> None:
    node.app.copy_to_clipboard(text)
    lines = text.count("\n")
    node.notify(
        f"Copied the record as markdown ({lines} lines). {CLIPBOARD_CAVEAT}",
        title="Copied",
        timeout=10,
    )


def save_record(node: Widget, meeting: Meeting, *, tasks: bool = False) -> None:
    """Ask where to save the record (a sensible default offered), then write it."""

    def saved(path: Path | None) -> None:
        if path is not None:
            node.notify(f"Saved the record to {display_path(path)}", title="Saved", timeout=8, markup=False)

    node.app.push_screen(SaveRecordDialog(meeting, tasks=tasks), saved)


class SaveRecordDialog(ModalScreen[Path | None]):
    """Where to save the record. Problems are said at the field and what was typed stays."""

    DEFAULT_CSS = """
    SaveRecordDialog { align: center middle; }
    SaveRecordDialog > Vertical {
        width: 76; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    SaveRecordDialog Label { margin-bottom: 1; }
    SaveRecordDialog .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, meeting: Meeting, *, tasks: bool = False, path: Path | None = None) -> None:
        super().__init__()
        self.meeting = meeting
        self.tasks = tasks
        self.initial = path or default_save_path(meeting)
        self.confirmed: Path | None = None
        """A file that exists and that the person has agreed to replace (Enter twice)."""
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save the record as a markdown file")
            yield OrderedInput(display_path(self.initial), id="save-path")
            yield FieldError(id="save-error")
            yield Static(Content("Enter saves; Escape cancels. The file is readable by you alone."), classes="hint")

    def on_mount(self) -> None:
        field = self.query_one("#save-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Changed, "#save-path")
    def _changed(self) -> None:
        self.confirmed = None
        self.query_one(FieldError).clear()

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.saving:
            return
        path, problem = check_save_path(event.value)
        error = self.query_one(FieldError)
        if path is None:
            error.show(problem)
            return
        if path.exists() and self.confirmed != path:
            self.confirmed = path
            error.show(f"{display_path(path)} already exists. Press Enter again to replace it.")
            return
        error.clear()
        self.saving = True
        self.write(path)

    @work(thread=True, exclusive=True, group="record-save")
    def write(self, path: Path) -> None:
        try:
            atomic_write(path, render(self.meeting, tasks=self.tasks))
        except OSError as error:
            self.app.call_from_thread(self._failed, path, describe_os_error(error))
            return
        self.app.call_from_thread(self.dismiss, path)

    def _failed(self, path: Path, reason: str) -> None:
        self.saving = False
        self.confirmed = None
        self.query_one(FieldError).show(f"Could not save {display_path(path)}: {reason}. Try another place.")

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the preview --------------------------------------------------------------------------


class RecordScreen(BaseScreen):
    """The record rendered as the wiki will show it, with copy and save."""

    CSS_PATH = "record.tcss"
    BINDINGS = [
        Binding("escape,b", "back", "Back"),
        Binding("c", "copy", "Copy"),
        Binding("s", "save", "Save as file"),
        Binding("t", "toggle_tasks", "Task list"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting
        self.tasks = False
        self.markdown: str | None = None
        """The page as last rendered, once the worker has made it."""

    def compose(self) -> ComposeResult:
        when = meeting_date(self.meeting)
        yield Static(
            Content.assemble(
                ("The record", "bold"),
                "  ",
                (clean_line(self.meeting.title) or "Untitled meeting", ""),
                (f" · {when}" if when else "", "$text-muted"),
                ("\nAs your wiki will show it. c copies the markdown, s saves it as a file.", "$text-muted"),
            ),
            id="record-title",
        )
        with VerticalScroll(id="record-scroll"):
            yield Markdown("*Preparing the record…*", id="record", open_links=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#record-scroll").focus()
        self.render_record()

    @work(thread=True, exclusive=True, group="record-render")
    def render_record(self) -> None:
        text = render(self.meeting, tasks=self.tasks)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> AwaitComplete:
        self.markdown = text
        return self.query_one("#record", Markdown).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_copy(self) -> None:
        copy_record(self, self.meeting, tasks=self.tasks)

    def action_save(self) -> None:
        save_record(self, self.meeting, tasks=self.tasks)

    def action_toggle_tasks(self) -> None:
        self.tasks = not self.tasks
        self.notify("Task list added to the actions." if self.tasks else "Task list removed.", timeout=3)
        self.render_record()
