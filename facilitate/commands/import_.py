"""`facilitate import FILE...`: merge exported meetings (or another archive) into this one.

Each file is a JSON export (`facilitate export --format json`, one meeting or
`--all`) or another facilitate archive file. Meetings this archive lacks are
added; ones it already has, identical, are left alone; ones it has in a
different form are reported as conflicts and never overwritten. The command
takes the archive's lock, as the app does, so it cannot write under a
running facilitate. It exits non-zero if any file could not be read, any
meeting conflicted or any record was refused.

Limits (`facilitate.export.limits`): a file over 256 MB is refused unread
(`--max-size MB` changes that); text past a field's limit (10,000
characters for a title, a name or an organisation, 1,000,000 for a note) is
cut and the cut reported, never echoed. The archive's folder must exist: only starting
the app makes it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from facilitate.export.limits import FILE_LIMIT_MB, LINE_LIMIT, TEXT_LIMIT
from facilitate.output import one_line, say, write_out

if TYPE_CHECKING:
    from facilitate.commands import Subparsers
    from facilitate.models import Meeting


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import",
        help="merge meetings exported as JSON (or another archive) into this archive",
        description="Merge JSON exports or other facilitate archives into this archive. Meetings already "
        "here are left as they are; a different version of one is reported as a conflict, not overwritten.",
        parents=[common],
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON exports or archive files")
    parser.add_argument(
        "--max-size", metavar="MB", type=float, default=FILE_LIMIT_MB,
        help=f"refuse files larger than this many megabytes (default {FILE_LIMIT_MB}); text longer than "
        f"{LINE_LIMIT:,} characters in a title or name, or {TEXT_LIMIT:,} in a note, is cut and reported",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _describe(meeting: Meeting) -> str:
    when = (meeting.started_at or meeting.planned_start or "")[:10] or "undated"
    return f"{one_line(meeting.id, 40)}  {one_line(when)}  {one_line(meeting.title, 80) or '(untitled)'}"


def _megabytes(size: float) -> str:
    if size < 1_000_000:
        return f"{size / 1000:,.0f} KB"
    return f"{size / 1_000_000:,.1f} MB"


def read_capped(path: Path, cap: int) -> bytes:
    """The file's bytes, or `ValueError` when it holds more than `cap` (a pipe is read no further)."""
    with open(path, "rb") as stream:
        import os
        import stat

        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > cap:
            raise ValueError(f"it is {_megabytes(info.st_size)}, over the import limit of {_megabytes(cap)}")
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise ValueError(f"it holds more than the import limit of {_megabytes(cap)}")
    return data


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from facilitate.archive import Archive, ArchiveError
    from facilitate.commands.common import RESTORE_HINT, archive_path
    from facilitate.export.interchange import InterchangeError, loads, merge
    from facilitate.storage.errors import StorageError, describe_os_error
    from facilitate.storage.lock import ArchiveLock, LockedError

    if not args.max_size > 0:
        say("facilitate import: --max-size needs a number of megabytes above 0")
        return 2
    cap = int(args.max_size * 1_000_000)
    db_path, code = archive_path("import", args.db)
    if db_path is None:
        return code
    if not db_path.parent.is_dir():
        say(
            f"facilitate import: the folder {db_path.parent} does not exist. Start facilitate once "
            "(it makes the folder), or make it yourself, then import again."
        )
        return 2
    lock = ArchiveLock.for_archive(db_path)
    try:
        lock.acquire()
    except LockedError as error:
        say(f"facilitate import: {error}")
        return 3
    except OSError as error:
        say(f"facilitate import: cannot use {db_path.parent}: {describe_os_error(error)}")
        return 2
    problems = 0
    try:
        try:
            archive = Archive(db_path).open()
        except ArchiveError as error:
            say(f"facilitate import: {error}\n{RESTORE_HINT}")
            return 1
        for name in args.files:
            path = Path(name).expanduser()
            shown = one_line(str(path), 200)
            try:
                bundle = loads(read_capped(path, cap))
            except OSError as error:
                say(f"{shown}: cannot read it ({describe_os_error(error)})")
                problems += 1
                continue
            except ValueError as error:  # over the size limit, or not an export (InterchangeError)
                reason = f"cannot import it: {error}" if isinstance(error, InterchangeError) else f"refused: {error}"
                if not isinstance(error, InterchangeError):
                    reason += " (--max-size MB raises the limit)"
                say(f"{shown}: {one_line(reason, 300)}")
                problems += 1
                continue
            try:
                report = merge(archive, bundle)
            except StorageError as error:
                say(f"{shown}: {error}")
                return 1
            counts = [
                f"{_plural(len(report.added), 'meeting')} added",
                f"{len(report.unchanged)} unchanged",
                f"{len(report.conflicts)} in conflict",
            ]
            if report.people_added:
                counts.append(f"{report.people_added} {'person' if report.people_added == 1 else 'people'} added")
            if report.people_updated:
                counts.append(
                    f"{report.people_updated} {'person' if report.people_updated == 1 else 'people'} updated"
                )
            if report.series_added:
                counts.append(f"{report.series_added} series added")
            if bundle.cut:
                counts.append(f"{_plural(len(bundle.cut), 'record')} cut to the limits")
            if bundle.refused:
                counts.append(f"{len(bundle.refused)} refused")
            lines = [f"{shown}: " + ", ".join(counts)]
            for meeting in report.added:
                lines.append(f"  added      {_describe(meeting)}")
            for meeting in report.unchanged:
                lines.append(f"  unchanged  {_describe(meeting)}")
            for conflict in report.conflicts:
                problems += 1
                title = one_line(conflict.title, 80) or "(untitled)"
                lines.append(
                    f"  conflict   {one_line(conflict.meeting_id, 40)}  {conflict.date or 'undated'}  {title}: this "
                    f"archive has a different version ({', '.join(conflict.differences)} differ); kept this archive's copy"
                )
            for label, cuts in bundle.cut:
                fields = ", ".join(f"{one_line(c.field, 60)} ({c.length:,} characters, kept {c.kept:,})" for c in cuts[:5])
                more = f" and {len(cuts) - 5} more" if len(cuts) > 5 else ""
                lines.append(f"  cut        {label}: {fields}{more}")
            for label, reason in bundle.refused:
                problems += 1
                lines.append(f"  refused    {label}: {one_line(reason, 200)}")
            write_out("\n".join(lines) + "\n")
    finally:
        lock.release()
    return 1 if problems else 0
