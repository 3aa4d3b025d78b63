"""The archive as a wiki folder: stable names, linked overview pages, and no needless rewrites."""

from __future__ import annotations

import copy
import os
import stat

from facilitate.export import wiki
from facilitate.export.wiki import ACTIONS, INDEX, PEOPLE, page_name, page_names, slug, write_wiki
from tests.fixtures import (
    all_tokens,
    archive_meetings,
    assert_safe,
    headings,
    parse_markdown,
    plain_meeting,
    small_archive,
    tables,
)

MEETING_PAGES = [
    "2026-08-01-a-one-off.md",
    "2026-09-24-east-icb-open-meeting.md",
    "2026-10-29-east-icb-open-meeting.md",
    "2026-11-12-carers-forum.md",
    "2026-11-26-east-icb-open-meeting.md",
    "2026-11-26-east-icb-open-meeting-2.md",
]


def links(text: str) -> list[tuple[str, str]]:
    tokens = list(all_tokens(parse_markdown(text)))
    result = []
    for index, token in enumerate(tokens):
        if token.type == "link_open":
            label = []
            for following in tokens[index + 1 :]:
                if following.type == "link_close":
                    break
                label.append(following.content)
            result.append((token.attrGet("href"), "".join(label)))
    return result


def test_slugs_and_stable_names():
    assert slug("East ICB open meeting") == "east-icb-open-meeting"
    assert slug("Zoë's  café | <b>") == "zoe-s-cafe-b"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("👩🏽‍⚕️") == ""
    meeting = plain_meeting("m", "November", "East ICB open meeting", "2026-11-26", [])
    assert page_name(meeting) == "2026-11-26-east-icb-open-meeting.md"
    meeting.series = ""
    assert page_name(meeting) == "2026-11-26-november.md"
    meeting.title = "مريم"
    meeting.started_at = meeting.planned_start = "garbage/../x"
    assert page_name(meeting) == "undated-meeting.md"


def test_clashing_names_are_told_apart_by_start_time_whatever_the_order():
    meetings = archive_meetings()
    names = page_names(meetings)
    assert sorted(names.values()) == sorted(MEETING_PAGES)
    assert names["a1b2c3d4e5f60718"] == "2026-11-26-east-icb-open-meeting.md"
    assert names["m-extra"] == "2026-11-26-east-icb-open-meeting-2.md"
    assert page_names(list(reversed(meetings))) == names
    # A meeting whose own name looks like a numbered twin does not steal it.
    twin = plain_meeting("z", "x", "East ICB open meeting 2", "2026-11-26", [])
    both = page_names(meetings + [twin])
    assert both["m-extra"] != both["z"] and len(set(both.values())) == len(both)


def test_the_folder(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    folder = tmp_path / "wiki"
    result = write_wiki(archive, folder)
    assert sorted(result.written) == sorted(MEETING_PAGES + [INDEX, ACTIONS, PEOPLE]) and not result.unchanged
    assert sorted(os.listdir(folder)) == sorted(result.written)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in result.written:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def test_index_lists_meetings_by_series_newest_first_with_relative_links(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    write_wiki(archive, tmp_path / "wiki")
    text = (tmp_path / "wiki" / INDEX).read_text(encoding="utf-8")
    tokens = parse_markdown(text)
    assert headings(tokens) == [
        (1, "Meetings"),
        (2, "Carers | forum"),
        (2, "East ICB open meeting"),
        (2, "Other meetings"),
    ]
    found = links(text)
    assert found[:2] == [(ACTIONS, "Open actions"), (PEOPLE, "People")]
    assert [href for href, _ in found[2:]] == [
        "2026-11-12-carers-forum.md",
        "2026-11-26-east-icb-open-meeting-2.md",
        "2026-11-26-east-icb-open-meeting.md",
        "2026-10-29-east-icb-open-meeting.md",
        "2026-09-24-east-icb-open-meeting.md",
        "2026-08-01-a-one-off.md",
    ]
    assert found[4][1] == "Thu 26 Nov 2026: November open meeting | <script>alert(1)</script>"
    assert_safe(tokens, allowed_links={href for href, _ in found})
    for href, _ in found:
        assert (tmp_path / "wiki" / href).is_file()


def test_actions_page_has_open_actions_by_owner_linked_to_their_meeting(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    write_wiki(archive, tmp_path / "wiki")
    text = (tmp_path / "wiki" / ACTIONS).read_text(encoding="utf-8")
    tokens = parse_markdown(text)
    # By owner as they stand now: later follow-ups gave Asha's and 1. list's actions to others.
    assert [h for _, h in headings(tokens)] == [
        "Open actions", "<!channel>", "[x](javascript:alert(1))", "Cai Jones", "Zoë Ångström",
    ]  # fmt: skip
    rows = [row for table in tables(tokens) for row in table[1:]]
    texts = [row[0] for row in rows]
    # Done and dropped actions are not here; "Book the room" was given to Zoë at matters arising.
    assert (
        "Write to the trust | board" not in texts and "# heading" not in texts and "Book the room (done)" not in texts
    )
    assert texts.count("Book the room") == 1
    assert len(rows) == 6
    zoe = tables(tokens)[-1]
    assert [row[1] for row in zoe[1:]] == ["Thu 3 Dec 2026", "Thu 10 Dec 2026", "Fri 18 Dec 2026"], "due dates as now"
    assert_safe(tokens, allowed_links={INDEX} | set(MEETING_PAGES))
    hrefs = [href for href, _ in links(text)]
    assert hrefs.count("2026-11-26-east-icb-open-meeting.md") == 3


def test_people_page(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    write_wiki(archive, tmp_path / "wiki")
    text = (tmp_path / "wiki" / PEOPLE).read_text(encoding="utf-8")
    tokens = parse_markdown(text)
    people, organisations = tables(tokens)
    assert people[0] == ["Name", "Organisation", "Meetings", "First came", "Last came"]
    assert people[1] == ["Cai Jones", "Council", "4", "Sat 1 Aug 2026", "Thu 26 Nov 2026"]
    assert people[2][:3] == ["Asha Patel", "Age UK", "3"]
    assert len(people) == 11
    assert organisations[1] == ["Council", "1", "4"]
    assert_safe(tokens, allowed_links={INDEX})


def test_a_second_run_rewrites_nothing(tmp_path, monkeypatch):
    archive = small_archive(tmp_path / "archive.json")
    folder = tmp_path / "wiki"
    write_wiki(archive, folder)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    writes = []
    real_write = wiki.atomic_write
    monkeypatch.setattr(wiki, "atomic_write", lambda path, data: (writes.append(path.name), real_write(path, data)))
    result = write_wiki(archive, folder)
    assert writes == [] and result.written == [] and len(result.unchanged) == 9
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_one_new_meeting_rewrites_only_its_page_and_the_lists(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    folder = tmp_path / "wiki"
    write_wiki(archive, folder)
    archive.save_meeting(plain_meeting("m-dec", "December open meeting", "East ICB open meeting", "2026-12-17",
                                       [("p01", "Asha Patel", "Age UK")]))  # fmt: skip
    result = write_wiki(archive, folder)
    assert sorted(result.written) == ["2026-12-17-east-icb-open-meeting.md", INDEX, PEOPLE]


def test_files_that_are_not_ours_are_left_alone(tmp_path):
    archive = small_archive(tmp_path / "archive.json")
    folder = tmp_path / "wiki"
    folder.mkdir(mode=0o755)
    (folder / "Home.md").write_text("our wiki home")
    write_wiki(archive, folder)
    assert (folder / "Home.md").read_text() == "our wiki home"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755  # a folder the user made keeps its mode


def test_pages_are_deterministic():
    meetings = archive_meetings()
    assert wiki.render_wiki(meetings, []) == wiki.render_wiki(copy.deepcopy(meetings)[::-1], [])
