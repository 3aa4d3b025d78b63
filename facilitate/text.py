"""Cleaning what people type before it is kept.

Text is stored as typed, minus what can only do harm: control characters
(ANSI escapes, NUL, bells) that would drive the terminal instead of being
read. Everything else, markup-like brackets included, is kept and shown
literally by the screens and escaped by the exporters.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except newline and tab, plus DEL; and lone surrogates (a
# broken paste), which no UTF-8 file, page or terminal can take.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidirectional overrides and isolates can reorder a line when shown; they are
# kept (right-to-left text needs them) but never allowed to leak past the line.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean_line(text: str) -> str:
    """One line of text: escapes and controls removed, whitespace collapsed at the ends."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return text.strip()


def clean_block(text: str) -> str:
    """Multi-line text (a note): escapes and controls removed, line breaks kept."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("", text)
    return text.strip()


def pasted_line(text: str) -> tuple[str, int]:
    """Pasted text made one line for an entry: its lines joined with " / ", blank ones dropped.

    Returns the line and how many lines went into it, so that the screen can say so.
    """
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line]
    if not kept:
        return "", 0
    # A space at either end of the paste is kept (one): " world" pasted after "hello" is two words.
    before = " " if text[:1].isspace() and text[:1] not in "\r\n" else ""
    after = " " if text[-1:].isspace() and text[-1:] not in "\r\n" else ""
    return before + " / ".join(kept) + after, len(kept)


def name_key(name: str) -> str:
    """How two spellings of a name are compared: case, accents' forms and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def first_word(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 meeting`, `2 meetings`, `1 person`, `3 people` (`many` for a plural not made with -s)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
