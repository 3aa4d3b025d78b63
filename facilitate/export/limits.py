"""How much one import may bring: a size cap per file and per field.

An import file comes from elsewhere (a co-facilitator's laptop, a script, a
hand edit), so it may carry a 50 MB title that would then sit in every
table, page and message. The limits, documented in the README and in
`facilitate import --help`:

- a file over `FILE_LIMIT_MB` megabytes is refused unread (`--max-size MB`
  changes the cap for one import; an archive of many years is well under it);
- in each record, text past its field's limit is cut, and the cut reported:
  `LINE_LIMIT` characters for one-line fields (a title, a series, a name,
  an organisation, an owner), `TEXT_LIMIT` for the rest (notes, decisions,
  session reports: a long paste fits). Both are far above what a meeting's
  record holds (a 10,000-character name typed in a meeting imports whole),
  so that an export of one archive imports whole into another;
- a record whose id (or a reference to one) is longer than `ID_LIMIT`, or
  that has a key longer than `LINE_LIMIT`, is refused whole: facilitate's
  ids are short, and cutting one would tie the record to the wrong thing.

Nothing here echoes the text it cuts: reports say which field and how long.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FILE_LIMIT_MB = 256
LINE_LIMIT = 10_000
TEXT_LIMIT = 1_000_000
ID_LIMIT = 200

LINE_FIELDS = frozenset(
    {
        "title", "series", "facilitator", "name", "organisation", "owner", "new_owner", "by", "meeting_title",
        "format_id", "kind", "status", "state", "outcome", "order", "due_text", "phase",
    }
)  # fmt: skip
"""Fields shown on one line (in tables, headings, lists): `LINE_LIMIT` characters."""
ID_FIELDS = frozenset({"id", "current", "carried_from", "merged_into"})
"""Fields holding ids, besides every `*_id`: `ID_LIMIT`, and never cut."""


@dataclass(frozen=True)
class Limits:
    line: int = LINE_LIMIT
    text: int = TEXT_LIMIT
    ident: int = ID_LIMIT


@dataclass(frozen=True)
class Cut:
    """A field cut to its limit."""

    field: str
    """Where in the record, as `items[3].text`."""
    length: int
    kept: int


class Refused(ValueError):
    """A record that cannot be imported as it is."""


@dataclass
class Checked:
    doc: Any
    cuts: list[Cut] = field(default_factory=list)


def is_id_field(name: str) -> bool:
    return name in ID_FIELDS or name.endswith("_id")


def limit_record(doc: Any, limits: Limits = Limits()) -> Checked:
    """`doc` with its text cut to the limits (a copy where anything changed). Raises `Refused`."""
    checked = Checked(doc)
    checked.doc = _walk(doc, "", "", limits, checked.cuts)
    return checked


def _walk(value: Any, path: str, key: str, limits: Limits, cuts: list[Cut]) -> Any:
    if isinstance(value, str):
        if key and is_id_field(key):
            if len(value) > limits.ident:
                raise Refused(f"its {path} is {len(value):,} characters long, too long for an id")
            return value
        limit = limits.line if key in LINE_FIELDS else limits.text
        if len(value) <= limit:
            return value
        cuts.append(Cut(path, len(value), limit))
        return value[:limit]
    if isinstance(value, dict):
        result = {}
        for name, item in value.items():
            if isinstance(name, str) and len(name) > limits.line:
                raise Refused(f"it has a field name {len(name):,} characters long in {path or 'the record'}")
            result[name] = _walk(item, f"{path}.{name}" if path else str(name), str(name), limits, cuts)
        return result
    if isinstance(value, list):
        # Items of a list take the list's limit (a list of ids stays a list of ids).
        return [_walk(item, f"{path}[{index}]", key, limits, cuts) for index, item in enumerate(value)]
    return value
