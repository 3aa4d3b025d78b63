"""`facilitate run`: plan and run a new meeting straight away."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitate.commands import Subparsers


def add_parser(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("run", help="plan and run a new meeting", parents=[common])
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from facilitate.__main__ import open_app

    return open_app(args, start="plan")
