"""JSON interchange: the documented schema, export then import, and merging without loss."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.archive import Archive
from facilitate.export.interchange import (
    FORMAT,
    Bundle,
    InterchangeError,
    archive_bundle,
    dumps,
    loads,
    meeting_bundle,
    merge,
)
from facilitate.models import NOTE, Item, Person
from tests.fixtures import archive_meetings, check_golden, plain_meeting, rich_meeting, small_archive

DOCS = Path(__file__).resolve().parents[2] / "docs" / "interchange.md"


def snapshot(archive: Archive) -> str:
    """Everything in an archive, as the interchange text (stable order)."""
    return dumps(archive_bundle(archive))


def test_golden_json():
    check_golden("rich_meeting.json", dumps(meeting_bundle(rich_meeting())))


def test_export_is_deterministic_and_versioned():
    text = dumps(meeting_bundle(rich_meeting()))
    assert text == dumps(meeting_bundle(copy.deepcopy(rich_meeting())))
    doc = json.loads(text)
    assert doc["format"] == FORMAT and doc["version"] == 1
    assert [m["id"] for m in doc["meetings"]] == ["a1b2c3d4e5f60718"]
    assert [p["id"] for p in doc["people"]] == sorted(p["id"] for p in doc["people"])
    assert "Zoë Ångström" in text  # readable UTF-8, not \u escapes


def test_the_documented_example_imports(tmp_path):
    example = re.search(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    archive = Archive(tmp_path / "archive.json").open()
    report = merge(archive, loads(example))
    assert [m.id for m in report.added] == ["3f2a9c0b7d1e4a66"] and report.people_added == 1
    meeting = archive.meeting("3f2a9c0b7d1e4a66")
    action = meeting.actions[0]
    assert (action.owner, action.due, action.due_text, action.status) == ("Asha Patel", "2026-11-27", "fri", "open")
    assert meeting.segments[0].elapsed == 1920 and meeting.attendees[0].new
    assert archive.plan("East ICB open meeting") is not None
    assert [p.first_seen for p in archive.people()] == ["2026-11-26"]


def test_an_archive_survives_export_and_import(tmp_path):
    source = small_archive(tmp_path / "a.json")
    target = Archive(tmp_path / "b.json").open()
    report = merge(target, loads(snapshot(source)))
    assert len(report.added) == 6 and not report.conflicts
    assert snapshot(target) == snapshot(source)


def test_importing_twice_changes_nothing(tmp_path):
    source = small_archive(tmp_path / "a.json")
    text = snapshot(source)
    target = Archive(tmp_path / "b.json").open()
    merge(target, loads(text))
    before = (target.path.read_bytes(), target.path.stat().st_mtime_ns, target.path.stat().st_ino)
    report = merge(target, loads(text))
    assert not report.changed and len(report.unchanged) == 6 and not report.added and not report.conflicts
    after = (target.path.read_bytes(), target.path.stat().st_mtime_ns, target.path.stat().st_ino)
    assert after == before
    assert not target.backups()[1:]  # the second import took no backup either: nothing to write


def test_a_different_version_is_a_conflict_and_is_not_overwritten(tmp_path):
    archive = small_archive(tmp_path / "a.json")
    original = archive.meeting("m-oct")
    changed = copy.deepcopy(original)
    changed.items.append(Item(id="new-note", kind=NOTE, text="Added on the other laptop"))
    changed.title = "October open meeting (edited)"
    report = merge(archive, Bundle([changed]))
    assert not report.added and not report.changed
    [conflict] = report.conflicts
    assert conflict.meeting_id == "m-oct" and conflict.differences == ("title", "notes, decisions or actions")
    assert archive.meeting("m-oct") == original
    assert Archive(tmp_path / "a.json").open().meeting("m-oct") == original


def test_a_meeting_and_its_conflicting_twin_in_one_file(tmp_path):
    archive = Archive(tmp_path / "a.json").open()
    one = plain_meeting("m1", "One", "", "2026-11-01", [])
    two = copy.deepcopy(one)
    two.title = "Two"
    report = merge(archive, Bundle([one, copy.deepcopy(one), two]))
    assert [m.id for m in report.added] == ["m1"] and len(report.unchanged) == 1 and len(report.conflicts) == 1
    assert archive.meeting("m1").title == "One"


def test_people_are_merged_by_id(tmp_path):
    archive = Archive(tmp_path / "a.json").open()
    merge(archive, Bundle(people=[Person("p1", "Asha Patel", "", "2026-10-01")]))
    report = merge(
        archive, Bundle(people=[Person("p1", "Asha P.", "Age UK", "2026-09-01", "likes tea"), Person("p2", "Ben")])
    )
    assert (report.people_added, report.people_updated) == (1, 1)
    people = {p.id: p for p in archive.people()}
    # The archive's name stands; what it lacked is filled in; the earlier first meeting wins.
    assert people["p1"] == Person("p1", "Asha Patel", "Age UK", "2026-09-01", "likes tea")
    assert people["p2"].name == "Ben"
    again = merge(archive, Bundle(people=[Person("p1", "Asha P.", "Age UK", "2026-09-01", "likes tea")]))
    assert not again.changed


def test_people_of_a_meeting_without_a_people_list(tmp_path):
    archive = Archive(tmp_path / "a.json").open()
    meeting = plain_meeting("m1", "One", "Carers", "2026-11-01", [("p9", "Cai", "Council")])
    merge(archive, Bundle([meeting]))
    assert [(p.id, p.name, p.organisation) for p in archive.people()] == [("p9", "Cai", "Council")]
    assert archive.plan("carers") is not None


def test_a_raw_archive_file_imports_too(tmp_path):
    source = small_archive(tmp_path / "a.json")
    target = Archive(tmp_path / "b.json").open()
    report = merge(target, loads(source.path.read_bytes()))
    assert len(report.added) == 6
    assert snapshot(target) == snapshot(source)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not text"),
        (b"[1, 2]", "not a facilitate export"),
        (b'{"format": "something-else"}', "not a facilitate export"),
        (b'{"format": "facilitate-interchange"}', "no version"),
        (b'{"format": "facilitate-interchange", "version": 99}', "newer facilitate"),
        (b'{"format": "facilitate-interchange", "version": 1, "meetings": {}}', "meetings: expected a list"),
        (b'{"format": "facilitate-interchange", "version": 1, "meetings": [{"id": "x"}]}', "meetings[0]: the field 'title' is missing"),
        (
            b'{"format": "facilitate-interchange", "version": 1, "meetings": [{"id": "x", "title": "t", "items": [{"id": "i", "kind": "action", "text": "t", "due": 3}]}]}',
            "meetings[0].items[0].due: expected text, found a number",
        ),
        (b'{"format": "facilitate-interchange", "version": 1, "meetings": [{"id": "x", "title": "t", "v": 7}]}', "newer facilitate"),
        (b'{"meta": {"1": {"schema": 9}}, "meetings": {}}', "newer facilitate"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)  # fmt: skip
def test_unreadable_files_say_why(text, message):
    with pytest.raises(InterchangeError, match=re.escape(message)):
        loads(text)


def test_text_that_is_not_utf8_safe_still_exports():
    meeting = plain_meeting("m1", "bad \ud800 paste", "", "2026-11-01", [])
    text = dumps(Bundle([meeting]))
    assert "\\ud800" in text
    assert loads(text).meetings[0].title == "bad \ud800 paste"


# -- round trips ------------------------------------------------------------------------------

words = st.text(max_size=20) | st.sampled_from(["<!channel>", "| a | b |", "Zoë", "", "# heading"])
person_ids = st.sampled_from(["p1", "p2", "p3", "p4", "p5"])


@st.composite
def meetings(draw) -> list:
    result = []
    for index in range(draw(st.integers(0, 5))):
        people = draw(st.lists(st.tuples(person_ids, words, words), max_size=4, unique_by=lambda p: p[0]))
        actions = draw(
            st.lists(st.tuples(st.just(""), words, words, st.sampled_from(["open", "done", "dropped"])), max_size=3)
        )
        actions = [(f"a{index}-{n}", owner, text, status) for n, (_, owner, text, status) in enumerate(actions)]
        day = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31))).isoformat()
        series = draw(st.sampled_from(["", "East ICB", "east icb", "Carers | forum"]))
        meeting = plain_meeting(f"m{index}", draw(words), series, day, people, actions)
        for attendee in meeting.attendees:
            attendee.new = draw(st.booleans())
        meeting.segments[0].elapsed = draw(st.floats(0, 10_000, allow_nan=False))
        result.append(meeting)
    if draw(st.booleans()):
        result.append(rich_meeting())
    return result


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meetings())
def test_round_trip_export_then_import(found):
    with tempfile.TemporaryDirectory() as folder:
        source = small_archive(Path(folder) / "a.json", found)
        text = snapshot(source)
        target = Archive(Path(folder) / "b.json").open()
        report = merge(target, loads(text))
        assert len(report.added) == len(found) and not report.conflicts
        # The archive ends up equal: meetings, people and plans.
        assert snapshot(target) == text
        for meeting in found:
            assert target.meeting(meeting.id) == source.meeting(meeting.id)
        # Importing the same again changes nothing, not even the file.
        stamp = target.path.stat().st_mtime_ns if target.path.exists() else None
        again = merge(target, loads(text))
        assert not again.changed and len(again.unchanged) == len(found)
        assert (target.path.stat().st_mtime_ns if target.path.exists() else None) == stamp
        # And merging into the source itself finds everything already there.
        assert not merge(source, loads(text)).changed


def test_archive_meetings_fixture_round_trips_through_json_text(tmp_path):
    for meeting in archive_meetings():
        bundle = loads(dumps(Bundle([meeting])))
        assert bundle.meetings[0].to_dict() == json.loads(json.dumps(meeting.to_dict()))
