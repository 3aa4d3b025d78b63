"""A DataTable whose columns fit the screen: fixed widths, and the rest shared."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable


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
        self._require_update_dimensions = True
        self.refresh(layout=True)
