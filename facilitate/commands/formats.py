"""`facilitate formats`: every meeting format and where it comes from."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitate.commands import Subparsers


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "formats", help="list the meeting formats and where each comes from", parents=[common]
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from facilitate.output import one_line, say, write_out
    from facilitate.storage.paths import user_formats_dir
    from formats import load_library

    folder = user_formats_dir()
    library = load_library(folder)
    ids = {fmt.id: one_line(fmt.id, 40) for fmt in library}
    width = max((len(shown) for shown in ids.values()), default=10)
    lines = []
    for fmt in library:
        source = one_line(fmt.source, 200)
        if fmt.id in library.replaced:
            source += " (replaces the built-in)"
        lines.append(f"{ids[fmt.id]:<{width}}  {one_line(fmt.name, 60)} [{one_line(fmt.kind)}, {fmt.minutes:g} min]  {source}")
    lines.append(f"\nYour own formats go in {folder}")
    write_out("\n".join(lines) + "\n")
    for error in library.errors:
        say(f"error: {one_line(str(error), 500)}")
    return 1 if library.errors else 0
