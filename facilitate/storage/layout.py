"""The archive file, one record a line, and a table that keeps its records encoded.

The archive is the JSON document TinyDB reads, `{"meetings": {"1": {...}, ...},
"people": {...}, ...}`, and stays so. facilitate writes it with a line break
before each table and each record:

    {
    "meetings":{
    "1":{"id":"3f2a...","title":"November open meeting",...},
    "2":{...}
    },
    "people":{
    "1":{...}
    }
    }

Records are compact, ASCII-only JSON (`\\n` inside text is escaped), so each
is exactly one line. That lets the archive be read without building every
record at once, and written without encoding every record again:

- `read_layout(path)` splits a file in this layout into tables; the meetings
  table becomes a `DocTable`, which keeps each meeting as its JSON bytes and
  decodes one only when asked. Thousands of meetings then take about the
  file's size in memory instead of several times it, and the cyclic garbage
  collector has nothing to scan in them (bytes hold no references).
- `dump_layout(tables)` writes the file back, re-encoding only the records
  that changed.

A file in any other layout (written by hand, by TinyDB itself or by an older
facilitate) is not recognised here; the archive then reads it whole with
`json.loads`, and the next save writes it in this layout.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, Iterator

import msgspec

_DECODER = msgspec.json.Decoder()


def decode(raw: bytes) -> Any:
    """A record from its bytes, as `json.loads` reads it. msgspec's decoder is quicker; what it
    refuses and json reads (NaN, Infinity, a lone surrogate) is read by json, and what neither
    reads raises `ValueError`."""
    try:
        return _DECODER.decode(raw)
    except msgspec.DecodeError:
        return json.loads(raw)


def encode(doc: Any) -> bytes:
    """A record as the archive stores it: compact, ASCII-only JSON (any text encodes, even a lone surrogate)."""
    return json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class DocTable(MutableMapping[str, Any]):
    """A TinyDB table (document key to document) whose documents stay encoded until used.

    The mapping interface behaves as a dict of documents: a document it hands
    out is kept decoded (its holder may change it, as TinyDB and migrations
    do) and is encoded again when the file is next written. The archive's own
    readers use `peek`, which decodes a fresh copy and keeps nothing.
    """

    __slots__ = ("_raw", "_live", "_top")

    def __init__(self, raw: dict[str, bytes] | None = None) -> None:
        self._raw: dict[str, bytes | None] = dict(raw) if raw else {}
        """Every key, in order, with its encoded document (None while only the decoded one is current)."""
        self._live: dict[str, Any] = {}
        """Documents handed out or set, decoded: they are the current version."""
        self._top = -1

    @classmethod
    def from_docs(cls, docs: dict[str, Any]) -> DocTable:
        """A table holding already decoded documents (from a file read whole)."""
        table = cls()
        for key, doc in docs.items():
            table._raw[key] = None
            table._live[key] = doc
        return table

    # -- the mapping ------------------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        doc = self._live.get(key)
        if doc is not None or key in self._live:
            return doc
        raw = self._raw[key]
        doc = self._live[key] = decode(raw)  # type: ignore[arg-type]
        return doc

    def __setitem__(self, key: str, doc: Any) -> None:
        self._raw[key] = None
        self._live[key] = doc
        self._top = -1

    def __delitem__(self, key: str) -> None:
        del self._raw[key]
        self._live.pop(key, None)
        self._top = -1

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __repr__(self) -> str:
        return f"<DocTable {len(self._raw)} documents, {len(self._live)} decoded>"

    # -- without keeping anything decoded ---------------------------------------------

    def peek(self, key: str, default: Any = None) -> Any:
        """The document at `key` (a fresh copy unless it is held decoded); the caller must not change it."""
        if key in self._live:
            return self._live[key]
        raw = self._raw.get(key)
        if raw is None:
            return default
        return decode(raw)

    def raw(self, key: str) -> bytes:
        """The document at `key`, encoded as the file holds it."""
        if key in self._live:
            return encode(self._live[key])
        raw = self._raw[key]
        assert raw is not None
        return raw

    def is_decoded(self, key: str) -> bool:
        return key in self._live

    def decoded_items(self) -> Iterator[tuple[str, Any]]:
        """The documents currently held decoded."""
        return iter(list(self._live.items()))

    def settle(self, key: str | None = None) -> None:
        """Encode the decoded documents (or the one at `key`) and let them go."""
        keys = list(self._live) if key is None else [key] if key in self._live else []
        for k in keys:
            self._raw[k] = encode(self._live.pop(k))

    def encoded_items(self) -> Iterator[tuple[str, bytes]]:
        """Every key with its document encoded, in order (after `settle`, without encoding anything)."""
        live = self._live
        for key, raw in self._raw.items():
            yield key, (encode(live[key]) if key in live else raw)  # type: ignore[misc]

    def next_id(self) -> int:
        """The document id TinyDB would give the next insert."""
        if self._top < 0:
            self._top = max((int(key) for key in self._raw), default=0)
        self._top += 1
        return self._top


# -- the layout --------------------------------------------------------------------------


def _key(name: str) -> bytes:
    return json.dumps(name, ensure_ascii=True).encode("ascii")


def dump_layout(tables: dict[str, Any]) -> bytes:
    """The whole archive file in the one-record-a-line layout."""
    return b"".join(layout_pieces(tables))


def layout_pieces(tables: dict[str, Any]) -> list[bytes]:
    """The file as pieces to write in order: the records' own bytes are not copied."""
    parts = [b"{\n"]
    names = list(tables)
    for index, name in enumerate(names):
        table = tables[name]
        parts.append(_key(name) + b":{\n")
        if isinstance(table, DocTable):
            records: Iterator[tuple[str, bytes]] = table.encoded_items()
        else:
            records = ((key, encode(doc)) for key, doc in table.items())
        first = True
        for key, raw in records:
            if not first:
                parts.append(b",\n")
            parts += (_key(key), b":", raw)
            first = False
        if not first:
            parts.append(b"\n")
        parts.append(b"},\n" if index < len(names) - 1 else b"}\n")
    parts.append(b"}\n")
    return parts


class NotLayout(Exception):
    """The file is not in the one-record-a-line layout (or is damaged): read it whole instead."""


def read_layout(path: Path, *, lazy: tuple[str, ...] = ("meetings",)) -> tuple[dict[str, Any], int]:
    """Split a file in the layout into tables, and its size. Raises `NotLayout` or OSError.

    Tables named in `lazy` become `DocTable`s of encoded records; the others
    are decoded. Nothing here says what is wrong with a damaged file: reading
    it whole does, with the line and column.
    """
    tables: dict[str, Any] = {}
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        # Three bytes, not the first line: an archive in the old layout is one line,
        # and reading all of it here only to find that out would read the file twice.
        if file.readline(3) != b"{\n":
            raise NotLayout
        lines = iter(file)
        closed = False
        for header in lines:
            if header in (b"}\n", b"}"):
                closed = True
                break
            if not (header.startswith(b'"') and header.endswith(b'":{\n')):
                raise NotLayout
            try:
                name = json.loads(header[:-3])
            except ValueError:
                raise NotLayout from None
            if not isinstance(name, str):
                raise NotLayout
            raw: dict[str, bytes] = {}
            ended = b""
            expect_more = True
            for line in lines:
                if line in (b"},\n", b"}\n", b"}"):
                    ended = line
                    break
                if not expect_more:
                    raise NotLayout
                split = line.find(b'":')
                key = line[1:split]
                if split < 2 or line[:1] != b'"' or not key.isdigit():
                    raise NotLayout
                if line.endswith(b",\n"):
                    doc = line[split + 2 : -2]
                else:
                    doc = line[split + 2 : -1] if line.endswith(b"\n") else line[split + 2 :]
                    expect_more = False
                if doc[:1] != b"{" or doc[-1:] != b"}":
                    raise NotLayout
                raw[key.decode("ascii")] = doc
            if not ended or (expect_more and raw):
                raise NotLayout
            if name in lazy:
                tables[name] = DocTable(raw)
            else:
                try:
                    tables[name] = {key: json.loads(doc) for key, doc in raw.items()}
                except ValueError:
                    raise NotLayout from None
            if ended != b"},\n":
                # The last table: the document's closing brace must follow, then nothing.
                final = next(lines, None)
                if final not in (b"}\n", b"}"):
                    raise NotLayout
                closed = True
                break
        if not closed:
            raise NotLayout
        if file.read().strip():
            raise NotLayout
    return tables, size
