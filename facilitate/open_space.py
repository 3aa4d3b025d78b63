"""Open space in a meeting: proposals, the agenda wall, sessions and their reports.

`OpenSpaceCommands` is mixed into `MeetingSession`: each method records one
event. `wall_problems` is the check the wall shows: a convener booked twice
in one slot, a session left unplaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitate.models import OpenSpace, Phase, Proposal, new_id
from facilitate.quickentry import EntryError, ProposalEntry
from facilitate.serial import to_dict
from facilitate.text import clean_block, clean_line, name_key

if TYPE_CHECKING:
    from facilitate.session import Captured, MeetingSession


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


class OpenSpaceCommands:
    """Open space commands of a `MeetingSession`."""

    def _space(self: MeetingSession) -> OpenSpace:
        segment = self.meeting.segment
        if segment is None or segment.open_space is None:
            raise EntryError("This segment is not an open space")
        return segment.open_space

    def propose_session(self: MeetingSession, title: str, by: str = "", description: str = "") -> Proposal:
        space = self._space()
        title = clean_line(title)
        if not title:
            raise EntryError("A session needs a title")
        by_name, by_id = self.resolve_owner_quiet(by) if by.strip() else ("", None)
        proposal = Proposal(
            id=new_id(),
            title=title,
            by=by_name,
            by_id=by_id,
            description=clean_line(description),
            created_at=self._at(),
        )
        self.record("os_propose", segment=self.meeting.segment.id, proposal=to_dict(proposal))
        stored = space.proposal(proposal.id)
        assert stored is not None
        return stored

    def edit_session(self: MeetingSession, proposal_id: str, title: str, by: str, description: str) -> None:
        title = clean_line(title)
        if not title:
            raise EntryError("A session needs a title")
        by_name, by_id = self.resolve_owner_quiet(by) if by.strip() else ("", None)
        self.record(
            "os_edit",
            segment=self.meeting.segment.id,
            id=proposal_id,
            changes={"title": title, "by": by_name, "by_id": by_id, "description": clean_line(description)},
        )

    def place_session(self: MeetingSession, proposal_id: str, slot: int, space: int) -> None:
        self.record("os_place", segment=self.meeting.segment.id, id=proposal_id, slot=slot, space=space)

    def unplace_session(self: MeetingSession, proposal_id: str) -> None:
        self.record("os_unplace", segment=self.meeting.segment.id, id=proposal_id)

    def merge_sessions(self: MeetingSession, keep_id: str, other_id: str) -> None:
        if keep_id == other_id:
            raise EntryError("Choose two different sessions to merge")
        self.record("os_merge", segment=self.meeting.segment.id, keep=keep_id, other=other_id)

    def set_participants(self: MeetingSession, proposal_id: str, person_ids: list[str]) -> None:
        self.record("os_participants", segment=self.meeting.segment.id, id=proposal_id, person_ids=list(person_ids))

    def set_report(self: MeetingSession, proposal_id: str, text: str) -> None:
        self.record("os_report", segment=self.meeting.segment.id, id=proposal_id, text=clean_block(text))

    def focus_session(self: MeetingSession, proposal_id: str | None) -> None:
        """Captures from now on belong to this session's report."""
        self.record("os_current", segment=self.meeting.segment.id, id=proposal_id)

    def slot_sessions(self: MeetingSession) -> list[tuple[int, Proposal]]:
        """The sessions running now (in a slot phase), else none."""
        segment = self.meeting.segment
        phase = segment.current_phase if segment else None
        if segment is None or segment.open_space is None or phase is None or phase.slot is None:
            return []
        return sessions_in_slot(segment.open_space, phase.slot)


def open_space_context(session: MeetingSession) -> dict[str, str]:
    """Captures during a session slot belong to the session chosen on the wall."""
    segment = session.meeting.segment
    phase = segment.current_phase if segment else None
    if segment is None or segment.open_space is None or phase is None or phase.slot is None:
        return {}
    current = segment.open_space.current
    if current and any(p.id == current for _, p in sessions_in_slot(segment.open_space, phase.slot)):
        return {"session": current}
    return {}


def propose_from_entry(session: MeetingSession, entry: ProposalEntry) -> Captured:
    from facilitate.session import Captured

    proposal = session.propose_session(entry.title, entry.by)
    who = f" by {proposal.by}" if proposal.by else ""
    return Captured("proposal", f"Session proposed: {proposal.title}{who}")


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


def resize_wall(segment, *, slots: int, slot_minutes: float, spaces: list[str], theme: str) -> None:
    """Change the wall's shape while planning, keeping the opening, marketplace and closing times."""
    space = segment.open_space
    fixed = {p.kind: p.seconds / 60 for p in segment.phases if p.kind in ("opening", "marketplace", "closing")}
    space.slots, space.slot_minutes, space.spaces, space.theme = slots, slot_minutes, spaces, theme
    segment.phases = build_phases(
        space,
        opening=fixed.get("opening", 15),
        marketplace=fixed.get("marketplace", 20),
        closing=fixed.get("closing", 20),
    )
    segment.planned = sum(p.seconds for p in segment.phases)
