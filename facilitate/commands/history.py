"""`facilitate history`: past meetings, newest first.

    facilitate history                        every meeting
    facilitate history --series "East ICB"    one series
    facilitate history --json                 for scripts

In a terminal it prints a table; piped, tab-separated lines with a header
(date, series, title, people, new_people, actions_open, actions_total,
minutes, id); with `--json`, a list of objects with the keys:

    id             the meeting's id (for `facilitate export ID`)
    date           ISO date it started
    started_at     ISO date and time it started
    series, title  as typed (no cleaning: JSON escapes what it must)
    people         how many came
    new_people     how many came for the first time
    actions_open   its actions still open
    actions_total  all its actions
    duration       seconds it ran

Reading needs no lock (the archive is only ever replaced whole), and nothing
here imports Textual. `facilitate actions` shares the output helpers below.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, Callable, Sequence

HISTORY_KEYS = (
    "id", "date", "started_at", "series", "title", "people", "new_people", "actions_open", "actions_total", "duration",
)  # fmt: skip


def add_parser(subparsers, common) -> None:
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


# -- shared with `facilitate actions` ---------------------------------------------------------


def fail(command: str, message: str, code: int = 1) -> int:
    print(f"facilitate {command}: {message}", file=sys.stderr)
    return code


def open_archive(command: str, db: str | None, visit=None):
    """The archive, read-only, or an exit code after saying what is wrong.

    `visit` is shown each meeting as the archive is read (`Archive.visitors`),
    so that a `Review` need not read them again.
    """
    from facilitate.archive import Archive, ArchiveError
    from facilitate.paths import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        return None, fail(command, f"there is no archive at {path} (choose one with --db PATH)")
    archive = Archive(path, read_only=True)
    if visit is not None:
        archive.visitors.append(visit)
    try:
        archive.open()
    except ArchiveError as error:
        return None, fail(command, str(error))
    return archive, 0


def check_series(command: str, wanted: str, known: Sequence[str]) -> int:
    from facilitate.text import name_key

    if not wanted or any(name_key(name) == name_key(wanted) for name in known):
        return 0
    listed = "; ".join(known) if known else "none yet"
    return fail(command, f"no series called {wanted!r}. The series are: {listed}")


def write_out(text: str) -> None:
    """UTF-8 whatever the locale says, so names in any script survive a pipe."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is None:
            stream.write(text)
            stream.flush()
            return
        stream.flush()
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()
    except BrokenPipeError:
        # A reader such as `head` stopped early: not an error worth a trace.
        sys.stderr.close()


def emit(
    rows: Sequence[Any],
    *,
    as_json: bool,
    to_json: Callable[[Any], dict[str, Any]],
    header: Sequence[str],
    to_fields: Callable[[Any], Sequence[object]],
    table: Callable[[Sequence[Any]], Any],
) -> None:
    """JSON, a Rich table in a terminal, or tab-separated lines when piped.

    `table` builds the terminal's table from the rows; it is only called in a terminal.
    """
    if as_json:
        write_out(json.dumps([to_json(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
        return
    if sys.stdout.isatty():
        # The table is the interface's business (Rich), not the core's: drawn in screens/console.py.
        from screens.console import print_table

        print_table(table(rows))
        return
    from facilitate.text import clean_line

    lines = ["\t".join(header)]
    for row in rows:
        lines.append("\t".join(clean_line(str(value)) for value in to_fields(row)))
    write_out("\n".join(lines) + "\n")


def today_from(args: argparse.Namespace) -> date:
    if getattr(args, "today", None):
        return date.fromisoformat(args.today)
    from facilitate.clock import SystemClock

    return SystemClock().today()


# -- history ---------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    archive, code = open_archive("history", args.db)
    if archive is None:
        return code
    code = check_series("history", args.series, archive.series_names())
    if code:
        return code
    from facilitate.text import name_key

    key = name_key(args.series)
    rows = [s for s in archive.summaries() if not key or name_key(s.series) == key]
    emit(
        rows,
        as_json=args.json,
        to_json=lambda s: {
            "id": s.id, "date": s.date, "started_at": s.started_at, "series": s.series, "title": s.title,
            "people": s.people, "new_people": s.new_people, "actions_open": s.actions_open,
            "actions_total": s.actions_total, "duration": s.duration,
        },  # fmt: skip
        header=("date", "series", "title", "people", "new_people", "actions_open", "actions_total", "minutes", "id"),
        to_fields=lambda s: (
            s.date, s.series, s.title, s.people, s.new_people, s.actions_open, s.actions_total,
            round(s.duration / 60), s.id,
        ),  # fmt: skip
        table=terminal_table,
    )
    if not rows and not args.json:
        print("No meetings yet." if not key else "No meetings in that series yet.", file=sys.stderr)
    return 0


def terminal_table(rows):
    from screens.console import history_table

    return history_table(rows)
