"""`facilitate room`: the meeting in progress, for the screen the room looks at.

    facilitate room                     full screen in this terminal (put it on the projector)
    facilitate room --theme dark        the dark theme (the light projector theme is the default)
    facilitate room --web               in a browser instead: serves http://127.0.0.1:PORT/
    facilitate room --web --lan         to other devices on this network, with a join code and a QR code

Read-only: it follows the meeting's journal beside the archive, and never
writes the archive, the journal or the lock, so it runs beside the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from facilitate.output import say

if TYPE_CHECKING:
    from facilitate.commands import Subparsers
    from facilitate.web.server import RoomServer


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "room",
        help="show the meeting in progress to the room (a second terminal, or a browser with --web)",
        description=__doc__.split("\n\n")[0],
        parents=[common],
    )
    parser.add_argument("--theme", choices=("projector", "dark"), default="projector",
                        help="projector: dark on light, high contrast (default); dark: light on black")  # fmt: skip
    parser.add_argument("--web", action="store_true", help="serve the room's view to a browser instead")
    parser.add_argument("--port", type=int, default=8765, help="the port for --web (default 8765; 0 picks a free one)")
    parser.add_argument(
        "--lan",
        action="store_true",
        help="with --web: open the view to this network (this machine's private address, a join code in the link)",
    )
    parser.add_argument("--lan-address", metavar="IP", help="with --lan: the address to serve on, if not the one chosen")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from facilitate.storage.paths import live_path_for, resolve_db_path

    live_path = live_path_for(resolve_db_path(args.db))
    if args.lan and not args.web:
        say("facilitate room: --lan goes with --web (the browser view)")
        return 2
    if args.web:
        return serve(args, live_path)
    from facilitate.__main__ import has_terminal

    if not has_terminal():
        say("facilitate room: the room's view needs a terminal; `facilitate room --web` serves it to a browser.")
        return 2
    from facilitate.room.follower import JournalFollower
    from screens.room import RoomApp

    RoomApp(JournalFollower(live_path), theme=args.theme).run()
    return 0


def serve(args: argparse.Namespace, live_path: Path) -> int:
    import asyncio

    from facilitate.room.feed import RoomFeed
    from facilitate.room.follower import JournalFollower, follow
    from facilitate.web.server import RoomServer, new_token

    host = "127.0.0.1"
    token = None
    if args.lan:
        from facilitate.web.address import lan_address, usable

        if args.lan_address:
            if not usable(args.lan_address):
                say(f"facilitate room: {args.lan_address} is not a private IPv4 address of a local network")
                return 2
            host = args.lan_address
        else:
            found = lan_address()
            if found is None:
                say(
                    "facilitate room: this machine has no private network address to serve on. Join a Wi-Fi "
                    "network (or a phone's hotspot), or give one with --lan-address."
                )
                return 2
            host = found.address
        token = new_token()

    async def main() -> None:
        import time

        follower = JournalFollower(live_path)
        feed = RoomFeed(lambda: follower.state(time.time()))
        server = RoomServer(feed, host=host, port=args.port, token=token, theme=args.theme)
        try:
            await server.start()
        except OSError as error:
            say(f"facilitate room: cannot serve on {host}:{args.port}: {error.strerror or error}")
            raise SystemExit(2) from None
        announce(server, lan=args.lan)
        try:
            await follow(follower, feed.publish)
        finally:
            await server.stop()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def announce(server: RoomServer, *, lan: bool) -> None:
    """The address on standard output, and for the local network a QR code of it."""
    print(f"The room's view: {server.url}", flush=True)
    if lan:
        print("Open it on any device on this network (scan the code); the join code is in the link.")
        if sys.platform == "win32" and sys.stdout.isatty():
            import segno  # through the Windows console's colour calls: its escape codes may be off

            segno.make(server.url, error="l").terminal()
        else:
            from facilitate.phones.join import qr_for_terminal

            print(qr_for_terminal(server.url, colour=sys.stdout.isatty()), flush=True)
        print("Guest Wi-Fi often keeps devices apart: a phone's hotspot is the way round it.")
    print("Ctrl+C stops it.", flush=True)
