"""Schema migrations: every fixture archive of an earlier version opens in today's facilitate.

Version 1 is current, so its fixture must open unchanged. The machinery is
proved with a pretend version 2 whose migration renames a field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from facilitate import archive as archive_module
from facilitate import migrations, models
from facilitate.archive import Archive, ArchiveError
from facilitate.models import Meeting, Person, SeriesPlan
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
    for doc in stored["meetings"].values():
        meeting = archive.meeting(doc["id"])
        if version == models.SCHEMA_VERSION:
            assert kept(doc, meeting.to_dict()) == [], f"meeting {doc['id']} lost values"
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


@pytest.fixture
def version_two(monkeypatch):
    """Pretend the current schema is 2, where a meeting's `facilitator` became `host`."""
    def one_to_two(data):
        for doc in data["meetings"].values():
            doc["host"] = doc.pop("facilitator", "")
            doc["v"] = 2

    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, one_to_two)
    return one_to_two


def test_an_older_archive_is_migrated_in_memory_after_a_backup(tmp_path, version_two):
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / "v1.json", db)
    before = db.read_bytes()
    archive = Archive(db).open()
    assert archive.unsaved, "the migrated data waits for the next save"
    assert db.read_bytes() == before, "nothing is rewritten on opening"
    [backup] = archive.backups()
    assert backup.read_bytes() == before
    docs = archive.storage.read()["meetings"].values()
    assert all("host" in doc and "facilitator" not in doc and doc["v"] == 2 for doc in docs)
    assert archive.storage.read()["meta"]["1"]["schema"] == 2
    archive.write_all()
    again = json.loads(db.read_text())
    assert again["meta"]["1"]["schema"] == 2
    # Opening the migrated archive migrates nothing more.
    assert Archive(db).open().unsaved is False


def test_a_read_only_archive_is_migrated_but_never_written(tmp_path, version_two):
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / "v1.json", db)
    before = db.read_bytes()
    archive = Archive(db, read_only=True).open()
    assert archive.storage.read()["meta"]["1"]["schema"] == 2
    assert not archive.unsaved and archive.backups() == []
    with pytest.raises(ArchiveError, match="read-only"):
        archive.write_all()
    assert db.read_bytes() == before


def test_a_missing_step_is_named_and_the_file_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, lambda data: None)
    db = tmp_path / "archive.json"
    shutil.copy(FIXTURES / "v1.json", db)
    before = db.read_bytes()
    with pytest.raises(ArchiveError, match="no migration from archive version 2 to 3"):
        Archive(db).open()
    assert db.read_bytes() == before


def test_migrate_data_stamps_the_version_it_reached():
    data = {"meetings": {}, "meta": {}}
    assert migrations.migrate_data(data, 1) == models.SCHEMA_VERSION
    assert data["meta"] == {"1": {"schema": models.SCHEMA_VERSION}}
    with pytest.raises(migrations.MigrationError, match="newer"):
        migrations.migrate_data(data, models.SCHEMA_VERSION + 1)


def test_meetings_written_today_say_their_version():
    assert Meeting(id="x", title="t").to_dict()["v"] == models.SCHEMA_VERSION
