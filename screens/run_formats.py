"""What the run screen does for the richer formats: the wall, the Lean Coffee board,
matters arising, proposals and rebalancing an overrun.

Functions of the run screen, kept apart so the screen itself stays about the
meeting's flow. Each turns a key or a board's message into session calls,
opening a dialog first where the facilitator has more to say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitate.clock import format_duration
from facilitate.dates import short_date
from facilitate.rebalance import apply_option, rebalance_options
from facilitate.text import clean_line
from screens.boards import AgendaWall, LeanBoard, MattersPanel
from screens.format_dialogs import (
    MatterDetail,
    PickProposal,
    Rebalance,
    ReportEditor,
    SessionForm,
    ThumbsVote,
    WhoTookPart,
)

if TYPE_CHECKING:
    from screens.run import RunScreen as Screen


def lean_next(screen: Screen) -> None:
    """Thumbs on the topic being discussed, or start the most-voted one."""
    topic = screen.session.current_topic()
    if topic is None:
        upcoming = screen.session.next_topic()
        if upcoming is None:
            screen.notify("No topics left to discuss.")
            return
        screen.do(screen.session.discuss, upcoming.id)
        screen.notify(f"Discussing: {upcoming.title}", timeout=3, markup=False)
        return

    def voted(result) -> None:
        if result is None:
            return
        up, sideways, down, carry_on = result
        upcoming = screen.do(lambda: screen.session.thumbs(up, sideways, down, carry_on=carry_on))
        if carry_on:
            left = screen.session.topic_remaining() or 0
            screen.notify(f"Continuing: {format_duration(max(left, 0))} more", timeout=3, markup=False)
        elif upcoming is not None:
            screen.notify(f"Next: {upcoming.title}", timeout=3, markup=False)
        else:
            screen.notify("All topics discussed.", timeout=3)

    screen.app.push_screen(ThumbsVote(topic.title, screen.session.next_extension() / 60), voted)


def propose(screen: Screen) -> None:
    segment = screen.session.segment
    is_space = segment is not None and segment.open_space is not None

    def done(result) -> None:
        if result is None:
            return
        title, by, description = result
        if is_space:
            screen.do(screen.session.propose_session, title, by, description)
        else:
            screen.do(screen.session.add_topic, title, by)

    heading = "Propose a session" if is_space else "Add a topic"
    screen.app.push_screen(SessionForm(heading, with_description=is_space), done)


def rebalance(screen: Screen) -> None:
    options = rebalance_options(screen.session)
    if not options:
        screen.notify("The meeting is on time: nothing to rebalance.")
        return
    drift = format_duration(screen.session.drift())

    def chosen(index: int | None) -> None:
        if index is not None:
            screen.do(apply_option, screen.session, options[index])
            screen.notify(f"Agenda changed: {options[index].label}", timeout=4, markup=False)

    screen.app.push_screen(
        Rebalance(
            f"The meeting would end {drift} late. Take the time from:",
            [o.label for o in options],
        ),
        chosen,
    )


def wall_command(screen: Screen, event: AgendaWall.Command) -> None:
    session = screen.session
    space = session.segment.open_space if session.segment else None
    if space is None:
        return
    proposal = space.proposal(event.proposal_id)
    wall = screen.query_one(AgendaWall)
    if event.action == "place" and event.cell is not None:
        screen.do(session.place_session, event.proposal_id, *event.cell)
    elif event.action == "choose" and event.cell is not None:
        waiting = wall.unplaced()
        cell = event.cell

        def place(proposal_id: str | None) -> None:
            if proposal_id:
                screen.do(session.place_session, proposal_id, *cell)
            wall.focus()

        screen.app.push_screen(
            PickProposal(
                "Put which session here?",
                [(p.id, f"{p.title} ({p.by})" if p.by else p.title) for p in waiting],
            ),
            place,
        )
    elif event.action == "unplace" and proposal is not None:
        screen.do(session.unplace_session, proposal.id)
    elif event.action == "capture" and proposal is not None:
        screen.do(session.focus_session, proposal.id)
        screen.notify(f"Captures now go to “{proposal.title}”", timeout=3, markup=False)
        screen.focus_entry()
    elif event.action == "merge" and proposal is not None:
        others = [p for p in space.live_proposals if p.id != proposal.id]

        def merge(other_id: str | None) -> None:
            if other_id:
                screen.do(session.merge_sessions, proposal.id, other_id)
            wall.focus()

        screen.app.push_screen(
            PickProposal(
                f"Merge which session into “{proposal.title}”?",
                [(p.id, p.title) for p in others],
            ),
            merge,
        )
    elif event.action == "edit" and proposal is not None:

        def edited(result) -> None:
            if result is not None:
                screen.do(session.edit_session, proposal.id, *result)
            wall.focus()

        screen.app.push_screen(
            SessionForm("Edit the session", proposal.title, proposal.by, proposal.description),
            edited,
        )
    elif event.action == "new":

        def proposed(result) -> None:
            if result is not None:
                created = screen.do(session.propose_session, *result)
                if (
                    created is not None
                    and event.cell is not None
                    and space.wall.get(f"{event.cell[0]}:{event.cell[1]}") is None
                ):
                    screen.do(session.place_session, created.id, *event.cell)
            wall.focus()

        screen.app.push_screen(SessionForm("Propose a session"), proposed)
    elif event.action == "people" and proposal is not None:
        people = [(a.person_id, a.name) for a in session.meeting.attendees]

        def chosen(person_ids) -> None:
            if person_ids is not None:
                screen.do(session.set_participants, proposal.id, person_ids)
            wall.focus()

        screen.app.push_screen(
            WhoTookPart(f"Who took part in “{proposal.title}”?", people, proposal.participants),
            chosen,
        )
    elif event.action == "report" and proposal is not None:

        def reported(text: str | None) -> None:
            if text is not None:
                screen.do(session.set_report, proposal.id, text)
            wall.focus()

        screen.app.push_screen(
            ReportEditor(f"Report: {proposal.title}", proposal.report, session_captures(session, proposal.id)),
            reported,
        )
    screen.refresh_all()


def session_captures(session, proposal_id: str) -> list[str]:
    """What was captured for an open space session (c on the wall sends captures to it), one
    plain line each: notes, decisions (=) and actions (!) with their owner and date."""
    today = session.clock.today()
    lines = []
    for item in session.meeting.items:
        if item.context.get("session") != proposal_id:
            continue
        text = clean_line(item.text)
        if item.kind == "decision":
            lines.append(f"= {text}")
        elif item.kind == "action":
            due = f" (due {short_date(item.due, today)})" if item.due else ""
            lines.append(f"! {clean_line(item.owner) or 'no owner'}: {text}{due}")
        else:
            lines.append(f"· {text}")
    return lines


def lean_command(screen: Screen, event: LeanBoard.Command) -> None:
    session = screen.session
    board = session.segment.lean_coffee if session.segment else None
    topic = board.topic(event.topic_id) if board else None
    if topic is None:
        return
    if event.action == "votes":
        screen.do(session.set_votes, topic.id, event.value)
    elif event.action == "discuss":
        screen.do(session.discuss, topic.id)
        screen.notify(f"Discussing: {topic.title}", timeout=3, markup=False)
    elif event.action == "remove":
        screen.do(session.remove_topic, topic.id)
    elif event.action == "edit":
        lean = screen.query_one(LeanBoard)

        def edited(result) -> None:
            if result is not None:
                title, by, _ = result
                name, by_id = session.resolve_owner_quiet(by)
                screen.do(
                    lambda: session.record(
                        "lc_edit",
                        segment=session.segment.id,
                        id=topic.id,
                        changes={"title": title, "by": name, "by_id": by_id},
                    )
                )
            lean.focus()

        screen.app.push_screen(
            SessionForm("Edit the topic", topic.title, topic.by, with_description=False),
            edited,
        )
    screen.refresh_all()


def matter_moved(screen: Screen, event: MattersPanel.Moved) -> None:
    screen.do(screen.session.move_matter, event.index - screen.session.current_matter_index())


def matter_command(screen: Screen, event: MattersPanel.Command) -> None:
    session = screen.session
    panel = screen.query_one(MattersPanel)
    if event.outcome in ("carried", "reowned"):
        matter = session.segment.matters[event.index]
        heading = (
            f"Carry forward: {matter.text}" if event.outcome == "carried" else f"Give to someone else: {matter.text}"
        )

        def detailed(result) -> None:
            if result is not None:
                due, owner = result
                screen.do(lambda: session.decide_matter(event.outcome, index=event.index, due=due, owner=owner))
            panel.focus()
            screen.refresh_all()

        screen.app.push_screen(
            MatterDetail(session, heading, ask_owner=event.outcome == "reowned"),
            detailed,
        )
        return
    screen.do(lambda: session.decide_matter(event.outcome, index=event.index))
