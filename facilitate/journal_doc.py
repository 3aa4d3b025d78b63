"""docs/journal.md, written from the event classes themselves.

    uv run python -m facilitate.journal_doc          rewrite docs/journal.md

Each event's description is its class's docstring; each field's is the
docstring under it in the class (read from the source). The suite compares
the file with `render()` (tests/unit/test_journal.py), so the documented
schema cannot drift from the one replay reads.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import msgspec

from facilitate import events, kinds

DOC = Path(__file__).resolve().parent.parent / "docs" / "journal.md"

_INTRO = """\
# The journal: a meeting in progress, event by event

*Written by `uv run python -m facilitate.journal_doc` from the event classes
(`facilitate/events.py` and each kind's module in `facilitate/kinds/`); a
test fails when this page is out of date.*

While a meeting runs, everything that happens in it is appended, and fsynced,
to `archive.live.jsonl` beside the archive before the screen shows it. The
file is JSON Lines, ASCII only:

- the first line is the header: `{{"kind": "facilitate-live", "version": {version},
  "seq": N, "wall": T, "meeting": {{...}}}}`, a snapshot of the meeting (the
  same record the archive stores, docs/interchange.md) as it stood at event
  number `seq`, taken at Unix time `wall`;
- every later line is one event, applied in order over the snapshot.

A crash loses nothing acknowledged: the next start replays the events over
the snapshot and the meeting is as it was, timings included. A last line cut
short by the crash (it was never acknowledged) is dropped. Any other line
that cannot be read, or whose event cannot be applied (written by a newer
facilitate, or damaged), is never dropped in silence: it is kept with the
meeting in its `unread` list (the line as written, and why), which the next
snapshot and then the archive keep, and the facilitator is told when the
meeting resumes.

Every event is a JSON object whose `op` names it. Its fields are listed
below; a field with a default may be left out, and fields an event does not
know are ignored. Records inside events (an item, a segment, a proposal, a
matter) are as the archive stores them, described in docs/interchange.md.
Numbers are finite; moments are ISO 8601 text.
"""


def _field_docs(cls: type) -> dict[str, str]:
    """The docstring under each field of a class, read from its source."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for statement, following in zip(body, body[1:]):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = " ".join(following.value.value.split())
    return docs


def _all_field_docs(cls: type) -> dict[str, str]:
    docs: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if base is not object and isinstance(base, type) and issubclass(base, msgspec.Struct):
            docs.update(_field_docs(base))
    return docs


_NAMES = {str: "text", int: "whole number", float: "number", bool: "true/false", type(None): "null", Any: "any"}


def type_name(tp: Any) -> str:
    """A field's type in words: `text`, `list of text`, `an Item (docs/interchange.md)`."""
    if tp in _NAMES:
        return _NAMES[tp]
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        parts = [type_name(arg) for arg in get_args(tp) if arg is not msgspec.UnsetType]
        return " or ".join(parts)
    if origin is list:
        (item,) = get_args(tp) or (Any,)
        return f"list of {type_name(item)}"
    if origin is dict:
        _, value = get_args(tp) or (str, Any)
        return f"object of {type_name(value)}"
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"{tp.__name__} record (docs/interchange.md)"
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return f"{tp.__name__} (below)"
    return getattr(tp, "__name__", str(tp))


def _default(field: msgspec.structs.FieldInfo) -> str:
    if field.default is msgspec.NODEFAULT and field.default_factory is msgspec.NODEFAULT:
        return "required"
    if field.default is msgspec.UNSET:
        return "left out: unchanged"
    value = field.default if field.default is not msgspec.NODEFAULT else field.default_factory()
    return f"`{msgspec.json.encode(value).decode()}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _fields_table(cls: type, *, envelope: bool) -> list[str]:
    docs = _all_field_docs(cls)
    hints = typing.get_type_hints(cls)
    rows = []
    for field in msgspec.structs.fields(cls):
        if (field.name in events._ENVELOPE) != envelope:
            continue
        meaning = docs.get(field.name, "")
        rows.append(
            f"| `{field.encode_name}` | {_cell(type_name(hints[field.name]))} | {_cell(_default(field))} | {_cell(meaning)} |"
        )
    if not rows:
        return ["No fields of its own."]
    return ["| Field | Type | Default | Meaning |", "| --- | --- | --- | --- |", *rows]


def _describe(cls: type[msgspec.Struct]) -> list[str]:
    tag = cls.__struct_config__.tag
    doc = " ".join((cls.__doc__ or "").split())
    return [f"### `{tag}`", "", doc, "", *_fields_table(cls, envelope=False), ""]


def render() -> str:
    lines = [_INTRO.format(version=events.JOURNAL_VERSION), "## Versions", ""]
    for version, what in sorted(events.HISTORY.items()):
        lines.append(f"- **{version}**: {what}")
    lines += [
        "",
        f"This facilitate writes version {events.JOURNAL_VERSION} and reads every version up to it; "
        "a file of a later version is refused, never half read.",
        "",
        "## What every event carries",
        "",
        *_fields_table(events.Event, envelope=True),
        "",
    ]
    for heading, classes in events.documented():
        lines += [f"## {heading}", ""]
        if heading.startswith("Kind"):
            name = heading.split("`")[1]
            lines += [kinds.get(name).description, ""]
        for cls in classes:
            lines += _describe(cls)
    lines += ["## Records inside events", ""]
    for record in (events.ItemChanges, events.ProposalChanges):
        doc = " ".join((record.__doc__ or "").split())
        lines += [f"### {record.__name__}", "", doc, "", *_fields_table(record, envelope=False), ""]
    count = len(events.event_types())
    lines += [f"{count} kinds of event in all.", ""]
    return "\n".join(lines)


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    print(f"Written {DOC}")


if __name__ == "__main__":
    main()
