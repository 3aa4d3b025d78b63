"""Phones' desk: sign-ins matched as typed arrivals are, allowances, phases, keys answered once,
and everything surviving a replay of the journal."""

from __future__ import annotations

import pytest

from facilitate.clock import FakeClock
from facilitate.kinds import Refusal
from facilitate.live import LiveFile
from facilitate.people import Known, PeopleDirectory
from facilitate.phones import Desk, phone_view
from facilitate.session import MeetingSession, replay_meeting
from tests.data import HOSTILE
from tests.room_meetings import go_to, make_meeting

KEY = iter(f"key-{n:06d}" for n in range(10**6))


def key() -> str:
    return next(KEY)


def begin(tmp_path, people=()) -> tuple[MeetingSession, Desk]:
    directory = PeopleDirectory([Known(f"p{i}", name, org, meetings=2) for i, (name, org) in enumerate(people)])
    session = MeetingSession.begin(make_meeting(), FakeClock(), tmp_path / "live.jsonl", directory)
    return session, Desk(session)


def sign_in(desk: Desk, name: str, organisation: str = "", invited_by: str = "", device: str | None = None):
    device = device or f"d-{name}"
    fields = {"name": name, "organisation": organisation, "invited_by": invited_by}
    return desk.sign_in(device, "s-" + device, fields, key())


def replayed(session: MeetingSession):
    return replay_meeting(LiveFile.read(session.live.path))[0]


def test_a_sign_in_arrives_at_once_with_who_invited_them(tmp_path):
    session, desk = begin(tmp_path)
    device = sign_in(desk, "Asha Patel", "Age UK", "Tom Reed")
    assert device.state == "here"
    attendee = session.meeting.attendee(device.person_id)
    assert (attendee.name, attendee.organisation, attendee.invited_by, attendee.new) == (
        "Asha Patel", "Age UK", "Tom Reed", True,
    )  # fmt: skip
    again = replayed(session)
    assert again.attendee(device.person_id).invited_by == "Tom Reed"
    assert again.phones.device(device.id).state == "here"


def test_a_known_name_is_matched_and_an_alike_one_only_offered(tmp_path):
    session, desk = begin(tmp_path, [("Dr Tom Reed", "Council"), ("Ben Ode", "Addenbrooke's")])
    exact = sign_in(desk, "Ben Ode", "Addenbrooke's")
    assert exact.state == "here" and exact.person_id == "p1"
    alike = sign_in(desk, "Tom Reed")
    assert alike.state == "waiting" and alike.offered == "p0" and alike.person_id is None
    assert session.meeting.attendee("p0") is None, "an alike name is never merged silently"
    assert desk.waiting() == [alike]
    desk.admit(alike.id)
    assert session.meeting.attendee("p0").name == "Dr Tom Reed"
    assert replayed(session).phones.device(alike.id).person_id == "p0"


def test_the_facilitator_may_choose_that_sign_ins_wait_for_a_nod(tmp_path):
    session, desk = begin(tmp_path)
    desk.set_nod(True)
    device = sign_in(desk, "Mark Li")
    assert device.state == "waiting" and not session.meeting.attendees
    with pytest.raises(Refusal) as refused:
        desk.submit(device, "propose", {"title": "x"}, key())
    assert refused.value.why == "waiting"
    desk.admit(device.id)
    assert [a.name for a in session.meeting.attendees] == ["Mark Li"]
    other = sign_in(desk, "Someone Else")
    desk.decline(other.id)
    assert desk.device(other.id, "s-" + other.id) is None


def test_a_second_device_of_the_same_person_shares_their_dots(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    first = sign_in(desk, "Asha Patel", device="phone")
    second = sign_in(desk, "Asha Patel", device="private-window")
    assert first.person_id == second.person_id
    topic = desk.submit(first, "propose", {"title": "Winter"}, key()).result
    session.phases.next()
    allowance = session.segment.lean_coffee.votes_per_person
    for n in range(allowance):
        desk.submit(first if n % 2 else second, "dot", {"topic": topic}, key())
    with pytest.raises(Refusal) as refused:
        desk.submit(second, "dot", {"topic": topic}, key())
    assert refused.value.why == "allowance"
    assert session.segment.lean_coffee.topic(topic).votes == allowance


def test_a_retried_key_is_answered_from_the_journal_and_counted_once(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    device = sign_in(desk, "Asha Patel")
    topic = desk.submit(device, "propose", {"title": "Winter"}, "topic-key-1")
    assert desk.submit(device, "propose", {"title": "Winter"}, "topic-key-1") == type(topic)(topic.result, True)
    session.phases.next()
    desk.submit(device, "dot", {"topic": topic.result}, "dot-key-001")
    desk.submit(device, "dot", {"topic": topic.result}, "dot-key-001")
    assert session.segment.lean_coffee.topic(topic.result).votes == 1
    # After a restart the journal answers it still.
    session2 = MeetingSession.recover(session.live.path, FakeClock())[0]
    desk2 = Desk(session2)
    device2 = desk2.device(device.id, "s-" + device.id)
    assert device2 is not None
    assert desk2.submit(device2, "dot", {"topic": topic.result}, "dot-key-001").replayed
    assert session2.segment.lean_coffee.topic(topic.result).votes == 1


def test_proposing_and_voting_open_and_close_with_the_phases(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    device = sign_in(desk, "Asha Patel")
    view = phone_view(session.meeting, device)["segment"]
    assert view["can"] == ["propose"]
    topic = desk.submit(device, "propose", {"title": "Winter"}, key()).result
    with pytest.raises(Refusal):
        desk.submit(device, "dot", {"topic": topic}, key())
    session.phases.next()
    assert phone_view(session.meeting, device)["segment"]["can"] == ["dot"]
    with pytest.raises(Refusal):
        desk.submit(device, "propose", {"title": "Late"}, key())
    desk.submit(device, "dot", {"topic": topic}, key())
    session.phases.next()
    session.lean_coffee.discuss(topic)
    session.lean_coffee.ask_thumbs()
    assert phone_view(session.meeting, device)["segment"]["can"] == ["thumb"]
    desk.submit(device, "thumb", {"thumb": "up"}, key())
    assert session.lean_coffee.thumbs_from_phones() == (1, 0, 0)
    session.lean_coffee.thumbs(*session.lean_coffee.thumbs_from_phones(), carry_on=True)
    assert session.segment.lean_coffee.asking is None


def test_open_space_proposals_and_reports_from_phones(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "open-space")
    device = sign_in(desk, "Asha Patel")
    other = sign_in(desk, "Ben Ode")
    with pytest.raises(Refusal):
        desk.submit(device, "propose", {"title": "Too early"}, key())
    session.phases.next()
    mine = desk.submit(device, "propose", {"title": "Discharge delays"}, key()).result
    proposal = session.segment.open_space.proposal(mine)
    assert (proposal.by, proposal.by_id) == ("Asha Patel", device.person_id)
    session.open_space.place(mine, 0, 0)
    session.phases.next()
    view = phone_view(session.meeting, device)["segment"]
    assert view["can"] == ["propose", "report"][1:] and view["sessions"][0]["in_it"]
    with pytest.raises(Refusal):
        desk.submit(other, "report", {"session": mine, "report": "Not mine"}, key())
    desk.submit(other, "took_part", {"session": mine}, key())
    desk.submit(other, "report", {"session": mine, "report": "We agreed\nto meet"}, key())
    assert proposal.report == "We agreed\nto meet"
    assert proposal.participants == [other.person_id]


def test_anyone_in_a_session_names_who_took_part_from_their_phone(tmp_path):
    from facilitate.export.markdown import render

    session, desk = begin(tmp_path)
    go_to(session, "open-space")
    asha, ben, cai = sign_in(desk, "Asha Patel"), sign_in(desk, "Ben Ode"), sign_in(desk, "Cai Jones")
    session.phases.next()
    mine = desk.submit(asha, "propose", {"title": "Discharge delays"}, key()).result
    with pytest.raises(Refusal) as refused:
        desk.submit(asha, "named", {"session": mine, "people": [ben.person_id]}, key())
    assert refused.value.why == "closed", "not before the session has begun"
    session.open_space.place(mine, 0, 0)
    session.phases.next()
    view = phone_view(session.meeting, asha)["segment"]
    assert [p["name"] for p in view["here"]] == ["Asha Patel", "Ben Ode", "Cai Jones"]
    assert phone_view(session.meeting, ben)["segment"]["here"] == [], "only for those in a session"
    with pytest.raises(Refusal):
        desk.submit(ben, "named", {"session": mine, "people": [cai.person_id]}, key())  # not in it
    for fields in (
        {"session": mine},
        {"session": mine, "people": "everyone"},
        {"session": mine, "people": ["someone-else"]},
        {"session": mine, "people": ["x"] * 61},
        {"session": mine, "names": "x" * 601},
        {"session": mine, "names": "y" * 81},
    ):
        with pytest.raises(Refusal) as refused:
            desk.submit(asha, "named", fields, key())
        assert refused.value.why == "invalid"
    same = key()
    answer = desk.submit(asha, "named", {"session": mine, "people": [ben.person_id],
                                         "names": "cai, Dr Mo Farah;\nMo farah, <b>Eve</b>, mo FARAH"}, same)  # fmt: skip
    assert answer.result == mine and not answer.replayed
    again = desk.submit(asha, "named", {"session": mine, "people": [ben.person_id]}, same)
    assert again.replayed, "a retry is answered from the journal"
    proposal = session.segment.open_space.proposal(mine)
    assert proposal.participants == [ben.person_id, cai.person_id], "a name meaning one person here is them"
    assert proposal.named == ["Dr Mo Farah", "Mo farah", "<b>Eve</b>"], "others kept as typed, never merged"
    assert phone_view(session.meeting, asha)["segment"]["sessions"][0]["took_part"][:2] == ["Ben Ode", "Cai Jones"]
    replay = replayed(session).segment.open_space.proposal(mine)
    assert (replay.participants, replay.named) == (proposal.participants, proposal.named)
    session.finish()
    markdown = render(session.meeting)
    assert "**Took part (" in markdown and "Ben Ode" in markdown and "Dr Mo Farah" in markdown
    assert "<b>" not in markdown


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_from_a_phone_is_kept_as_typed_text(tmp_path, text):
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    try:
        device = sign_in(desk, text[:80], text[:80], text[:80])
    except Refusal:
        return  # nothing left of it once cleaned: refused, as an empty name typed would be
    attendee = session.meeting.attendee(device.person_id)
    assert "\x1b" not in attendee.name and "\n" not in attendee.name
    try:
        desk.submit(device, "propose", {"title": text[:120]}, key())
    except Refusal as refusal:
        assert refusal.why == "invalid"
    assert replayed(session).attendee(device.person_id).name == attendee.name


def test_limits_and_the_end_of_the_meeting(tmp_path):
    session, desk = begin(tmp_path)
    go_to(session, "lean-coffee")
    with pytest.raises(Refusal):
        sign_in(desk, "x" * 81)
    device = sign_in(desk, "Asha Patel")
    with pytest.raises(Refusal):
        desk.submit(device, "propose", {"title": "x" * 121}, key())
    with pytest.raises(Refusal):
        desk.submit(device, "propose", {"title": "ok"}, "short")
    with pytest.raises(Refusal):
        desk.submit(device, "propose", {"title": ["not", "text"]}, key())
    for n in range(6):
        desk.submit(device, "propose", {"title": f"Topic {n}"}, key())
    with pytest.raises(Refusal) as refused:
        desk.submit(device, "propose", {"title": "One too many"}, key())
    assert refused.value.why == "allowance"
    session.finish()
    with pytest.raises(Refusal) as ended:
        desk.submit(device, "propose", {"title": "After"}, key())
    assert ended.value.why == "ended"
    assert phone_view(session.meeting, device)["me"]["state"] == "ended"


def test_rotating_the_code_ends_every_phone_session(tmp_path):
    session, desk = begin(tmp_path)
    device = sign_in(desk, "Asha Patel")
    assert desk.device(device.id, "s-" + device.id) is not None
    assert desk.device(device.id, "forged") is None
    desk.rotate()
    assert desk.device(device.id, "s-" + device.id) is None


def test_who_invited_them_is_kept_on_the_person_in_the_archive(tmp_path):
    from facilitate.archive import Archive

    session, desk = begin(tmp_path)
    device = sign_in(desk, "Asha Patel", "Age UK", "Tom Reed")
    session.finish()
    archive = Archive(tmp_path / "archive.json").open()
    archive.save_meeting(session.meeting)
    person = next(p for p in archive.people() if p.id == device.person_id)
    assert person.invited_by == "Tom Reed"
    archive.close()


def test_in_a_round_the_phone_shows_whose_turn_and_your_place(tmp_path):
    session, desk = begin(tmp_path)  # the first segment is a check-in round
    asha = sign_in(desk, "Asha Patel")
    ben = sign_in(desk, "Ben Ode")
    zoe = sign_in(desk, "Zoë Ångström")
    assert phone_view(session.meeting, zoe)["segment"] == {"turn": None, "place": 3}
    session.round.next()  # Asha has the floor
    assert phone_view(session.meeting, asha)["segment"] == {"turn": "Asha Patel", "place": "speaking"}
    assert phone_view(session.meeting, ben)["segment"] == {"turn": "Asha Patel", "place": 1}
    assert phone_view(session.meeting, zoe)["segment"] == {"turn": "Asha Patel", "place": 2}
    session.round.next()
    assert phone_view(session.meeting, asha)["segment"]["place"] == "spoken"
    with pytest.raises(Refusal):
        desk.submit(zoe, "propose", {"title": "Nothing to send in a round"}, key())


def test_several_alike_are_offered_for_the_facilitator_to_choose_among(tmp_path):
    session, desk = begin(tmp_path, [("Sam Jones", "St Mary's"), ("Sam Jones", "Council"), ("Ben Ode", "")])
    sam = sign_in(desk, "Sam Jones")
    other = sign_in(desk, "Sam Jones", "Leeds Mind", device="d-other")
    assert sam.state == "waiting" and sam.person_id is None and sorted(sam.candidates) == ["p0", "p1"]
    assert [(name, org) for _, name, org in desk.offers(sam)] == [("Sam Jones", "St Mary's"), ("Sam Jones", "Council")]
    desk.admit(sam.id)
    assert sam.state == "waiting" and not session.meeting.attendees, "several alike: never one chosen for them"
    desk.admit(sam.id, person_id="p2")
    assert sam.state == "waiting", "only someone offered"
    desk.admit(other.id, as_offered=False)
    assert other.state == "here" and other.person_id not in ("p0", "p1"), "or someone new"
    desk.admit(sam.id, person_id="p1")
    assert sam.state == "here" and sam.person_id == "p1"
    assert [(a.name, a.organisation, a.new) for a in session.meeting.attendees] == [
        ("Sam Jones", "Leeds Mind", True), ("Sam Jones", "Council", False),
    ]  # fmt: skip
    again = replayed(session)
    assert again.phones.device(sam.id).candidates == sam.candidates and again.attendee("p1") is not None
