"""The command line's tables (`facilitate history`, `facilitate actions` in a terminal).

Drawing is the interface's business: the commands in `facilitate/commands` choose the
rows and call these only when standard output is a terminal.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from facilitate.clock import format_minutes
from facilitate.commands.common import when
from facilitate.dates import short_date
from facilitate.output import one_line

if TYPE_CHECKING:
    from facilitate.archive import MeetingListing
    from facilitate.review import ActionRow


def print_table(table: object) -> None:
    Console(highlight=False).print(table)


def history_table(rows: Sequence[MeetingListing], short_ids: dict[str, str]) -> Table:
    """The meetings, each with the short id `facilitate export` takes and the date and time it also takes."""
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Id", no_wrap=True, min_width=6)
    table.add_column("When", no_wrap=True, min_width=16)
    table.add_column("Series", overflow="ellipsis", no_wrap=True, ratio=1, max_width=24)
    table.add_column("Title", overflow="ellipsis", no_wrap=True, ratio=2)
    table.add_column("People", justify="right", no_wrap=True, min_width=6)
    table.add_column("New", justify="right", no_wrap=True, min_width=3)
    table.add_column("Actions", justify="right", no_wrap=True, min_width=7)
    table.add_column("Length", justify="right", no_wrap=True, min_width=7)
    for s in rows:
        table.add_row(
            Text(one_line(short_ids.get(s.id, s.id)), style="bold"),
            Text(when(s)),
            Text(one_line(s.series) or "–"),
            Text(one_line(s.title)),
            Text(str(s.people)),
            Text(str(s.new_people) if s.new_people else ""),
            Text(f"{s.actions_open}/{s.actions_total}" if s.actions_total else "–"),
            Text(format_minutes(s.duration)),
        )
    return table


def actions_table(rows: Sequence[ActionRow], today: date) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    table.add_column("", no_wrap=True, min_width=7)
    table.add_column("Due", no_wrap=True, min_width=10)
    table.add_column("Owner", overflow="ellipsis", no_wrap=True, ratio=1, max_width=22)
    table.add_column("Action", ratio=3)
    table.add_column("Meeting", overflow="ellipsis", no_wrap=True, ratio=2)
    for row in rows:
        overdue = row.is_overdue(today)
        style = "bold red" if overdue else ("dim" if row.status != "open" else "")
        mark = {"done": "done", "dropped": "dropped"}.get(row.status, "overdue" if overdue else "open")
        table.add_row(
            Text(mark, style=style),
            Text(short_date(row.due, today), style=style),
            Text(one_line(row.owner) or "–"),
            Text(one_line(row.text, 300)),
            Text(f"{row.meeting_date} {one_line(row.meeting_title)}"),
        )
    return table
