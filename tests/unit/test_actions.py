"""Changes to archived actions (`facilitate.actions`): marked done, re-owned, re-dated.

Every change is checked on a fresh `Archive` read back from disk.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import facilitate.storage.store as store_module
from facilitate.actions import update_action
from facilitate.archive import Archive, ArchiveError
from facilitate.dates import DueDateError
from facilitate.followups import current
from facilitate.models import FollowUp, Item
from facilitate.people import edit_person, merge_people
from tests.unit.review_helpers import ASHA, BEN, BOB, build

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
STAMP = "2026-11-26T10:00:00+00:00"


@pytest.fixture
def path(tmp_path):
    build(tmp_path / "archive.json").close()
    return tmp_path / "archive.json"


@pytest.fixture
def archive(path):
    archive = Archive(path).open()
    yield archive
    archive.close()


@pytest.fixture
def writes(monkeypatch):
    """Every whole-file write of the archive."""
    seen = []
    real = store_module.atomic_write

    def counting(target, data):
        seen.append(target)
        real(target, data)

    monkeypatch.setattr(store_module, "atomic_write", counting)
    return seen


def reread(path) -> Archive:
    return Archive(path).open()


def stored_item(path, meeting_id: str, item_id: str) -> Item:
    found = reread(path).meeting(meeting_id)
    assert found is not None
    item = found.item(item_id)
    assert item is not None
    return item


# -- actions --------------------------------------------------------------------------------


def test_mark_done_is_saved_at_once_as_a_follow_up(archive, path, writes):
    update_action(archive, "m2", "a3", status="done", now=NOW)
    assert len(writes) == 1
    item = stored_item(path, "m2", "a3")
    # As agreed at its meeting; what happened since is a follow-up.
    assert (item.status, item.closed_at) == ("open", None)
    assert item.log == [FollowUp(at=STAMP, outcome="done")]
    assert (current(item).status, current(item).closed_at) == ("done", STAMP)
    summary = next(s for s in reread(path).listings() if s.id == "m2")
    assert (summary.actions_open, summary.actions_total) == (1, 2)


def test_reopen_clears_the_closing_time(archive, path):
    update_action(archive, "m1", "a1", status="open", now=NOW)
    item = stored_item(path, "m1", "a1")
    assert item.status == "done", "done at its meeting, as agreed"
    assert (current(item).status, current(item).closed_at) == ("open", None)
    assert item.log == [FollowUp(at=STAMP, outcome="reopened")]


def test_drop_an_action(archive, path):
    update_action(archive, "m3", "a5", status="dropped", now=NOW)
    item = stored_item(path, "m3", "a5")
    assert (current(item).status, current(item).closed_at, item.log[-1].outcome) == ("dropped", STAMP, "dropped")


def test_nothing_to_change_writes_nothing(archive, writes):
    item = update_action(archive, "m1", "a1", status="done", now=NOW)
    assert item.log == [] and writes == []
    update_action(archive, "m2", "a3", status="done", now=NOW)
    again = update_action(archive, "m2", "a3", status="done", now=NOW)
    assert len(again.log) == 1, "already done now: nothing more to say"


def test_change_owner_to_someone_at_the_meeting(archive, path):
    update_action(archive, "m2", "a4", owner="  ASHA patel ", now=NOW)
    item = stored_item(path, "m2", "a4")
    assert item.owner == "the comms team", "the owner agreed at the meeting stays"
    assert (current(item).owner, current(item).owner_id) == ("Asha Patel", ASHA)
    assert item.log == [FollowUp(at=STAMP, outcome="reowned", owner="Asha Patel", owner_id=ASHA)]


def test_change_owner_to_someone_known_who_was_not_there(archive, path):
    update_action(archive, "m1", "a2", owner="[b]bob[/]", now=NOW)
    state = current(stored_item(path, "m1", "a2"))
    assert (state.owner, state.owner_id) == ("[b]Bob[/]", BOB)


def test_change_owner_to_a_new_name_keeps_no_link(archive, path):
    update_action(archive, "m2", "a3", owner="Practice managers\x1b[31m", now=NOW)
    state = current(stored_item(path, "m2", "a3"))
    assert (state.owner, state.owner_id) == ("Practice managers", None)


def test_change_due_date_with_words(archive, path):
    update_action(archive, "m2", "a3", due="next fri", now=NOW)
    item = stored_item(path, "m2", "a3")
    assert item.due == "2026-10-08", "the date agreed stays"
    assert (current(item).due, current(item).due_text) == ("2026-12-04", "next fri")
    assert item.log == [FollowUp(at=STAMP, outcome="redated", due="2026-12-04", due_text="next fri")]
    assert current(item).status == "open"


@pytest.mark.parametrize("words", ["fir", "31/2", "soon", ""])
def test_an_unreadable_date_changes_nothing(archive, path, writes, words):
    before = path.read_bytes()
    with pytest.raises(DueDateError):
        update_action(archive, "m2", "a3", due=words, status="done", now=NOW)
    assert writes == []
    assert path.read_bytes() == before
    assert archive.meeting("m2").item("a3").status == "open"


def test_several_changes_at_once_are_one_write(archive, path, writes):
    update_action(archive, "m2", "a3", status="done", owner="Ben Ode", due="3/12", now=NOW)
    assert len(writes) == 1
    item = stored_item(path, "m2", "a3")
    state = current(item)
    assert (state.status, state.owner_id, state.due) == ("done", BEN, "2026-12-03")
    assert [entry.outcome for entry in item.log] == ["done", "reowned", "redated"]


def test_unknown_actions_and_fields_are_refused(archive):
    with pytest.raises(KeyError):
        update_action(archive, "m2", "nope", status="done")
    with pytest.raises(KeyError):
        update_action(archive, "nope", "a3", status="done")
    with pytest.raises(KeyError):
        update_action(archive, "m1", "n1", status="done")  # a note, not an action
    with pytest.raises(TypeError):
        update_action(archive, "m2", "a3", text="sneaky")
    with pytest.raises(ValueError):
        update_action(archive, "m2", "a3", status="finished")


def test_read_only_archive_refuses_and_keeps_memory_as_it_was(path):
    archive = Archive(path, read_only=True).open()
    with pytest.raises(ArchiveError):
        update_action(archive, "m2", "a3", status="done", now=NOW)
    assert archive.meeting("m2").item("a3").status == "open"
    with pytest.raises(ArchiveError):
        edit_person(archive, ASHA, "Asha", "Age UK")
    with pytest.raises(ArchiveError):
        merge_people(archive, ASHA, BEN)
    assert len(archive.people()) == 5


def test_a_disk_that_refuses_keeps_the_change_in_memory(archive, path, monkeypatch):
    from facilitate.storage.errors import StorageError

    def full(target, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "atomic_write", full)
    with pytest.raises(StorageError):
        update_action(archive, "m2", "a3", status="done", now=NOW)
    assert archive.unsaved
    monkeypatch.undo()
    assert archive.retry_save()
    assert current(stored_item(path, "m2", "a3")).status == "done"
