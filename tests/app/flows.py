"""Walks over the app's screens and dialogs, for tests that check something of every one."""

from __future__ import annotations

import random

from facilitate.session import MeetingSession
from tests.app.pilot import wait_archive
from tests.unit.helpers import make_meeting


def every_screen_and_dialog(session: MeetingSession, app) -> list:
    """One of each screen and dialog the app can show, built as the app builds them."""
    from screens.actions import ActionsScreen
    from screens.dialogs import ConfirmDialog, PickOne, ProposalForm, TextPrompt
    from screens.history import HistoryScreen
    from screens.kinds.lean_coffee import ThumbsVote
    from screens.kinds.matters import MatterDetail
    from screens.kinds.open_space import ReportEditor, WhoTookPart
    from screens.kinds.round import SpeakingOrder
    from screens.people import PeopleScreen
    from screens.plan import PlanScreen
    from screens.plan_dialogs import FormatPicker, SegmentEditor
    from screens.record import SaveRecordDialog
    from screens.run import RunScreen
    from screens.run_dialogs import ActionForm, CapturedItems, PersonForm, Rebalance, WhoIsHere

    people = [(a.person_id, a.name) for a in session.meeting.attendees]
    segment = session.meeting.segments[0]
    return [
        PlanScreen(),
        FormatPicker(app.formats),
        SegmentEditor(segment),
        RunScreen(session),
        ActionForm(session),
        PersonForm("Someone arrives"),
        WhoIsHere(session),
        CapturedItems(session),
        SpeakingOrder(session),
        TextPrompt("Seconds each", "60"),
        ConfirmDialog("Sure?"),
        ProposalForm("Propose a session"),
        ReportEditor("Report", "text"),
        WhoTookPart("Who took part?", people, []),
        PickOne("Which?", [("a", "A")]),
        ThumbsVote("Topic", 2.5),
        MatterDetail(session, "Give to someone else", ask_owner=True),
        Rebalance("Take the time from", ["Shorten the break"]),
        HistoryScreen(),
        ActionsScreen(),
        PeopleScreen(),
        SaveRecordDialog(session.meeting),
    ]


async def every_screen(config, clock) -> list:
    """Every widget of every screen and dialog, each shown in turn over the home screen."""
    from screens.app import make_app

    session = MeetingSession.begin(
        make_meeting("check-in", "open-space", "lean-coffee"), clock, config.live_path, rng=random.Random(3)
    )
    session.capture("+Asha Patel, Age UK")
    session.capture("+Tom Reed")
    app = make_app(config)
    seen: list = []
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_archive(pilot)
        app.session = session
        for screen in every_screen_and_dialog(session, app):
            await app.push_screen(screen)
            await pilot.pause()
            seen.extend(screen.query("*"))
            await app.pop_screen()
            await pilot.pause()
    return seen
