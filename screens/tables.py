"""A DataTable whose columns fit the screen: fixed widths, and the rest shared."""

from __future__ import annotations

from typing import Iterable

from textual import events
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from screens.textual_internals import remeasure, row_label_width, rows_height


class FittedTable(DataTable):
    """Columns of fixed widths, with the `None` columns sharing what is left.

    DataTable sizes columns to their content, so one long title would widen
    the table beyond an 80-column screen.
    """

    WIDTHS: tuple[int | None, ...] = ()
    """Each column's width; None columns share what is left."""

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns(event.size.width)

    def fit_columns(self, width: int) -> None:
        columns = self.ordered_columns
        if not self.WIDTHS or len(columns) != len(self.WIDTHS):
            return
        padding = 2 * self.cell_padding * len(columns)
        fixed = sum(w for w in self.WIDTHS if w)
        shared = [w for w in self.WIDTHS if w is None]
        # One cell for the vertical scrollbar.
        rest = max(8, (width - 1 - padding - fixed) // max(len(shared), 1))
        for column, wanted in zip(columns, self.WIDTHS):
            column.width = wanted or rest
            column.auto_width = False
        # DataTable recomputes its virtual size only when told to.
        remeasure(self)
        self.refresh(layout=True)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row to size its columns: with
        # thousands of rows most of the time it takes to fill. Once the columns
        # have fixed widths and the rows are one line, only the size changes.
        new_rows = list(new_rows)
        columns = self.ordered_columns
        rows = self.rows
        try:
            if not (self.WIDTHS and columns and all(not column.auto_width for column in columns)):
                raise LookupError
            for key in new_rows:
                row = rows.get(key)
                if row is not None and (row.auto_height or row.label is not None):
                    raise LookupError
            width = sum(column.get_render_width(self) for column in self.columns.values())
            header = self.header_height if self.show_header else 0
            self.virtual_size = Size(width + row_label_width(self), rows_height(self) + header)
        except (LookupError, AttributeError):  # (AttributeError: a Textual without these internals)
            super()._update_dimensions(new_rows)
