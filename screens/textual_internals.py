"""Textual's internals that facilitate uses, each in one place, where Textual has no public way.

Every name here reaches into a private attribute or method of Textual (pinned
below its next major version in pyproject.toml). `tests/app/test_textual_internals.py`
exercises each one against the installed Textual, so a Textual release that
renames or changes one fails that test, naming the function, rather than
breaking a screen at run time. Why each is needed:

- `queued` and `closing`, `mounted`: the key router (`screens.keys`) waits
  until a key has been handled with everything it caused, and Textual's message
  queues do not say whether they are busy or whether a node is going away.
- `report_error`: what Textual does with an exception in a handler (show it
  and close the app), for an error in the key router's own task.
- `bindings_of`: a widget's own key bindings with the user's keymap applied, so
  that editing keys can run in order with typed characters (Textual issue 6605,
  see `screens.upstream`).
- `restart_blink`, `replace_as_typed`: what `Input` and `TextArea` do for a
  typed key (keep the cursor shown; an edit that undo groups as typing).
- `suggestion_shown`: the completion `Input` is showing, for tab to accept.
- `prepare_default_styles`: a widget's default CSS is parsed when the first
  widget of its class is mounted, which made the first opening of a dialog
  over the run screen the slowest by far; this parses it beforehand, while
  the meeting is idle, the way mounting would.
- `remeasure`, `row_label_width`, `rows_height`: a `DataTable` with fixed
  column widths sets its own size instead of measuring every cell of every
  row (thousands of rows in the history).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Iterable

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.message_pump import MessagePump
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import DataTable, Input, TextArea


# -- message pumps -------------------------------------------------------------------------


def queued(node: MessagePump) -> int:
    """Messages waiting in a node's queue."""
    return node._message_queue.qsize()


def closing(node: MessagePump) -> bool:
    """Whether a node has closed or is closing (it will handle nothing more)."""
    return bool(node._closed or node._closing)


def mounted(screen: Screen[Any]) -> Awaitable[bool]:
    """Waits until the screen has mounted (its children composed and mounted)."""
    return screen._mounted_event.wait()


def report_error(app: App[Any], error: Exception) -> None:
    """Show an exception and close the app, as Textual does with one raised in a handler."""
    app._handle_exception(error)


# -- bindings and inputs -------------------------------------------------------------------


def bindings_of(widget: Widget) -> BindingsMap:
    """The widget's own bindings, with the app's keymap (user rebinding) applied."""
    bindings = widget._bindings
    keymap = widget.app._keymap
    if keymap:
        bindings = bindings.copy()
        bindings.apply_keymap(keymap)
    return bindings


def restart_blink(widget: Input | TextArea) -> None:
    """Show the cursor now (as after a typed key), if it blinks."""
    widget._restart_blink()


def replace_as_typed(area: TextArea, text: str, start: Any, end: Any) -> Any:
    """Replace `start`..`end` with `text` as typing would (undo groups it with typing); the edit's
    result, or None when the area is read-only."""
    return area._replace_via_keyboard(text, start, end)


def suggestion_shown(field: Input) -> str:
    """The completion an `Input` is showing after the cursor ("" when none)."""
    return field._suggestion


# -- styles ---------------------------------------------------------------------------------


def prepare_default_styles(app: App[Any], classes: Iterable[type[Widget]]) -> None:
    """Add and parse the default CSS of widget classes not mounted yet, exactly as the first
    mount of each would (`Widget._post_register`): their first mount then parses nothing."""
    stylesheet = app.stylesheet
    for cls in classes:
        for read_from, css, tie_breaker, scope in cls._get_default_css(object.__new__(cls)):
            stylesheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope)
    stylesheet.rules_map  # noqa: B018 - parsed now, not at the first mount


# -- data tables ----------------------------------------------------------------------------


def remeasure(table: DataTable[Any]) -> None:
    """Have the table recompute its virtual size at its next refresh."""
    table._require_update_dimensions = True


def row_label_width(table: DataTable[Any]) -> int:
    return table._row_label_column_width


def rows_height(table: DataTable[Any]) -> int:
    """The height of all the table's rows."""
    return table._total_row_height
