"""`facilitate formats`: every meeting format and where it comes from."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "formats", help="list the meeting formats and where each comes from", parents=[common]
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
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
