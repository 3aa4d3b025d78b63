"""Typing through a real terminal: every burst stored as typed, with the machine quiet and busy.

The normal suite types a few dozen bursts (the last third with every core
busy) and drives the dialogs with type-ahead; `-m slow` types 500 and more.
Set FACILITATE_TYPING_BURSTS to type more. See tests/proof/typing.py.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from tests.proof.typing import PEOPLE, Tally, TypingTrial, action_form_burst, capture_bursts

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")


def report(tally: Tally, label: str) -> None:
    print(f"\n{label}: {tally.bursts} bursts ({tally.busy_bursts} with every core busy), "
          f"{len(tally.mismatches)} mismatches")  # fmt: skip


def run_capture_trial(folder, bursts: int, forms: int) -> Tally:
    tally = Tally()
    trial = TypingTrial(folder, "open-conversation", seed=bursts)
    try:
        trial.start()
        intended = capture_bursts(trial, tally, bursts, busy_from=bursts * 2 // 3)
        for number in range(forms):
            what, owner, after = action_form_burst(trial, tally, number)
            intended.append(after)
            count = 1 + number

            def formed(meeting, count=count, after=after) -> bool:
                actions = [i for i in meeting.items if i.kind == "action"]
                return len(actions) >= count and any(i.text == after for i in meeting.items)

            assert trial.wait_for_live(formed), "the action form's burst never landed"
            action = [i for i in trial.meeting().items if i.kind == "action"][number]
            tally.check(f"action form {number + 1}", (what, owner, (date.today() + timedelta(weeks=2)).isoformat()),
                        (action.text, action.owner, action.due))  # fmt: skip
        tally.check("notes in the live file", intended, trial.notes())
        archived = trial.finish()
        tally.check("notes in the archive", intended, [i.text for i in archived.items if i.kind == "note"])
    finally:
        trial.close()
    return tally


def test_bursts_of_typing_and_editing_land_as_typed(tmp_path):
    tally = run_capture_trial(tmp_path / "typing", bursts=30, forms=3)
    report(tally, "typing")
    assert tally.mismatches == []
    assert tally.bursts >= 33 and tally.busy_bursts >= 10


@pytest.mark.slow
def test_hundreds_of_bursts_land_as_typed(tmp_path):
    bursts = int(os.environ.get("FACILITATE_TYPING_BURSTS", "520"))
    tally = run_capture_trial(tmp_path / "typing", bursts=bursts, forms=10)
    report(tally, "typing (slow)")
    assert tally.mismatches == []
    assert tally.bursts >= bursts  # every burst asked for ran (500 and more by default)


def open_space_in_slot(session) -> None:
    session.phases.next()  # the marketplace
    first = session.open_space.propose("Discharge delays", "Asha")
    session.open_space.propose("Carers' respite", "Ben")
    session.open_space.place(first.id, 0, 0)
    session.phases.next()  # slot 1


def run_dialog_trial(folder, rounds: int, busy: bool) -> Tally:
    """Who took part, the report, then Lean Coffee's topic and thumbs: each typed ahead in one burst."""
    from tests.proof.typing import busy_cores

    tally = Tally()
    trial = TypingTrial(folder, "open-space", *["lean-coffee"] * rounds, setup=open_space_in_slot, size=(120, 40))
    try:
        trial.start()
        ids = [a.person_id for a in trial.meeting().attendees]
        assert len(ids) == len(PEOPLE)
        report_text = "Weekend discharges stall.\nPharmacy is the key."
        wall = ["down", "p", "down", "enter", "down", "enter", "ctrl+s",
                "r", *report_text.replace("\n", "\r"), "ctrl+s", "escape"]  # fmt: skip
        with busy_cores() if busy else _nothing():
            trial.type(wall, at_once=True)
            tally.bursts += 1

            def reported(meeting) -> bool:
                space = meeting.segments[0].open_space
                return bool(space.proposal(space.wall["0:0"]).report)

            assert trial.wait_for_live(reported), "the report never landed"
            space = trial.meeting().segments[0].open_space
            discharge = space.proposal(space.wall["0:0"])
            tally.check("who took part", [ids[1], ids[2]], discharge.participants)
            tally.check("report", report_text, discharge.report)
            tally.check("the wall", {"0:0": discharge.id}, space.wall)
            for number in range(rounds):
                thumbs = (number % 4 + 1, 1, 3)
                lean = ["ctrl+n", *f"*Topic {number} @Asha", "enter", "right", "right", "right", "right",
                        str(thumbs[0]), "tab", str(thumbs[1]), "tab", str(thumbs[2]), "enter"]  # fmt: skip
                trial.type(lean, at_once=number % 2 == 0, max_gap=0.02)
                tally.bursts += 1
                segment = 1 + number

                def voted(meeting, segment=segment) -> bool:
                    board = meeting.segments[segment].lean_coffee
                    return bool(board.topics and board.topics[0].thumbs)

                assert trial.wait_for_live(voted), f"the thumbs of round {number + 1} never landed"
                topic = trial.meeting().segments[segment].lean_coffee.topics[0]
                last = topic.thumbs[-1]
                tally.check(f"topic {number + 1}", f"Topic {number}", topic.title)
                tally.check(f"thumbs {number + 1}", thumbs, (last.up, last.sideways, last.down))
            if busy:
                tally.busy_bursts = tally.bursts
    finally:
        trial.close()
    return tally


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def test_dialogs_take_keys_typed_ahead(tmp_path):
    tally = run_dialog_trial(tmp_path / "dialogs", rounds=2, busy=False)
    report(tally, "dialogs")
    assert tally.mismatches == []


@pytest.mark.slow
def test_dialogs_take_keys_typed_ahead_with_every_core_busy(tmp_path):
    tally = run_dialog_trial(tmp_path / "dialogs", rounds=8, busy=True)
    report(tally, "dialogs, busy")
    assert tally.mismatches == []
