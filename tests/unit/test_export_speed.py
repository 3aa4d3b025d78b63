"""The exporters' fast paths give exactly what the plain ones give.

`escape.inline` returns ordinary text unchanged without escaping it, caches
the rest, and `escape_line` skips the rules whose characters a line lacks;
these tests compare them with the plain implementation they replaced.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitate.export import escape
from tests.data import HOSTILE

# The implementation before the fast paths, kept here as the reference.
_ALWAYS = frozenset("\\`*_[]#|~$^{}")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def reference_escape_line(line: str) -> str:
    line = " ".join(line.split())
    if not line:
        return ""
    out = []
    for ch in line:
        if ch in _ALWAYS:
            out.append("\\" + ch)
        elif ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        else:
            out.append(ch)
    line = "".join(out)
    line = re.sub(r"%{2,}|={2,}", lambda m: "".join("\\" + ch for ch in m.group(0)), line)
    line = re.sub(r"(?i)\b(https?|ftp|mailto|file|xmpp|irc|tel|sms|data|javascript|vbscript):", lambda m: m.group(1) + "\\:", line)
    line = re.sub(r"(?i)\b(www)\.", lambda m: m.group(1) + "\\.", line)
    line = re.sub(r"@", r"\\@", line)
    line = re.sub(r"^([-+=])", r"\\\1", line)
    line = re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", line)
    embeddings = sum(line.count(ch) for ch in "\u202a\u202b\u202d\u202e") - line.count("\u202c")
    isolates = sum(line.count(ch) for ch in "\u2066\u2067\u2068") - line.count("\u2069")
    return line + "\u202c" * max(embeddings, 0) + "\u2069" * max(isolates, 0)


def reference_inline(text: str, empty: str = "") -> str:
    lines = [line for line in escape._lines(text) if line]
    if not lines:
        return empty
    return reference_escape_line(" / ".join(lines))


ALPHABET = st.sampled_from(list("aZ09 ,'!?;.:-+=%@#*_[]()&<>\\|~$^{}`/\n\t") + ["www.", "http:", "١", "\u202e", "\u2066", "é", "  "])
TEXT = st.lists(ALPHABET, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXT, st.sampled_from(["", "(no text)"]))
def test_inline_matches_the_plain_implementation(text, empty):
    assert escape.inline(text, empty) == reference_inline(text, empty)
    assert escape.escape_line(text.replace("\n", " ")) == reference_escape_line(text.replace("\n", " "))


def test_hostile_text_and_names_escape_as_before():
    samples = [*HOSTILE, "Asha Patel", "Age UK", "Mill Road Surgery", "1. first", "3) third", "٣. Arabic digit",
               "- dash", "+ plus", "= equals", "==x==", "%%c%%", "www.example.org", "https://x", "a@b", "O'Brien, Mo"]  # fmt: skip
    for text in samples:
        assert escape.inline(text) == reference_inline(text), text
        assert escape.inline(text, "(empty)") == reference_inline(text, "(empty)"), text


def test_ordinary_text_comes_back_as_it_is():
    for text in ("Asha Patel", "Age UK", "Check-in", "Open conversation"):
        assert escape.inline(text) == reference_inline(text)
    assert escape.inline("Asha Patel") == "Asha Patel"
