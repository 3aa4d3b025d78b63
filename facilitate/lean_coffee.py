"""Lean Coffee in a meeting: topics, dot votes, timeboxed discussion, thumbs.

`LeanCoffeeCommands` is mixed into `MeetingSession`. Topics are discussed
most-voted first; at the end of a timebox the room votes thumbs up, sideways
or down and either continues for half as long again or moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitate.engine import DONE_TOPIC, extension_seconds
from facilitate.models import WAITING, CarriedTopic, LeanCoffee, Phase, Proposal, new_id
from facilitate.quickentry import EntryError, ProposalEntry
from facilitate.serial import to_dict
from facilitate.text import clean_line

if TYPE_CHECKING:
    from facilitate.session import Captured, MeetingSession


class LeanCoffeeCommands:
    """Lean Coffee commands of a `MeetingSession`."""

    def _board(self: MeetingSession) -> LeanCoffee:
        segment = self.meeting.segment
        if segment is None or segment.lean_coffee is None:
            raise EntryError("This segment is not a Lean Coffee")
        return segment.lean_coffee

    def add_topic(self: MeetingSession, title: str, by: str = "") -> Proposal:
        board = self._board()
        title = clean_line(title)
        if not title:
            raise EntryError("A topic needs a title")
        by_name, by_id = self.resolve_owner_quiet(by) if by.strip() else ("", None)
        topic = Proposal(id=new_id(), title=title, by=by_name, by_id=by_id, created_at=self._at())
        self.record("lc_topic", segment=self.meeting.segment.id, topic=to_dict(topic))
        stored = board.topic(topic.id)
        assert stored is not None
        return stored

    carried_provider = None
    """Called with the series name to find topics carried over from its last meeting; set by the app."""

    def load_carried_topics(self: MeetingSession) -> int:
        """Offer the topics the series' last Lean Coffee did not reach (once per segment)."""
        segment = self.meeting.segment
        if segment is None or segment.lean_coffee is None or segment.data.get("carried_loaded"):
            return 0
        topics = self.carried_provider(self.meeting.series) if self.carried_provider and self.meeting.series else []
        self.record("data", segment=segment.id, key="carried_loaded", value=True)
        for carried in topics:
            topic = Proposal(
                id=new_id(), title=carried.title, by=carried.by, created_at=self._at(), carried_from=carried.meeting_id
            )
            self.record("lc_topic", segment=segment.id, topic=to_dict(topic))
        return len(topics)

    def remove_topic(self: MeetingSession, topic_id: str) -> None:
        self.record("lc_remove", segment=self.meeting.segment.id, id=topic_id)

    def set_votes(self: MeetingSession, topic_id: str, votes: int) -> None:
        self.record("lc_votes", segment=self.meeting.segment.id, id=topic_id, votes=max(0, int(votes)))

    def votes_cast(self: MeetingSession) -> tuple[int, int]:
        """Votes entered, and votes the people present have (to check the tally)."""
        board = self._board()
        return sum(t.votes for t in board.topics), board.votes_per_person * len(self.meeting.present)

    def discuss(self: MeetingSession, topic_id: str) -> None:
        self.record("lc_discuss", segment=self.meeting.segment.id, id=topic_id)

    def next_topic(self: MeetingSession) -> Proposal | None:
        """The most-voted topic not yet discussed."""
        board = self._board()
        return next((t for t in board.by_votes if t.state == WAITING and t.id != board.current), None)

    def current_topic(self: MeetingSession) -> Proposal | None:
        segment = self.meeting.segment
        if segment is None or segment.lean_coffee is None:
            return None
        return segment.lean_coffee.topic(segment.lean_coffee.current)

    def topic_remaining(self: MeetingSession) -> float | None:
        topic = self.current_topic()
        if topic is None:
            return None
        return topic.timebox - topic.discussed - self.pending_time()

    def thumbs(self: MeetingSession, up: int, sideways: int, down: int, *, carry_on: bool) -> Proposal | None:
        """Record the room's vote on the current topic; returns the topic discussed next, if any."""
        topic = self.current_topic()
        if topic is None:
            raise EntryError("No topic is being discussed")
        self.record(
            "lc_thumbs",
            segment=self.meeting.segment.id,
            id=topic.id,
            up=up,
            sideways=sideways,
            down=down,
            outcome="continue" if carry_on else "move on",
        )
        if carry_on:
            return topic
        upcoming = self.next_topic()
        if upcoming is not None:
            self.discuss(upcoming.id)
        return upcoming

    def next_extension(self: MeetingSession) -> float:
        topic = self.current_topic()
        board = self._board()
        extensions = topic.extensions + 1 if topic else 1
        return extension_seconds(board.timebox_minutes * 60, extensions)


def build_phases(total_minutes: float, *, propose: float, vote: float) -> list[Phase]:
    """Propose, vote, then discuss for the rest of the timebox (minutes in, seconds out)."""
    discuss = max(total_minutes - propose - vote, 1.0)
    return [
        Phase(
            name="Propose topics",
            seconds=propose * 60,
            kind="propose",
            prompt="Everyone writes topics: one per card, *Topic in the entry",
        ),
        Phase(
            name="Dot vote",
            seconds=vote * 60,
            kind="vote",
            prompt="Everyone places their dots; enter the tally on the board",
        ),
        Phase(name="Discuss", seconds=discuss * 60, kind="discuss", prompt="Most votes first; thumbs at each timebox"),
    ]


def topics_not_reached(board: LeanCoffee) -> list[Proposal]:
    return [t for t in board.by_votes if t.state == WAITING and t.discussed == 0]


def carried_topics(meeting_id: str, board: LeanCoffee) -> list[CarriedTopic]:
    return [
        CarriedTopic(title=t.title, by=t.by, meeting_id=meeting_id, votes=t.votes) for t in topics_not_reached(board)
    ]


def topic_from_entry(session: MeetingSession, entry: ProposalEntry) -> Captured:
    from facilitate.session import Captured

    topic = session.add_topic(entry.title, entry.by)
    return Captured("proposal", f"Topic added: {topic.title}")


def lean_context(session: MeetingSession) -> dict[str, str]:
    topic = session.current_topic()
    return {"topic": topic.id} if topic is not None else {}


__all__ = ["DONE_TOPIC", "LeanCoffeeCommands", "carried_topics", "topics_not_reached"]
