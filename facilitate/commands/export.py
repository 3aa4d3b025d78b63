"""`facilitate export`: a meeting (or the whole archive) as markdown, Slack text or JSON.

    facilitate export                         the latest meeting as markdown
    facilitate export 3f2a --format slack     a meeting by id or the start of one
    facilitate export 2026-11-29              the meeting on that day
    facilitate export "2026-11-29 02:53"      the meeting that started then (as history shows it)
    facilitate export --output notes.md       to a file instead of standard output (--force replaces one)
    facilitate export --all --to wiki/        every meeting as a wiki folder
    facilitate export --all --format json     the whole archive as JSON

Standard error says which meeting was chosen; when the words fit several,
it lists them and exports none. With no archive yet the result is empty
and the exit status 0. Reading needs no lock: the archive is only ever
replaced whole, atomically. Nothing here imports Textual, so the command
starts quickly.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from facilitate.commands.common import damaged, no_archive, short_ids, when
from facilitate.commands.common import fail as common_fail
from facilitate.output import one_line, say, write_out

if TYPE_CHECKING:
    from facilitate.archive import Archive, MeetingListing
    from facilitate.commands import Subparsers
    from facilitate.models import Meeting

FORMATS = ("markdown", "slack", "json")
LISTED = 10
"""Candidates listed when the words fit several meetings."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})")


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a meeting, or the whole archive, as markdown, Slack text or JSON",
        description="Write a meeting as markdown (for a wiki), a Slack message, or JSON; "
        "or the whole archive as a wiki folder (--all --to DIR) or JSON (--all --format json).",
        parents=[common],
    )
    parser.add_argument(
        "meeting", nargs="?", default="latest", metavar="MEETING",
        help="'latest' (the default), a meeting's id or its start (facilitate history shows them), "
        "a date (2026-11-29), or a date and time as history shows it ('2026-11-29 02:53')",
    )  # fmt: skip
    parser.add_argument("--format", "-f", choices=FORMATS, default="markdown", help="markdown (default), slack or json")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument(
        "--force", action="store_true", help="with --output: replace FILE if it exists (keeping its permissions)"
    )
    parser.add_argument("--tasks", action="store_true", help="markdown: add the actions as a task list (- [ ] ...)")
    parser.add_argument("--all", action="store_true", help="every meeting: with --to DIR as a wiki, or --format json")
    parser.add_argument("--to", metavar="DIR", help="with --all: the folder for the wiki pages")
    parser.set_defaults(handler=run)


def fail(message: str, code: int = 1) -> int:
    return common_fail("export", message, code)


class Choice(LookupError):
    """The words name no meeting, or several (the message lists them)."""


def describe(listing: MeetingListing, short: dict[str, str]) -> str:
    """One meeting as the history lists it: short id, date and time, title and series."""
    title = one_line(listing.title, 80) or "(untitled)"
    series = f"  ({one_line(listing.series, 40)})" if listing.series else ""
    return f"{short.get(listing.id, listing.id)}  {when(listing)}  {title}{series}"


def choose(listings: list[MeetingListing], wanted: str) -> MeetingListing:
    """The meeting `wanted` names: "latest", an id or its start, a date, or a date and time.

    `listings` are newest first. Raises `Choice` when none or several fit.
    """
    wanted = wanted.strip()
    if wanted == "latest":
        return listings[0]
    short = short_ids([s.id for s in listings])
    for listing in listings:
        if listing.id == wanted:
            return listing
    if found := _DATE_TIME.fullmatch(wanted):
        moment = f"{found.group(1)} {int(found.group(2)):02d}:{found.group(3)}"
        matches = [s for s in listings if when(s) == moment]
        what = f"started at {moment}"
    elif _DATE.fullmatch(wanted):
        matches = [s for s in listings if s.date == wanted]
        what = f"on {wanted}"
    else:
        folded = wanted.casefold()
        matches = [s for s in listings if wanted and s.id.casefold().startswith(folded)]
        what = f"with an id starting {one_line(wanted, 40)!r}"
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise Choice(f"no meeting {what} (try 'latest'; facilitate history lists the meetings with their ids)")
    listed = "\n".join(f"  {describe(s, short)}" for s in matches[:LISTED])
    more = f"\n  and {len(matches) - LISTED} more" if len(matches) > LISTED else ""
    raise Choice(f"{len(matches)} meetings {what}; give one of their ids:\n{listed}{more}")


def run(args: argparse.Namespace) -> int:
    from facilitate.archive import Archive, ArchiveError
    from facilitate.commands.common import archive_path

    if args.to and not args.all:
        return fail("--to DIR is for the whole archive: add --all", 2)
    if args.all and args.meeting != "latest":
        return fail("give either a MEETING or --all, not both", 2)
    if args.all and args.format == "slack":
        return fail("--all works with markdown (a wiki folder, --to DIR) or json", 2)
    if args.all and args.format == "markdown" and not args.to:
        return fail("--all needs --to DIR for the wiki pages (or --format json for one JSON file)", 2)
    if args.to and args.output:
        return fail("--to writes a folder; --output is for one file", 2)
    if args.tasks and args.format != "markdown":
        return fail("--tasks is for markdown", 2)
    if args.force and not args.output:
        return fail("--force is for --output FILE", 2)

    db_path, code = archive_path("export", args.db)
    if db_path is None:
        return code
    if args.output:
        code = _check_output(args.output, args.force)
        if code:
            return code
    if not db_path.exists():
        no_archive("export", db_path)
        if args.all and args.to:
            say("facilitate export: nothing to write.")
            return 0
        return _finish(_empty(args), args)
    archive = Archive(db_path, read_only=True)
    try:
        # A wiki export reads each meeting once itself, and only those it has not exported before.
        archive.open(index=not (args.all and args.to))
        if args.all and args.to:
            return _wiki(archive, args)
        text = _render(archive, args)
    except ArchiveError as error:
        return damaged("export", error)
    except Choice as problem:
        return fail(str(problem))
    return _finish(text, args)


def _finish(text: str, args: argparse.Namespace) -> int:
    if args.output:
        return _save(text, args.output, args.force)
    write_out(text)
    return 0


def _empty(args: argparse.Namespace) -> str:
    """What an archive with no meetings exports: nothing, or a JSON document with no meetings."""
    if args.format != "json":
        return ""
    from facilitate.export import interchange

    return interchange.dumps(interchange.Bundle())


def _render(archive: Archive, args: argparse.Namespace) -> str:
    from facilitate.export import interchange

    if args.all:
        return interchange.dumps(interchange.archive_bundle(archive))
    listings = archive.listings()
    if not listings:
        say(f"facilitate export: the archive {archive.path} has no meetings yet.")
        return _empty(args)
    chosen = choose(listings, args.meeting)
    meeting: Meeting | None = archive.meeting(chosen.id)
    if meeting is None:  # pragma: no cover - the listings come from the same archive
        raise Choice(f"meeting {chosen.id} is not in the archive")
    say(f"facilitate export: {describe(chosen, short_ids([s.id for s in listings]))}")
    if args.format == "json":
        return interchange.dumps(interchange.meeting_bundle(meeting, archive))
    if args.format == "slack":
        from facilitate.export import slack

        return slack.render(meeting)
    from facilitate.export import markdown

    return markdown.render(meeting, tasks=args.tasks)


def _check_output(output: str, force: bool) -> int:
    """0 if `output` can be written (before any work is done), else the exit code after saying why."""
    from pathlib import Path

    path = Path(output).expanduser()
    if path.is_dir():
        return fail(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        return fail(f"the folder {path.parent} does not exist")
    if path.is_file() and not force:
        return fail(f"{path} already exists; add --force to replace it")
    return 0


def _save(text: str, output: str, force: bool) -> int:
    import os
    import stat
    from pathlib import Path

    from facilitate.output import visible
    from facilitate.storage.errors import describe_os_error
    from facilitate.storage.files import FILE_MODE, atomic_write

    path = Path(output).expanduser()
    text = visible(text)
    try:
        if path.exists() and not path.is_file():
            # A device or a pipe (/dev/stdout, a FIFO): write into it, never replace it.
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(text)
        elif path.exists():
            if not force:  # made since it was checked
                return fail(f"{path} already exists; add --force to replace it")
            # Replaced whole, with the permissions it had (a link is followed and stays a link).
            mode = stat.S_IMODE(os.stat(path).st_mode)
            atomic_write(path, text, mode=mode)
        else:
            atomic_write(path, text, mode=FILE_MODE)
    except OSError as error:
        return fail(f"cannot write {path}: {describe_os_error(error)}")
    say(f"Wrote {path}")
    return 0


def _wiki(archive: Archive, args: argparse.Namespace) -> int:
    from pathlib import Path

    from facilitate.export.wiki import write_wiki
    from facilitate.storage.errors import describe_os_error

    folder = Path(args.to).expanduser()
    if folder.exists() and not folder.is_dir():
        return fail(f"{folder} is a file; --to needs a folder")
    try:
        result = write_wiki(archive, folder, tasks=args.tasks)
    except OSError as error:
        return fail(f"cannot write the wiki in {folder}: {describe_os_error(error)}")
    total = len(result.written) + len(result.unchanged)
    lines = [f"{folder}: {total} pages, {len(result.written)} written, {len(result.unchanged)} unchanged"]
    lines += [f"  wrote {name}" for name in result.written]
    write_out("\n".join(lines) + "\n")
    return 0
