"""The `facilitate` command.

    facilitate                 open the app (home screen)
    facilitate run             plan a new meeting straight away
    facilitate formats         list the meeting formats and where they come from

`--db PATH` (or `$FACILITATE_DB`) picks the archive. The Textual app is
imported only by the commands that open it, so the others start quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from facilitate import __version__
from facilitate.paths import DB_ENV, resolve_db_path


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help=f"the archive file (default: ${DB_ENV}, else your user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitate",
        description="A calm, keyboard-first assistant for facilitating open meetings.",
    )
    parser.add_argument("--version", action="version", version=f"facilitate {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--read-only", action="store_true", help="open past meetings without changing anything")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="plan and run a new meeting")
    _common(run, suppress=True)

    formats = commands.add_parser("formats", help="list the meeting formats and where each comes from")
    _common(formats, suppress=True)
    return parser


def cmd_formats(args: argparse.Namespace) -> int:
    from facilitate.paths import user_formats_dir
    from formats import load_library

    folder = user_formats_dir()
    library = load_library(folder)
    width = max((len(f.id) for f in library), default=10)
    for fmt in library:
        source = fmt.source
        if fmt.id in library.replaced:
            source += " (replaces the built-in)"
        print(f"{fmt.id:<{width}}  {fmt.name} [{fmt.kind}, {fmt.minutes:g} min]  {source}")
    print(f"\nYour own formats go in {folder}")
    for error in library.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if library.errors else 0


def cmd_app(args: argparse.Namespace, start: str) -> int:
    from facilitate.lock import ArchiveLock, LockedError

    db_path = resolve_db_path(args.db)
    if db_path.is_dir():
        print(f"facilitate: {db_path} is a folder; --db needs a file path", file=sys.stderr)
        return 2
    lock = ArchiveLock.for_archive(db_path)
    read_only = args.read_only
    if not read_only:
        try:
            lock.acquire()
        except LockedError as error:
            print(f"facilitate: {error}", file=sys.stderr)
            return 3
        except OSError as error:
            print(f"facilitate: cannot use {db_path.parent}: {error.strerror}", file=sys.stderr)
            return 2
    try:
        from screens.app import run_app

        run_app(db_path, start=start, read_only=read_only)
    finally:
        lock.release()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "formats":
        return cmd_formats(args)
    if args.command in (None, "run"):
        return cmd_app(args, "plan" if args.command == "run" else "home")
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
