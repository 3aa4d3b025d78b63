"""The archive generator: deterministic, realistic, and readable by facilitate."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest

from bench.generate import END, generate, write_archive
from facilitate.archive import Archive
from facilitate.models import LEAN_COFFEE, OPEN_SPACE, ROUND, Meeting
from facilitate.review import Review


@pytest.fixture(scope="module")
def document():
    return generate(200, seed=11)


@pytest.fixture(scope="module")
def meetings(document) -> list[Meeting]:
    return [Meeting.from_dict(doc) for doc in document["meetings"].values()]


def test_same_seed_same_archive_other_seed_other_archive():
    assert json.dumps(generate(30, seed=4)) == json.dumps(generate(30, seed=4))
    assert json.dumps(generate(30, seed=4)) != json.dumps(generate(30, seed=5))


def test_every_meeting_reads_back_as_a_finished_meeting(meetings):
    assert len(meetings) == 200
    assert all(m.status == "finished" and m.started_at and m.finished_at for m in meetings)
    assert len({m.id for m in meetings}) == 200


def test_several_series_meeting_on_their_cadence(meetings):
    series = Counter(m.series for m in meetings)
    assert len(series) >= 3
    assert max(series.values()) - min(series.values()) <= 1
    last = max(m.started_at[:10] for m in meetings)
    assert date.fromisoformat(last) <= END


def test_15_to_30_people_mostly_returning_some_new(meetings):
    sizes = [len(m.attendees) for m in meetings]
    assert min(sizes) >= 15 and max(sizes) <= 31  # a visitor from another group now and then
    later = meetings[len(meetings) // 2 :]
    new = sum(a.new for m in later for a in m.attendees)
    total = sum(len(m.attendees) for m in later)
    assert 0 < new < total * 0.2
    assert any(sum(a.new for a in m.attendees) >= 2 for m in later)


def test_rounds_notes_decisions_and_3_to_8_actions(meetings):
    for m in meetings:
        assert m.segments[0].kind == ROUND and m.segments[0].round.turns
        assert m.segments[-1].name == "Check-out"
        assert 3 <= len(m.actions) <= 8
        assert m.notes
        for action in m.actions:
            assert action.due and action.created_at
    assert any(m.decisions for m in meetings)


def test_actions_done_on_time_late_dropped_open_and_overdue(tmp_path):
    path = tmp_path / "archive.json"
    write_archive(path, 200, seed=11)
    review = Review()
    review.refresh(Archive(path, read_only=True).open())
    kinds = Counter(row.timeliness for row in review.all_actions())
    assert kinds["on time"] and kinds["late"] and kinds["dropped"] and kinds["open"]
    assert review.actions("overdue", today=END)


def test_some_open_space_and_lean_coffee_meetings(meetings):
    kinds = Counter(s.kind for m in meetings for s in m.segments)
    assert kinds[OPEN_SPACE] and kinds[LEAN_COFFEE]
    space = next(s.open_space for m in meetings for s in m.segments if s.open_space)
    assert space.proposals and space.wall
    assert all(p.by_id and p.participants for p in space.proposals)
    board = next(s.lean_coffee for m in meetings for s in m.segments if s.lean_coffee)
    assert any(t.votes for t in board.topics)


def test_hostile_text_is_sprinkled_in(document):
    raw = json.dumps(document, ensure_ascii=False)
    assert "[/" in raw
    assert "<script>" in raw
    assert any(ord(ch) > 0x590 for ch in raw)  # right-to-left or emoji


def test_people_table_matches_the_meetings(document, meetings):
    people = {doc["id"]: doc for doc in document["people"].values()}
    attending = {a.person_id for m in meetings for a in m.attendees}
    assert attending == set(people)
    first = {}
    for m in sorted(meetings, key=lambda m: m.started_at):
        for a in m.attendees:
            first.setdefault(a.person_id, (m.started_at[:10], a.new))
    assert all(new for _, new in first.values())
    assert all(people[p]["first_seen"] == day for p, (day, _) in first.items())


def test_organisations_of_every_kind(meetings):
    orgs = {a.organisation for m in meetings for a in m.attendees}
    for word in ("Hospital", "Surgery", "Council", "Age UK", "Patient representative"):
        assert any(word in org for org in orgs), word


def test_the_file_opens_as_an_archive_and_is_private(tmp_path):
    path = tmp_path / "archive.json"
    size = write_archive(path, 40, seed=3)
    assert path.stat().st_size == size
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    archive = Archive(path).open()
    assert len(archive) == 40
    assert len(archive.series_names()) == 3
    assert archive.plan(archive.series_names()[0]).agenda


def test_an_empty_archive():
    document = generate(0)
    assert document["meetings"] == {} and document["people"] == {}


def test_command_line(tmp_path):
    out = tmp_path / "sub" / "archive.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.generate", "--meetings", "12", "--seed", "9", "--out", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "12 meetings" in result.stderr
    assert len(Archive(out, read_only=True).open()) == 12
