"""Finishing a meeting from the run screen: into the archive, then the summary.

The archive is written in a worker, so the screen stays live while it is; the
live file goes only once the archive holds the meeting, so a crash at any point
leaves the meeting in one or the other. A failure says what is true of the live
file and leaves the meeting open, for ctrl+f to try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitate.archive import ArchiveError
from facilitate.clock import format_duration
from facilitate.session import MeetingSession
from facilitate.storage.errors import StorageError, describe_os_error
from facilitate.text import plural
from screens.dialogs import ConfirmDialog
from screens.run_widgets import StorageNotice

if TYPE_CHECKING:
    from screens.app import FacilitateApp
    from screens.run import RunScreen


def confirm_finish(screen: RunScreen) -> None:
    """ctrl+f: what the record holds so far, and a yes before it goes into the archive."""
    session = screen.session
    meeting = session.meeting
    detail = (
        f"{plural(len(meeting.attendees), 'person', 'people')}, {plural(len(meeting.actions), 'action')}, "
        f"{plural(len(meeting.decisions), 'decision')}, {plural(len(meeting.notes), 'note')}. "
        f"{format_duration(session.meeting_elapsed())} so far. "
        "The record goes into the archive; you can still read and export it."
    )

    def finish_if(yes: bool | None) -> None:
        if yes:
            finish(screen)

    screen.app.push_screen(ConfirmDialog("Finish the meeting?", detail, yes="Finish"), finish_if)


def finish(screen: RunScreen) -> None:
    """The meeting ends (its live file says so) and goes into the archive in a worker."""
    screen.finishing = True
    screen.refresh_bindings()
    try:
        screen.session.finish()
    except StorageError as error:
        screen.storage_problem(error)  # the meeting still goes to the archive from memory below
    screen.notify("Saving the meeting into the archive…", timeout=2)
    if screen.phones.running:
        screen.run_worker(screen.phones.stop(), group="phones")  # the meeting has ended: phones too
    screen.run_worker(lambda: _save(screen), thread=True, exclusive=True, group="finish")


def _save(screen: RunScreen) -> None:
    app = screen.facilitate_app
    try:
        finish_into_archive(app, screen.session)
    except StorageError as error:
        reason = describe_os_error(error.cause) if error.cause is not None else str(error).rstrip(".")
        app.call_from_thread(_failed, screen, reason)
        return
    except ArchiveError as error:
        app.call_from_thread(_failed, screen, str(error).rstrip("."))
        return
    app.call_from_thread(_finished, screen)


def finish_into_archive(app: FacilitateApp, session: MeetingSession) -> None:
    """Put a finished meeting into the archive, then retire its live file (in a worker)."""
    archive = app.archive
    archive.open()
    if app.archive_state != "ready":
        app.call_from_thread(setattr, app, "archive_state", "ready")
    archive.backup()
    archive.save_meeting(session.meeting)
    if session.live is not None:
        session.live.remove()
    # And the archive as it is now, so that the newest backup holds this meeting too.
    archive.backup(copy=True)


def _failed(screen: RunScreen, reason: str) -> None:
    screen.finishing = False
    screen.refresh_bindings()
    # Say only what is true of the live file: changes the disk refused are in memory alone.
    waiting = screen.session.unsaved
    if waiting:
        where = (
            f"{waiting} change{'s are' if waiting != 1 else ' is'} only in memory, not yet in its live file: "
            "keep facilitate open until the disk takes them, then ctrl+f tries again."
        )
    else:
        where = "Everything captured is in its live file; ctrl+f tries again."
    screen.notify(
        f"The meeting is finished but not yet in the archive ({reason}). {where}",
        severity="error",
        timeout=15,
        markup=False,  # the reason names a path, which may hold anything
    )
    screen.query_one(StorageNotice).refresh_from(screen.session)


def _finished(screen: RunScreen) -> None:
    from screens.summary import SummaryScreen

    app = screen.app
    meeting = screen.session.meeting
    held = list(screen.session.held)
    screen.session_in_progress = None
    # "Saving…" (and any passing notice) is over: the summary says it is saved.
    app.clear_notifications()
    app.switch_screen(SummaryScreen(meeting))
    for line in held:
        # Typed while the meeting was being saved, or never fixed: said, not dropped in silence.
        app.notify(f"Not captured: {line.line}", title="Not in the record", severity="warning", timeout=30, markup=False)
