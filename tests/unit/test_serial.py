"""Reading records back with msgspec: every damage is refused with a message naming the field,
and what is accepted is built exactly as it was written."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate
from facilitate.models import Meeting, Person, SeriesPlan
from facilitate.serial import SchemaError, check, from_dict, to_dict

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


def test_every_generated_record_reads_back_as_written():
    for cls, docs in ((Meeting, MEETINGS), (Person, DOCUMENT["people"].values()), (SeriesPlan, DOCUMENT["series"].values())):
        for doc in docs:
            check(cls, doc)
            record = from_dict(cls, doc)
            # As the archive writes it: a meeting's and a person's own `to_dict` leave out what
            # only phones fill, unless it was filled.
            written = record.to_dict() if isinstance(record, (Meeting, Person)) else to_dict(record)
            assert written == {k: v for k, v in doc.items() if cls is Meeting or k != "v"}
    meeting = from_dict(Meeting, MEETINGS[0])
    assert meeting.to_dict() == MEETINGS[0]
    assert isinstance(meeting.segments[0].elapsed, float)  # ints in the file become floats
    assert meeting.attendees[0] is not MEETINGS[0]["attendees"][0]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_damaged_field_is_refused_with_its_place_or_accepted_whole(data):
    doc = copy.deepcopy(data.draw(st.sampled_from(SAMPLES)))
    path = data.draw(st.sampled_from(list(paths(doc))))
    target = doc
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()) and isinstance(target, dict):
        del target[path[-1]]  # a missing field: required ones are refused
    else:
        target[path[-1]] = data.draw(VALUES)
    try:
        check(Meeting, doc)
    except SchemaError as error:
        with pytest.raises(SchemaError) as again:
            from_dict(Meeting, doc)
        assert str(again.value) == str(error)
        # The message names a place in the document: the damaged one or the object around it.
        named = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")
        assert named.startswith(error.path) or error.path.startswith(named.rsplit(".", 1)[0].rsplit("[", 1)[0])
    else:
        assert to_dict(from_dict(Meeting, doc))["id"] == doc["id"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.__setitem__("attendees", "Asha"), "attendees: expected a list, found text"),
        (lambda d: d["segments"][0].__setitem__("elapsed", "ten"), "segments[0].elapsed: expected a number, found text"),
        (lambda d: d["segments"][0].__setitem__("elapsed", math.inf), "segments[0].elapsed: expected a finite number"),
        (lambda d: d["segments"][0].__setitem__("elapsed", math.nan), "segments[0].elapsed: expected a finite number"),
        (lambda d: d["segments"][0].__setitem__("elapsed", True), "segments[0].elapsed: expected a number, found true/false"),
        (lambda d: d["items"].__setitem__(0, 7), "items[0]: expected an object, found a number"),
        (lambda d: d["items"][0].pop("text"), "items[0]: the field 'text' is missing"),
        (lambda d: d.__setitem__("running", 1), "running: expected true/false, found a number"),
        (lambda d: d.__setitem__("current", 1.5), "current: expected a whole number, found a number"),
        (lambda d: d.__setitem__("started_at", 3), "started_at: expected text, found a number"),
    ],
)
def test_the_messages_name_the_field_in_plain_words(change, message):
    doc = copy.deepcopy(MEETINGS[0])
    change(doc)
    with pytest.raises(SchemaError) as caught:
        from_dict(Meeting, doc)
    assert str(caught.value) == message


def test_not_an_object_at_all():
    for value in (None, [], "meeting", 3):
        with pytest.raises(SchemaError, match="expected an object"):
            check(Meeting, value)
    with pytest.raises(SchemaError, match="the field 'id' is missing"):
        check(Meeting, {})


def test_a_place_given_by_the_caller_leads_the_message():
    with pytest.raises(SchemaError) as caught:
        from_dict(Person, {"id": "p1", "name": 4}, "people[3]")
    assert str(caught.value) == "people[3].name: expected text, found a number"
