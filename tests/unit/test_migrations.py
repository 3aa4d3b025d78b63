"""Schema migrations: every fixture archive of an earlier version opens in today's facilitate.

The current version's fixture must open unchanged. Version 1 to 2 puts each
action back as its meeting agreed it, with what happened later as follow-ups.
The machinery itself is proved with a pretend next version whose migration
renames a field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from facilitate import archive as archive_module
from facilitate import migrations, models
from facilitate.archive import Archive, ArchiveError
from facilitate.followups import current
from facilitate.models import FollowUp, Meeting, Person, SeriesPlan
from facilitate.packing import settings_of, unpack
from facilitate.recovery import check_archive
from facilitate.serial import from_dict, to_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "archives"
VERSIONS = sorted(int(path.stem[1:]) for path in FIXTURES.glob("v*.json"))


def kept(stored, loaded, where="") -> list[str]:
    """Where a stored value is not what today's model gives back (new fields with defaults are fine)."""
    if isinstance(stored, dict):
        if not isinstance(loaded, dict):
            return [where]
        return [p for key, value in stored.items() for p in kept(value, loaded.get(key, KeyError), f"{where}.{key}")]
    if isinstance(stored, list):
        if not isinstance(loaded, list) or len(loaded) != len(stored):
            return [where]
        return [p for index, (a, b) in enumerate(zip(stored, loaded)) for p in kept(a, b, f"{where}[{index}]")]
    return [] if stored == loaded else [where]


def test_there_is_a_fixture_for_every_version_up_to_the_current_one():
    assert VERSIONS == list(range(1, models.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", VERSIONS)
def test_each_fixture_archive_opens_with_every_value_kept(tmp_path, version):
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / f"v{version}.json", db)
    before = db.read_bytes()
    archive = check_archive(db)
    stored = json.loads(before)
    assert len(archive) == len(stored["meetings"]) > 0
    settings = settings_of(stored.get("formats"))
    for doc in stored["meetings"].values():
        meeting = archive.meeting(doc["id"])
        if version == models.SCHEMA_VERSION:
            # Stored packed: in full again, every value is the meeting's.
            assert kept(unpack(doc, settings), meeting.to_dict()) == [], f"meeting {doc['id']} lost values"
    for table, cls in (("people", Person), ("series", SeriesPlan)):
        for doc in stored[table].values():
            loaded = to_dict(from_dict(cls, doc))
            if version == models.SCHEMA_VERSION:
                assert kept({k: v for k, v in doc.items() if k != "v"}, loaded) == []
    if version == models.SCHEMA_VERSION:
        # The current version opens as it is: nothing rewritten, no backup needed.
        Archive(db).open()
        assert db.read_bytes() == before
        assert Archive(db).backups() == []


def everything(db: Path) -> tuple[dict[str, Meeting], list[Person], list[SeriesPlan]]:
    archive = Archive(db, read_only=True).validate()
    meetings = {summary.id: archive.meeting(summary.id) for summary in archive.listings()}
    return meetings, archive.people(), [archive.plan(name) for name in archive.series_names()]


@pytest.mark.parametrize("version", VERSIONS)
def test_each_fixture_saved_by_today_s_facilitate_reads_back_the_same(tmp_path, version):
    """Migrated, written in today's version and read again: the same meetings, people and plans."""
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / f"v{version}.json", db)
    migrated = everything(db)
    archive = Archive(db).open()
    archive.write_all()
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == models.SCHEMA_VERSION
    assert everything(db) == migrated


def test_version_3_holds_the_same_records_as_version_2_in_under_half_the_space():
    """v3.json is v2.json as version 3 wrote it: every meeting, person and plan the same."""
    assert everything(FIXTURES / "v2.json") == everything(FIXTURES / "v3.json")
    assert (FIXTURES / "v3.json").stat().st_size < (FIXTURES / "v2.json").stat().st_size / 2


NEXT = models.SCHEMA_VERSION + 1


@pytest.fixture
def next_version(monkeypatch, tmp_path):
    """Pretend the schema is one newer, where a meeting's `facilitator` became `host`; returns
    an archive of today's version to migrate."""
    def step(data):
        for doc in data["meetings"].values():
            doc["host"] = doc.pop("facilitator", "")
            doc["v"] = NEXT

    monkeypatch.setattr(models, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(migrations.MIGRATIONS, NEXT - 1, step)
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / f"v{NEXT - 1}.json", db)
    return db


def test_an_older_archive_is_migrated_in_memory_after_a_backup(next_version):
    db = next_version
    before = db.read_bytes()
    archive = Archive(db).open()
    assert archive.unsaved, "the migrated data waits for the next save"
    assert db.read_bytes() == before, "nothing is rewritten on opening"
    [backup] = archive.backups()
    assert backup.read_bytes() == before
    docs = archive.storage.read()["meetings"].values()
    assert all("host" in doc and "facilitator" not in doc and doc["v"] == NEXT for doc in docs)
    assert archive.storage.read()["meta"]["1"]["schema"] == NEXT
    archive.write_all()
    again = json.loads(db.read_text())
    assert again["meta"]["1"]["schema"] == NEXT
    # Opening the migrated archive migrates nothing more.
    assert Archive(db).open().unsaved is False


def test_a_read_only_archive_is_migrated_but_never_written(next_version):
    db = next_version
    before = db.read_bytes()
    archive = Archive(db, read_only=True).open()
    assert archive.storage.read()["meta"]["1"]["schema"] == NEXT
    assert not archive.unsaved and archive.backups() == []
    with pytest.raises(ArchiveError, match="read-only"):
        archive.write_all()
    assert db.read_bytes() == before


def test_a_missing_step_is_named_and_the_file_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "SCHEMA_VERSION", NEXT + 1)
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", NEXT + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, NEXT - 1, lambda data: None)
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / f"v{NEXT - 1}.json", db)
    before = db.read_bytes()
    with pytest.raises(ArchiveError, match=f"no migration from archive version {NEXT} to {NEXT + 1}"):
        Archive(db).open()
    assert db.read_bytes() == before


# -- 1 to 2: actions as agreed, with follow-ups -------------------------------------------------


@pytest.fixture
def from_v1(tmp_path):
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / "v1.json", db)
    return Archive(db).open()


def test_v1_actions_go_back_to_what_their_meeting_agreed(from_v1):
    sep, oct_ = from_v1.meeting("m-sep"), from_v1.meeting("m-oct")
    done, carried = oct_.item("a-1"), oct_.item("a-2")
    reowned, dropped = sep.item("a-3"), sep.item("a-4")
    # Marked done at November's matters arising: open as agreed, done as a follow-up.
    assert (done.status, done.closed_at) == ("open", None)
    assert done.log == [FollowUp(at="2026-11-26T10:18:00+00:00", outcome="done", meeting="a1b2c3d4e5f60718")]
    assert (current(done).status, current(done).closed_at) == ("done", "2026-11-26T10:18:00+00:00")
    # Carried to a new date: the date agreed comes back from the log's `from_due`.
    assert (carried.due, current(carried).due) == ("2026-12-18", "2026-12-10")
    assert carried.log[0].note == "waiting on *finance*" and carried.log[0].outcome == "carried"
    # Given to Zoë: the owner agreed from the log; the date agreed (none) from November's matter,
    # since version 1 did not log it; the agreed owner is linked to who came to that meeting.
    assert (reowned.owner, reowned.owner_id, reowned.due) == ("Ben Ode", "p10", None)
    assert reowned.log == [
        FollowUp(at="2026-11-26T12:05:00+00:00", outcome="reowned", meeting="a1b2c3d4e5f60718",
                 owner="Zoë Ångström", owner_id="p04", due="2026-12-03")
    ]  # fmt: skip
    assert (current(reowned).owner, current(reowned).due) == ("Zoë Ångström", "2026-12-03")
    assert (dropped.status, current(dropped).status) == ("open", "dropped")


def test_v1_segment_options_go_and_the_settings_stay(from_v1):
    raw = from_v1.meeting_doc("a1b2c3d4e5f60718")
    assert all("options" not in segment for segment in raw["segments"])
    space = from_v1.meeting("a1b2c3d4e5f60718").segment_by_id("s-space").open_space
    assert (space.slots, space.spaces) == (2, ["Room 1", "Garden <b>room</b>"])


def test_v1_review_and_exports_see_the_same_actions_as_before(from_v1):
    """Where the actions stand now is what version 1 showed: nothing is lost by the migration."""
    from facilitate.review import Review

    stored = json.loads((FIXTURES / "v1.json").read_text())
    before = {
        (doc["id"], item["id"]): (item["owner"], item["due"], item["status"])
        for doc in stored["meetings"].values()
        for item in doc["items"]
        if item["kind"] == "action"
    }
    review = Review()
    review.refresh(from_v1)
    after = {(row.meeting_id, row.item_id): (row.owner, row.due, row.status) for row in review.all_actions()}
    assert after == before


def test_v1_meetings_in_an_interchange_file_are_migrated_too():
    from facilitate.export.interchange import parse

    stored = json.loads((FIXTURES / "v1.json").read_text())
    bundle = parse(stored)  # an archive file is accepted as an export
    sep = next(m for m in bundle.meetings if m.id == "m-sep")
    assert sep.item("a-3").owner == "Ben Ode" and current(sep.item("a-3")).owner == "Zoë Ångström"
    assert all(m.v == models.SCHEMA_VERSION for m in bundle.meetings)


def test_migrating_twice_changes_nothing_more():
    stored = json.loads((FIXTURES / "v1.json").read_text())
    by_id = {doc["id"]: doc for doc in stored["meetings"].values()}
    once = {key: migrations.meeting_one_to_two(doc, by_id) for key, doc in by_id.items()}
    twice = migrations.migrate_meetings(list(once.values()), [2] * len(once))
    assert twice == [{**doc, "v": models.SCHEMA_VERSION} for doc in once.values()]


def test_migrate_data_stamps_the_version_it_reached():
    data = {"meetings": {}, "meta": {}}
    assert migrations.migrate_data(data, 1) == models.SCHEMA_VERSION
    assert data["meta"] == {"1": {"schema": models.SCHEMA_VERSION}}
    with pytest.raises(migrations.MigrationError, match="newer"):
        migrations.migrate_data(data, models.SCHEMA_VERSION + 1)


def test_meetings_written_today_say_their_version():
    assert Meeting(id="x", title="t").to_dict()["v"] == models.SCHEMA_VERSION
