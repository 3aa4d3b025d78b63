"""The journal: typed, versioned, documented events; a meeting written by the previous version
replays exactly; and nothing replay cannot read or apply is dropped in silence."""

from __future__ import annotations

import json
import random
from pathlib import Path

import msgspec
import pytest

from facilitate import events, kinds
from facilitate.archive import Archive
from facilitate.events import EventError, decode, op_of, to_record
from facilitate.journal_doc import DOC, _all_field_docs, render
from facilitate.live import LiveFile, LiveFileError
from facilitate.session import MeetingSession, replay_meeting
from tests.unit.helpers import start

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "journal"
V1_LIVE = FIXTURES / "v1-rich-meeting.live.jsonl"
V1_MEETING = FIXTURES / "v1-rich-meeting.expected.json"


def plain(meeting) -> dict:
    return json.loads(json.dumps(meeting.to_dict(), sort_keys=True))


def test_a_live_file_of_journal_version_1_replays_to_the_same_meeting():
    """A rich meeting (rounds, matters arising, open space with its wall and reports, Lean
    Coffee with votes and thumbs, phases, rebalancing) written by version 1, as it was
    replayed then."""
    replay = LiveFile.read(V1_LIVE)
    assert replay.version == 1
    meeting, _, seq, unread = replay_meeting(replay)
    assert unread == []
    assert seq == 116
    assert plain(meeting) == json.loads(V1_MEETING.read_text(encoding="utf-8"))


def test_the_version_1_fixture_holds_every_kind_of_event_version_1_had():
    ops = {record["op"] for record in LiveFile.read(V1_LIVE).events}
    assert len(ops) == 46
    known = {op_of_type(cls) for cls in events.event_types()}
    assert ops <= known


def op_of_type(cls) -> str:
    return cls.__struct_config__.tag


def test_every_record_version_1_wrote_reads_as_a_typed_event_and_writes_back_the_same():
    for record in LiveFile.read(V1_LIVE).events:
        event = decode(record)
        assert isinstance(event, events.Event) and op_of(event) == record["op"]
        assert to_record(event) == record


def test_events_are_written_as_version_2_and_replay_through_a_resume(clock, tmp_path):
    session = start(clock, tmp_path, "check-in", "lean-coffee", people=("Asha Patel, Age UK", "Ben Ode"))
    session.round.next()
    clock.advance(30)
    session.next_segment()
    session.lean_coffee.add_topic("Parking")
    session.capture("!Ben: book the room by fri")
    header = json.loads(session.live.path.read_text().splitlines()[0])
    assert header["version"] == events.JOURNAL_VERSION == 2
    before = plain(session.meeting)
    recovered, recovery = MeetingSession.recover(session.live.path, clock)
    assert recovery.unread == []
    after = plain(recovered.meeting)
    assert after == before


def test_each_kind_of_event_has_one_op_and_every_field_is_documented():
    types = events.event_types()
    ops = [op_of_type(cls) for cls in types]
    assert len(ops) == len(set(ops))
    for cls in (*types, events.ItemChanges, events.ProposalChanges):
        docs = _all_field_docs(cls)
        assert " ".join((cls.__doc__ or "").split()), cls
        for field in msgspec.structs.fields(cls):
            assert docs.get(field.name), f"{cls.__name__}.{field.name} has no docstring"
            # A method of the same name would hide the field (the struct would read the method).
            assert not callable(getattr(cls, field.name, None)), f"{cls.__name__}.{field.name}"


def test_docs_journal_md_is_written_from_the_classes():
    assert DOC.read_text(encoding="utf-8") == render(), "run: uv run python -m facilitate.journal_doc"


def test_every_kinds_events_are_in_the_journal():
    for kind in kinds.all_kinds():
        for cls in kind.events:
            assert f"### `{op_of_type(cls)}`" in render()


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"op": "teleport", "seq": 9}, "Invalid value 'teleport'"),
        ({"op": "goto", "index": "two", "seq": 9}, "Expected `int`, got `str`"),
        ({"op": "add_item", "item": {"id": "x"}, "seq": 9}, "missing required field `kind`"),
        ({"op": "pause", "tick": 1e400, "seq": 9}, "not a finite number"),
        (["not", "an", "object"], "not an object"),
    ],
)
def test_an_event_that_cannot_be_read_says_why(record, reason):
    with pytest.raises(EventError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        decode(record)


def write_lines(path: Path, lines: list[str]) -> None:
    with open(path, "a", encoding="ascii") as handle:
        for line in lines:
            handle.write(line + "\n")


def test_replay_keeps_what_it_cannot_read_with_the_meeting_and_says_so(clock, tmp_path, db_path):
    session = start(clock, tmp_path, "open-conversation", people=("Asha Patel",))
    session.capture("before")
    path = session.live.path
    session.live.close()
    unknown = json.dumps({"seq": 90, "op": "teleport", "to": "the moon", "tick": 0, "at": "", "wall": None})
    renamed = json.dumps({"seq": 91, "op": "add_item", "note": {"id": "n1", "kind": "note", "text": "kept"}})
    write_lines(path, [unknown, "{not json at all", renamed])
    write_lines(path, [json.dumps(to_record(_note_event(clock, "after")))])

    recovered, recovery = MeetingSession.recover(path, clock)
    # The rest of the meeting replays; what could not is kept, as written, with why.
    assert [i.text for i in recovered.meeting.items] == ["before", "after"]
    assert [u.line for u in recovery.unread] == [unknown, "{not json at all", renamed]
    assert "teleport" in recovery.unread[0].reason
    assert recovery.unread[1].reason == "not a JSON object"
    assert "item" in recovery.unread[2].reason
    assert recovered.meeting.unread == recovery.unread
    # In the live file still: the fresh snapshot holds them, and a second crash keeps them once.
    again, second = MeetingSession.recover(path, clock)
    assert second.unread == []
    assert [u.line for u in again.meeting.unread] == [unknown, "{not json at all", renamed]
    # And in the archive with the meeting when it is finished.
    again.finish()
    archive = Archive(db_path).open()
    archive.save_meeting(again.meeting)
    stored = Archive(db_path).open().meeting(again.meeting.id)
    assert [u.line for u in stored.unread] == [unknown, "{not json at all", renamed]


def _note_event(clock, text: str) -> events.AddItem:
    from facilitate.models import Item, new_id

    return events.AddItem(item=Item(id=new_id(), kind="note", text=text), seq=92, at="2026-11-26T10:00:00+00:00")


def test_a_meeting_without_unread_events_is_stored_as_before(clock, tmp_path):
    session = start(clock, tmp_path, "open-conversation")
    assert "unread" not in session.meeting.to_dict()


def test_a_live_file_of_a_later_journal_version_is_refused_whole(tmp_path):
    path = tmp_path / "archive.live.jsonl"
    path.write_text(json.dumps({"kind": "facilitate-live", "version": 3, "meeting": {}}) + "\n")
    with pytest.raises(LiveFileError, match="newer facilitate"):
        LiveFile.read(path)


def test_replaying_a_version_1_file_then_going_on_writes_version_2(clock, tmp_path):
    path = tmp_path / "archive.live.jsonl"
    path.write_bytes(V1_LIVE.read_bytes())
    session, recovery = MeetingSession.recover(path, clock, rng=random.Random(1))
    assert recovery.unread == []
    assert LiveFile.read(path).version == 2
    assert plain(session.meeting)["id"] == "m-v1-rich"
