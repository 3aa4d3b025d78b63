"""The room keeps showing the right meeting while the facilitator's app is killed and restarted.

A real `facilitate` runs in a pseudo-terminal (the crash trials' harness,
`tests/proof/trials.py`): it starts or resumes a meeting, takes captures,
sometimes finishes, and is killed with SIGKILL at a random moment. One room
(`JournalFollower`, what `facilitate room` and `--web` read) follows the
journal across all the trials without ever being restarted. After each kill,
and again once the next start has resumed the meeting (writing a fresh
snapshot), what the room shows must equal what a fresh read of the whole
journal gives, or "waiting" when there is no meeting.

The normal suite runs a few trials; `-m slow` runs 200 (FACILITATE_ROOM_TRIALS).
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from facilitate.live import LiveFile, LiveFileError
from facilitate.room.follower import JournalFollower
from facilitate.room.state import room_state
from facilitate.session import replay_meeting
from tests.proof.terminal import wait_until
from tests.proof.trials import Chain, TrialFailure, seed_archive

SLOW_TRIALS = int(os.environ.get("FACILITATE_ROOM_TRIALS", "200"))


class RoomChain(Chain):
    """Crash trials with a room following the journal throughout."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room = JournalFollower(self.live)
        self.room_checks = 0

    def expected(self, wall: float) -> dict | None:
        """What a fresh reader of the journal shows now; None while the file is mid-replacement."""
        try:
            meeting, last_wall, _, _ = replay_meeting(LiveFile.read(self.live))
        except FileNotFoundError:
            return {"status": "waiting"}
        except LiveFileError:
            return {"status": "waiting"} if not self.live.exists() else None
        pending = max(wall - last_wall, 0.0) if meeting.running else 0.0
        return room_state(meeting, pending, as_of=wall).to_dict()

    def room_agrees(self) -> bool:
        self.room.poll()
        wall = time.time()
        expected = self.expected(wall)
        shown = self.room.state(wall).to_dict()
        if expected is None:
            return False
        if expected.get("status") == "waiting":
            return shown["status"] == "waiting"
        return shown == expected

    def check_room(self, when: str) -> None:
        if not wait_until(self.room_agrees, timeout=10.0, interval=0.02):
            self.room.poll()
            raise TrialFailure(f"trial {self.trial} ({when}): the room shows {self.room.state(time.time()).to_dict()}")
        self.room_checks += 1

    def check(self, output: bytes) -> None:
        super().check(output)
        self.check_room("after the kill")

    def reach_run_screen(self, terminal, had_live, leftovers) -> None:
        super().reach_run_screen(terminal, had_live, leftovers)
        self.check_room("after the restart")


def run_room_chains(tmp_path, trials: int, chains: int, seed: int) -> tuple[int, int]:
    runners = []
    for number in range(chains):
        folder = tmp_path / f"room{number}"
        folder.mkdir()
        seed_archive(folder / "archive.json", meetings=5, seed=seed + number)
        runners.append(RoomChain(folder, seed=seed + number))
    errors: list[BaseException] = []
    share = [trials // chains + (1 if n < trials % chains else 0) for n in range(chains)]

    def work(chain: RoomChain, count: int) -> None:
        try:
            chain.run(count)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(runners, share)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(c.figures.trials for c in runners), sum(c.room_checks for c in runners)


def test_the_room_survives_a_few_kills_and_restarts(tmp_path):
    trials, checks = run_room_chains(tmp_path, trials=2, chains=1, seed=15)
    assert trials == 2
    assert checks >= 2


@pytest.mark.slow
def test_the_room_survives_200_kills_and_restarts(tmp_path, capsys):
    started = time.monotonic()
    trials, checks = run_room_chains(tmp_path, trials=SLOW_TRIALS, chains=2, seed=1500)
    with capsys.disabled():
        print(f"\nroom: {trials} kill-and-restart trials, {checks} checks, {time.monotonic() - started:.0f} s")
    assert trials == SLOW_TRIALS
