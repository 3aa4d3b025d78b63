"""The archive file one record a line, and meetings kept encoded in memory.

The file stays the JSON document TinyDB reads; these tests check the layout,
that a damaged file in it is named exactly as when read whole, and that a
save re-encodes only what changed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bench.generate import write_archive
from facilitate.archive import Archive, ArchiveError
from facilitate.models import SCHEMA_VERSION, Meeting, new_id
from facilitate.packing import unpack
from facilitate.people import edit_person
from facilitate.storage import layout
from facilitate.storage.layout import DocTable, NotLayout, dump_layout, read_layout
from tests.data import HOSTILE

TRICKY = [*HOSTILE, "line one\nline two", '"},\n"2":{', "}\n}", "\u2028\u2029", "\ud800 lone surrogate", "tab\there"]


def tables(texts=TRICKY) -> dict:
    meetings = {str(i): {"id": f"m{i}", "title": text, "items": [{"text": text}]} for i, text in enumerate(texts, start=1)}
    return {"meetings": meetings, "people": {"1": {"id": "p1", "name": TRICKY[0]}}, "series": {}, "meta": {"1": {"schema": 1}}}


def test_the_layout_is_the_same_json_one_record_a_line(tmp_path):
    data = tables()
    raw = dump_layout(data)
    assert json.loads(raw) == data
    lines = raw.decode("ascii").splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert sum(1 for line in lines if line.startswith('"') and not line.endswith(":{")) == len(TRICKY) + 2
    path = tmp_path / "archive.json"
    path.write_bytes(raw)
    read, size = read_layout(path)
    assert size == len(raw)
    assert isinstance(read["meetings"], DocTable) and isinstance(read["people"], dict)
    assert {k: read["meetings"].peek(k) for k in read["meetings"]} == data["meetings"]
    assert {k: v for k, v in read.items() if k != "meetings"} == {k: v for k, v in data.items() if k != "meetings"}


@pytest.mark.parametrize(
    "raw",
    [
        b'{"meetings":{"1":{"id":"a"}}}',  # the single-line file an older facilitate wrote
        b'{\n"meetings":{\n"1":{"id":"a"},\n}\n}\n',  # a comma before the closing brace
        b'{\n"meetings":{\n"1":{"id":"a"}\n"2":{"id":"b"}\n}\n}\n',  # a missing comma
        b'{\n"meetings":{\n"x":{"id":"a"}\n}\n}\n',  # a key that is not a number
        b'{\n"meetings":{\n"1":[1]\n}\n}\n',  # a record that is not an object
        b'{\n"meetings":{\n"1":{"id":"a"}\n}\n}\ntrailing',
        b'{\n"meetings":{\n"1":{"id":"a"}\n},\n',  # cut short
        b"\xef\xbb\xbf{\n}\n",  # a byte-order mark
    ],
)
def test_anything_else_is_not_the_layout(tmp_path, raw):
    path = tmp_path / "archive.json"
    path.write_bytes(raw)
    with pytest.raises(NotLayout):
        read_layout(path)


def test_an_empty_archive_in_the_layout(tmp_path):
    path = tmp_path / "archive.json"
    path.write_bytes(dump_layout({"meetings": {}, "meta": {}}))
    assert read_layout(path)[0] == {"meetings": DocTable(), "meta": {}}
    assert json.loads(path.read_bytes()) == {"meetings": {}, "meta": {}}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("gen") / "archive.json"
    write_archive(path, 30, seed=5)
    return path.read_bytes()


@pytest.fixture
def db(tmp_path, generated) -> Path:
    path = tmp_path / "archive.json"
    path.write_bytes(generated)
    path.chmod(0o600)
    return path


def test_a_generated_archive_is_in_the_layout_and_opens_lazily(db):
    archive = Archive(db).validate()
    table = archive.storage.read()["meetings"]
    assert isinstance(table, DocTable) and len(table) == len(archive) == 30
    assert not any(table.is_decoded(key) for key in table), "opening keeps no meeting decoded"
    summaries = archive.listings()
    meeting = archive.meeting(summaries[0].id)
    assert meeting.title == summaries[0].title
    assert not any(table.is_decoded(key) for key in table)


def cut(raw: bytes, at: int) -> bytes:
    return raw[:at]


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, 0.999])
def test_a_layout_file_cut_short_is_named_as_when_read_whole(db, generated, where):
    damaged = generated[: int(len(generated) * where)]
    db.write_bytes(damaged)
    with pytest.raises(ArchiveError, match="cut short"):
        Archive(db).validate()
    assert db.read_bytes() == damaged


def test_a_broken_record_inside_a_line_is_named_with_its_line(db, generated):
    lines = generated.split(b"\n")
    index = [i for i, line in enumerate(lines) if b'"title":"' in line][2]  # a meeting's line
    lines[index] = lines[index].replace(b'"title":"', b'"title":"unterminated, "x', 1).replace(b'","series"', b',"series"', 1)
    damaged = b"\n".join(lines)
    db.write_bytes(damaged)
    with pytest.raises(ArchiveError, match=rf"not valid JSON.*line {index + 1}\b"):
        Archive(db).validate()
    assert db.read_bytes() == damaged
    with pytest.raises(ArchiveError):
        Archive(db).save_meeting(Meeting(id=new_id(), title="x"))
    assert db.read_bytes() == damaged


def test_a_damaged_meeting_is_named_and_the_archive_refuses_writes(db, generated):
    data = json.loads(generated)
    key = list(data["meetings"])[7]
    attendee = data["meetings"][key]["attendees"][0]  # stored as a row: id, name, organisation, arrival, new...
    attendee[len(attendee):] = [""] * (5 - len(attendee))
    attendee[4] = "yes"
    damaged = dump_layout(data)
    db.write_bytes(damaged)
    archive = Archive(db)
    with pytest.raises(ArchiveError, match=rf"meeting {key} \(id [0-9a-f]+\) is damaged: attendees\[0\]\.new"):
        archive.validate()
    with pytest.raises(ArchiveError):
        archive.save_meeting(Meeting(id=new_id(), title="x"))
    assert db.read_bytes() == damaged


def test_a_save_encodes_only_what_changed(db, monkeypatch):
    archive = Archive(db).validate()
    table = archive.storage.read()["meetings"]
    before = {key: table.raw(key) for key in table}
    encoded = []
    real = layout.encode
    monkeypatch.setattr(layout, "encode", lambda doc: (encoded.append(doc), real(doc))[1])
    meeting = archive.meeting(archive.listings()[3].id)
    meeting.title = "Renamed"
    archive.save_meeting(meeting)
    meeting_docs = [doc for doc in encoded if isinstance(doc, dict) and "segments" in doc]
    assert [doc["title"] for doc in meeting_docs] == ["Renamed"]
    unchanged = [key for key in table if table.raw(key) is before[key]]
    assert len(unchanged) == len(before) - 1
    again = Archive(db).validate()
    assert again.meeting(meeting.id).title == "Renamed"
    assert json.loads(db.read_bytes())["meetings"] == {k: json.loads(v) for k, v in ((k, table.raw(k)) for k in table)}


def test_an_older_single_line_archive_opens_and_is_rewritten_in_the_layout_on_save(db, generated):
    data = json.loads(generated)
    db.write_text(json.dumps(data), encoding="utf-8")
    archive = Archive(db).validate()
    assert len(archive) == 30
    table = archive.storage.read()["meetings"]
    assert not any(table.is_decoded(key) for key in table), "meetings read whole are kept as text after opening"
    extra = Meeting(id=new_id(), title="One more", series="Ely carers forum")
    archive.save_meeting(extra)
    read, _ = read_layout(db)
    assert len(read["meetings"]) == 31
    reread = json.loads(db.read_bytes())
    assert {k: v for k, v in reread["meetings"].items() if v["id"] != extra.id} == data["meetings"]


def test_documents_handed_out_through_the_mapping_are_saved_when_changed(db):
    # TinyDB and migrations change the documents they are given; the change must reach the file.
    archive = Archive(db).validate()
    table = archive.storage.read()["meetings"]
    key = next(iter(table))
    table[key]["title"] = "Changed in place"
    archive.write_all()
    assert Archive(db).validate().meeting(table.peek(key)["id"]).title == "Changed in place"


def test_directory_series_and_people_edits_agree_with_the_documents(db):
    archive = Archive(db).validate()
    table = archive.storage.read()["meetings"]
    docs = [unpack(table.peek(key), archive.settings()) for key in table]  # as stored, then in full
    counts: dict[str, int] = {}
    for doc in docs:
        for attendee in doc["attendees"]:
            counts[attendee["person_id"]] = counts.get(attendee["person_id"], 0) + 1
    directory = archive.directory()
    assert {p.id: p.meetings for p in directory.people} == {p: counts.get(p, 0) for p in (p.id for p in directory.people)}
    series = docs[0]["series"]
    assert sorted(d["id"] for d in archive.series_docs(series)) == sorted(d["id"] for d in docs if d["series"] == series)
    someone = max(counts, key=counts.get)
    changed = edit_person(archive, someone, "Renamed Person", "Somewhere")
    assert changed == counts[someone]
    again = Archive(db).validate()
    stored = again.storage.read()["meetings"]
    named = [a for d in (unpack(stored.peek(k), again.settings()) for k in stored)
             for a in d["attendees"] if a["person_id"] == someone]  # fmt: skip
    assert len(named) == counts[someone] and {a["name"] for a in named} == {"Renamed Person"}


def test_new_meetings_take_the_next_number(db):
    archive = Archive(db).validate()
    table = archive.storage.read()["meetings"]
    top = max(int(k) for k in table)
    for _ in range(3):
        archive.save_meeting(Meeting(id=new_id(), title=random.choice(TRICKY)))
    assert sorted(int(k) for k in table)[-3:] == [top + 1, top + 2, top + 3]


def test_stock_tinydb_reads_the_file_facilitate_writes(db):
    from tinydb import TinyDB
    from tinydb.storages import JSONStorage

    archive = Archive(db).validate()
    archive.save_meeting(Meeting(id=new_id(), title="Read by TinyDB"))
    stock = TinyDB(db, storage=JSONStorage, access_mode="r")
    titles = [doc["title"] for doc in stock.table("meetings").all()]
    assert len(titles) == 31 and titles[-1] == "Read by TinyDB"
    assert stock.table("meta").all() == [{"schema": SCHEMA_VERSION}]
    stock.close()


def test_a_file_written_in_pieces_is_whole_even_when_the_system_takes_less(tmp_path, monkeypatch):
    import os

    from facilitate.storage.files import atomic_write

    pieces = [bytes([65 + i % 26]) * (i % 7 + 1) for i in range(3000)]
    real = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, batch: real(fd, batch[: max(1, len(batch) // 3)]))
    target = tmp_path / "file"
    atomic_write(target, pieces)
    assert target.read_bytes() == b"".join(pieces)
