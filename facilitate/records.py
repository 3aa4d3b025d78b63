"""Walking a stored meeting document tolerantly: the objects in its lists, whatever else is there.

The review and the people rules read meeting documents as the archive holds
them, without building `Meeting`s; a damaged or hand-edited document may have
anything where a list of objects belongs, and these skip what is not one.
"""

from __future__ import annotations

from typing import Any, Iterable


def records(value: Any) -> Iterable[dict[str, Any]]:
    """The objects in a list read from a document; nothing when it is not a list."""
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict):
                yield entry


def proposal_records(segment: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """A segment document's open space sessions and Lean Coffee topics."""
    space = segment.get("open_space")
    if isinstance(space, dict):
        yield from records(space.get("proposals"))
    board = segment.get("lean_coffee")
    if isinstance(board, dict):
        yield from records(board.get("topics"))
