"""`facilitate export`: a meeting (or the whole archive) as markdown, Slack text or JSON.

    facilitate export                         the latest meeting as markdown
    facilitate export 3f2a --format slack     a meeting by id or unique id prefix
    facilitate export --output notes.md       to a file instead of standard output
    facilitate export --all --to wiki/        every meeting as a wiki folder
    facilitate export --all --format json     the whole archive as JSON

Reading needs no lock: the archive is only ever replaced whole, atomically.
Nothing here imports Textual, so the command starts quickly.
"""

from __future__ import annotations

import argparse
import sys

FORMATS = ("markdown", "slack", "json")


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a meeting, or the whole archive, as markdown, Slack text or JSON",
        description="Write a meeting as markdown (for a wiki), a Slack message, or JSON; "
        "or the whole archive as a wiki folder (--all --to DIR) or JSON (--all --format json).",
        parents=[common],
    )
    parser.add_argument(
        "meeting", nargs="?", default="latest", metavar="MEETING",
        help="a meeting id, a unique start of one, or 'latest' (the default)",
    )  # fmt: skip
    parser.add_argument("--format", "-f", choices=FORMATS, default="markdown", help="markdown (default), slack or json")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--tasks", action="store_true", help="markdown: add the actions as a task list (- [ ] ...)")
    parser.add_argument("--all", action="store_true", help="every meeting: with --to DIR as a wiki, or --format json")
    parser.add_argument("--to", metavar="DIR", help="with --all: the folder for the wiki pages")
    parser.set_defaults(handler=run)


def fail(message: str, code: int = 1) -> int:
    print(f"facilitate export: {message}", file=sys.stderr)
    return code


def write_stdout(text: str) -> None:
    """UTF-8 whatever the locale says, so names in any script survive a pipe."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def find_meeting(archive, wanted: str):
    """The meeting `wanted` names (id, unique id prefix, or "latest"), or an error message."""
    summaries = archive.summaries()
    if not summaries:
        return None, f"the archive {archive.path} has no meetings yet"
    if wanted == "latest":
        return archive.meeting(summaries[0].id), ""
    if archive.has_meeting(wanted):
        return archive.meeting(wanted), ""
    matches = [s for s in summaries if s.id.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return archive.meeting(matches[0].id), ""
    if not matches:
        return (
            None,
            f"no meeting with an id starting {wanted!r} (try 'latest', or facilitate history lists the ids)",
        )
    from facilitate.text import clean_line

    listed = "\n".join(f"  {s.id}  {s.date}  {clean_line(s.title)}" for s in matches[:10])
    return None, f"{len(matches)} meetings have ids starting {wanted!r}; give more of the id:\n{listed}"


def run(args: argparse.Namespace) -> int:
    from facilitate.archive import Archive, ArchiveError
    from facilitate.paths import resolve_db_path

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

    db_path = resolve_db_path(args.db)
    if not db_path.exists():
        return fail(f"there is no archive at {db_path} (choose one with --db PATH)")
    archive = Archive(db_path, read_only=True)
    try:
        # A wiki export reads each meeting once itself, and only those it has not exported before.
        archive.open(index=not (args.all and args.to))
        if args.all and args.to:
            return _wiki(archive, args)
        text = _render(archive, args)
    except ArchiveError as error:
        return fail(str(error))
    except LookupError as error:
        return fail(str(error.args[0]))
    if args.output:
        return _save(text, args.output)
    try:
        write_stdout(text)
    except BrokenPipeError:
        # A reader such as `head` stopped early: not an error worth a trace.
        sys.stderr.close()
    return 0


def _render(archive, args: argparse.Namespace) -> str:
    from facilitate.export import interchange

    if args.all:
        return interchange.dumps(interchange.archive_bundle(archive))
    meeting, problem = find_meeting(archive, args.meeting)
    if meeting is None:
        raise LookupError(problem)
    if args.format == "json":
        return interchange.dumps(interchange.meeting_bundle(meeting, archive))
    if args.format == "slack":
        from facilitate.export import slack

        return slack.render(meeting)
    from facilitate.export import markdown

    return markdown.render(meeting, tasks=args.tasks)


def _save(text: str, output: str) -> int:
    from pathlib import Path

    from facilitate.live import describe_os_error
    from facilitate.paths import atomic_write

    path = Path(output).expanduser()
    if path.is_dir():
        return fail(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        return fail(f"the folder {path.parent} does not exist")
    try:
        if path.exists() and not path.is_file():
            # A device or a pipe (/dev/stdout, a FIFO): write into it, never replace it.
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            atomic_write(path, text)
    except OSError as error:
        return fail(f"cannot write {path}: {describe_os_error(error)}")
    print(f"Wrote {path}", file=sys.stderr)
    return 0


def _wiki(archive, args: argparse.Namespace) -> int:
    from pathlib import Path

    from facilitate.export.wiki import write_wiki
    from facilitate.live import describe_os_error

    folder = Path(args.to).expanduser()
    if folder.exists() and not folder.is_dir():
        return fail(f"{folder} is a file; --to needs a folder")
    try:
        result = write_wiki(archive, folder, tasks=args.tasks)
    except OSError as error:
        return fail(f"cannot write the wiki in {folder}: {describe_os_error(error)}")
    total = len(result.written) + len(result.unchanged)
    print(f"{folder}: {total} pages, {len(result.written)} written, {len(result.unchanged)} unchanged")
    for name in result.written:
        print(f"  wrote {name}")
    return 0
