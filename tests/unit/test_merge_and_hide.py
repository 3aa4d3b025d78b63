"""Contributions moderated: Lean Coffee topics merged (both proposers credited, every dot kept)
and hidden, open space proposals hidden; each shown again; the room's and the phones' views,
the record and its markdown honour them, and all of it survives a replay of the journal."""

from __future__ import annotations

import pytest

from facilitate.export.markdown import render
from facilitate.kinds import Refusal
from facilitate.live import LiveFile
from facilitate.phones import phone_view
from facilitate.quickentry import EntryError
from facilitate.room.state import room_state
from tests.room_meetings import go_to
from tests.unit.test_phones import begin, key, replayed, sign_in


def lean_board_with_phones(tmp_path):
    """Asha and Ben propose from their phones; the vote is open; Cai is at the meeting too."""
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    asha, ben, cai = sign_in(desk, "Asha Patel"), sign_in(desk, "Ben Ode"), sign_in(desk, "Cai Jones")
    winter = desk.submit(asha, "propose", {"title": "Winter pressures"}, key()).result
    beds = desk.submit(ben, "propose", {"title": "Winter beds"}, key()).result
    parking = desk.submit(cai, "propose", {"title": "Parking"}, key()).result
    session.phases.next()  # the dot vote
    return session, desk, (asha, ben, cai), (winter, beds, parking)


def test_merging_two_topics_credits_both_proposers_and_keeps_every_dot(tmp_path):
    session, desk, (asha, ben, cai), (winter, beds, parking) = lean_board_with_phones(tmp_path)
    board = session.segment.lean_coffee
    allowance = board.votes_per_person
    desk.submit(asha, "dot", {"topic": winter}, key())
    desk.submit(asha, "dot", {"topic": beds}, key())
    desk.submit(ben, "dot", {"topic": beds}, key())
    session.lean_coffee.set_votes(parking, 2)  # a tally typed in from the room's hands
    session.lean_coffee.merge(winter, beds)

    kept, gone = board.topic(winter), board.topic(beds)
    assert (kept.title, kept.by, kept.merged_titles) == ("Winter pressures", "Asha Patel & Ben Ode", ["Winter beds"])
    assert kept.participants == [ben.person_id], "the other proposer is credited by id too"
    assert kept.votes == 3 and sorted(kept.dots) == sorted([asha.person_id] * 2 + [ben.person_id])
    assert gone.merged_into == winter and gone.votes == 0 and not gone.dots
    assert [t.id for t in board.by_votes] == [winter, parking]
    assert board.dots_of(asha.person_id) == 2, "dots only moved: the allowance is as it was"

    ben_view = phone_view(session.meeting, ben)["segment"]
    assert [(t["title"], t["mine"], t["my_dots"]) for t in ben_view["topics"]] == [
        ("Winter pressures", True, 1), ("Parking", False, 0),
    ]  # fmt: skip
    assert ben_view["dots_left"] == allowance - 1
    # A phone whose page still shows the merged topic: the dot goes where the topic went.
    assert desk.submit(ben, "dot", {"topic": beds}, key()).result == winter
    assert desk.submit(ben, "undot", {"topic": beds}, key()).result == winter
    for _ in range(allowance - 2):
        desk.submit(asha, "dot", {"topic": winter}, key())
    with pytest.raises(Refusal) as refused:
        desk.submit(asha, "dot", {"topic": parking}, key())
    assert refused.value.why == "allowance", "the dots on the merged topic still count against Asha's"

    room = room_state(session.meeting, 0.0).body
    assert [t["title"] for t in room["topics"]] == ["Winter pressures", "Parking"]
    again = replayed(session)
    replayed_board = again.segment_by_id(session.segment.id).lean_coffee
    assert replayed_board.topic(winter) == kept and replayed_board.topic(beds) == gone

    markdown = render(session.meeting)
    assert "Winter pressures (merged with: Winter beds)" in markdown
    assert "Asha Patel &amp; Ben Ode" in markdown


def test_a_topic_being_or_already_discussed_is_not_merged(tmp_path):
    session, desk, _, (winter, beds, parking) = lean_board_with_phones(tmp_path)
    board = session.segment.lean_coffee
    with pytest.raises(EntryError, match="two different"):
        session.lean_coffee.merge(winter, winter)
    session.phases.next()  # discuss
    session.lean_coffee.discuss(winter)
    with pytest.raises(EntryError, match="is being discussed"):
        session.lean_coffee.merge(winter, beds)
    with pytest.raises(EntryError, match="is being discussed"):
        session.lean_coffee.merge(beds, winter)
    session.lean_coffee.thumbs(1, 0, 3, carry_on=False)  # moves on to the next: beds
    assert board.current == beds
    with pytest.raises(EntryError, match="has been discussed"):
        session.lean_coffee.merge(parking, winter)
    with pytest.raises(EntryError, match="no longer on the board"):
        session.lean_coffee.merge(parking, "no-such-topic")
    assert all(t.merged_into is None for t in board.topics)


def test_captures_about_a_merged_topic_follow_it(tmp_path):
    session, _, _, (winter, beds, parking) = lean_board_with_phones(tmp_path)
    session.phases.next()  # discuss
    session.lean_coffee.discuss(beds)  # started by mistake: no time passes
    note = session.capture("Ask the trust for bed figures").item
    session.lean_coffee.discuss(winter)
    assert note.context == {"topic": beds}
    session.lean_coffee.merge(parking, beds)
    assert note.context == {"topic": parking}
    assert "Ask the trust for bed figures" in render(session.meeting).split("### Parking")[1]
    assert replayed(session).item(note.id).context == {"topic": parking}


def test_hiding_a_topic_frees_its_dots_and_showing_it_brings_back_what_is_still_spare(tmp_path):
    session, desk, (asha, ben, cai), (winter, beds, parking) = lean_board_with_phones(tmp_path)
    board = session.segment.lean_coffee
    allowance = board.votes_per_person
    for _ in range(allowance):
        desk.submit(asha, "dot", {"topic": beds}, key())
    desk.submit(ben, "dot", {"topic": beds}, key())
    session.lean_coffee.hide(beds)
    assert [t.id for t in board.by_votes] == [winter, parking]
    assert board.hidden_topics == [board.topic(beds)]
    asha_view = phone_view(session.meeting, asha)["segment"]
    assert beds not in [t["id"] for t in asha_view["topics"]] and asha_view["dots_left"] == allowance
    with pytest.raises(Refusal):
        desk.submit(ben, "dot", {"topic": beds}, key())
    assert "Winter beds" not in str(room_state(session.meeting, 0.0).body)
    desk.submit(asha, "dot", {"topic": parking}, key())  # one of Asha's freed dots, placed again

    session.lean_coffee.show(beds)
    shown = board.topic(beds)
    assert not shown.hidden
    assert sorted(shown.dots) == sorted([asha.person_id] * (allowance - 1) + [ben.person_id])
    assert shown.votes == allowance and board.dots_of(asha.person_id) == allowance
    again = replayed(session).segment_by_id(session.segment.id).lean_coffee
    assert again.topic(beds) == shown and again.topic(parking) == board.topic(parking)


def test_a_hidden_topic_leaves_the_record_and_is_not_carried_but_its_captures_stay(tmp_path):
    session, _, _, (winter, beds, parking) = lean_board_with_phones(tmp_path)
    session.phases.next()  # discuss
    session.lean_coffee.discuss(parking)
    session.capture("Parking: the council will look at permits")
    session.lean_coffee.discuss(winter)
    with pytest.raises(EntryError, match="being discussed"):
        session.lean_coffee.hide(winter)
    session.lean_coffee.hide(parking)
    session.lean_coffee.hide(beds)
    markdown = render(session.meeting)
    assert "Winter beds" not in markdown and "| Parking" not in markdown
    assert "the council will look at permits" in markdown, "what was captured is never lost"
    from facilitate.kinds.lean_coffee import carried_topics

    assert carried_topics(session.meeting.id, session.segment.lean_coffee) == []
    again = replayed(session).segment_by_id(session.segment.id).lean_coffee
    assert {t.id for t in again.hidden_topics} == {beds, parking}


def open_space_with_phones(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "open-space")
    session.phases.next()  # the marketplace
    asha, ben = sign_in(desk, "Asha Patel"), sign_in(desk, "Ben Ode")
    discharge = desk.submit(asha, "propose", {"title": "Discharge delays"}, key()).result
    duplicate = desk.submit(ben, "propose", {"title": "Discharge delays!!"}, key()).result
    spam = desk.submit(ben, "propose", {"title": "Buy cheap watches"}, key()).result
    return session, desk, (asha, ben), (discharge, duplicate, spam)


def test_hiding_an_open_space_proposal_takes_it_off_everywhere_and_showing_it_brings_it_back(tmp_path):
    session, desk, (asha, ben), (discharge, duplicate, spam) = open_space_with_phones(tmp_path)
    space = session.segment.open_space
    session.open_space.place(discharge, 0, 0)
    session.open_space.place(spam, 0, 1)
    session.open_space.hide(spam)
    session.open_space.merge(discharge, duplicate)
    assert [p.id for p in space.live_proposals] == [discharge] and space.hidden_proposals == [space.proposal(spam)]
    assert spam not in space.wall.values()
    session.open_space.place(spam, 0, 2)  # a hidden proposal is not put on the wall
    assert spam not in space.wall.values()
    with pytest.raises(EntryError, match="hidden"):
        session.open_space.merge(discharge, spam)
    assert phone_view(session.meeting, ben)["segment"]["mine"] == []
    room = room_state(session.meeting, 0.0).body
    assert [p["title"] for p in room["proposals"]] == ["Discharge delays"]
    markdown = render(session.meeting)
    assert "cheap watches" not in markdown
    assert "Merged with:** Discharge delays!!" in markdown

    again = replayed(session).segment_by_id(session.segment.id).open_space
    assert again.proposal(spam).hidden and again.wall == space.wall
    assert "os_hide" in [record.get("op") for record in LiveFile.read(session.live.path).events]

    session.open_space.show(spam)
    assert [p.id for p in space.live_proposals] == [discharge, spam]
    assert not replayed(session).segment_by_id(session.segment.id).open_space.proposal(spam).hidden
    assert "cheap watches" in render(session.meeting), "back among those proposed"


def test_a_session_shown_again_goes_back_to_its_cell_when_the_cell_is_free(tmp_path):
    session, _, _, (discharge, duplicate, spam) = open_space_with_phones(tmp_path)
    space = session.segment.open_space
    session.open_space.place(discharge, 0, 1)
    session.open_space.place(duplicate, 1, 0)
    session.open_space.hide(discharge)  # a slip of the key
    assert discharge not in space.wall.values()
    session.open_space.show(discharge)
    assert space.wall.get("0:1") == discharge, "back where it was"
    assert not space.proposal(discharge).hidden_from

    session.open_space.hide(duplicate)
    session.open_space.place(spam, 1, 0)  # its cell is taken meanwhile
    session.open_space.show(duplicate)
    assert space.wall.get("1:0") == spam and duplicate not in space.wall.values(), "waiting for a place"

    again = replayed(session).segment_by_id(session.segment.id).open_space
    assert again.wall == space.wall
    assert all(not p.hidden_from for p in again.proposals)


def test_a_session_that_was_held_is_merged_never_hidden(tmp_path):
    session, _, (asha, _), (discharge, _, spam) = open_space_with_phones(tmp_path)
    session.open_space.set_report(discharge, "We met.")
    with pytest.raises(EntryError, match="cannot be hidden"):
        session.open_space.hide(discharge)
    session.open_space.set_participants(spam, [asha.person_id])
    with pytest.raises(EntryError, match="cannot be hidden"):
        session.open_space.hide(spam)
