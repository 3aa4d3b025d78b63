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
from typing import Callable

from facilitate import __version__
from facilitate.commands import COMMANDS
from facilitate.storage.paths import DB_ENV, resolve_db_path


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
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open past meetings without changing anything (no lock: works while another facilitate runs)",
    )
    parser.add_argument(
        "--restore-backup",
        action="store_true",
        help="if the archive is damaged, keep it aside and start from the newest backup that opens",
    )
    parser.add_argument(
        "--lan",
        action="store_true",
        help="open the room to phones on this network while a meeting runs (a join code and QR code; F12 shows them)",
    )
    parser.add_argument("--lan-address", metavar="IP", help="with --lan: the address to serve phones on")
    parser.add_argument(
        "--port", type=int, default=8770, help="the port phones reach the app on (default 8770; F12 opens it anyway)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options(suppress=True)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(subparsers, common)
    return parser


NEEDS_TERMINAL = "facilitate needs a terminal; the commands history, actions and export work without one"


def has_terminal() -> bool:
    """Whether the app can run: it reads keys from standard input and draws on standard error (as Textual does)."""
    streams = (sys.__stdin__, sys.__stderr__)
    try:
        return all(stream is not None and stream.isatty() for stream in streams)
    except (ValueError, OSError):  # a closed stream
        return False


def open_app(args: argparse.Namespace, start: str = "home") -> int:
    """Open the app on the archive, holding its lock for as long as it runs."""
    from facilitate.output import say
    from facilitate.storage.errors import describe_os_error
    from facilitate.storage.paths import archive_path_problem

    db_path = resolve_db_path(args.db)
    read_only = getattr(args, "read_only", False)
    restore = getattr(args, "restore_backup", False)
    lan_address = getattr(args, "lan_address", None)
    if lan_address:
        from facilitate.web.address import usable

        if not usable(lan_address):
            say(f"facilitate: {lan_address} is not a private IPv4 address of a local network")
            return 2
    if restore and read_only:
        say("facilitate: --restore-backup changes the archive; it cannot be read-only")
        return 2
    problem = archive_path_problem(db_path)
    if db_path.is_dir() and not restore:
        say(
            f"facilitate: {db_path} is a folder, not an archive file. Give --db a file path, "
            "or move the folder away (--restore-backup keeps it aside and starts from the last backup)."
        )
        return 2
    if problem is not None and not db_path.is_dir():
        say(f"facilitate: {problem}. Give --db the path of an archive file (it is made if it does not exist).")
        return 2
    if not restore and not has_terminal():
        # Said before anything is made: without a terminal the app would wait for keys forever.
        say(f"facilitate: {NEEDS_TERMINAL}.")
        return 2
    from facilitate.storage.lock import ArchiveLock, LockedError

    lock = ArchiveLock.for_archive(db_path)
    notice = ""
    if not read_only:
        try:
            # Starting the app is the one place a missing archive folder is made.
            lock.acquire()
        except LockedError as error:
            say(f"facilitate: {error}")
            return 3
        except OSError as error:
            say(f"facilitate: cannot use {db_path.parent}: {describe_os_error(error)}")
            return 2
        # A full disk may refuse the holder's stamp; the lock holds all the same.
        lock.keep_stamping()
        from facilitate.recovery import NothingToRestore, remove_leftovers, restore_backup

        # Holding the lock, nobody else is writing: temporary files are a killed process's.
        remove_leftovers(db_path)
        if restore:
            try:
                notice = restore_backup(db_path).describe(db_path)
            except NothingToRestore as reason:
                say(f"facilitate: {reason}")
                lock.release()
                return 1
            except OSError as error:
                say(f"facilitate: could not restore: {describe_os_error(error)}")
                lock.release()
                return 1
            say(notice)
        if not has_terminal():
            lock.release()
            return 0  # restored (or repaired) and said so; the app itself needs a terminal
    try:
        from screens.app import run_app

        phones = {
            "phones_lan": getattr(args, "lan", False),
            "phones_address": getattr(args, "lan_address", None),
            "phones_port": getattr(args, "port", 8770),
        }
        app = run_app(db_path, start=start, read_only=read_only, notice=notice, phones=phones)
    finally:
        lock.release()
    archive_error = app.archive_error
    if archive_error is not None:
        # Said again where it stays readable once the app's screen has gone.
        say(
            f"facilitate: the archive cannot be opened: {archive_error}\n"
            "It was left untouched. `facilitate --restore-backup` keeps it aside and starts "
            "from the newest backup that opens."
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        return open_app(args, start="home")
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
