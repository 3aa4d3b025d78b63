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
    # Bidi overrides and isolates are shown, never obeyed.
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "\ufffd", line)


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


# -- the wiki export's cache and batched writes ------------------------------------------------

import json  # noqa: E402
import stat  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from bench.generate import write_archive  # noqa: E402
from facilitate.archive import Archive  # noqa: E402
from facilitate.export import wiki  # noqa: E402
from facilitate.export.interchange import archive_bundle  # noqa: E402
from facilitate.models import Meeting, new_id  # noqa: E402


@pytest.fixture
def big(tmp_path) -> Path:
    """Enough meetings for the batched writer (more than `wiki.BATCH` pages)."""
    path = tmp_path / "data" / "archive.json"
    write_archive(path, 60, seed=8)
    return path


def plain_pages(archive: Archive, tasks: bool = False) -> dict[str, bytes]:
    """What the wiki holds when every page is rendered from the archive, no cache involved."""
    bundle = archive_bundle(archive.open())
    return {name: text.encode() for name, text in wiki.render_wiki(bundle.meetings, bundle.people, tasks=tasks).items()}


def folder_pages(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def counting(monkeypatch, archive: Archive) -> list[str]:
    decoded: list[str] = []
    real = archive.meeting_from_text
    monkeypatch.setattr(archive, "meeting_from_text", lambda key, raw: (decoded.append(key), real(key, raw))[1])
    return decoded


def test_a_first_export_in_one_batch_is_every_page_whole_and_private(big, tmp_path):
    folder = tmp_path / "wiki"
    result = wiki.write_wiki(Archive(big, read_only=True), folder)
    assert len(result.written) == 63 and not result.unchanged
    assert folder_pages(folder) == plain_pages(Archive(big, read_only=True))
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert not list(folder.glob(".*.tmp"))
    cache = next((big.parent / "archive.json.wiki-cache").iterdir())
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700


def test_again_with_nothing_changed_decodes_nothing(big, tmp_path, monkeypatch):
    folder = tmp_path / "wiki"
    wiki.write_wiki(Archive(big, read_only=True), folder)
    archive = Archive(big, read_only=True)
    decoded = counting(monkeypatch, archive)
    result = wiki.write_wiki(archive, folder)
    assert decoded == [] and result.written == [] and len(result.unchanged) == 63


def test_a_new_meeting_decodes_only_itself_and_rewrites_only_what_lists_it(big, tmp_path, monkeypatch):
    folder = tmp_path / "wiki"
    wiki.write_wiki(Archive(big, read_only=True), folder)
    writable = Archive(big).open()
    extra = writable.meeting(writable.listings()[0].id)
    extra.id, extra.title = new_id(), "One more meeting"
    extra.started_at = extra.planned_start = "2026-12-30T10:00:00+00:00"  # a page name of its own
    writable.save_meeting(extra)
    archive = Archive(big, read_only=True)
    decoded = counting(monkeypatch, archive)
    result = wiki.write_wiki(archive, folder)
    assert len(decoded) == 1
    assert wiki.INDEX in result.written and len(result.written) <= 4
    assert folder_pages(folder) == plain_pages(Archive(big, read_only=True))


def test_a_page_edited_or_removed_by_hand_is_put_back(big, tmp_path, monkeypatch):
    folder = tmp_path / "wiki"
    wiki.write_wiki(Archive(big, read_only=True), folder)
    pages = sorted(p for p in folder.iterdir() if p.name not in (wiki.INDEX, wiki.ACTIONS, wiki.PEOPLE))
    pages[0].write_text("edited by hand", encoding="utf-8")
    pages[1].unlink()
    archive = Archive(big, read_only=True)
    decoded = counting(monkeypatch, archive)
    result = wiki.write_wiki(archive, folder)
    assert sorted(result.written) == sorted([pages[0].name, pages[1].name])
    assert len(decoded) == 2
    assert folder_pages(folder) == plain_pages(Archive(big, read_only=True))


def test_a_damaged_or_foreign_cache_only_costs_time(big, tmp_path):
    folder = tmp_path / "wiki"
    wiki.write_wiki(Archive(big, read_only=True), folder)
    cache = next((big.parent / "archive.json.wiki-cache").iterdir())
    cache.write_text("{not json", encoding="utf-8")
    (folder / wiki.INDEX).write_text("stale", encoding="utf-8")
    result = wiki.write_wiki(Archive(big, read_only=True), folder)
    assert result.written == [wiki.INDEX]
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["meetings"] = {digest: [entry[0], "Wrong title", *entry[2:]] for digest, entry in data["meetings"].items()}
    data["archive"] = None
    cache.write_text(json.dumps(data), encoding="utf-8")
    wiki.write_wiki(Archive(big, read_only=True), folder, tasks=True)  # another renderer key: the cache is not used
    assert folder_pages(folder) == plain_pages(Archive(big, read_only=True), tasks=True)


def test_a_cache_that_cannot_be_written_does_not_stop_the_export(big, tmp_path, monkeypatch):
    def refuse(path, data):
        if "wiki-cache" in str(path):
            raise PermissionError(13, "Permission denied")
        return real(path, data)

    real = wiki.atomic_write
    monkeypatch.setattr(wiki, "atomic_write", refuse)
    folder = tmp_path / "wiki"
    result = wiki.write_wiki(Archive(big, read_only=True), folder)
    assert len(result.written) == 63


def test_a_meeting_saved_by_hand_with_a_new_title_is_seen(big, tmp_path):
    folder = tmp_path / "wiki"
    wiki.write_wiki(Archive(big, read_only=True), folder)
    writable = Archive(big).open()
    meeting: Meeting = writable.meeting(writable.listings()[5].id)
    meeting.title = "Retitled [b]x[/b]"
    writable.save_meeting(meeting)
    wiki.write_wiki(Archive(big, read_only=True), folder)
    assert folder_pages(folder) == plain_pages(Archive(big, read_only=True))


def test_a_damaged_meeting_is_named(big, tmp_path):
    from facilitate.archive import ArchiveError
    from facilitate.packing import settings_of, unpack
    from facilitate.storage.layout import dump_layout

    data = json.loads(big.read_bytes())
    key = list(data["meetings"])[30]
    doc = data["meetings"][key]
    item = unpack(doc, settings_of(data["formats"]))["items"][0]  # stored as a row: in full, then damaged
    doc["items"][0] = {**item, "status": 7}
    big.write_bytes(dump_layout(data))
    with pytest.raises(ArchiveError, match=rf"meeting {key} .*is damaged: items\[0\]\.status"):
        wiki.write_wiki(Archive(big, read_only=True), tmp_path / "wiki")
