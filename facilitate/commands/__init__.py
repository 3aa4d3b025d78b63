"""The sub-commands of `facilitate`, one module each.

A module here defines `add_parser(subparsers, common)` that registers its
command and arguments, and `run(args) -> int`. It imports what it needs inside
`run`, so `facilitate --help` stays fast. `COMMANDS` lists them in help order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from typing import TypeAlias

    Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
    """What `add_parser` is given: `ArgumentParser.add_subparsers()`'s result."""

COMMANDS = [
    "facilitate.commands.run",
    "facilitate.commands.room",
    "facilitate.commands.formats",
    "facilitate.commands.export",
    "facilitate.commands.import_",
    "facilitate.commands.history",
    "facilitate.commands.actions",
]
