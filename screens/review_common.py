"""What the review screens (history, actions, people, the group) share.

`ReviewScreen` waits for the archive, brings the archive's `Review` up to
date in a worker (with progress for a large archive), and runs every change
(an action marked done, two people merged) in a worker too: the archive is
rewritten whole on each change, which takes a while with years of meetings,
and the event loop must never wait for it.

`ChunkedTable` is a `DataTable` filled a chunk at a time: thousands of rows
appear without holding up typing or the screen.
"""

from __future__ import annotations

from time import perf_counter
from typing import Any, Callable, Generic, Sequence, TypeVar

from textual import work
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from facilitate.review import Review
from facilitate.text import plural
from screens.base import BaseScreen
from screens.tables import FittedTable

T = TypeVar("T")
Row = tuple[Sequence[Any], str]
"""A table row's cells and its key."""


class ChunkedTable(FittedTable, Generic[T]):
    """A DataTable that takes its rows a chunk at a time; a new fill abandons the last."""

    FIRST = 80
    """Rows added at once: more than a screen's worth."""
    SLICE = 0.08
    """Seconds of adding rows before the screen gets a turn."""

    class Filled(Message):
        """Every row of the last refresh is in the table."""

        def __init__(self, table: ChunkedTable, total: int) -> None:
            super().__init__()
            self.table = table
            self.total = total

        @property
        def control(self) -> ChunkedTable:
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._generation = 0
        self.filling = False
        """Rows are still being added."""
        self.rows_data: list[T] = []
        """What each row shows, in table order."""

    def refresh_from(self, rows: Sequence[T], to_row: Callable[[T], Row], keep: str | None = None) -> None:
        """Show `rows`; the cursor goes back to the row keyed `keep` if it is still there."""
        self._generation += 1
        if keep is None and self.row_count:
            keep = self.current_key()
        self.rows_data = list(rows)
        self.clear()
        self.filling = True
        self._add(self._generation, 0, to_row, keep)

    def _add(self, generation: int, start: int, to_row: Callable[[T], Row], keep: str | None) -> None:
        if generation != self._generation:
            return
        # The first rows at once; then as many as fit in a slice of time. Each pause
        # costs the table a repaint that grows with its rows, so thousands of rows in
        # small fixed chunks took seconds; a slice keeps keys waiting at most that long.
        rows = self.rows_data
        end, deadline = start, perf_counter() + self.SLICE
        while end < len(rows):
            stop = min(end + (self.FIRST if start == 0 else 50), len(rows))
            for row in rows[end:stop]:
                cells, key = to_row(row)
                self.add_row(*cells, key=key)
            end = stop
            if start == 0 or perf_counter() >= deadline:
                break
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
            keep = None
        if end < len(self.rows_data):
            # The next chunk after a timer, not straight after this one: a message
            # queue that never empties would keep keys and repaints waiting.
            self.set_timer(0.001, lambda: self._add(generation, end, to_row, keep))
        else:
            self.filling = False
            self.post_message(self.Filled(self, len(self.rows_data)))

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # the cursor is beyond the rows
            return None
        return key.value

    def current(self) -> T | None:
        """What the row under the cursor shows."""
        key = self.current_key()
        if key is None:
            return None
        index = self.get_row_index(key)
        return self.rows_data[index] if 0 <= index < len(self.rows_data) else None


class ReviewScreen(BaseScreen):
    """A screen over the archive's review; subclasses show it in `show_review`."""

    DEFAULT_CSS = """
    ReviewScreen #review { padding: 0 1; height: 1fr; }
    ReviewScreen .review-title { height: 1; color: $primary; }
    ReviewScreen .filters { height: 1; margin: 1 0 0 0; }
    ReviewScreen .filter-label { width: auto; padding: 0 1 0 0; color: $text-muted; }
    ReviewScreen .filters Input { width: 1fr; margin: 0 2 0 0; }
    ReviewScreen .filters Select { width: 30; }
    ReviewScreen ChunkedTable { height: 1fr; margin-top: 1; scrollbar-size-vertical: 1; overflow-x: hidden; }
    ReviewScreen .status-line { height: 1; }
    ReviewScreen #status { width: 1fr; color: $text-muted; }
    ReviewScreen #progress { width: 32; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    TYPING_DELAY = 0.12
    """How long typing in a filter rests before the list follows it."""

    review_ready = False
    """The review has caught up with the archive since this screen opened: it can be shown."""
    _typing_timer: Timer | None = None

    def after_typing(self, callback) -> None:
        """Run `callback` once typing has rested: one query per pause, not one per key."""
        self.stop_typing_timer()
        self._typing_timer = self.set_timer(self.TYPING_DELAY, callback)

    def stop_typing_timer(self) -> None:
        if self._typing_timer is not None:
            self._typing_timer.stop()
            self._typing_timer = None

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "archive_state", self._archive_state)

    def _archive_state(self, state: str) -> None:
        if state == "ready":
            self.set_status("Reading the archive…")
            self.load_review()
        elif state == "error":
            self.set_status("The archive could not be opened: see the home screen.")
        else:
            self.set_status("Loading the archive…")

    # -- status and progress (the line `status_line()` makes) ----------------------------------

    def set_status(self, text: str | Content) -> None:
        for status in self.query("#status").results(Static):
            status.update(text if isinstance(text, Content) else Content(text))

    def show_progress(self, done: int, total: int) -> None:
        for bar in self.query(ProgressBar):
            bar.display = done < total
            bar.update(total=total, progress=done)
        if done < total:
            self.set_status(f"Reading the archive: {done:,} of {plural(total, 'meeting')}")

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-load")
    def load_review(self) -> None:
        archive, review = self.archive, self.review
        self.before_refresh(review)
        review.refresh(archive, progress=lambda done, total: self.post(self.show_progress, done, total))
        self.post(self._loaded, review)

    def before_refresh(self, review: Review) -> None:
        """Called in the worker before the review catches up (the history shows its first rows)."""

    def _loaded(self, review: Review) -> None:
        self.review_ready = True
        self.show_progress(1, 1)
        self.show_review()

    def show_review(self) -> None:
        """Show what the review says, with the screen's filters (on the event loop)."""

    # -- changes ------------------------------------------------------------------------------

    def writable(self) -> bool:
        if self.config.read_only:
            self.notify("The archive is open read-only: nothing can be changed.", severity="warning")
            return False
        return self.facilitate_app.archive_state == "ready" and self.review_ready

    @work(thread=True, group="review-write")
    def save(self, change: Callable[[], str]) -> None:
        """Run `change` (which returns what to say) on the archive, then show the result."""
        self.post(self.set_status, "Saving…")
        try:
            message = change()
        except Exception as error:  # a failed save is said, never a crash: nothing was lost
            text = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
            try:
                # Said even if this screen has been left meanwhile.
                self.app.call_from_thread(self.app.notify, str(text) or type(error).__name__, severity="error", timeout=8)
            except RuntimeError:
                pass
            message = ""  # and show what memory holds now (a change the disk refused is kept there)
        review = self.review
        review.refresh(self.archive)
        self.post(self._saved, review, message)

    def _saved(self, review: Review, message: str) -> None:
        self.review_ready = True
        self.show_review()
        if message:
            self.notify(message, timeout=3)

    # -- navigation ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-open")
    def open_meeting(self, meeting_id: str) -> None:
        """Show a meeting's record (read in a worker: the archive may be busy saving)."""
        try:
            meeting = self.archive.meeting(meeting_id)
        except Exception as error:  # a damaged record must not take the app down
            self.post(self.notify, str(error), severity="error")
            return
        if meeting is not None:
            self.post(self._push_summary, meeting)

    def _push_summary(self, meeting) -> None:
        from screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(meeting, from_archive=True))

    def action_back(self) -> None:
        self.app.pop_screen()


def status_line() -> Horizontal:
    """A review screen's last line: what it shows (`set_status`), and a progress bar while the
    archive is read (`show_progress`), hidden until then."""
    progress = ProgressBar(show_eta=False, id="progress")
    progress.display = False
    return Horizontal(Static(id="status"), progress, classes="status-line")
