"""Correcting and merging people's records (`facilitate.people`), in every meeting they appear in.

Every change is checked on a fresh `Archive` read back from disk.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facilitate.storage.store as store_module
from facilitate.archive import Archive
from facilitate.models import (
    OPEN_SPACE,
    PASSED,
    SPOKE,
    WAITING,
    Attendee,
    Item,
    Matter,
    Meeting,
    OpenSpace,
    Person,
    Proposal,
    RoundState,
    Segment,
    Turn,
)
from facilitate.people import edit_person, merge_people, merge_person, references
from facilitate.review import Review
from tests.unit.review_helpers import ASHA, BEN, BOB, ZOE, attendee, build, meeting


@pytest.fixture
def path(tmp_path):
    build(tmp_path / "archive.json").close()
    return tmp_path / "archive.json"


@pytest.fixture
def archive(path):
    archive = Archive(path).open()
    yield archive
    archive.close()


@pytest.fixture
def writes(monkeypatch):
    """Every whole-file write of the archive."""
    seen = []
    real = store_module.atomic_write

    def counting(target, data):
        seen.append(target)
        real(target, data)

    monkeypatch.setattr(store_module, "atomic_write", counting)
    return seen


def reread(path) -> Archive:
    return Archive(path).open()


def stored_item(path, meeting_id: str, item_id: str) -> Item:
    found = reread(path).meeting(meeting_id)
    assert found is not None
    item = found.item(item_id)
    assert item is not None
    return item


# -- editing a person ----------------------------------------------------------------------------


def test_edit_person_renames_them_everywhere(archive, path, writes):
    changed = edit_person(archive, ZOE, "Zoë Ångström-Hill", "Carers Trust Cambs")
    assert changed == 2 and len(writes) == 1
    again = reread(path)
    person = next(p for p in again.people() if p.id == ZOE)
    assert (person.name, person.organisation) == ("Zoë Ångström-Hill", "Carers Trust Cambs")
    for meeting_id in ("m2", "m3"):
        record = again.meeting(meeting_id).attendee(ZOE)
        assert (record.name, record.organisation) == ("Zoë Ångström-Hill", "Carers Trust Cambs")
    assert again.meeting("m2").item("a3").owner == "Zoë Ångström-Hill"
    assert again.meeting("m3").segments[2].open_space.proposals[0].by == "Zoë Ångström-Hill"
    review = Review()
    review.refresh(again)
    assert [s.id for s in review.history(query="angstrom-hill")] == ["m3", "m2"]


def test_edit_person_keeps_an_earlier_organisation_in_the_history(archive, path):
    # Ben came from Addenbrooke's; at the North meeting he had moved to the council.
    m = archive.meeting("n1")
    m.attendee(BEN).organisation = "Peterborough City Council"
    archive.save_meeting(m)
    edit_person(archive, BEN, "Ben Ode", "Peterborough City Council (adults)")
    again = reread(path)
    assert again.meeting("n1").attendee(BEN).organisation == "Peterborough City Council (adults)"
    assert again.meeting("m1").attendee(BEN).organisation == "Addenbrooke's"


def test_edit_person_cleans_what_was_typed(archive, path):
    edit_person(archive, ASHA, "\x1b[31mAsha\x07 Patel ", " Age UK\n")
    person = next(p for p in reread(path).people() if p.id == ASHA)
    assert (person.name, person.organisation) == ("Asha Patel", "Age UK")


def test_edit_person_refuses_an_empty_name_or_nobody(archive, writes):
    with pytest.raises(ValueError):
        edit_person(archive, ASHA, "  ", "Age UK")
    with pytest.raises(KeyError):
        edit_person(archive, "p-nobody", "X", "")
    assert writes == []


# -- merging two records of one person -------------------------------------------------------------

ZOE2 = "p-zoe2"


def add_duplicate(archive: Archive) -> None:
    """"Zoe Angstrom" typed without accents: before Zoë's first meeting, and twice at one with her."""
    twin = Attendee(person_id=ZOE2, name="Zoe Angstrom", organisation="", new=True, arrived_at="2026-08-01T10:05:00+00:00")
    archive.save_meeting(meeting("m0", "East ICB", "2026-08-01", "August open meeting", [attendee(ASHA, at="2026-08-01T10:00:00+00:00"), twin], []))
    m4 = meeting(
        "m4", "East ICB", "2026-11-19", "November open meeting",
        [
            attendee(ZOE, at="2026-11-19T10:10:00+00:00"),
            Attendee(person_id=ZOE2, name="Zoe Angstrom", new=True, arrived_at="2026-11-19T10:02:00+00:00"),
            attendee(ASHA, at="2026-11-19T10:03:00+00:00"),
        ],
        [
            Item(id="x1", kind="action", text="Book the hall", owner="Zoe Angstrom", owner_id=ZOE2, speaker_id=ZOE2),
            Item(id="x2", kind="note", text="Lunch clubs", speaker_id=ZOE),
        ],
    )  # fmt: skip
    m4.segments[0].round = RoundState(turns=[Turn(ZOE, PASSED, 0.0), Turn(ZOE2, SPOKE, 30.0), Turn(ASHA, SPOKE, 20.0)])
    m4.segments.append(
        Segment(
            id="s-space", format_id="open-space", name="Open space", kind=OPEN_SPACE, state="done",
            open_space=OpenSpace(proposals=[Proposal(id="q1", title="Minibus", by="Zoe Angstrom", by_id=ZOE2, participants=[ZOE2, ASHA, ZOE])]),
            matters=[Matter(meeting_id="m2", item_id="a3", text="Leaflet", owner="Zoe Angstrom", owner_id=ZOE2)],
        )
    )  # fmt: skip
    archive.save_meeting(m4)


def test_merge_two_records_of_one_person(archive, path, writes):
    add_duplicate(archive)
    writes.clear()
    changed = merge_people(archive, ZOE, ZOE2)
    assert len(writes) == 1
    assert changed == 3  # m0 and m4 mention the duplicate; m2 is no longer Zoë's first meeting
    again = reread(path)
    raw = json.dumps(again.storage.read(), default=dict)  # the meetings table is a mapping of encoded records
    assert ZOE2 not in raw
    assert [p.id for p in again.people()].count(ZOE) == 1
    person = next(p for p in again.people() if p.id == ZOE)
    assert (person.name, person.first_seen) == ("Zoë Ångström", "2026-08-01")

    m0 = again.meeting("m0")
    assert (m0.attendee(ZOE).name, m0.attendee(ZOE).new) == ("Zoë Ångström", True)
    assert again.meeting("m2").attendee(ZOE).new is False

    m4 = again.meeting("m4")
    zoes = [a for a in m4.attendees if a.person_id == ZOE]
    assert len(zoes) == 1 and len(m4.attendees) == 2
    assert zoes[0].arrived_at == "2026-11-19T10:02:00+00:00"  # the earlier arrival
    assert m4.attendees[0].person_id == ZOE  # where the first of the two records was
    assert zoes[0].new is False
    turns = m4.segments[0].round.turns
    assert [(t.person_id, t.state, t.spoke) for t in turns] == [(ZOE, SPOKE, 30.0), (ASHA, SPOKE, 20.0)]
    assert (m4.item("x1").owner, m4.item("x1").owner_id, m4.item("x1").speaker_id) == ("Zoë Ångström", ZOE, ZOE)
    proposal = m4.segments[2].open_space.proposals[0]
    assert (proposal.by, proposal.by_id, proposal.participants) == ("Zoë Ångström", ZOE, [ZOE, ASHA])
    matter = m4.segments[2].matters[0]
    assert (matter.owner, matter.owner_id) == ("Zoë Ångström", ZOE)

    review = Review()
    review.refresh(again)
    zoe = next(p for p in review.people(again.people(), date(2026, 11, 26)) if p.id == ZOE)
    assert (zoe.meetings, zoe.first_seen, zoe.last_seen) == (4, "2026-08-01", "2026-11-19")
    # The history's counts follow: Zoë is no longer new in October.
    m2_summary = next(s for s in again.listings() if s.id == "m2")
    assert m2_summary.new_people == 0


def test_merge_the_other_way_keeps_the_chosen_record(archive, path):
    add_duplicate(archive)
    merge_people(archive, ZOE2, ZOE)
    again = reread(path)
    assert ZOE not in [p.id for p in again.people()]
    assert again.meeting("m2").attendee(ZOE2).name == "Zoe Angstrom"
    assert again.meeting("m2").item("a3").owner_id == ZOE2


def test_merge_refuses_the_same_person_or_nobody(archive, writes):
    with pytest.raises(ValueError):
        merge_people(archive, ASHA, ASHA)
    with pytest.raises(KeyError):
        merge_people(archive, "p-nobody", ASHA)
    with pytest.raises(KeyError):
        merge_people(archive, ASHA, "p-nobody")
    assert writes == []


def test_merge_takes_the_organisation_when_the_kept_record_has_none(archive, path):
    edit_person(archive, BOB, "[b]Bob[/]", "")
    merge_people(archive, BOB, BEN)
    person = next(p for p in reread(path).people() if p.id == BOB)
    assert person.organisation == "Addenbrooke's"


@pytest.mark.parametrize(
    "doc",
    [
        {"attendees": [{"person_id": "X"}]},
        {"items": [{"owner_id": "X"}]},
        {"items": [{"speaker_id": "X"}]},
        {"segments": [{"round": {"turns": [{"person_id": "X"}]}}]},
        {"segments": [{"open_space": {"proposals": [{"by_id": "X"}]}}]},
        {"segments": [{"open_space": {"proposals": [{"participants": ["A", "X"]}]}}]},
        {"segments": [{"lean_coffee": {"topics": [{"by_id": "X"}]}}]},
        {"segments": [{"matters": [{"owner_id": "X"}]}]},
        {"segments": [{"matters": [{"new_owner_id": "X"}]}]},
    ],
)
def test_references_finds_every_kind_of_link(doc):
    assert references(doc, {"X"})
    assert not references(doc, {"Y"})


# -- merging, for any meeting ------------------------------------------------------------------------

PEOPLE = ["A", "B", "C"]
maybe_person = st.one_of(st.none(), st.sampled_from(PEOPLE))


@st.composite
def meetings_with_people(draw) -> Meeting:
    here = draw(st.lists(st.sampled_from(PEOPLE), unique=True))
    attendees = [
        Attendee(person_id=p, name=p, new=draw(st.booleans()), arrived_at=f"2026-11-26T10:0{i}:00",
                 left_at=draw(st.one_of(st.none(), st.just("2026-11-26T11:00:00"))))  # fmt: skip
        for i, p in enumerate(here)
    ]
    turns = [
        Turn(p, draw(st.sampled_from([WAITING, SPOKE, PASSED])), draw(st.sampled_from([0.0, 10.0, 25.5])))
        for p in draw(st.permutations(here))
    ]
    current = draw(st.one_of(st.none(), st.integers(0, max(len(turns) - 1, 0)))) if turns else None
    items = [
        Item(id=f"i{i}", kind="action", text="x", owner=draw(st.sampled_from(["", "A"])), owner_id=draw(maybe_person),
             speaker_id=draw(maybe_person))  # fmt: skip
        for i in range(draw(st.integers(0, 4)))
    ]
    proposals = [
        Proposal(id=f"q{i}", title="t", by_id=draw(maybe_person), participants=draw(st.lists(st.sampled_from(PEOPLE), unique=True)))
        for i in range(draw(st.integers(0, 3)))
    ]
    segments = [
        Segment(id="r", format_id="check-in", name="Check-in", kind="round", round=RoundState(turns=turns, current=current)),
        Segment(id="o", format_id="open-space", name="Open space", kind=OPEN_SPACE, open_space=OpenSpace(proposals=proposals),
                matters=[Matter(meeting_id="m", item_id="i", text="t", owner_id=draw(maybe_person), new_owner_id=draw(maybe_person))]),
    ]  # fmt: skip
    return Meeting(id="m", title="t", attendees=attendees, items=items, segments=segments)


def links(meeting: Meeting) -> list[str | None]:
    """Every person link in a meeting, in a fixed order."""
    found = [i.owner_id for i in meeting.items] + [i.speaker_id for i in meeting.items]
    for segment in meeting.segments:
        found += [m.owner_id for m in segment.matters] + [m.new_owner_id for m in segment.matters]
        if segment.open_space:
            found += [p.by_id for p in segment.open_space.proposals]
    return found


@settings(max_examples=200, deadline=None)
@given(meetings_with_people())
def test_merging_keeps_every_reference(m: Meeting):
    before = json.loads(json.dumps(m.to_dict()))
    keep = Person(id="A", name="Asha")
    merge_person(m, keep, "B")
    assert not references(m.to_dict(), {"B"})
    # Every link to A or B now goes to A; links to others are untouched.
    expected = ["A" if link in ("A", "B") else link for link in links(Meeting.from_dict(before))]
    assert links(m) == expected
    # One record per person, the same people, in the order they first appeared.
    was_here = [a["person_id"] for a in before["attendees"]]
    now_here = [a.person_id for a in m.attendees]
    assert now_here == list(dict.fromkeys("A" if p == "B" else p for p in was_here))
    # Nobody's time in the round is lost, and whoever had the floor still has it.
    turns_before = before["segments"][0]["round"]["turns"]
    state = m.segments[0].round
    assert sum(t.spoke for t in state.turns) == pytest.approx(sum(t["spoke"] for t in turns_before))
    assert len({t.person_id for t in state.turns}) == len(state.turns)
    current = before["segments"][0]["round"]["current"]
    if current is not None:
        speaker = turns_before[current]["person_id"]
        assert state.speaker is not None and state.speaker.person_id == ("A" if speaker == "B" else speaker)
    for proposal in m.segments[1].open_space.proposals:
        assert len(set(proposal.participants)) == len(proposal.participants)
    # Someone left only if everyone they were recorded as had left.
    records = [a for a in before["attendees"] if a["person_id"] in ("A", "B")]
    if records:
        merged = m.attendee("A")
        assert (merged.left_at is None) == any(a["left_at"] is None for a in records)
