"""What the read commands (`history`, `actions`, `export`) share: opening the archive, output, messages.

Everything they print goes through `facilitate.output`, which makes user
text safe for a terminal (controls and bidi overrides shown, never obeyed).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from facilitate.output import one_line, say, to_json, write_out

if TYPE_CHECKING:
    from facilitate.archive import Archive, MeetingListing, Visitor

RESTORE_HINT = (
    "The file was left untouched. `facilitate --restore-backup` keeps it aside, starts from the "
    "newest backup that opens and recovers what it can from the damaged file."
)


def fail(command: str, message: str, code: int = 1) -> int:
    say(f"facilitate {command}: {message}")
    return code


def archive_path(command: str, db: str | None) -> tuple[Path | None, int]:
    """The archive's real path, or an exit code after saying why it cannot be one."""
    from facilitate.storage.paths import archive_path_problem, resolve_db_path

    path = resolve_db_path(db)
    problem = archive_path_problem(path)
    if problem is not None:
        return None, fail(command, f"{problem}. Give --db the path of an archive file.", 2)
    return path, 0


def no_archive(command: str, path: Path) -> None:
    """Said (on standard error) when a read command finds no archive yet: the result is empty, not an error."""
    say(f"facilitate {command}: there is no archive at {path} yet (facilitate makes it when a meeting is saved).")


def open_archive(
    command: str, db: str | None, visit: Visitor | None = None
) -> tuple[Archive | None, int]:
    """The archive, read-only; or None with an exit code (0: there is no archive yet, said on stderr).

    `visit` is shown each meeting as the archive is read (`Archive.visitors`),
    so that a `Review` need not read them again. Nothing is created.
    """
    from facilitate.archive import Archive, ArchiveError

    path, code = archive_path(command, db)
    if path is None:
        return None, code
    if not path.exists():
        no_archive(command, path)
        return None, 0
    archive = Archive(path, read_only=True)
    if visit is not None:
        archive.visitors.append(visit)
    try:
        archive.open()
    except ArchiveError as error:
        return None, damaged(command, error)
    return archive, 0


def damaged(command: str, error: Exception) -> int:
    return fail(command, f"{error}\n{RESTORE_HINT}")


def check_series(command: str, wanted: str, known: Sequence[str]) -> int:
    from facilitate.text import name_key

    if not wanted or any(name_key(name) == name_key(wanted) for name in known):
        return 0
    listed = "; ".join(one_line(name, 60) for name in known) if known else "none yet"
    return fail(command, f"no series called {one_line(wanted, 60)!r}. The series are: {listed}")


def emit(
    rows: Sequence[Any],
    *,
    as_json: bool,
    to_json_row: Callable[[Any], dict[str, Any]],
    header: Sequence[str],
    to_fields: Callable[[Any], Sequence[object]],
    table: Callable[[Sequence[Any]], object],
) -> None:
    """JSON, a Rich table in a terminal, or tab-separated lines when piped.

    `table` builds the terminal's table from the rows; it is only called in a terminal.
    """
    if as_json:
        write_out(to_json([to_json_row(row) for row in rows]) + "\n")
        return
    if sys.stdout.isatty():
        # The table is the interface's business (Rich), not the core's: drawn in screens/console.py.
        from screens.console import print_table

        print_table(table(rows))
        return
    lines = ["\t".join(header)]
    for row in rows:
        lines.append("\t".join(one_line(value) for value in to_fields(row)))
    write_out("\n".join(lines) + "\n")



def short_ids(ids: Sequence[str], minimum: int = 6) -> dict[str, str]:
    """Each id's shortest start (at least `minimum` characters) that no other id shares."""
    ordered = sorted(set(ids))
    result: dict[str, str] = {}

    def common(a: str, b: str) -> int:
        n = 0
        for x, y in zip(a, b):
            if x != y:
                break
            n += 1
        return n

    for index, key in enumerate(ordered):
        need = minimum
        if index > 0:
            need = max(need, common(key, ordered[index - 1]) + 1)
        if index + 1 < len(ordered):
            need = max(need, common(key, ordered[index + 1]) + 1)
        result[key] = key[:need]
    return result


def when(listing: MeetingListing) -> str:
    """A meeting's date and time as the history shows them (`2026-11-29 02:53`), or its date."""
    started = listing.started_at
    if len(started) >= 16 and started[10] in "T ":
        return f"{started[:10]} {started[11:16]}"
    return listing.date
