"""Escaping user text for markdown and Slack: it reads the same and builds nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from facilitate.export.escape import block, inline, slack
from facilitate.output import visible
from facilitate.text import clean_block
from tests.data import HOSTILE, INJECTION, LONG
from tests.fixtures import all_tokens, assert_safe, parse_markdown, plain, structure

# Text that leans on markdown's punctuation, with anything else mixed in.
PUNCTUATION = list("|#*_`<>[]()!-+=.:;\\~$^%&@{}'\"/ \n\r\t1234567890")
PIECES = ["https://", "www.", "<!channel>", "&lt;", "```", "@here", "\n\n", "\n- ", "\n1. ", "\n    ", "~~"]
hostile_text = st.lists(
    st.one_of(st.sampled_from(PUNCTUATION + PIECES), st.characters(), st.text(max_size=5)), max_size=25
).map("".join)


def normal(text: str, separator: str = " / ") -> str:
    """What a person should read back: lines cleaned, spaces collapsed, breaks as the separator."""
    lines = [" ".join(line.split()) for line in re.split(r"[\n\u2028\u2029\x85\x0b\x0c]", clean_block(text))]
    return visible(separator.join(line for line in lines if line)) if any(lines) else ""


def paragraph_text(markdown: str) -> str:
    tokens = parse_markdown(markdown)
    inlines = [t for t in tokens if t.type == "inline"]
    return "\n".join(plain(t) for t in inlines)


@pytest.mark.parametrize("text", HOSTILE + [LONG])
def test_hostile_text_reads_back_as_typed_and_builds_nothing(text):
    for markdown in (inline(text), "- " + inline(text), "## " + inline(text), "| " + inline(text) + " |\n| --- |"):
        tokens = parse_markdown(markdown)
        assert_safe(tokens)
    assert paragraph_text(inline(text)) == normal(text)


@pytest.mark.parametrize("text", INJECTION)
def test_injection_strings_stay_in_their_place(text):
    # A list item stays one item, a heading one heading, a table one cell wide.
    assert structure(parse_markdown("- " + inline(text))) == [
        ("bullet_list_open",),
        ("list_item_open",),
        ("paragraph_open",),
    ]
    assert structure(parse_markdown("# " + inline(text))) == [("heading", "h1")]
    table = structure(parse_markdown(f"| a | b |\n| --- | --- |\n| {inline(text)} | x |"))
    assert table.count(("cell",)) == 4
    assert structure(parse_markdown(inline(text))) == [("paragraph_open",)]


def test_examples():
    assert inline("a | b") == r"a \| b"
    assert inline("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert inline("[x](javascript:alert(1))") == r"\[x\](javascript\:alert(1))"
    assert inline("1. list") == r"1\. list"
    assert inline("- item") == r"\- item"
    assert inline("# heading") == r"\# heading"
    assert inline("line one\nline two") == "line one / line two"
    assert inline("  ") == "" and inline("", "–") == "–"
    assert inline("AT&T") == "AT&amp;T"
    assert inline("&lt;") == "&amp;lt;"


def test_autolinks_are_defused_even_with_linkify():
    md = MarkdownIt("gfm-like")  # linkify on, as GitHub's extended autolinks are
    for text in ("see https://evil.example/x", "www.evil.example", "mailto:someone@evil.example"):
        tokens = md.parse(inline(text))
        assert not [t for t in all_tokens(tokens) if t.type == "link_open"], text
        assert paragraph_text(inline(text)) == text


def test_block_keeps_line_breaks_and_paragraphs():
    text = "First line\n- not a list\n\n\n# not a heading\n===\n    not code"
    markdown = block(text)
    tokens = parse_markdown(markdown)
    assert structure(tokens) == [("paragraph_open",), ("paragraph_open",)]
    assert [plain(t) for t in tokens if t.type == "inline"] == [
        "First line\n- not a list",
        "# not a heading\n===\nnot code",
    ]
    assert_safe(tokens)


def test_block_in_a_list_item_stays_one_item():
    markdown = "- " + block("one\n\ntwo\n- three\n1. four", indent="  ")
    tokens = parse_markdown(markdown)
    assert structure(tokens) == [("bullet_list_open",), ("list_item_open",), ("paragraph_open",)]
    assert paragraph_text(markdown) == "one\ntwo\n- three\n1. four"


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_inline_reads_back_exactly_and_is_one_paragraph(text):
    markdown = inline(text)
    tokens = parse_markdown(markdown)
    assert_safe(tokens)
    assert structure(tokens) in ([], [("paragraph_open",)])
    assert paragraph_text(markdown) == normal(text)
    # In a cell of a two-column table it stays in its cell.
    table = parse_markdown(f"| a | b |\n| --- | --- |\n| {markdown} | x |")
    assert structure(table).count(("cell",)) == 4


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_block_reads_back_line_by_line(text):
    markdown = "- " + block(text, indent="  ", empty="(none)")
    tokens = parse_markdown(markdown)
    assert_safe(tokens)
    assert structure(tokens) == [("bullet_list_open",), ("list_item_open",), ("paragraph_open",)]
    assert paragraph_text(markdown) == (normal(text, "\n") or "(none)")


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_slack_text_cannot_ping_link_or_format(text):
    out = slack(text)
    assert "\n" not in out
    assert "<" not in out and ">" not in out
    assert not re.search(r"@(channel|here|everyone)", out, re.IGNORECASE)
    # Every formatting character follows a zero-width space, so none can open a span.
    assert not re.search(r"(?<!\u200b)[*_~`]", out)
    # Unescaping gives back what was typed.
    back = re.sub("\u200b(?=[*_~`])", "", out)
    back = re.sub("@\u2060(?=(channel|here|everyone))", "@", back, flags=re.IGNORECASE)
    back = back.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert back == normal(text)


def test_slack_examples():
    assert slack("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert slack("@here now") == "@\u2060here now"
    assert slack("*bold*") == "\u200b*bold\u200b*"
