"""Crash trials: kill a real facilitate at random moments; every capture it showed is kept.

The normal suite runs a few trials; `uv run pytest -m slow` runs 200 or more,
in two chains at once (one per core), each on its own archive with history.
"""

from __future__ import annotations

import os
import threading

import pytest

from tests.proof.trials import Chain, Figures, seed_archive

SLOW_TRIALS = int(os.environ.get("FACILITATE_CRASH_TRIALS", "200"))


def report(capsys, figures: Figures) -> None:
    with capsys.disabled():
        print("\n" + figures.describe())


def run_chains(tmp_path, trials: int, chains: int, seed: int, history: int = 40) -> Figures:
    total = Figures()
    errors: list[BaseException] = []
    runners = []
    for number in range(chains):
        folder = tmp_path / f"chain{number}"
        folder.mkdir()
        seed_archive(folder / "archive.json", meetings=history, seed=seed + number)
        runners.append(Chain(folder, seed=seed + number))
    share = [trials // chains + (1 if n < trials % chains else 0) for n in range(chains)]

    def work(chain: Chain, count: int) -> None:
        try:
            chain.run(count)
        except BaseException as error:  # reported below, with the screen it failed on
            errors.append(error)

    threads = [threading.Thread(target=work, args=(chain, count)) for chain, count in zip(runners, share)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for chain in runners:
        total.add(chain.figures)
    total.seconds = max(chain.figures.seconds for chain in runners)
    if errors:
        screens = "\n---\n".join(log for chain in runners for log in chain.log[-1:])
        raise AssertionError(f"{errors[0]}\n{total.describe()}\nlast screen:\n{screens}") from errors[0]
    return total


def test_a_few_crash_trials(tmp_path, capsys, record_property):
    figures = run_chains(tmp_path, trials=4, chains=1, seed=2026, history=10)
    report(capsys, figures)
    record_property("crash_trials", figures.describe())
    assert figures.trials == 4
    assert figures.lost == []
    # However busy the machine: every trial that reached the capture line had its first capture
    # acknowledged before the kill was armed, and whatever was acknowledged was kept.
    assert figures.acknowledged >= figures.armed


@pytest.mark.slow
def test_two_hundred_crash_trials(tmp_path, capsys, record_property):
    figures = run_chains(tmp_path, trials=SLOW_TRIALS, chains=2, seed=611)
    report(capsys, figures)
    record_property("crash_trials", figures.describe())
    assert figures.trials == SLOW_TRIALS
    assert figures.lost == []
    assert figures.acknowledged >= figures.armed
    # How many kills land mid-finish depends on the machine's speed: reported above
    # (and in the test's properties), never asserted, so that a busy machine passes.
