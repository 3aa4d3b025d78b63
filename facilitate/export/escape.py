"""Making what people typed safe to put in markdown and in Slack messages.

Whatever a participant's name or a note contains, the exported page must
keep the structure the exporter gave it: a name cannot end a table cell,
start a heading or a list, become a link or an image, or inject HTML, and a
chat message cannot ping a channel. The approach:

- Markdown punctuation that can start or delimit anything (emphasis, code,
  links, tables, headings, strikethrough, maths in Obsidian and GitLab) is
  backslash-escaped, which CommonMark and GFM define for every ASCII
  punctuation character and every wiki we target honours.
- `<`, `>` and `&` become the entities `&lt;`, `&gt;` and `&amp;`: an entity
  is text, never an HTML token, and `&` must go too so that a typed `&lt;`
  stays four characters instead of turning into `<`.
- What only matters at the start of a line (`-`, `+`, `1.`, `=`) is escaped
  there; lines are stripped so indentation cannot make a code block.
- GFM turns bare `https://...`, `www.` and e-mail addresses into links; an
  escaped `:`, `.` or `@` in the trigger stops that and still reads the same.
- Line breaks: a table cell or heading is one line, so breaks become ` / `;
  a paragraph keeps them as hard breaks (a trailing backslash), never `<br>`.
- Control characters are removed; bidirectional overrides and isolates,
  which would make a line read in another order than it was typed, become a
  visible `�` (`facilitate.output.visible`, the same for every output).

Everything here is pure string work, deterministic, and the same input
always gives the same bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from facilitate.output import visible
from facilitate.text import clean_block

# Backslash-escaped wherever they appear. `%`, `=` and `:` are handled by the
# rules below because escaping them everywhere would make the raw page ugly.
_ALWAYS = frozenset("\\`*_[]#|~$^{}")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

# A list marker or a setext underline at the start of a line.
_LEADING_MARKER = re.compile(r"^([-+=])")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])")
# `%%comment%%` (Obsidian) and `==highlight==` (Obsidian, Wiki.js).
_DOUBLED = re.compile(r"%{2,}|={2,}")
# GFM's extended autolinks: a scheme, `www.`, or an e-mail address.
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|file|xmpp|irc|tel|sms|data|javascript|vbscript):")
_WWW = re.compile(r"(?i)\b(www)\.")
_AT = re.compile(r"@")

# Unicode line and paragraph separators are not line endings to markdown, but
# editors show them as breaks.
_SEPARATORS = re.compile(r"[\u2028\u2029\u0085\u000b\u000c]")

SLACK_BROADCAST = re.compile(r"(?i)@(channel|here|everyone)")
_SLACK_FORMATTING = re.compile(r"([*_~`])")


def _plain(text: str) -> str:
    """Text with control characters gone, bidi controls visible, line endings normalised to `\\n`."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _SEPARATORS.sub("\n", visible(clean_block(text)))


_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _ALWAYS}, **_ENTITIES})


def _escape_chars(line: str) -> str:
    return line.translate(_ESCAPES)


def escape_line(line: str) -> str:
    """One line of user text, escaped for any inline position (no line breaks in it)."""
    line = " ".join(line.split())
    if not line:
        return ""
    line = _escape_chars(line)
    # Each rule only where its characters appear: most lines need none of them.
    if "%" in line or "=" in line:
        line = _DOUBLED.sub(lambda m: "".join("\\" + ch for ch in m.group(0)), line)
    if ":" in line:
        line = _SCHEME.sub(lambda m: m.group(1) + "\\:", line)
    if "." in line:
        line = _WWW.sub(lambda m: m.group(1) + "\\.", line)
    if "@" in line:
        line = _AT.sub(r"\\@", line)
    if line[0] in "-+=":
        line = _LEADING_MARKER.sub(r"\\\1", line)
    elif line[0].isdecimal():  # what `\d` matches
        line = _LEADING_NUMBER.sub(r"\1\\\2", line)
    return visible(line)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in _plain(text).split("\n")]


# Text made only of these, single-spaced, comes out of `inline` unchanged: most
# names, organisations and segment names, which a whole-archive export meets
# hundreds of thousands of times.
_UNCHANGED = re.compile(r"[A-Za-z0-9,'!?; ]*[A-Za-z0-9,'!?;]").fullmatch


def inline(text: str, empty: str = "") -> str:
    """User text for a table cell, a heading, a list item or a link's text: one line.

    Line breaks become ` / ` so a cell stays a cell; `empty` stands in for
    text that has nothing left to show.
    """
    if type(text) is str:
        if _UNCHANGED(text) and "  " not in text and text[0] != " ":
            return text
        return _inline_cached(text, empty)
    return _inline(text, empty)


def _inline(text: str, empty: str) -> str:
    lines = [line for line in _lines(text) if line]
    if not lines:
        return empty
    return escape_line(" / ".join(lines))


_inline_cached = lru_cache(maxsize=50_000)(_inline)


def block(text: str, indent: str = "", empty: str = "") -> str:
    """User text as paragraphs: line breaks kept as hard breaks, blank lines as new paragraphs.

    `indent` goes before every line but the first, for text inside a list item
    (there a blank line would make the list loose, so paragraphs are joined by
    hard breaks too).
    """
    paragraphs: list[list[str]] = [[]]
    for line in _lines(text):
        if line:
            paragraphs[-1].append(escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return empty
    if indent:
        lines = [line for paragraph in paragraphs for line in paragraph]
        return ("\\\n" + indent).join(lines)
    return "\n\n".join("\\\n".join(paragraph) for paragraph in paragraphs)


def slack(text: str, empty: str = "") -> str:
    """User text for a Slack mrkdwn message: one line, nothing that pings, links or formats.

    Slack requires `&`, `<` and `>` as entities (so `<!channel>` is text);
    mrkdwn has no backslash escape, so a zero-width space before `*`, `_`, `~`
    and backticks keeps them from opening bold, italics, strikes or code, and
    a word joiner after `@` keeps `@here` from reaching everyone when the
    message is pasted into the composer.
    """
    lines = [line for line in _lines(text) if line]
    if not lines:
        return empty
    line = " / ".join(lines)
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = SLACK_BROADCAST.sub(lambda m: "@\u2060" + m.group(1), line)
    line = _SLACK_FORMATTING.sub("\u200b\\1", line)
    return visible(line)
