"""Open space: proposals at the marketplace, the agenda wall, sessions and their reports.

The segment's phases are the opening, the marketplace, one slot per row of
the wall and the closing circle (a round). `session.open_space` records the
wall's changes; `wall_problems` is the check the wall shows (a convener
booked twice in one slot, a session not yet on the wall).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.events import ProposalChanges, SegmentEvent, set_changes
from facilitate.kinds import Kind, Operations, Option, Refusal, Submission, minutes, text_field, whole
from facilitate.kinds.round import phone_view as round_phone_view
from facilitate.kinds.round import room_view as round_room_view
from facilitate.models import OPEN_SPACE, Meeting, OpenSpace, Phase, Proposal, Segment, new_id
from facilitate.quickentry import EntryError
from facilitate.text import clean_block, clean_line, name_key

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext
    from facilitate.quickentry import ProposalEntry
    from facilitate.session import MeetingSession


# -- the wall ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WallProblem:
    kind: str
    """"double-booked" or "unplaced"."""
    message: str
    proposal_ids: tuple[str, ...]
    slot: int | None = None


def convener_keys(proposal: Proposal) -> set[str]:
    """Who convenes a session, by person id where known, else by name (a merged one has several)."""
    keys = set()
    if proposal.by_id:
        keys.add("id:" + proposal.by_id)
    for name in proposal.by.split(" & "):
        if name.strip():
            keys.add("name:" + name_key(name))
    return keys


def wall_problems(space: OpenSpace) -> list[WallProblem]:
    problems = []
    for slot in range(space.slots):
        seen: dict[str, Proposal] = {}
        reported: set[tuple[str, str]] = set()
        for room in range(len(space.spaces)):
            proposal = space.proposal(space.wall.get(f"{slot}:{room}"))
            if proposal is None:
                continue
            for key in convener_keys(proposal):
                other = seen.get(key)
                if other is not None and other is not proposal and (other.id, proposal.id) not in reported:
                    reported.add((other.id, proposal.id))
                    who = proposal.by or "a convener"
                    problems.append(
                        WallProblem(
                            "double-booked",
                            f"{who} convenes two sessions in slot {slot + 1}: {other.title} and {proposal.title}",
                            (other.id, proposal.id),
                            slot,
                        )
                    )
                seen[key] = proposal
    placed = set(space.wall.values())
    for proposal in space.live_proposals:
        if proposal.id not in placed:
            problems.append(WallProblem("unplaced", f"Not on the wall yet: {proposal.title}", (proposal.id,)))
    return problems


def sessions_in_slot(space: OpenSpace, slot: int) -> list[tuple[int, Proposal]]:
    """The sessions on a row of the wall, with their space index."""
    result = []
    for room in range(len(space.spaces)):
        proposal = space.proposal(space.wall.get(f"{slot}:{room}"))
        if proposal is not None:
            result.append((room, proposal))
    return result


def resolve_session(space: OpenSpace, proposal_id: str) -> str:
    """A merged proposal's id leads to the session that carries it."""
    seen = set()
    proposal = space.proposal(proposal_id)
    while proposal is not None and proposal.merged_into and proposal.id not in seen:
        seen.add(proposal.id)
        target = space.proposal(proposal.merged_into)
        if target is None:
            break
        proposal = target
    return proposal.id if proposal is not None else proposal_id


def build_phases(space: OpenSpace, *, opening: float, marketplace: float, closing: float) -> list[Phase]:
    """Opening, marketplace, one phase per slot of the wall, closing circle (minutes in, seconds out)."""
    phases = [
        Phase(
            name="Opening",
            seconds=opening * 60,
            kind="opening",
            prompt="The theme, the four principles and the law of two feet",
        ),
        Phase(
            name="Marketplace",
            seconds=marketplace * 60,
            kind="marketplace",
            prompt="Propose sessions and put them on the wall",
        ),
    ]
    for slot in range(space.slots):
        phases.append(
            Phase(
                name=f"Slot {slot + 1}",
                seconds=space.slot_minutes * 60,
                kind="slot",
                slot=slot,
                prompt="Sessions run; people move freely",
            )
        )
    phases.append(
        Phase(name="Closing circle", seconds=closing * 60, kind="closing", prompt="What are you taking away?")
    )
    return phases


FIXED_PHASES = ("opening", "marketplace", "closing")


def resize_wall(segment: Segment, *, slots: int, slot_minutes: float, spaces: list[str], theme: str) -> None:
    """Change the wall's shape while planning, keeping the opening, marketplace and closing times."""
    space = segment.open_space
    assert space is not None
    fixed = {p.kind: p.seconds / 60 for p in segment.phases if p.kind in FIXED_PHASES}
    space.slots, space.slot_minutes, space.spaces, space.theme = slots, slot_minutes, spaces, theme
    segment.phases = build_phases(
        space,
        opening=fixed.get("opening", 15),
        marketplace=fixed.get("marketplace", 20),
        closing=fixed.get("closing", 20),
    )
    segment.planned = sum(p.seconds for p in segment.phases)


# -- events ---------------------------------------------------------------------------------------


class _SpaceEvent(SegmentEvent, kw_only=True):
    def space_in(self, meeting: Meeting) -> OpenSpace | None:
        segment = self.target(meeting)
        return segment.open_space if segment is not None else None

    def find(self, meeting: Meeting, proposal_id: str) -> Proposal | None:
        space = self.space_in(meeting)
        return space.proposal(proposal_id) if space is not None else None


class SessionProposed(_SpaceEvent, tag="os_propose"):
    """A session proposed at the marketplace."""

    proposal: Proposal
    """As the archive stores one (docs/interchange.md)."""

    device: str | None = None
    """The phone it came from (`Device.id`); none when the facilitator typed it."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.remember(self.device, self.key, self.proposal.id)
        space = self.space_in(meeting)
        if space is not None and space.proposal(self.proposal.id) is None:
            space.proposals.append(self.proposal)


class SessionEdited(_SpaceEvent, tag="os_edit"):
    """A session's title, convener or description changed."""

    id: str
    """The session's id."""
    changes: ProposalChanges
    """The fields that change."""

    def apply(self, meeting: Meeting) -> None:
        proposal = self.find(meeting, self.id)
        if proposal is not None:
            set_changes(proposal, self.changes)


def _on_wall(space: OpenSpace, cell: str) -> bool:
    """Whether `cell` ("slot:space") is one of the wall's cells as it is now (rows and spaces
    can be removed while a session is hidden)."""
    slot, _, room = cell.partition(":")
    if not (slot.isascii() and slot.isdigit() and room.isascii() and room.isdigit()):
        return False
    return int(slot) < space.slots and int(room) < len(space.spaces)


class SessionPlaced(_SpaceEvent, tag="os_place"):
    """A session put in a cell of the wall; a session already there swaps with it (or goes
    back to the sessions waiting)."""

    id: str
    """The session's id."""
    slot: int
    """The wall's row (from 0)."""
    space: int
    """The wall's column, the space (from 0)."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        proposal = space.proposal(self.id) if space is not None else None
        if space is None or proposal is None or proposal.hidden or proposal.merged_into is not None:
            return
        slot, room = self.slot, self.space
        if not (0 <= slot < space.slots and 0 <= room < len(space.spaces)):
            return
        target = f"{slot}:{room}"
        origin = space.cell_of(self.id)
        occupant = space.wall.get(target)
        if origin is not None:
            del space.wall[f"{origin[0]}:{origin[1]}"]
            if occupant is not None and occupant != self.id:
                space.wall[f"{origin[0]}:{origin[1]}"] = occupant
        space.wall[target] = self.id


class SessionUnplaced(_SpaceEvent, tag="os_unplace"):
    """A session taken off the wall."""

    id: str
    """The session's id."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        if space is not None:
            space.wall = {cell: pid for cell, pid in space.wall.items() if pid != self.id}


class SessionsMerged(_SpaceEvent, tag="os_merge"):
    """Two proposals on the same theme become one session: `other` joins `keep` (conveners,
    who took part, reports and captures)."""

    keep: str
    """The session that carries both."""
    other: str
    """The session that joins it."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        if space is None:
            return
        keep, other = space.proposal(self.keep), space.proposal(self.other)
        if keep is None or other is None or keep is other or other.merged_into is not None or keep.hidden or other.hidden:
            return
        other.merged_into = keep.id
        keep.merged_titles.append(other.title)
        if other.by and other.by not in keep.by.split(" & "):
            keep.by = f"{keep.by} & {other.by}" if keep.by else other.by
        for person_id in other.participants:
            if person_id not in keep.participants:
                keep.participants.append(person_id)
        for name in other.named:
            if name not in keep.named:
                keep.named.append(name)
        if other.report:
            keep.report = f"{keep.report}\n{other.report}".strip()
        space.wall = {cell: pid for cell, pid in space.wall.items() if pid != other.id}
        for item in meeting.items:
            if item.context.get("session") == other.id:
                item.context["session"] = keep.id
        if space.current == other.id:
            space.current = keep.id


class SessionHidden(_SpaceEvent, tag="os_hide"):
    """A proposal hidden (a duplicate, something unwanted): off the wall, the room's and the
    phones' views and the record, until shown again."""

    id: str
    """The session's id."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        proposal = space.proposal(self.id) if space is not None else None
        if space is None or proposal is None or proposal.merged_into is not None:
            return
        proposal.hidden = True
        proposal.hidden_from = next((cell for cell, pid in space.wall.items() if pid == proposal.id), "")
        space.wall = {cell: pid for cell, pid in space.wall.items() if pid != proposal.id}
        if space.current == proposal.id:
            space.current = None


class SessionShown(_SpaceEvent, tag="os_show"):
    """A hidden proposal shown again: back in the wall's cell it was hidden from, when that cell
    is still free; otherwise among those waiting for a place on the wall."""

    id: str
    """The session's id."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        proposal = space.proposal(self.id) if space is not None else None
        if space is None or proposal is None or not proposal.hidden:
            return
        cell, proposal.hidden, proposal.hidden_from = proposal.hidden_from, False, ""
        if cell and cell not in space.wall and _on_wall(space, cell):
            space.wall[cell] = proposal.id


class ParticipantsSet(_SpaceEvent, tag="os_participants"):
    """Who took part in a session."""

    id: str
    """The session's id."""
    person_ids: list[str]
    """Everyone who took part, by person id."""

    device: str | None = None
    """The phone it came from (`Device.id`); none when the facilitator typed it."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.remember(self.device, self.key, self.id)
        proposal = self.find(meeting, self.id)
        if proposal is not None:
            proposal.participants = list(self.person_ids)


class ReportSet(_SpaceEvent, tag="os_report"):
    """A session's report, in the convener's words."""

    id: str
    """The session's id."""
    text: str
    """The report, several lines."""

    device: str | None = None
    """The phone it came from (`Device.id`); none when the facilitator typed it."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.remember(self.device, self.key, self.id)
        proposal = self.find(meeting, self.id)
        if proposal is not None:
            proposal.report = self.text


class TookPart(_SpaceEvent, tag="os_took_part"):
    """Someone says from their phone that they took part in a session."""

    id: str
    """The session's id."""
    person_id: str
    """Who took part."""
    device: str | None = None
    """The phone it came from."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.remember(self.device, self.key, self.id)
        proposal = self.find(meeting, self.id)
        if proposal is not None and self.person_id not in proposal.participants:
            proposal.participants.append(self.person_id)


class OthersTookPart(_SpaceEvent, tag="os_named"):
    """Someone in a session names from their phone who else took part: people at the meeting
    (by id) and, as typed, people not signed in. Adds to who took part; never takes anyone off."""

    id: str
    """The session's id."""
    person_ids: list[str] = []
    """People at the meeting who took part."""
    names: list[str] = []
    """Others, as typed (no one at the meeting matched them alone)."""
    device: str | None = None
    """The phone it came from."""
    key: str | None = None
    """The phone's idempotency key for it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.remember(self.device, self.key, self.id)
        proposal = self.find(meeting, self.id)
        if proposal is None:
            return
        for person_id in self.person_ids:
            if person_id not in proposal.participants:
                proposal.participants.append(person_id)
        known = {name_key(name) for name in proposal.named}
        for name in self.names:
            if name_key(name) not in known:
                known.add(name_key(name))
                proposal.named.append(name)


class CaptureSession(_SpaceEvent, tag="os_current"):
    """Captures from now on belong to this session's report (none: to no session)."""

    id: str | None
    """The session's id, or null for none."""

    def apply(self, meeting: Meeting) -> None:
        space = self.space_in(meeting)
        if space is not None and (self.id is None or space.proposal(self.id) is not None):
            space.current = self.id


# -- operations -------------------------------------------------------------------------------------


class OpenSpaceOperations(Operations):
    """Open space's operations: `session.open_space`."""

    attribute = "open_space"

    @property
    def space(self) -> OpenSpace:
        segment = self.segment
        if segment is None or segment.open_space is None:
            raise EntryError("This segment is not an open space")
        return segment.open_space

    def _id(self) -> str:
        segment = self.segment
        assert segment is not None
        return segment.id

    def propose(self, title: str, by: str = "", description: str = "") -> Proposal:
        space = self.space
        title = clean_line(title)
        if not title:
            raise EntryError("A session needs a title")
        by_name, by_id = self.session.resolve_owner_quiet(by) if by.strip() else ("", None)
        proposal = Proposal(
            id=new_id(),
            title=title,
            by=by_name,
            by_id=by_id,
            description=clean_line(description),
            created_at=self.session.now_text(),
        )
        self.session.record(SessionProposed(segment=self._id(), proposal=proposal))
        stored = space.proposal(proposal.id)
        assert stored is not None
        return stored

    def edit(self, proposal_id: str, title: str, by: str, description: str) -> None:
        title = clean_line(title)
        if not title:
            raise EntryError("A session needs a title")
        by_name, by_id = self.session.resolve_owner_quiet(by) if by.strip() else ("", None)
        changes = ProposalChanges(title=title, by=by_name, by_id=by_id, description=clean_line(description))
        self.session.record(SessionEdited(segment=self._id(), id=proposal_id, changes=changes))

    def place(self, proposal_id: str, slot: int, space: int) -> None:
        self.session.record(SessionPlaced(segment=self._id(), id=proposal_id, slot=slot, space=space))

    def unplace(self, proposal_id: str) -> None:
        self.session.record(SessionUnplaced(segment=self._id(), id=proposal_id))

    def _standing(self, proposal_id: str) -> Proposal:
        proposal = self.space.proposal(proposal_id)
        if proposal is None or proposal.merged_into is not None:
            raise EntryError("That session is no longer proposed")
        return proposal

    def merge(self, keep_id: str, other_id: str) -> None:
        if keep_id == other_id:
            raise EntryError("Choose two different sessions to merge")
        if self._standing(keep_id).hidden or self._standing(other_id).hidden:
            raise EntryError("A hidden session cannot be merged: show it again first")
        self.session.record(SessionsMerged(segment=self._id(), keep=keep_id, other=other_id))

    def hide(self, proposal_id: str) -> None:
        """Hide a proposal (`SessionHidden`); `show` brings it back. A session that has been
        held (a report, people who took part) is history: it can be merged, never hidden."""
        proposal = self._standing(proposal_id)
        if proposal.hidden:
            return
        if proposal.report.strip() or proposal.participants or proposal.named:
            raise EntryError("A session with a report or people who took part cannot be hidden: m merges it")
        self.session.record(SessionHidden(segment=self._id(), id=proposal.id))

    def show(self, proposal_id: str) -> None:
        """A hidden proposal back among those waiting for the wall (`SessionShown`)."""
        if self._standing(proposal_id).hidden:
            self.session.record(SessionShown(segment=self._id(), id=proposal_id))

    def set_participants(self, proposal_id: str, person_ids: list[str]) -> None:
        self.session.record(ParticipantsSet(segment=self._id(), id=proposal_id, person_ids=list(person_ids)))

    def set_report(self, proposal_id: str, text: str) -> None:
        self.session.record(ReportSet(segment=self._id(), id=proposal_id, text=clean_block(text)))

    def focus(self, proposal_id: str | None) -> None:
        """Captures from now on belong to this session's report."""
        self.session.record(CaptureSession(segment=self._id(), id=proposal_id))

    def slot_sessions(self) -> list[tuple[int, Proposal]]:
        """The sessions running now (in a slot phase), else none."""
        segment = self.segment
        phase = segment.current_phase if segment else None
        if segment is None or segment.open_space is None or phase is None or phase.slot is None:
            return []
        return sessions_in_slot(segment.open_space, phase.slot)

    def capturing(self) -> Proposal | None:
        """The session captures go to now: the one chosen, while its slot runs."""
        segment = self.segment
        if segment is None or segment.open_space is None:
            return None
        current = segment.open_space.current
        return next((p for _, p in self.slot_sessions() if p.id == current), None) if current else None


# -- the kind ----------------------------------------------------------------------------------------------


def _spaces(value: Any) -> bool:
    return isinstance(value, list) and 1 <= len(value) <= 12 and all(isinstance(x, str) and x.strip() for x in value)



# -- the room's screen ---------------------------------------------------------------------------------


OPEN_SPACE_WORDS = {
    "opening": "Opening",
    "marketplace": "Marketplace: propose a session",
    "slot": "Sessions",
    "closing": "Closing circle",
}


TITLE_LIMIT = 120
"""The longest session title a phone may send."""
REPORT_LIMIT = 4000
"""The longest report a phone may send."""
PROPOSALS_EACH = 4
"""Sessions one person may propose from their phone in one open space."""
NAMED_LIMIT = 60
"""The most people one submission may name as having taken part."""
NAMES_LIMIT = 600
"""The longest list of names (not signed in) a phone may send, separated by commas or lines."""


def _stage(segment: Segment) -> str:
    phase = segment.current_phase
    return phase.kind if phase is not None else "opening"


def _in_session(proposal: Proposal, person_id: str) -> bool:
    return proposal.by_id == person_id or person_id in proposal.participants


def _running_sessions(space: OpenSpace, segment: Segment) -> list[Proposal]:
    """Sessions a report may be written for now: those of slots begun, while the slots and the
    closing circle run."""
    phase = segment.current_phase
    if phase is None or phase.kind not in ("slot", "closing"):
        return []
    last = phase.slot if phase.kind == "slot" and phase.slot is not None else space.slots - 1
    return [p for slot in range(last + 1) for _, p in sessions_in_slot(space, slot)]


def phone_view(meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
    """The phone's open space: propose at the marketplace; the wall (as the room sees it) once the
    sessions run, with a report form for the sessions this person convenes or took part in, and
    who took part (names only: the people here, to tick, for the sessions they are in)."""
    space = segment.open_space
    if space is None:
        return {}
    stage = _stage(segment)
    mine = [p for p in space.live_proposals if person_id and p.by_id == person_id]
    running = _running_sessions(space, segment) if person_id else []
    circle = round_phone_view(meeting, segment, person_id) if stage == "closing" else {}
    in_any = any(_in_session(p, person_id or "") for p in running)
    names = {a.person_id: clean_line(a.name) for a in meeting.attendees}
    return {
        **circle,
        "here": [{"id": a.person_id, "name": names[a.person_id]} for a in meeting.present] if in_any else [],
        "can": [what for what, yes in (
            ("propose", stage == "marketplace" and person_id is not None),
            ("report", bool(running)),
        ) if yes],  # fmt: skip
        "mine": [{"id": p.id, "title": clean_line(p.title)} for p in mine],
        "sessions": [
            {
                "id": p.id, "title": clean_line(p.title), "by": clean_line(p.by),
                "in_it": _in_session(p, person_id or ""),
                "report": p.report if _in_session(p, person_id or "") else "",
                "took_part": (
                    [names[pid] for pid in dict.fromkeys(p.participants) if pid in names]
                    + [clean_line(name) for name in p.named]
                ) if _in_session(p, person_id or "") else [],
            }  # fmt: skip
            for p in running
        ],
    }


def contribute(session: MeetingSession, segment: Segment, sent: Submission) -> str:
    space = segment.open_space
    if space is None:
        raise Refusal("This open space has no wall")
    stage = _stage(segment)
    if sent.what == "propose":
        if stage != "marketplace":
            raise Refusal("Proposing sessions is open during the marketplace")
        title = text_field(sent.fields, "title", TITLE_LIMIT)
        named = text_field(sent.fields, "convener", 80, required=False)
        # Proposals merged or hidden since count too: they were sent.
        if sum(1 for p in space.proposals if sent.person_id in (p.by_id, *p.participants)) >= PROPOSALS_EACH:
            raise Refusal(f"You have proposed {PROPOSALS_EACH} sessions already", "allowance")
        by, by_id = session.resolve_owner_quiet(named) if named else (sent.name, sent.person_id)
        proposal = Proposal(id=new_id(), title=title, by=by, by_id=by_id, created_at=session.now_text())
        if named:
            # Proposed for someone else: the proposer is kept as a participant, so it stays theirs too.
            proposal.participants.append(sent.person_id)
        session.record(SessionProposed(segment=segment.id, proposal=proposal, device=sent.device, key=sent.key))
        return proposal.id
    if sent.what in ("report", "took_part", "named"):
        running = next((p for p in _running_sessions(space, segment)
                         if p.id == sent.fields.get("session")), None)  # fmt: skip
        if running is None:
            raise Refusal("Reports are written for sessions that have begun", "closed")
        if sent.what == "took_part":
            session.record(TookPart(segment=segment.id, id=running.id, person_id=sent.person_id,
                                    device=sent.device, key=sent.key))  # fmt: skip
            return running.id
        if not _in_session(running, sent.person_id):
            raise Refusal("The session's convener, or someone who took part, writes its report", "invalid")
        if sent.what == "named":
            person_ids, names = _named(session, sent.fields)
            session.record(OthersTookPart(segment=segment.id, id=running.id, person_ids=person_ids, names=names,
                                          device=sent.device, key=sent.key))  # fmt: skip
            return running.id
        text = text_field(sent.fields, "report", REPORT_LIMIT, block=True)
        session.record(ReportSet(segment=segment.id, id=running.id, text=text, device=sent.device, key=sent.key))
        return running.id
    raise Refusal("Open space takes proposals and reports", "invalid")


def _named(session: MeetingSession, fields: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Who a phone says took part: people at this meeting, ticked (their ids), and names typed
    for others, matched as the capture line matches a name (one person here or earlier at this
    meeting, by full name, first name or the start of it); a name matching no one, or several,
    is kept as typed, never merged with anyone."""
    people = fields.get("people", [])
    if not isinstance(people, list) or len(people) > NAMED_LIMIT or not all(isinstance(p, str) for p in people):
        raise Refusal(f"people must be a list of at most {NAMED_LIMIT} people at the meeting", "invalid")
    here = {a.person_id for a in session.meeting.attendees}
    if any(p not in here for p in people):
        raise Refusal("Only people at this meeting can be ticked", "invalid")
    typed = text_field(fields, "names", NAMES_LIMIT, required=False, block=True)
    person_ids = list(dict.fromkeys(people))
    names: list[str] = []
    for raw in re.split(r"[,;\n]", typed):
        name = clean_line(raw)
        if not name:
            continue
        if len(name) > 80:
            raise Refusal("A name is longer than 80 characters", "invalid")
        try:
            attendee = session.find_present(name, include_left=True)
        except EntryError:
            attendee = None  # several alike: kept as typed, for the facilitator to sort out
        if attendee is not None:
            if attendee.person_id not in person_ids:
                person_ids.append(attendee.person_id)
        elif name_key(name) not in {name_key(n) for n in names}:
            names.append(name)
    if len(person_ids) + len(names) > NAMED_LIMIT:
        raise Refusal(f"At most {NAMED_LIMIT} people at once", "invalid")
    if not person_ids and not names:
        raise Refusal("Tick someone, or type a name", "invalid")
    return person_ids, names


def room_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """The opening's theme and principles; the marketplace's proposals; the wall; the closing circle."""
    space = segment.open_space
    phase = segment.current_phase
    kind = phase.kind if phase is not None else "opening"
    if space is None:
        return {"view": "opening", "theme": clean_block(segment.prompt), "principles": []}
    if kind == "closing":
        return {**round_room_view(meeting, segment, pending), "view": "closing", "theme": clean_block(space.theme)}
    if kind == "opening":
        room = clean_block(str(segment.data.get("room", "")))
        return {
            "view": "opening",
            "theme": clean_block(space.theme or segment.prompt),
            "principles": [line for line in room.split("\n") if line.strip()],
        }
    live = space.live_proposals
    slot_times = list(space.slot_times)
    slots = []
    for slot in range(space.slots):
        label = slot_times[slot] if slot < len(slot_times) and slot_times[slot] else f"Slot {slot + 1}"
        cells = []
        for index in range(len(space.spaces)):
            proposal = space.proposal(space.wall.get(f"{slot}:{index}"))
            cells.append({"title": clean_line(proposal.title), "by": clean_line(proposal.by)} if proposal else None)
        slots.append({"label": clean_line(label), "sessions": cells})
    placed = set(space.wall.values())
    return {
        "view": "marketplace" if kind == "marketplace" else "wall",
        "theme": clean_block(space.theme),
        "proposals": [
            {"title": clean_line(p.title), "by": clean_line(p.by), "placed": p.id in placed} for p in live
        ],
        "spaces": [clean_line(name) for name in space.spaces],
        "slots": slots,
        "current_slot": phase.slot if phase is not None and phase.slot is not None else None,
    }


class OpenSpaceKind(Kind):
    name = OPEN_SPACE
    position = 50
    description = "Proposals at the marketplace, an agenda wall of slots by spaces, sessions with reports, a closing circle."
    events = (
        SessionProposed, SessionEdited, SessionPlaced, SessionUnplaced, SessionsMerged,
        ParticipantsSet, ReportSet, CaptureSession, TookPart, OthersTookPart, SessionHidden, SessionShown,
    )  # fmt: skip
    operations = OpenSpaceOperations
    options = {
        "theme": Option(lambda v: isinstance(v, str), "text"),
        "slots": whole(1, 12),
        "slot_minutes": minutes(240),
        "spaces": Option(_spaces, "a list of 1 to 12 names"),
        "opening_minutes": minutes(240),
        "marketplace_minutes": minutes(240),
        "closing_minutes": minutes(240),
    }
    length_from_options = True

    def default_minutes(self, data: dict[str, Any]) -> float | None:
        return 0

    def format_minutes(self, minutes: float, options: dict[str, Any]) -> float:
        return float(
            options.get("opening_minutes", 15)
            + options.get("marketplace_minutes", 20)
            + options.get("slots", 3) * options.get("slot_minutes", 30)
            + options.get("closing_minutes", 20)
        )

    def setup(self, segment: Segment, options: dict[str, Any]) -> None:
        space = OpenSpace(
            theme=str(options.get("theme", segment.prompt)),
            slots=int(options.get("slots", 3)),
            slot_minutes=float(options.get("slot_minutes", 30)),
            spaces=[str(s) for s in options.get("spaces", ["Room 1", "Room 2", "Room 3"])],
        )
        segment.open_space = space
        segment.phases = build_phases(
            space,
            opening=float(options.get("opening_minutes", 15)),
            marketplace=float(options.get("marketplace_minutes", 20)),
            closing=float(options.get("closing_minutes", 20)),
        )
        segment.planned = sum(p.seconds for p in segment.phases)

    def settings(self, segment: Segment) -> dict[str, Any]:
        space = segment.open_space
        if space is None:
            return {}
        settings: dict[str, Any] = dict(
            theme=space.theme, slots=space.slots, slot_minutes=space.slot_minutes, spaces=list(space.spaces)
        )
        minutes_of = {p.kind: p.seconds / 60 for p in segment.phases if p.kind}
        for kind in FIXED_PHASES:
            if minutes_of.get(kind, 0) > 0:
                settings[f"{kind}_minutes"] = minutes_of[kind]
        return settings

    def resize(self, segment: Segment, seconds: float) -> str | None:
        return "An open space's length comes from its slots: e edits them."

    def context(self, session: MeetingSession) -> dict[str, str]:
        """Captures during a session slot belong to the session chosen on the wall."""
        chosen = session.open_space.capturing()
        return {"session": chosen.id} if chosen is not None else {}

    def propose(self, session: MeetingSession, entry: ProposalEntry) -> str | None:
        proposal = session.open_space.propose(entry.title, entry.by)
        who = f" by {proposal.by}" if proposal.by else ""
        return f"Session proposed: {proposal.title}{who}"

    def item_home(self, segment: Segment, key: str) -> Proposal | None:
        """The session an item was captured in (the one it was merged into); none for a hidden
        one, so that its captures stay in the record, under the segment."""
        space = segment.open_space
        proposal = space.proposal(resolve_session(space, key)) if space is not None else None
        return proposal if proposal is not None and not proposal.hidden else None

    def has_record(self, segment: Segment) -> bool:
        from facilitate.export.escape import inline

        space = segment.open_space
        return space is not None and bool(space.live_proposals or inline(space.theme))

    def record(self, page: Page, context: RecordContext) -> None:
        # The round of an open space is its closing circle, after the proceedings; its
        # prompt is the theme, shown with them.
        proceedings(page, context)
        if context.round_happened:
            page.paragraph("**Closing circle**")
            context.write_round(page)

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        return room_view(meeting, segment, pending)

    def phone(self, meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
        return phone_view(meeting, segment, person_id)

    def contribute(self, session: MeetingSession, segment: Segment, submission: Submission) -> str:
        return contribute(session, segment, submission)



def proceedings(page: Page, context: RecordContext) -> None:
    """The sessions in wall order, each with where and when, who convened, who took part,
    the report and what was captured; then those proposed but never placed."""
    from facilitate.export.escape import block, inline

    space = context.segment.open_space
    if space is None:
        return
    items = context.by_context
    if theme := inline(space.theme):
        page.paragraph("**Theme:** " + theme)
    # Sessions on the wall in wall order; then any session that held a
    # discussion without being placed (its report and notes must not vanish).
    placed: list[tuple[tuple[int, int], Proposal]] = []
    held_elsewhere: list[Proposal] = []
    unplaced: list[Proposal] = []
    for proposal in space.live_proposals:
        cell = space.cell_of(proposal.id)
        if cell is not None:
            placed.append((cell, proposal))
        elif block(proposal.report) or proposal.participants or proposal.named or items.get(proposal.id):
            held_elsewhere.append(proposal)
        else:
            unplaced.append(proposal)
    placed.sort(key=lambda entry: entry[0])
    sessions: list[tuple[tuple[int, int] | None, Proposal]] = [*placed, *((None, p) for p in held_elsewhere)]
    for cell, proposal in sessions:
        page.heading(3, inline(proposal.title, "Untitled session"))
        where = _wall_label(space, cell) if cell is not None else "not on the wall"
        facts = [f"**Where and when:** {where}"]
        if convener := inline(proposal.by):
            facts.append("**Convener:** " + convener)
        merged = proposal.merged_titles or [p.title for p in space.proposals if p.merged_into == proposal.id]
        merged = [inline(title) for title in merged if inline(title)]
        if merged:
            facts.append("**Merged with:** " + "; ".join(merged))
        count, participants = context.names(proposal.participants)
        others = [inline(name) for name in proposal.named if inline(name)]
        if others:
            participants = "; ".join([participants, *others]) if participants else "; ".join(others)
            count += len(others)
        if participants:
            facts.append(f"**Took part ({count}):** " + participants)
        if description := inline(proposal.description):
            facts.append("**Proposal:** " + description)
        page.bullets(facts)
        page.paragraph(block(proposal.report))
        page.bullets([context.item_line(item) for item in items.get(proposal.id, [])])
    if unplaced:
        lines = []
        for proposal in unplaced:
            line = inline(proposal.title, "Untitled session")
            if convener := inline(proposal.by):
                line += f" ({convener})"
            lines.append(line)
        page.paragraph("Proposed but not on the wall:")
        page.bullets(lines)


def _wall_label(space: OpenSpace, cell: tuple[int, int]) -> str:
    from facilitate.export.escape import inline

    slot, room = cell
    when = inline(space.slot_times[slot]) if 0 <= slot < len(space.slot_times) else ""
    where = inline(space.spaces[room]) if 0 <= room < len(space.spaces) else ""
    return ", ".join(part for part in (when or f"slot {slot + 1}", where or f"space {room + 1}") if part)


KIND = OpenSpaceKind()
