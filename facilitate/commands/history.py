"""`facilitate history`: past meetings, newest first.

    facilitate history                        every meeting
    facilitate history --series "East ICB"    one series
    facilitate history --json                 for scripts

In a terminal it prints a table, with each meeting's short id (the start of
its id that no other meeting shares: `facilitate export` takes it) and the
date and time it started; piped, tab-separated lines with a header (date,
series, title, people, new_people, actions_open, actions_total, minutes,
id); with `--json`, a list of objects with the keys:

    id             the meeting's id (for `facilitate export ID`)
    date           ISO date it started
    started_at     ISO date and time it started
    series, title  as typed (no cleaning: JSON escapes what it must)
    people         how many came
    new_people     how many came for the first time
    actions_open   its actions still open
    actions_total  all its actions
    duration       seconds it ran

With no archive yet the result is empty (`[]` with `--json`), said on
standard error, and the exit status is 0. Reading needs no lock (the archive
is only ever replaced whole), and nothing here imports Textual.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Sequence

from facilitate.commands.common import check_series, emit, open_archive, short_ids
from facilitate.output import say

if TYPE_CHECKING:
    from facilitate.archive import Archive, MeetingListing
    from facilitate.commands import Subparsers

HISTORY_KEYS = (
    "id", "date", "started_at", "series", "title", "people", "new_people", "actions_open", "actions_total", "duration",
)  # fmt: skip


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list past meetings, newest first",
        description="List past meetings, newest first: a table in a terminal, tab-separated text when piped, "
        "JSON with --json (keys: " + ", ".join(HISTORY_KEYS) + ").",
        parents=[common],
    )
    parser.add_argument("--series", metavar="NAME", default="", help="only this series (case does not matter)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=run)


def today_from(args: argparse.Namespace) -> date:
    if getattr(args, "today", None):
        return date.fromisoformat(args.today)
    from facilitate.clock import SystemClock

    return SystemClock().today()


# -- history ---------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    archive, code = open_archive("history", args.db)
    if archive is None and code:
        return code
    rows = []
    if archive is not None:
        code = check_series("history", args.series, archive.series_names())
        if code:
            return code
        from facilitate.text import name_key

        key = name_key(args.series)
        rows = [s for s in archive.listings() if not key or name_key(s.series) == key]
    emit(
        rows,
        as_json=args.json,
        to_json_row=lambda s: {
            "id": s.id, "date": s.date, "started_at": s.started_at, "series": s.series, "title": s.title,
            "people": s.people, "new_people": s.new_people, "actions_open": s.actions_open,
            "actions_total": s.actions_total, "duration": s.duration,
        },  # fmt: skip
        header=("date", "series", "title", "people", "new_people", "actions_open", "actions_total", "minutes", "id"),
        to_fields=lambda s: (
            s.date, s.series, s.title, s.people, s.new_people, s.actions_open, s.actions_total,
            round(s.duration / 60), s.id,
        ),  # fmt: skip
        table=lambda rows: terminal_table(rows, archive),
    )
    if archive is not None and not rows and not args.json:
        say("No meetings yet." if not args.series else "No meetings in that series yet.")
    return 0


def terminal_table(rows: Sequence[MeetingListing], archive: Archive | None) -> object:
    """The meetings as the interface's table (screens/console.py), opaque to the core."""
    from screens.console import history_table

    # Short enough to type, long enough to be one meeting's among all the archive's.
    short = short_ids([s.id for s in archive.listings()]) if archive is not None else {}
    return history_table(rows, short)
