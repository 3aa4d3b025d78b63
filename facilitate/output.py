"""What facilitate writes for people and scripts, made safe in one place.

User text (titles, names, notes) may hold anything an import or an older
archive brought with it: terminal controls (ESC; U+009B, a one-byte CSI that
some terminals act on; a bell), or bidirectional overrides and isolates that
make a line display in another order than its own (U+202E shows
`exe.txt` as `txt.exe`). None of them may act on a terminal, a wiki page or
a spreadsheet, so everything the command line prints and every export
passes through here:

- JSON (`to_json`): each such character as a `\\u` escape. The data is
  unchanged (it reads back exactly) but nothing acts on a terminal.
- Text (markdown, Slack, tab-separated lines, tables, reports, messages:
  `visible`): each replaced by a visible stand-in, C0 controls and DEL by
  their Control Pictures symbol (`␛`, `␇`, `␀`, `␡`), C1 controls, bidi
  overrides and isolates and lone surrogates by `�`. Newlines and tabs stay
  (`one_line` turns them, and other line breaks, into spaces).
- `write_out` and `say` write to standard output and standard error, UTF-8
  whatever the locale, passing the whole text through `visible` last.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must not reach a terminal or a page as itself: C0 controls but tab and newline, DEL,
C1 controls, bidi embeddings, overrides and isolates (and their terminators), lone surrogates."""

REPLACEMENT = "\ufffd"
_PICTURES = {**{chr(code): chr(0x2400 + code) for code in range(0x20)}, "\x7f": "\u2421"}
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def _stand_in(match: re.Match[str]) -> str:
    return _PICTURES.get(match.group(), REPLACEMENT)


def visible(text: str) -> str:
    """`text` with every unsafe character replaced by a visible stand-in (newlines and tabs kept)."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_stand_in, text)


def one_line(text: object, limit: int | None = None) -> str:
    """User text for one line (a table cell, a tab-separated field, a message): breaks become
    spaces, unsafe characters visible, and past `limit` characters it is cut with "…"."""
    text = "" if text is None else str(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return visible(_BREAKS.sub(" ", text)).strip()


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(data: Any, *, indent: int | None = 2) -> str:
    """`data` as JSON: readable UTF-8, with every unsafe character as a `\\u` escape."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    # Unsafe characters can only be inside strings (JSON's own syntax is plain
    # ASCII), so escaping them in the text escapes them in the strings.
    return UNSAFE.sub(_escape, text)


def _write(stream: TextIO, text: str) -> None:
    text = visible(text)
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is None:
            stream.write(text)
            stream.flush()
            return
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    except BrokenPipeError:
        # A reader such as `head` stopped early: not an error worth a trace.
        try:
            sys.stderr.close()
        except OSError:
            pass


def write_out(text: str) -> None:
    """Write to standard output (UTF-8 whatever the locale says), made visible."""
    _write(sys.stdout, text)


def say(text: str) -> None:
    """A line for the person, on standard error, made visible."""
    _write(sys.stderr, text if text.endswith("\n") else text + "\n")
