"""The quick type check agrees with `from_dict` on every damage it is shown."""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate
from facilitate.fastcheck import builder, checker
from facilitate.models import Meeting, MeetingStatus, Person, SegmentState, SeriesPlan
from facilitate.serial import SchemaError, from_dict

DOCUMENT = generate(40, seed=21)
MEETINGS = list(DOCUMENT["meetings"].values())
# One of each kind, so open space and Lean Coffee boards are damaged too.
SAMPLES = [m for m in MEETINGS if any(s.get("open_space") for s in m["segments"])][:1] + \
    [m for m in MEETINGS if any(s.get("lean_coffee") for s in m["segments"])][:1] + MEETINGS[:3]  # fmt: skip

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, -1.25, math.inf, -math.inf, math.nan, 10**30]),
    st.text(max_size=3),
    st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(0, 2), max_size=2),
)


def paths(value, prefix=()):
    """Every place in a document: keys of objects and indexes of lists."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*prefix, index)
            yield from paths(inner, (*prefix, index))


def accepted(cls, doc) -> bool:
    try:
        from_dict(cls, doc)
    except SchemaError:
        return False
    return True


def test_every_generated_meeting_passes():
    check = checker(Meeting)
    assert all(check(doc) for doc in MEETINGS)
    assert all(checker(Person)(doc) for doc in DOCUMENT["people"].values())
    assert all(checker(SeriesPlan)(doc) for doc in DOCUMENT["series"].values())


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_damaged_field_is_judged_as_from_dict_judges_it(data):
    doc = copy.deepcopy(data.draw(st.sampled_from(SAMPLES)))
    places = list(paths(doc))
    path = data.draw(st.sampled_from(places))
    target = doc
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()) and isinstance(target, dict):
        del target[path[-1]]  # a missing field: required ones are refused
    else:
        target[path[-1]] = data.draw(VALUES)
    assert checker(Meeting)(doc) == accepted(Meeting, doc)
    if accepted(Meeting, doc):
        assert builder(Meeting)(doc) == from_dict(Meeting, doc)


def test_built_objects_equal_what_from_dict_builds():
    for cls, docs in ((Meeting, MEETINGS), (Person, DOCUMENT["people"].values()), (SeriesPlan, DOCUMENT["series"].values())):
        for doc in docs:
            built = builder(cls)(doc)
            assert built == from_dict(cls, doc)
    meeting = builder(Meeting)(MEETINGS[0])
    assert isinstance(meeting.segments[0].elapsed, float)  # ints in the file become floats, as from_dict makes them
    assert meeting.attendees[0] is not MEETINGS[0]["attendees"][0]


def test_the_awkward_numbers():
    check = checker(Meeting)
    base = copy.deepcopy(MEETINGS[0])
    for value, ok in ((True, False), (3, True), (2.5, True), (math.inf, False), (math.nan, False), ("3", False)):
        base["segments"][0]["elapsed"] = value
        assert check(base) is ok, value
        assert accepted(Meeting, base) is ok, value
    base["segments"][0]["elapsed"] = 1.0
    for value, ok in ((True, True), (1, False), (None, False)):
        base["running"] = value
        assert check(base) is ok, value


def test_not_an_object_at_all():
    check = checker(Meeting)
    for value in (None, [], "meeting", 3):
        assert check(value) is False
    assert check({}) is False  # the id, title... are required


def test_statuses_are_read_as_enums_and_stored_as_the_same_words():
    doc = copy.deepcopy(SAMPLES[0])
    for meeting in (from_dict(Meeting, doc), builder(Meeting)(doc)):
        assert meeting.status is MeetingStatus.FINISHED
        assert {segment.state for segment in meeting.segments} == {SegmentState.DONE}
        stored = json.loads(json.dumps(meeting.to_dict()))
        assert stored["status"] == doc["status"] == "finished"
        assert [s["state"] for s in stored["segments"]] == [s["state"] for s in doc["segments"]]
    doc["status"] = "done"  # a segment's word, not a meeting's
    assert not checker(Meeting)(doc)
    with pytest.raises(SchemaError, match="status: expected one of 'planned', 'running', 'finished'"):
        from_dict(Meeting, doc)
