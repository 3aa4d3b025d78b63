"""The `facilitate` command.

    facilitate                 open the app (home screen)
    facilitate run             plan a new meeting straight away
    facilitate formats         list the meeting formats and where they come from

`--db PATH` (or `$FACILITATE_DB`) picks the archive. Sub-commands live in
`facilitate.commands`; the Textual app is imported only by the commands that
open it, so the others start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from facilitate import __version__
from facilitate.commands import COMMANDS
from facilitate.paths import DB_ENV, resolve_db_path


def common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after its name."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS if suppress else None,
        help=f"the archive file (default: ${DB_ENV}, else your user data folder)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitate",
        description="A calm, keyboard-first assistant for facilitating open meetings.",
        parents=[common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"facilitate {__version__}")
    parser.add_argument("--read-only", action="store_true", help="open past meetings without changing anything")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options(suppress=True)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(subparsers, common)
    return parser


def open_app(args: argparse.Namespace, start: str = "home") -> int:
    """Open the app on the archive, holding its lock for as long as it runs."""
    from facilitate.lock import ArchiveLock, LockedError

    db_path = resolve_db_path(args.db)
    if db_path.is_dir():
        print(f"facilitate: {db_path} is a folder; --db needs a file path", file=sys.stderr)
        return 2
    read_only = getattr(args, "read_only", False)
    lock = ArchiveLock.for_archive(db_path)
    if not read_only:
        try:
            lock.acquire()
        except LockedError as error:
            print(f"facilitate: {error}", file=sys.stderr)
            return 3
        except OSError as error:
            print(f"facilitate: cannot use {db_path.parent}: {error.strerror}", file=sys.stderr)
            return 2
        from facilitate.recovery import remove_leftovers

        # Holding the lock, nobody else is writing: temporary files are a killed process's.
        remove_leftovers(db_path)
    try:
        from screens.app import run_app

        run_app(db_path, start=start, read_only=read_only)
    finally:
        lock.release()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        return open_app(args, start="home")
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
