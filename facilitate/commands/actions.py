"""`facilitate actions`: the actions of every meeting, open ones first.

    facilitate actions                        open actions, soonest due first
    facilitate actions --overdue              open and past their date
    facilitate actions --done                 done, most recently first
    facilitate actions --all                  everything
    facilitate actions --owner asha           whose name has a word starting "asha"
    facilitate actions --series "East ICB"    one series
    facilitate actions --json                 for scripts

In a terminal it prints a table, overdue actions in red; piped,
tab-separated lines with a header (status, due, owner, action, meeting_date,
meeting_title, series, meeting_id, item_id), where status is "overdue" for an
open action past its date; with `--json`, a list of objects with the keys:

    meeting_id, item_id   where the action lives
    text                  the action
    owner, owner_id       its owner as typed, and their person id when known
    due, due_text         ISO date (or null) and the words it was given in
    status                "open", "done" or "dropped"
    overdue               true when open and past its due date
    closed_at             when it was done or dropped (ISO), or null
    series, meeting_title, meeting_date   the meeting it came from

With no archive yet the result is empty (`[]` with `--json`), said on
standard error, and the exit status is 0. Reading needs no lock, and nothing
here imports Textual.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from facilitate.commands import Subparsers
    from facilitate.review import ActionRow

ACTION_KEYS = (
    "meeting_id", "item_id", "text", "owner", "owner_id", "due", "due_text", "status", "overdue", "closed_at",
    "series", "meeting_title", "meeting_date",
)  # fmt: skip


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "actions",
        help="list actions across meetings: open (default), overdue, done or all",
        description="List the actions of every meeting: a table in a terminal, tab-separated text when piped, "
        "JSON with --json (keys: " + ", ".join(ACTION_KEYS) + ").",
        parents=[common],
    )
    show = parser.add_mutually_exclusive_group()
    show.add_argument("--open", dest="show", action="store_const", const="open", help="open actions (the default)")
    show.add_argument("--overdue", dest="show", action="store_const", const="overdue", help="open and past their date")
    show.add_argument("--done", dest="show", action="store_const", const="done", help="done actions")
    show.add_argument("--all", dest="show", action="store_const", const="all", help="every action")
    parser.add_argument("--owner", metavar="NAME", default="", help="whose name has words starting with these")
    parser.add_argument("--series", metavar="NAME", default="", help="only this series (case does not matter)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    # Which day "overdue" is judged against; for tests and scripts replaying a day.
    parser.add_argument("--today", metavar="DATE", help=argparse.SUPPRESS)
    parser.set_defaults(handler=run, show="open")


def run(args: argparse.Namespace) -> int:
    from facilitate.commands.common import check_series, emit, fail, open_archive
    from facilitate.commands.history import today_from
    from facilitate.output import say
    from facilitate.review import Review

    try:
        today = today_from(args)
    except ValueError:
        return fail("actions", f"--today needs an ISO date such as 2026-11-26, not {args.today!r}", 2)
    review = Review(with_text=False)
    archive, code = open_archive("actions", args.db, visit=review.visit)
    if archive is None and code:
        return code
    rows = []
    if archive is not None:
        code = check_series("actions", args.series, archive.series_names())
        if code:
            return code
        review.refresh(archive)
        rows = review.actions(args.show, today=today, owner=args.owner, series=args.series)

    def status(row: ActionRow) -> str:
        return "overdue" if row.is_overdue(today) else row.status

    emit(
        rows,
        as_json=args.json,
        to_json_row=lambda r: {
            "meeting_id": r.meeting_id, "item_id": r.item_id, "text": r.text, "owner": r.owner,
            "owner_id": r.owner_id, "due": r.due, "due_text": r.due_text, "status": r.status,
            "overdue": r.is_overdue(today), "closed_at": r.closed_at, "series": r.series,
            "meeting_title": r.meeting_title, "meeting_date": r.meeting_date,
        },  # fmt: skip
        header=("status", "due", "owner", "action", "meeting_date", "meeting_title", "series", "meeting_id", "item_id"),
        to_fields=lambda r: (
            status(r), r.due or "", r.owner, r.text, r.meeting_date, r.meeting_title, r.series, r.meeting_id, r.item_id,
        ),  # fmt: skip
        table=lambda rows: terminal_table(rows, today),
    )
    if archive is not None and not rows and not args.json:
        say(f"No {'' if args.show == 'all' else args.show + ' '}actions.")
    return 0


def terminal_table(rows: Sequence[ActionRow], today: date) -> object:
    """The actions as the interface's table (screens/console.py), opaque to the core."""
    from screens.console import actions_table

    return actions_table(rows, today)
