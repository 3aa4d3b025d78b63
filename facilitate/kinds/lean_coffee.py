"""Lean Coffee: topics, dot votes, timeboxed discussion, thumbs.

Topics are discussed most-voted first; at the end of a timebox the room
votes thumbs up, sideways or down and either continues for half as long
again or moves on. Topics not reached are carried to the series' next
Lean Coffee (`LeanCoffeeKind.finish`), offered when it starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitate.clock import format_duration
from facilitate.events import Data, ProposalChanges, SegmentEvent, set_changes
from facilitate.kinds import Kind, Operations, Refusal, Repository, Submission, minutes, text_field, whole
from facilitate.models import (
    LEAN_COFFEE,
    WAITING,
    CarriedTopic,
    LeanCoffee,
    Meeting,
    MeetingStatus,
    Phase,
    Proposal,
    Segment,
    SeriesPlan,
    Vote,
    new_id,
)
from facilitate.quickentry import EntryError
from facilitate.text import clean_line

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext
    from facilitate.quickentry import ProposalEntry
    from facilitate.session import MeetingSession

THUMBS = ("up", "sideways", "down")
TITLE_LIMIT = 120
"""The longest topic title a phone may send."""
PROPOSALS_EACH = 6
"""Topics one person may propose from their phone in one Lean Coffee."""
DONE_TOPIC = "done"
DISCUSSING = "discussing"
CONTINUE, MOVE_ON = "continue", "move on"


def extension_seconds(timebox: float, extension: int) -> float:
    """The nth extension is half the one before: 8 minutes, then 4, 2, 1..."""
    return timebox / 2.0**extension


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


def rebuild(segment: Segment, total_minutes: float) -> None:
    """Lengthen or shorten the discussion, keeping the propose and vote phases as they are."""
    fixed = {p.kind: p.seconds / 60 for p in segment.phases}
    segment.phases = build_phases(total_minutes, propose=fixed.get("propose", 5), vote=fixed.get("vote", 3))
    segment.planned = sum(p.seconds for p in segment.phases)


def topics_not_reached(board: LeanCoffee) -> list[Proposal]:
    return [t for t in board.by_votes if t.state == WAITING and t.discussed == 0]


def carried_topics(meeting_id: str, board: LeanCoffee) -> list[CarriedTopic]:
    return [
        CarriedTopic(title=t.title, by=t.by, meeting_id=meeting_id, votes=t.votes) for t in topics_not_reached(board)
    ]


# -- events ---------------------------------------------------------------------------------------


class _BoardEvent(SegmentEvent, kw_only=True):
    def board(self, meeting: Meeting) -> LeanCoffee | None:
        segment = self.target(meeting)
        return segment.lean_coffee if segment is not None else None

    def find(self, meeting: Meeting, topic_id: str) -> Proposal | None:
        board = self.board(meeting)
        return board.topic(topic_id) if board is not None else None


class TopicAdded(_BoardEvent, tag="lc_topic"):
    """A topic proposed (or carried over from the series' last Lean Coffee)."""

    topic: Proposal
    """As the archive stores one (docs/interchange.md)."""
    device: str | None = None
    """The phone it came from (`Device.id`); none when the facilitator typed it."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        if board is not None and board.topic(self.topic.id) is None:
            board.topics.append(self.topic)
        meeting.phones.remember(self.device, self.key, self.topic.id)


class TopicEdited(_BoardEvent, tag="lc_edit"):
    """A topic's title or proposer changed."""

    id: str
    """The topic's id."""
    changes: ProposalChanges
    """The fields that change."""

    def apply(self, meeting: Meeting) -> None:
        topic = self.find(meeting, self.id)
        if topic is not None:
            set_changes(topic, self.changes)


class TopicRemoved(_BoardEvent, tag="lc_remove"):
    """A topic taken off the board for good (never the one being discussed). Written by earlier
    versions; `x` on the board now hides a topic (`lc_hide`), which can be undone."""

    id: str
    """The topic's id."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        if board is not None and board.current != self.id:
            board.topics = [t for t in board.topics if t.id != self.id]


def mergeable(board: LeanCoffee, topic: Proposal) -> str:
    """Why a topic cannot be merged (empty when it can): one being or already discussed has a
    history of its own (time, thumbs) that one topic cannot carry for two."""
    if topic.merged_into is not None or topic.hidden:
        return "is no longer on the board"
    if topic.id == board.current or topic.state == DISCUSSING:
        return "is being discussed"
    if topic.discussed > 0 or topic.thumbs or topic.state == DONE_TOPIC:
        return "has been discussed"
    return ""


class TopicsMerged(_BoardEvent, tag="lc_merge"):
    """Two topics on the same theme become one: `other` joins `keep`, which keeps its title
    (the other's is listed with it), credits both proposers, and carries both topics' votes,
    each person's dots among them, and what was captured about either.

    A person with dots on both keeps them all on the merged topic: each dot was placed for one
    of the two ideas, which are now one, so none is wasted or taken back, and since dots only
    move, everyone's dots placed (`LeanCoffee.dots_of`) stay what they were: nobody gains dots
    to place again, and nobody loses any for a duplicate someone else proposed. Refused (not
    applied) for a topic being or already discussed (`mergeable`)."""

    keep: str
    """The topic that carries both."""
    other: str
    """The topic that joins it."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        if board is None:
            return
        keep, other = board.topic(self.keep), board.topic(self.other)
        if keep is None or other is None or keep is other or mergeable(board, keep) or mergeable(board, other):
            return
        other.merged_into = keep.id
        keep.merged_titles.extend([other.title, *other.merged_titles])
        if other.by and other.by not in keep.by.split(" & "):
            keep.by = f"{keep.by} & {other.by}" if keep.by else other.by
        for person_id in (other.by_id, *other.participants):
            if person_id and person_id != keep.by_id and person_id not in keep.participants:
                keep.participants.append(person_id)
        keep.votes += other.votes
        keep.dots.extend(other.dots)
        other.votes, other.dots = 0, []
        for item in meeting.items:
            if item.context.get("topic") == other.id:
                item.context["topic"] = keep.id
        if board.asking == other.id:
            board.asking, board.answers = None, {}


class TopicHidden(_BoardEvent, tag="lc_hide"):
    """A topic hidden (a duplicate, something unwanted): off the board, the room's and the phones'
    views and the record, and not carried to the next meeting; its dots are their people's to
    place again. Never the topic being discussed."""

    id: str
    """The topic's id."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        topic = board.topic(self.id) if board is not None else None
        if board is None or topic is None or topic.id == board.current:
            return
        topic.hidden = True
        if board.asking == topic.id:
            board.asking, board.answers = None, {}


class TopicShown(_BoardEvent, tag="lc_show"):
    """A hidden topic back on the board. Its dots come back with it, except those their person
    has since placed again elsewhere (one of theirs here for each dot over the allowance)."""

    id: str
    """The topic's id."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        topic = board.topic(self.id) if board is not None else None
        if board is None or topic is None or not topic.hidden:
            return
        topic.hidden = False
        for person_id in dict.fromkeys(topic.dots):
            while person_id in topic.dots and board.dots_of(person_id) > board.votes_per_person:
                topic.dots.remove(person_id)
                topic.votes = max(0, topic.votes - 1)


class VotesSet(_BoardEvent, tag="lc_votes"):
    """A topic's dot votes, as counted."""

    id: str
    """The topic's id."""
    votes: int
    """How many dots (never below 0)."""

    def apply(self, meeting: Meeting) -> None:
        topic = self.find(meeting, self.id)
        if topic is not None:
            topic.votes = max(0, self.votes)


class DotPlaced(_BoardEvent, tag="lc_dot"):
    """A dot placed from a phone: one more vote for the topic, counted against the person's
    allowance (`LeanCoffee.votes_per_person`)."""

    id: str
    """The topic's id."""
    person_id: str
    """Who placed it."""
    device: str | None = None
    """The phone it came from."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        topic = self.find(meeting, self.id)
        if topic is not None:
            topic.dots.append(self.person_id)
            topic.votes += 1
        meeting.phones.remember(self.device, self.key, self.id)


class DotTaken(_BoardEvent, tag="lc_undot"):
    """A dot taken back from a phone (its person's own, on that topic)."""

    id: str
    """The topic's id."""
    person_id: str
    """Whose dot."""
    device: str | None = None
    """The phone it came from."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        topic = self.find(meeting, self.id)
        if topic is not None and self.person_id in topic.dots:
            topic.dots.remove(self.person_id)
            topic.votes = max(0, topic.votes - 1)
        meeting.phones.remember(self.device, self.key, self.id)


class ThumbsAsked(_BoardEvent, tag="lc_ask_thumbs"):
    """The facilitator asks phones for their thumbs on a topic (none: stops asking)."""

    id: str | None
    """The topic's id, or null."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        if board is not None:
            board.asking = self.id if self.id is None or board.topic(self.id) is not None else None
            board.answers = {}


class ThumbGiven(_BoardEvent, tag="lc_thumb"):
    """Someone's thumb from a phone on the topic asked about (a later one replaces theirs)."""

    id: str
    """The topic's id."""
    person_id: str
    """Whose thumb."""
    thumb: str
    """"up", "sideways" or "down"."""
    device: str | None = None
    """The phone it came from."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        if board is not None and board.asking == self.id and self.thumb in THUMBS:
            board.answers[self.person_id] = self.thumb
        meeting.phones.remember(self.device, self.key, self.id)


class DiscussionStarted(_BoardEvent, tag="lc_discuss"):
    """A topic is discussed now (or again); one topic at a time."""

    id: str
    """The topic's id."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        topic = board.topic(self.id) if board else None
        if board is None or topic is None:
            return
        if (current := board.topic(board.current)) is not None and current is not topic:
            current.state = DONE_TOPIC if current.discussed > 0 else WAITING
        board.current = topic.id
        topic.state = DISCUSSING
        if topic.timebox <= 0:
            topic.timebox = board.timebox_minutes * 60


class ThumbsRecorded(_BoardEvent, tag="lc_thumbs"):
    """The room's thumbs at the end of a timebox: continue for half as long again, or move on."""

    id: str
    """The topic's id."""
    up: int = 0
    """Thumbs up: carry on."""
    sideways: int = 0
    """Thumbs sideways: either."""
    down: int = 0
    """Thumbs down: move on."""
    outcome: str = MOVE_ON
    """"continue" or "move on"."""

    def apply(self, meeting: Meeting) -> None:
        board = self.board(meeting)
        topic = board.topic(self.id) if board else None
        if board is None or topic is None:
            return
        if board.asking == topic.id:
            board.asking, board.answers = None, {}
        topic.thumbs.append(
            Vote(up=max(0, self.up), sideways=max(0, self.sideways), down=max(0, self.down),
                 outcome=self.outcome, at=self.at)  # fmt: skip
        )
        if self.outcome == CONTINUE:
            topic.extensions += 1
            topic.timebox += extension_seconds(board.timebox_minutes * 60, topic.extensions)
            topic.state = DISCUSSING
            board.current = topic.id
        else:
            topic.state = DONE_TOPIC
            if board.current == topic.id:
                board.current = None


# -- operations --------------------------------------------------------------------------------------


class LeanCoffeeOperations(Operations):
    """Lean Coffee's operations: `session.lean_coffee`."""

    attribute = "lean_coffee"

    @property
    def board(self) -> LeanCoffee:
        segment = self.segment
        if segment is None or segment.lean_coffee is None:
            raise EntryError("This segment is not a Lean Coffee")
        return segment.lean_coffee

    def _id(self) -> str:
        segment = self.segment
        assert segment is not None
        return segment.id

    def add_topic(self, title: str, by: str = "") -> Proposal:
        board = self.board
        title = clean_line(title)
        if not title:
            raise EntryError("A topic needs a title")
        by_name, by_id = self.session.resolve_owner_quiet(by) if by.strip() else ("", None)
        topic = Proposal(id=new_id(), title=title, by=by_name, by_id=by_id, created_at=self.session.now_text())
        self.session.record(TopicAdded(segment=self._id(), topic=topic))
        stored = board.topic(topic.id)
        assert stored is not None
        return stored

    def edit_topic(self, topic_id: str, title: str, by: str) -> None:
        title = clean_line(title)
        if not title:
            raise EntryError("A topic needs a title")
        name, by_id = self.session.resolve_owner_quiet(by)
        changes = ProposalChanges(title=title, by=name, by_id=by_id)
        self.session.record(TopicEdited(segment=self._id(), id=topic_id, changes=changes))

    def load_carried(self) -> int:
        """Offer the topics the series' last Lean Coffee did not reach (once per segment)."""
        segment = self.segment
        if segment is None or segment.lean_coffee is None or segment.data.get("carried_loaded"):
            return 0
        series = self.session.meeting.series
        archive = self.session.series_archive
        plan = archive.plan(series) if archive is not None and series else None
        topics = plan.carried_topics if plan is not None else []
        self.session.record(Data(segment=segment.id, key="carried_loaded", value=True))
        for carried in topics:
            topic = Proposal(
                id=new_id(), title=carried.title, by=carried.by, created_at=self.session.now_text(),
                carried_from=carried.meeting_id,
            )  # fmt: skip
            self.session.record(TopicAdded(segment=segment.id, topic=topic))
        return len(topics)

    def _standing(self, topic_id: str) -> Proposal:
        topic = self.board.topic(topic_id)
        if topic is None or topic.merged_into is not None:
            raise EntryError("That topic is no longer on the board")
        return topic

    def merge(self, keep_id: str, other_id: str) -> None:
        """`other_id` joins `keep_id` (`TopicsMerged`)."""
        if keep_id == other_id:
            raise EntryError("Choose two different topics to merge")
        board = self.board
        for topic in (self._standing(keep_id), self._standing(other_id)):
            if why := mergeable(board, topic):
                raise EntryError(f"A topic that {why} cannot be merged")
        self.session.record(TopicsMerged(segment=self._id(), keep=keep_id, other=other_id))

    def hide(self, topic_id: str) -> None:
        """Hide a topic (`TopicHidden`); `show` brings it back."""
        topic = self._standing(topic_id)
        if topic.hidden:
            return
        if topic.id == self.board.current:
            raise EntryError("The topic being discussed cannot be hidden: → moves on first")
        self.session.record(TopicHidden(segment=self._id(), id=topic.id))

    def show(self, topic_id: str) -> None:
        """A hidden topic back on the board (`TopicShown`)."""
        if self._standing(topic_id).hidden:
            self.session.record(TopicShown(segment=self._id(), id=topic_id))

    def set_votes(self, topic_id: str, votes: int) -> None:
        self.session.record(VotesSet(segment=self._id(), id=topic_id, votes=max(0, int(votes))))

    def votes_cast(self) -> tuple[int, int]:
        """Votes entered, and votes the people present have (to check the tally)."""
        board = self.board
        return sum(t.votes for t in board.shown), board.votes_per_person * len(self.session.meeting.present)

    def discuss(self, topic_id: str) -> None:
        self.session.record(DiscussionStarted(segment=self._id(), id=topic_id))

    def next_topic(self) -> Proposal | None:
        """The most-voted topic not yet discussed."""
        board = self.board
        return next((t for t in board.by_votes if t.state == WAITING and t.id != board.current), None)

    def current_topic(self) -> Proposal | None:
        segment = self.segment
        if segment is None or segment.lean_coffee is None:
            return None
        return segment.lean_coffee.topic(segment.lean_coffee.current)

    def remaining(self) -> float | None:
        """Time left in the current topic's timebox."""
        topic = self.current_topic()
        if topic is None:
            return None
        return topic.timebox - topic.discussed - self.session.pending_time()

    def thumbs(self, up: int, sideways: int, down: int, *, carry_on: bool) -> Proposal | None:
        """Record the room's vote on the current topic; returns the topic discussed next, if any."""
        topic = self.current_topic()
        if topic is None:
            raise EntryError("No topic is being discussed")
        self.session.record(
            ThumbsRecorded(
                segment=self._id(), id=topic.id, up=up, sideways=sideways, down=down,
                outcome=CONTINUE if carry_on else MOVE_ON,
            )  # fmt: skip
        )
        if carry_on:
            return topic
        upcoming = self.next_topic()
        if upcoming is not None:
            self.discuss(upcoming.id)
        return upcoming

    def ask_thumbs(self, asking: bool = True) -> None:
        """Ask phones for their thumbs on the topic being discussed (or stop asking)."""
        topic = self.current_topic()
        if asking and topic is None:
            raise EntryError("No topic is being discussed")
        self.session.record(ThumbsAsked(segment=self._id(), id=topic.id if asking and topic else None))

    def thumbs_from_phones(self) -> tuple[int, int, int]:
        """The thumbs given from phones so far for the topic asked about: up, sideways, down."""
        answers = list(self.board.answers.values())
        return answers.count("up"), answers.count("sideways"), answers.count("down")

    def next_extension(self) -> float:
        topic = self.current_topic()
        board = self.board
        extensions = topic.extensions + 1 if topic else 1
        return extension_seconds(board.timebox_minutes * 60, extensions)



# -- the room's screen ---------------------------------------------------------------------------------


LEAN_WORDS = {"propose": "Propose topics", "vote": "Place your dots", "discuss": "Discussion"}


def _stage(segment: Segment) -> str:
    phase = segment.current_phase
    return phase.kind if phase is not None and phase.kind in LEAN_WORDS else "discuss"


def phone_view(meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
    """The phone's Lean Coffee: propose while proposing, dots while voting, thumbs when asked;
    the topics as the room sees them, with this person's own dots and topics marked."""
    board = segment.lean_coffee
    if board is None:
        return {}
    stage = _stage(segment)
    mine = person_id or ""
    asked = board.topic(board.asking)
    return {
        "can": [what for what, yes in (
            ("propose", stage == "propose" and person_id is not None),
            ("dot", stage == "vote" and person_id is not None),
            ("thumb", asked is not None and person_id is not None),
        ) if yes],  # fmt: skip
        "dots_each": board.votes_per_person,
        "dots_left": max(board.votes_per_person - board.dots_of(mine), 0) if person_id else 0,
        "topics": [
            {"id": t.id, "title": clean_line(t.title),
             "mine": bool(person_id) and (t.by_id == person_id or mine in t.participants),
             "my_dots": t.dots.count(mine) if person_id else 0}  # fmt: skip
            for t in board.shown
            if t.state != "carried" or t.votes
        ],
        "thumbs": (
            {"id": asked.id, "title": clean_line(asked.title), "mine": board.answers.get(mine, "")}
            if asked is not None
            else None
        ),
    }


def contribute(session: MeetingSession, segment: Segment, sent: Submission) -> str:
    board = segment.lean_coffee
    if board is None:
        raise Refusal("This Lean Coffee has no board")
    stage = _stage(segment)
    if sent.what == "propose":
        if stage != "propose":
            raise Refusal("Proposing topics is closed now")
        title = text_field(sent.fields, "title", TITLE_LIMIT)
        # Topics merged or hidden since count too: they were proposed.
        if sum(1 for t in board.topics if t.by_id == sent.person_id) >= PROPOSALS_EACH:
            raise Refusal(f"You have proposed {PROPOSALS_EACH} topics already", "allowance")
        topic = Proposal(id=new_id(), title=title, by=sent.name, by_id=sent.person_id, created_at=session.now_text())
        session.record(TopicAdded(segment=segment.id, topic=topic, device=sent.device, key=sent.key))
        return topic.id
    if sent.what in ("dot", "undot"):
        if stage != "vote":
            raise Refusal("Dot voting is closed now")
        # A topic merged since the phone's page was drawn: its dots go where it went.
        chosen = board.standing(text_field(sent.fields, "topic", 64))
        if chosen is None:
            raise Refusal("That topic is not on the board", "invalid")
        if sent.what == "undot":
            if sent.person_id not in chosen.dots:
                raise Refusal("You have no dot on that topic", "invalid")
            session.record(DotTaken(segment=segment.id, id=chosen.id, person_id=sent.person_id, device=sent.device,
                                    key=sent.key))  # fmt: skip
            return chosen.id
        if board.dots_of(sent.person_id) >= board.votes_per_person:
            raise Refusal(f"You have placed all {board.votes_per_person} of your dots", "allowance")
        session.record(DotPlaced(segment=segment.id, id=chosen.id, person_id=sent.person_id, device=sent.device,
                                 key=sent.key))  # fmt: skip
        return chosen.id
    if sent.what == "thumb":
        thumb = text_field(sent.fields, "thumb", 10)
        if board.asking is None:
            raise Refusal("Thumbs are not being asked for now")
        if thumb not in THUMBS:
            raise Refusal("A thumb is up, sideways or down", "invalid")
        session.record(ThumbGiven(segment=segment.id, id=board.asking, person_id=sent.person_id, thumb=thumb,
                                  device=sent.device, key=sent.key))  # fmt: skip
        return board.asking
    raise Refusal("Lean Coffee takes topics, dots and thumbs", "invalid")


def room_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """Topics with their votes, the topic being discussed with its timebox, the last thumbs."""
    board = segment.lean_coffee
    phase = segment.current_phase
    stage = phase.kind if phase is not None and phase.kind in LEAN_WORDS else "discuss"
    if board is None:
        return {"view": stage, "topics": [], "current": None, "thumbs": None}
    ordered = board.shown if stage == "propose" else board.by_votes
    current = board.topic(board.current)
    thumbs = None
    voted = [(t, t.thumbs[-1]) for t in board.shown if t.thumbs]
    if voted:
        topic, vote = max(voted, key=lambda pair: pair[1].at)
        thumbs = {
            "topic": clean_line(topic.title),
            "up": vote.up,
            "sideways": vote.sideways,
            "down": vote.down,
            "outcome": vote.outcome,
        }
    return {
        "view": stage,
        "heading": LEAN_WORDS[stage],
        "votes_each": board.votes_per_person,
        "topics": [
            {
                "title": clean_line(t.title),
                "by": clean_line(t.by),
                "votes": t.votes,
                "state": "discussing" if t is current else t.state,
            }
            for t in ordered
        ],
        "current": (
            {"title": clean_line(current.title), "votes": current.votes, "timebox": round(current.timebox, 3),
             "extensions": current.extensions}  # fmt: skip
            if current is not None
            else None
        ),
        "thumbs": thumbs,
    }


# -- the kind ------------------------------------------------------------------------------------------


class LeanCoffeeKind(Kind):
    name = LEAN_COFFEE
    position = 60
    description = "Topics proposed and dot-voted, then discussed most-voted first in timeboxes, with thumbs."
    events = (
        TopicAdded, TopicEdited, TopicRemoved, VotesSet, DiscussionStarted, ThumbsRecorded, DotPlaced, DotTaken,
        ThumbsAsked, ThumbGiven, TopicsMerged, TopicHidden, TopicShown,
    )  # fmt: skip
    operations = LeanCoffeeOperations
    options = {
        "votes_per_person": whole(1, 20),
        "timebox_minutes": minutes(120),
        "propose_minutes": minutes(120),
        "vote_minutes": minutes(120),
    }

    def setup(self, segment: Segment, options: dict[str, Any]) -> None:
        segment.lean_coffee = LeanCoffee(
            votes_per_person=int(options.get("votes_per_person", 3)),
            timebox_minutes=float(options.get("timebox_minutes", 8)),
        )
        segment.phases = build_phases(
            segment.planned / 60,
            propose=float(options.get("propose_minutes", 5)),
            vote=float(options.get("vote_minutes", 3)),
        )
        segment.planned = sum(p.seconds for p in segment.phases)

    def settings(self, segment: Segment) -> dict[str, Any]:
        board = segment.lean_coffee
        if board is None:
            return {}
        settings: dict[str, Any] = dict(votes_per_person=board.votes_per_person, timebox_minutes=board.timebox_minutes)
        minutes_of = {p.kind: p.seconds / 60 for p in segment.phases if p.kind}
        for kind in ("propose", "vote"):
            if minutes_of.get(kind, 0) > 0:
                settings[f"{kind}_minutes"] = minutes_of[kind]
        return settings

    def resize(self, segment: Segment, seconds: float) -> str | None:
        fixed = {p.kind: p.seconds / 60 for p in segment.phases}
        if seconds / 60 <= fixed.get("propose", 5) + fixed.get("vote", 3):
            return ""  # no time left to discuss: the length stays
        rebuild(segment, seconds / 60)
        return None

    def series_note(self, plan: SeriesPlan, agenda: list[Segment], open_actions: int) -> str:
        if not plan.carried_topics:
            return ""
        titles = "; ".join(clean_line(t.title) for t in plan.carried_topics[:4])
        more = len(plan.carried_topics) - 4
        note = f" Lean Coffee topics not reached last time: {titles}" + (f" and {more} more" if more > 0 else "")
        if any(segment.kind == LEAN_COFFEE for segment in agenda):
            return note + " (offered when the Lean Coffee starts)."
        return note + " (a adds a Lean Coffee to take them up)."

    def credit(self, segment: Segment, seconds: float) -> None:
        board = segment.lean_coffee
        if board is not None and (topic := board.topic(board.current)) is not None:
            topic.discussed += seconds

    def started(self, session: MeetingSession) -> None:
        session.lean_coffee.load_carried()

    def context(self, session: MeetingSession) -> dict[str, str]:
        topic = session.lean_coffee.current_topic()
        return {"topic": topic.id} if topic is not None else {}

    def propose(self, session: MeetingSession, entry: ProposalEntry) -> str | None:
        topic = session.lean_coffee.add_topic(entry.title, entry.by)
        return f"Topic added: {topic.title}"

    def countdown(self, session: MeetingSession) -> float | None:
        return session.lean_coffee.remaining()

    def time_up(self, session: MeetingSession) -> str | None:
        segment = session.meeting.segment
        topic = session.lean_coffee.current_topic()
        if segment is None or topic is None:
            return None
        marker = f"{topic.id}:{topic.timebox:g}"
        remaining = session.lean_coffee.remaining()
        if remaining is not None and remaining <= 0 and segment.data.get("topic_signalled") != marker:
            session.record(Data(segment=segment.id, key="topic_signalled", value=marker))
            return f"Time for “{topic.title}”: thumbs up, sideways or down? (→ records the vote)"
        return None

    def item_home(self, segment: Segment, key: str) -> Proposal | None:
        """The topic an item was captured about (the one it was merged into); none for a hidden
        one, so that its captures stay in the record, under the segment."""
        return segment.lean_coffee.standing(key) if segment.lean_coffee is not None else None

    def has_record(self, segment: Segment) -> bool:
        return segment.lean_coffee is not None and bool(segment.lean_coffee.shown)

    def record(self, page: Page, context: RecordContext) -> None:
        from facilitate.export.escape import inline

        board = context.segment.lean_coffee
        if board is None or not board.shown:
            return
        topics = board.by_votes
        rows = [[_title(t), inline(t.by), str(t.votes), _discussed(t), _thumbs(t)] for t in topics]
        page.table(["Topic", "Proposed by", "Votes", "Discussed", "Thumbs"], rows, "llrrl")
        for topic in topics:
            topic_items = context.by_context.get(topic.id, [])
            if topic_items:
                page.heading(3, inline(topic.title, "Untitled topic"))
                page.bullets([context.item_line(item) for item in topic_items])

    def finish(self, meeting: Meeting, repository: Repository) -> None:
        """Topics not reached are offered to the series' next meeting; those carried in and
        taken up (or carried again) this time give way to this meeting's list."""
        if not meeting.series.strip() or meeting.status != MeetingStatus.FINISHED:
            return
        boards = [s.lean_coffee for s in meeting.segments if s.lean_coffee is not None]
        topics = [t for board in boards for t in carried_topics(meeting.id, board)]
        plan = repository.plan(meeting.series) or SeriesPlan(name=meeting.series, facilitator=meeting.facilitator)
        kept = [t for t in plan.carried_topics if t.meeting_id != meeting.id]
        carried_in = {t.carried_from for board in boards for t in board.topics}
        kept = [t for t in kept if t.meeting_id not in carried_in]
        if topics or kept != plan.carried_topics:
            plan.carried_topics = kept + topics
            repository.put_plan(plan)

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        return room_view(meeting, segment, pending)

    def phone(self, meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
        return phone_view(meeting, segment, person_id)

    def contribute(self, session: MeetingSession, segment: Segment, submission: Submission) -> str:
        return contribute(session, segment, submission)



def _title(topic: Proposal) -> str:
    """A topic's title in the record, with those of the topics merged into it."""
    from facilitate.export.escape import inline

    title = inline(topic.title, "Untitled topic")
    merged = [inline(other) for other in topic.merged_titles if inline(other)]
    return f"{title} (merged with: {'; '.join(merged)})" if merged else title


def _thumbs(topic: Proposal) -> str:
    from facilitate.export.escape import inline

    rounds = []
    for vote in topic.thumbs:
        text = f"{vote.up} up, {vote.sideways} sideways, {vote.down} down"
        if outcome := inline(vote.outcome):
            text += ": " + outcome
        rounds.append(text)
    return "; ".join(rounds)


def _discussed(topic: Proposal) -> str:
    if topic.discussed > 0:
        text = format_duration(topic.discussed)
        if topic.extensions:
            text += f" ({topic.extensions} extension{'s' if topic.extensions != 1 else ''})"
        return text
    if topic.state == "carried":
        return "carried forward"
    return "not reached"


KIND = LeanCoffeeKind()
