"""Each Textual internal in `screens/textual_internals.py` still works on the installed Textual.

When a Textual release renames or changes one, the test of that function fails
here, naming it, before a screen breaks at run time.
"""

from __future__ import annotations

import inspect

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, TextArea

from screens import textual_internals as internals
from screens.tables import FittedTable


class Line(Input):
    BINDINGS = [Binding("ctrl+x", "cut", "Cut", id="line.cut")]


class Fields(App):
    BINDINGS = [Binding("ctrl+b", "bell", "Bell")]

    def compose(self) -> ComposeResult:
        yield Line(id="line")
        yield TextArea(id="area")
        yield DataTable(id="table")


async def test_message_pumps():
    app = Fields()
    with pytest.raises(ValueError, match="shown and closing"):
        async with app.run_test() as pilot:
            screen = app.screen
            assert await internals.mounted(screen) is True
            assert internals.queued(screen) == 0 and internals.queued(app) == 0
            field = app.query_one("#line", Input)
            assert not internals.closing(field)
            await field.remove()
            assert internals.closing(field)
            internals.report_error(app, ValueError("shown and closing"))
            await pilot.pause()
    assert app.return_code == 1  # the error closed the app, as one in a handler does


async def test_bindings_and_inputs():
    app = Fields()
    async with app.run_test() as pilot:
        field = app.query_one("#line", Input)
        keys = internals.bindings_of(field).key_to_bindings
        assert "backspace" in keys and "ctrl+w" in keys and "ctrl+b" not in keys  # its own, not the app's
        assert "ctrl+x" in keys and "ctrl+h" not in keys
        app.set_keymap({"line.cut": "ctrl+h"})
        rebound = internals.bindings_of(field).key_to_bindings
        assert "ctrl+h" in rebound and rebound["ctrl+h"][0].action == "cut"
        internals.restart_blink(field)
        assert internals.suggestion_shown(field) == ""
        area = app.query_one("#area", TextArea)
        area.focus()
        await pilot.pause()
        internals.restart_blink(area)
        result = internals.replace_as_typed(area, "typed", area.selection.start, area.selection.end)
        assert area.text == "typed" and result is not None


async def test_data_tables():
    app = Fields()
    async with app.run_test() as pilot:
        table = app.query_one("#table", DataTable)
        table.add_columns("a", "b")
        table.add_rows([("1", "2"), ("3", "4")])
        await pilot.pause()
        assert internals.rows_height(table) == 2
        assert internals.row_label_width(table) == 0
        internals.remeasure(table)
        assert table._require_update_dimensions is True


class Later(TextArea):
    """A widget class no app here has mounted yet."""

    DEFAULT_CSS = "Later { width: 17; }"


async def test_default_styles_are_prepared_as_the_first_mount_would():
    app = Fields()
    async with app.run_test() as pilot:
        stylesheet = app.stylesheet
        before = set(stylesheet.source)
        internals.prepare_default_styles(app, [Later])
        added = set(stylesheet.source) - before
        assert any(name == "Later.DEFAULT_CSS" for _, name in added)
        assert not stylesheet._require_parse  # parsed already
        assert any("Later" in str(selectors) for selectors in stylesheet.rules_map)
        await app.mount(Later(id="later"))
        await pilot.pause()
        # Mounting added nothing more to parse, and the prepared rule applies.
        assert set(stylesheet.source) == before | added
        assert app.query_one("#later").outer_size.width == 17


def test_the_private_handlers_facilitate_overrides_are_still_there():
    """`OrderedInput`, `OrderedTextArea`, the capture line and `FittedTable` override these."""
    for widget in (Input, TextArea):
        for name in ("_on_key", "_on_paste"):
            assert name in vars(widget), f"{widget.__name__} no longer handles {name[4:]} itself"
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    assert FittedTable._update_dimensions is not DataTable._update_dimensions
