"""`facilitate import FILE...`: merge exported meetings (or another archive) into this one.

Each file is a JSON export (`facilitate export --format json`, one meeting or
`--all`) or another facilitate archive file. Meetings this archive lacks are
added; ones it already has, identical, are left alone; ones it has in a
different form are reported as conflicts and never overwritten. The command
takes the archive's lock, as the app does, so it cannot write under a
running facilitate. It exits non-zero if any file could not be read or any
meeting conflicted.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "import",
        help="merge meetings exported as JSON (or another archive) into this archive",
        description="Merge JSON exports or other facilitate archives into this archive. Meetings already "
        "here are left as they are; a different version of one is reported as a conflict, not overwritten.",
        parents=[common],
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON exports or archive files")
    parser.set_defaults(handler=run)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _describe(meeting) -> str:
    from facilitate.text import clean_line

    when = (meeting.started_at or meeting.planned_start or "")[:10] or "undated"
    return f"{meeting.id}  {when}  {clean_line(meeting.title) or '(untitled)'}"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from facilitate.archive import Archive, ArchiveError
    from facilitate.export.interchange import InterchangeError, loads, merge
    from facilitate.live import StorageError, describe_os_error
    from facilitate.lock import ArchiveLock, LockedError
    from facilitate.paths import resolve_db_path
    from facilitate.text import clean_line

    db_path = resolve_db_path(args.db)
    if db_path.is_dir():
        print(f"facilitate import: {db_path} is a folder; --db needs a file path", file=sys.stderr)
        return 2
    lock = ArchiveLock.for_archive(db_path)
    try:
        lock.acquire()
    except LockedError as error:
        print(f"facilitate import: {error}", file=sys.stderr)
        return 3
    except OSError as error:
        print(f"facilitate import: cannot use {db_path.parent}: {describe_os_error(error)}", file=sys.stderr)
        return 2
    problems = 0
    try:
        try:
            archive = Archive(db_path).open()
        except ArchiveError as error:
            print(f"facilitate import: {error}", file=sys.stderr)
            return 1
        for name in args.files:
            path = Path(name).expanduser()
            try:
                bundle = loads(path.read_bytes())
            except OSError as error:
                print(f"{path}: cannot read it ({describe_os_error(error)})", file=sys.stderr)
                problems += 1
                continue
            except InterchangeError as error:
                print(f"{path}: cannot import it: {error}", file=sys.stderr)
                problems += 1
                continue
            try:
                report = merge(archive, bundle)
            except StorageError as error:
                print(f"{path}: {error}", file=sys.stderr)
                return 1
            summary = [
                f"{_plural(len(report.added), 'meeting')} added",
                f"{len(report.unchanged)} unchanged",
                f"{len(report.conflicts)} in conflict",
            ]
            if report.people_added:
                summary.append(f"{report.people_added} {'person' if report.people_added == 1 else 'people'} added")
            if report.people_updated:
                summary.append(
                    f"{report.people_updated} {'person' if report.people_updated == 1 else 'people'} updated"
                )
            if report.series_added:
                summary.append(f"{report.series_added} series added")
            print(f"{path}: " + ", ".join(summary))
            for meeting in report.added:
                print(f"  added      {_describe(meeting)}")
            for meeting in report.unchanged:
                print(f"  unchanged  {_describe(meeting)}")
            for conflict in report.conflicts:
                problems += 1
                title = clean_line(conflict.title) or "(untitled)"
                print(
                    f"  conflict   {conflict.meeting_id}  {conflict.date or 'undated'}  {title}: this archive has a "
                    f"different version ({', '.join(conflict.differences)} differ); kept this archive's copy"
                )
    finally:
        lock.release()
    return 1 if problems else 0
