"""Meetings packed for the archive (schema 3) read back exactly as they were.

The packing itself is tried without its safety net (`pack` stores a meeting
whole when unpacking would not give it back): `_pack` then `unpack` must give
the same `Meeting` for any meeting, awkward moments, references to nobody and
all. A segment's settings are the meeting's own, whatever happens to its
format's file afterwards.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from facilitate import packing
from facilitate.archive import Archive, ArchiveError
from facilitate.models import (
    Attendee,
    FollowUp,
    Item,
    Meeting,
    Phase,
    RoundState,
    Segment,
    Turn,
    UnreadEvent,
)
from facilitate.packing import FORMATS, pack, settings_of, unpack
from facilitate.serial import from_dict
from tests.fixtures import archive_meetings, rich_meeting

GENERATED = [{**doc, "v": 3} for doc in generate(60, seed=8)["meetings"].values()]


def packed_without_the_net(doc: dict, table: dict) -> dict:
    """`pack` without its check: what the packing rules alone make of a meeting."""
    return packing._pack(doc, packing._Packer(doc, table))


def encoded(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode()


def test_generated_and_fixture_meetings_pack_and_read_back_the_same():
    for meeting in [from_dict(Meeting, doc) for doc in GENERATED] + archive_meetings() + [rich_meeting()]:
        doc = meeting.to_dict()
        table: dict = {}
        stored = pack(doc, table)
        assert stored is not doc, f"{meeting.id} was stored whole: a packing rule did not give it back"
        assert from_dict(Meeting, unpack(stored, table)) == meeting
        assert from_dict(Meeting, unpack(stored, table)).to_dict() == doc
        # Through JSON, as the file holds it.
        assert from_dict(Meeting, unpack(json.loads(encoded(stored)), table)) == meeting


def test_a_generated_meeting_takes_under_4_kb_and_a_quarter_of_its_full_size():
    table: dict = {}
    full = sum(len(encoded(doc)) for doc in GENERATED)
    packed = sum(len(encoded(pack(doc, table))) for doc in GENERATED)
    assert packed / len(GENERATED) < 4000
    assert packed < full / 3.5
    assert len(table) < 12, "the segments' settings are shared, not one set per meeting"


# -- any meeting ----------------------------------------------------------------------------------

START = datetime(2026, 3, 29, 9, 30, tzinfo=timezone.utc)
ids = st.sampled_from(["p1", "p2", "p3", "p4", "", "s1"])
texts = st.text(max_size=8) | st.sampled_from(["Age UK", "Zoë", "", "null", "0"])
seconds = st.floats(-1e6, 1e7, allow_nan=False) | st.sampled_from([0.0, 1.0, 60.0, 0.1, 2.5e-7, 1e15])


@st.composite
def moments(draw, optional: bool = False) -> str | None:
    """Moments as facilitate writes them, and awkward ones: another zone, microseconds, no zone, not a moment."""
    if optional and draw(st.booleans()):
        return None
    kind = draw(st.sampled_from(["seconds", "micro", "zone", "naive", "text", "empty", "date"]))
    moment = START + timedelta(seconds=draw(st.integers(-86400 * 400, 86400 * 400)))
    if kind == "seconds":
        return moment.isoformat(timespec="seconds")
    if kind == "micro":
        return (moment + timedelta(microseconds=draw(st.integers(0, 999999)))).isoformat(timespec="microseconds")
    if kind == "zone":
        return moment.astimezone(timezone(timedelta(hours=1))).isoformat()
    if kind == "naive":
        return moment.replace(tzinfo=None).isoformat()
    if kind == "date":
        return moment.date().isoformat()
    return "" if kind == "empty" else draw(texts)


days = st.none() | st.dates(date(2025, 1, 1), date(2028, 1, 1)).map(date.isoformat) | st.sampled_from(["2026-4-1", "someday", ""])


@st.composite
def meetings(draw) -> Meeting:
    segment_ids = draw(st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), max_size=4))
    attendees = [
        Attendee(person_id=draw(ids), name=draw(texts), organisation=draw(texts), new=draw(st.booleans()),
                 arrived_at=draw(moments()), left_at=draw(moments(optional=True)),
                 segment_id=draw(st.none() | st.sampled_from(["s1", "s2", "elsewhere"])))
        for _ in range(draw(st.integers(0, 5)))
    ]  # fmt: skip
    segments = []
    for segment_id in segment_ids:
        segment = Segment(
            id=segment_id, format_id=draw(st.sampled_from(["check-in", "gone-format", ""])), name=draw(texts),
            kind=draw(st.sampled_from(["timer", "round", "phases"])), planned=draw(seconds),
            per_person=draw(st.none() | seconds), prompt=draw(texts), guidance=draw(texts),
            state=draw(st.sampled_from(["done", "pending", "active", "skipped"])), elapsed=draw(seconds),
            adjust=draw(seconds), started_at=draw(moments(optional=True)), ended_at=draw(moments(optional=True)),
            phase=draw(st.integers(0, 3)), signalled=draw(st.booleans()),
            phases=[Phase(name=draw(texts), seconds=draw(seconds), prompt=draw(texts))
                    for _ in range(draw(st.integers(0, 2)))],
        )  # fmt: skip
        if draw(st.booleans()):
            turns = [Turn(person_id=draw(ids), spoke=draw(seconds),
                          state=draw(st.sampled_from(["spoke", "passed", "waiting", "left"])))
                     for _ in range(draw(st.integers(0, 6)))]  # fmt: skip
            segment.round = RoundState(turns=turns, current=draw(st.none() | st.integers(0, 6)))
        segments.append(segment)
    items = []
    for index in range(draw(st.integers(0, 5))):
        owner_id = draw(st.none() | ids)
        named = {a.person_id: a.name for a in reversed(attendees)}
        owner = named.get(owner_id, "") if owner_id and draw(st.booleans()) else draw(texts)
        items.append(Item(
            id=f"i{index}", kind=draw(st.sampled_from(["note", "decision", "action"])), text=draw(texts),
            created_at=draw(moments()), segment_id=draw(st.none() | st.sampled_from(["s1", "s3", "nowhere"])),
            speaker_id=draw(st.none() | ids), owner=owner, owner_id=owner_id, due=draw(days),
            due_text=draw(texts), status=draw(st.sampled_from(["open", "done", "dropped"])),
            closed_at=draw(moments(optional=True)), context=draw(st.dictionaries(texts, texts, max_size=2)),
            log=[FollowUp(at=draw(moments()), outcome=draw(st.sampled_from(["done", "carried", "reowned"])),
                          meeting=draw(texts), owner=draw(st.none() | texts), owner_id=draw(st.none() | ids),
                          due=draw(days), due_text=draw(texts), note=draw(texts))
                 for _ in range(draw(st.integers(0, 2)))],
        ))  # fmt: skip
    return Meeting(
        id="m1", title=draw(texts), series=draw(texts), facilitator=draw(texts),
        planned_start=draw(moments(optional=True)),
        started_at=draw(st.none() | st.just(START.isoformat()) | moments()),
        finished_at=draw(moments(optional=True)),
        status=draw(st.sampled_from(["finished", "planned", "running"])), segments=segments,
        current=draw(st.integers(0, 4)), running=draw(st.booleans()), attendees=attendees, items=items,
        unread=[UnreadEvent(line=draw(texts), reason="") for _ in range(draw(st.integers(0, 1)))],
    )  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meetings())
def test_any_meeting_reads_back_exactly_without_the_safety_net(meeting):
    doc = meeting.to_dict()
    table: dict = {}
    stored = json.loads(encoded(packed_without_the_net(doc, table)))
    again = from_dict(Meeting, unpack(stored, json.loads(json.dumps(table))))
    assert again == meeting
    assert again.to_dict() == doc
    assert pack(doc, {}) is not doc


def test_a_long_meeting_of_version_2_reads_unchanged_as_version_3():
    doc = rich_meeting().to_dict()
    assert from_dict(Meeting, unpack(copy.deepcopy(doc), {})) == rich_meeting()


# -- the format's file changed or gone --------------------------------------------------------------


def test_a_meeting_keeps_its_settings_when_its_format_is_edited_or_removed(tmp_path):
    """The archive never reads the formats' files: a segment's settings are its own, kept
    by content. A meeting run before an edit and one after keep their own guidance."""
    before = rich_meeting()
    after = copy.deepcopy(before)
    after.id, after.title = "after-the-edit", "After the edit"
    after.segments[0].guidance = "Guidance as edited later"
    gone = copy.deepcopy(before)
    gone.id = "format-gone"
    for segment in gone.segments:
        segment.format_id = "a-format-since-removed"
    db = tmp_path / "archive.json"
    archive = Archive(db).open()
    for meeting in (before, after, gone):
        archive.add_records([meeting], [], [])
    again = Archive(db, read_only=True).validate()
    assert again.meeting(before.id) == before
    assert again.meeting(after.id) == after
    assert again.meeting(gone.id) == gone
    stored = json.loads(db.read_bytes())
    keys = {doc["id"]: [segment[1] for segment in doc["segments"]] for doc in stored["meetings"].values()}
    assert keys[before.id][0] != keys[after.id][0], "the edited guidance is the later meeting's own"
    assert keys[before.id][1:] == keys[after.id][1:], "the settings both meetings share are stored once"
    assert not set(keys[gone.id]) & set(keys[before.id])
    assert len(stored[FORMATS]) == len({key for row in keys.values() for key in row})


def test_settings_missing_from_the_archive_are_named_as_damage(tmp_path):
    db = tmp_path / "archive.json"
    archive = Archive(db).open()
    archive.add_records([rich_meeting()], [], [])
    data = json.loads(db.read_bytes())
    data[FORMATS] = {}
    db.write_text(json.dumps(data))
    with pytest.raises(ArchiveError, match=r"meeting 1 \(id a1b2c3d4e5f60718\) is damaged: segments\[0\]"):
        Archive(db).validate()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda d: d["attendees"][0].__setitem__(3, True), r"attendees\[0\]\.arrived_at: expected text, found true/false"),
        (lambda d: d["items"][0].__setitem__(3, "x"), None),
        (lambda d: d.pop("started_at"), r"is damaged: \w+: expected text, found a number"),
        (lambda d: d["segments"][1].__setitem__(2, [1]), r"segments\[1\]\.started_at: expected text, found a list"),
    ],
)
def test_moments_kept_as_seconds_are_checked_when_the_archive_opens(tmp_path, damage, named):
    """The archive opens without turning every moment back into text, and still names damage to one."""
    db = tmp_path / "archive.json"
    Archive(db).open().add_records([rich_meeting()], [], [])
    data = json.loads(db.read_bytes())
    damage(data["meetings"]["1"])
    db.write_text(json.dumps(data))
    if named is None:
        Archive(db).validate()  # text where a moment was: read as it is
        return
    with pytest.raises(ArchiveError, match=named):
        Archive(db).validate()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda r: r.__setitem__("spoke", "lots"), r"segments\[0\]\.round\.spoke: expected a list, found text"),
        (lambda r: r.__setitem__("spoke", [1, "x"]), r"segments\[0\]\.round\.spoke\[1\]: expected a number"),
        (lambda r: r.__setitem__("who", [0]), r"segments\[0\]\.round\.turns: expected a list, found an object"),
        (lambda r: r.__setitem__("states", {"passed": [99]}), r"segments\[0\]\.round\.turns: expected a list"),
    ],
)
def test_a_short_round_is_checked_when_the_archive_opens(tmp_path, damage, named):
    """Opening leaves rounds short (nothing reads their turns yet) but still names damage to one."""
    db = tmp_path / "archive.json"
    doc = next(d for d in GENERATED if d["segments"][0]["kind"] == "round")
    Archive(db).open().add_records([from_dict(Meeting, doc)], [], [])
    data = json.loads(db.read_bytes())
    damage(data["meetings"]["1"]["segments"][0][7]["round"])
    db.write_text(json.dumps(data))
    with pytest.raises(ArchiveError, match=named):
        Archive(db).validate()


def test_the_settings_table_is_read_leniently():
    assert settings_of({"1": {"key": "k", "name": "Check-in"}, "2": "junk", "3": {"name": "no key"}}) == {
        "k": {"name": "Check-in"}
    }
    assert settings_of(None) == {} and settings_of([]) == {}


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["attendees"].__setitem__(0, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        lambda d: d["attendees"].__setitem__(0, []),
        lambda d: d["items"].__setitem__(0, ["id-only"]),
        lambda d: d["segments"].__setitem__(0, ["s", "no-such-settings"]),
        lambda d: d["segments"][0][7]["round"].__setitem__("spoke", "lots"),
        lambda d: d["segments"][0][7]["round"].__setitem__("who", [0]),
        lambda d: d["segments"][0][7]["round"].__setitem__("states", {"passed": 3}),
        lambda d: d["segments"][0][7]["round"].__setitem__("states", {"passed": ["3"]}),
        lambda d: d["segments"][0][7]["round"].__setitem__("states", {"passed": [99]}),
        lambda d: d.__setitem__("finished_at", 1e300),
        lambda d: d["items"][0].__setitem__(3, "not a moment"),
    ],
)
def test_damage_to_a_packed_meeting_is_passed_on_for_the_reader_to_name(damage):
    """`unpack` never raises: what it does not recognise is left for `serial` to refuse (or, when
    the value is of a right type, to read as it is)."""
    doc = next(d for d in GENERATED if d["segments"][0]["kind"] == "round")
    table: dict = {}
    stored = pack(doc, table)
    damage(stored)
    unpacked = unpack(stored, table)
    try:
        from_dict(Meeting, unpacked)
    except ValueError:
        pass


@pytest.mark.parametrize("states", [{"passed": 3}, {"passed": ["3"]}, {"passed": [99]}, {"left": [-1]}])
def test_a_damaged_round_is_named_never_read_as_no_turns(states):
    doc = next(d for d in GENERATED if d["segments"][0]["kind"] == "round")
    table: dict = {}
    stored = pack(doc, table)
    stored["segments"][0][7]["round"]["states"] = states
    with pytest.raises(ValueError, match=r"segments\[0\]\.round\.turns: expected a list"):
        from_dict(Meeting, unpack(stored, table))
    stored["segments"][0][7]["round"].pop("states")
    stored["segments"][0][7]["round"]["who"] = [0]
    with pytest.raises(ValueError, match=r"segments\[0\]\.round\.turns: expected a list"):
        from_dict(Meeting, unpack(stored, table))
