"""Driving the app by keys, as a facilitator would."""

from __future__ import annotations

from typing import Callable

from textual.pilot import Pilot

KEY_NAMES = {" ": "space"}


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key (spaces as the space key, as a keyboard sends them)."""
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


async def paste(pilot: Pilot, text: str) -> None:
    """Paste text into whatever has focus, as a terminal does (one Paste event)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def enter(pilot: Pilot, line: str, *, typed: bool = False) -> None:
    """Put a line into whatever has focus and press Enter.

    The first character is typed as a key (it is what opens captures), the
    rest pasted, which keeps long meetings quick to test; `typed` types it all.
    """
    if typed:
        await type_text(pilot, line)
    else:
        await type_text(pilot, line[:1])
        if line[1:]:
            await paste(pilot, line[1:])
    await pilot.press("enter")
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], object], what: str, *, polls: int = 3000) -> None:
    """Let the app run until `condition()` holds: the effect, not a guess at how long it takes.

    Fails naming `what` if it never holds (`polls` turns of at least 10 ms each: generous,
    for a busy machine).
    """
    for _ in range(polls):
        await pilot.pause()
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def countdown(app) -> str:
    """What the run screen's big countdown shows (drawn in block digits, so not in `screen_text`)."""
    return str(app.screen.query_one("#countdown").value)


async def wait_archive(pilot: Pilot) -> None:
    app = pilot.app
    for _ in range(200):
        if app.archive_state != "loading":
            break
        await pilot.pause(0.01)
    await pilot.pause()


def widget_text(app) -> str:
    """The text of every Static on the screen, scrolled into view or not."""
    from io import StringIO

    from rich.console import Console
    from textual.widgets import Static

    console = Console(file=StringIO(), width=app.size.width, color_system=None, legacy_windows=False)
    for widget in app.screen.query(Static):
        content = widget.content
        plain = getattr(content, "plain", None)
        # Plain text printed as it is: never read as markup, which would hide markup shown by mistake.
        console.print(plain if plain is not None else content, markup=False, highlight=False, emoji=False)
    return console.file.getvalue()


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


async def wait_until_quiet(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until every message the app and its widgets were sent has been handled.

    For keys posted as a burst: each may bubble from widget to screen to app,
    so this waits for the whole app to have nothing left to do, twice in a row.
    """
    import time

    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        assert time.monotonic() < deadline, "the app never went quiet"
        await pilot.pause()
        router = getattr(app, "keys", None)
        busy = any(node._message_queue.qsize() for node in [app, *list(app._registry)]) or (
            router is not None and not router.idle
        )
        quiet = 0 if busy else quiet + 1
