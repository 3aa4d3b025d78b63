"""`facilitate export` and `facilitate import` from the command line."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest

from facilitate.__main__ import main
from facilitate.archive import Archive
from facilitate.export.interchange import dumps, meeting_bundle
from facilitate.export.markdown import render
from facilitate.storage.lock import ArchiveLock
from tests.fixtures import rich_meeting, small_archive


@pytest.fixture
def archive(db_path):
    return small_archive(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_latest_meeting_as_markdown_by_default(archive, db_path, capsys):
    code, out, err = run(capsys, "export", "--db", str(db_path))
    # The newest meeting (ties broken by the archive's order) as the page the exporter makes.
    latest = archive.meeting(archive.listings()[0].id)
    assert code == 0 and out == render(latest)
    # Which meeting it chose is said beside the output, never in it.
    assert err == "facilitate export: a1b2c3  2026-11-26 10:00  November open meeting | <script>alert(1)</script>  (East ICB open meeting)\n"


def test_a_meeting_by_id_or_unique_prefix(archive, db_path, capsys):
    code, out, _ = run(capsys, "export", "a1b2", "--db", str(db_path))
    assert code == 0 and out == render(archive.meeting("a1b2c3d4e5f60718"))
    code, out, _ = run(capsys, "--db", str(db_path), "export", "m-oct", "--tasks")
    assert code == 0 and out == render(archive.meeting("m-oct"), tasks=True)


def test_an_ambiguous_or_unknown_id(archive, db_path, capsys):
    code, out, err = run(capsys, "export", "m-", "--db", str(db_path))
    assert code == 1 and out == ""
    assert "5 meetings with an id starting 'm-'; give one of their ids:" in err
    assert "\n  m-oct  2026-10-29 10:00  October open meeting  (East ICB open meeting)\n" in err
    code, _, err = run(capsys, "export", "zzz", "--db", str(db_path))
    assert code == 1 and "no meeting with an id starting 'zzz'" in err and "facilitate history lists" in err


def test_slack_and_json(archive, db_path, capsys):
    code, out, _ = run(capsys, "export", "a1b2c3d4e5f60718", "--format", "slack", "--db", str(db_path))
    assert code == 0 and out.startswith("*Meeting:* November open meeting") and "&lt;!channel&gt;" in out
    code, out, _ = run(capsys, "export", "a1b2c3d4e5f60718", "-f", "json", "--db", str(db_path))
    assert code == 0
    assert out == dumps(meeting_bundle(archive.meeting("a1b2c3d4e5f60718"), archive))


def test_the_whole_archive_as_json(archive, db_path, capsys):
    code, out, _ = run(capsys, "export", "--all", "--format", "json", "--db", str(db_path))
    doc = json.loads(out)
    assert code == 0 and len(doc["meetings"]) == 6 and len(doc["people"]) == 10


def test_output_file_is_private_and_atomic(archive, db_path, tmp_path, capsys):
    target = tmp_path / "notes.md"
    code, out, err = run(capsys, "export", "--output", str(target), "--db", str(db_path))
    assert code == 0 and out == "" and f"Wrote {target}" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == render(archive.meeting(archive.listings()[0].id))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".notes")] == []


def test_output_that_cannot_be_written(archive, db_path, tmp_path, capsys):
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "missing" / "x.md"), "--db", str(db_path))
    assert code == 1 and "does not exist" in err
    code, _, err = run(capsys, "export", "-o", str(tmp_path), "--db", str(db_path))
    assert code == 1 and "is a folder" in err
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = run(capsys, "export", "-o", str(locked / "x.md"), "--db", str(db_path))
        assert code == 1 and "permission denied" in err


def test_wiki_folder_and_a_second_run(archive, db_path, tmp_path, capsys):
    folder = tmp_path / "wiki"
    code, out, _ = run(capsys, "export", "--all", "--to", str(folder), "--db", str(db_path))
    assert code == 0 and "9 pages, 9 written, 0 unchanged" in out
    code, out, _ = run(capsys, "export", "--all", "--to", str(folder), "--db", str(db_path))
    assert code == 0 and "9 pages, 0 written, 9 unchanged" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--to", "x"], "add --all"),
        (["--all"], "--all needs --to DIR"),
        (["--all", "-f", "slack"], "--all works with markdown"),
        (["m-oct", "--all", "-f", "json"], "not both"),
        (["--all", "--to", "x", "-o", "y"], "--output is for one file"),
        (["-f", "json", "--tasks"], "--tasks is for markdown"),
    ],
)
def test_option_mistakes(archive, db_path, capsys, argv, message):
    code, out, err = run(capsys, "export", *argv, "--db", str(db_path))
    assert code == 2 and out == "" and message in err


def test_no_archive_or_an_empty_one_exports_nothing(tmp_path, capsys):
    code, out, err = run(capsys, "export", "--db", str(tmp_path / "none.json"))
    assert (code, out) == (0, "") and "there is no archive" in err
    code, out, err = run(capsys, "export", "-f", "json", "--db", str(tmp_path / "none.json"))
    assert code == 0 and json.loads(out)["meetings"] == [] and "there is no archive" in err
    (tmp_path / "empty.json").write_text('{"meta": {"1": {"schema": 1}}}')
    code, out, err = run(capsys, "export", "--db", str(tmp_path / "empty.json"))
    assert (code, out) == (0, "") and "has no meetings yet" in err
    code, out, err = run(capsys, "export", "--all", "-f", "json", "--db", str(tmp_path / "empty.json"))
    assert code == 0 and json.loads(out)["meetings"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.json"], "nothing is made by reading"


def test_a_damaged_archive_is_reported(tmp_path, capsys):
    path = tmp_path / "archive.json"
    path.write_text('{"meetings": {"1": {"id": "x"')
    code, _, err = run(capsys, "export", "--db", str(path))
    assert code == 1 and "cut short" in err


def test_export_needs_no_lock(archive, db_path, capsys):
    with ArchiveLock.for_archive(db_path):
        code, out, _ = run(capsys, "export", "--db", str(db_path))
    assert code == 0 and out


# -- import -----------------------------------------------------------------------------------


def test_import_reports_added_unchanged_and_conflicts(archive, db_path, tmp_path, capsys):
    exported = tmp_path / "all.json"
    assert run(capsys, "export", "--all", "-f", "json", "-o", str(exported), "--db", str(db_path))[0] == 0
    other = tmp_path / "other.json"
    code, out, err = run(capsys, "import", str(exported), "--db", str(other))
    assert code == 0 and err == ""
    assert f"{exported}: 6 meetings added, 0 unchanged, 0 in conflict, 10 people added, 2 series added" in out
    assert "added      a1b2c3d4e5f60718  2026-11-26  November open meeting | <script>alert(1)</script>" in out

    code, out, _ = run(capsys, "import", str(exported), "--db", str(other))
    assert code == 0 and "0 meetings added, 6 unchanged, 0 in conflict" in out

    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["meetings"][0]["title"] = "Changed elsewhere"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(changed), "--db", str(other))
    assert code == 1
    assert (
        "1 in conflict" in out
        and "this archive has a different version (title differ); kept this archive's copy" in out
    )
    assert Archive(other).open().meeting(doc["meetings"][0]["id"]).title != "Changed elsewhere"


def test_import_goes_on_past_unreadable_files(archive, db_path, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(dumps(meeting_bundle(rich_meeting())), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    target = tmp_path / "target.json"
    code, out, err = run(capsys, "import", str(tmp_path / "missing.json"), str(bad), str(good), "--db", str(target))
    assert code == 1
    assert "missing.json: cannot read it" in err and "bad.json: cannot import it: not valid JSON" in err
    assert "good.json: 1 meeting added" in out
    assert Archive(target).open().has_meeting("a1b2c3d4e5f60718")


def test_import_takes_the_archive_lock(archive, db_path, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(dumps(meeting_bundle(rich_meeting())), encoding="utf-8")
    before = db_path.read_bytes()
    with ArchiveLock.for_archive(db_path):
        code, out, err = run(capsys, "import", str(good), "--db", str(db_path))
    assert code == 3 and "Another facilitate is using this archive" in err
    assert db_path.read_bytes() == before
    assert not ArchiveLock.for_archive(db_path).held


def test_export_runs_without_loading_textual_or_rich(archive, db_path, tmp_path):
    """What keeps `facilitate export` quick to start; how quick is bench/'s business, not a test's."""
    target = tmp_path / "out.md"
    code = (
        "import sys;"
        "from facilitate.__main__ import main;"
        f"rc = main(['export', '--db', {str(db_path)!r}, '-o', {str(target)!r}]);"
        "sys.stderr.write(str(rc) + ' ' + str([m for m in ('textual', 'rich') if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().endswith("0 []")
    assert target.read_text(encoding="utf-8") == render(archive.meeting(archive.listings()[0].id))


def test_output_to_a_pipe_writes_into_it_instead_of_replacing_it(archive, db_path, tmp_path, capsys):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    code, _, _ = run(capsys, "export", "-o", str(fifo), "--db", str(db_path))
    reader.join(5)
    assert code == 0 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert received == [render(archive.meeting(archive.listings()[0].id))]


def test_titles_listed_on_the_terminal_are_cleaned(tmp_path, capsys):
    from tests.fixtures import plain_meeting

    path = tmp_path / "archive.json"
    small_archive(path, [plain_meeting("m-a", "\x1b]0;pwned\x07\x1b[31mred", "", "2026-11-01", []),
                         plain_meeting("m-b", "b", "", "2026-11-02", [])])  # fmt: skip
    code, _, err = run(capsys, "export", "m-", "--db", str(path))
    assert code == 1 and "m-a  2026-11-01 10:00  \u241b]0;pwned\u2407\u241b[31mred" in err and "\x1b" not in err


# -- choosing a meeting, as the history shows them ----------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "meeting_id"),
    [
        ("latest", "a1b2c3d4e5f60718"),
        ("a1b2c3", "a1b2c3d4e5f60718"),
        ("A1B2", "a1b2c3d4e5f60718"),
        ("m-oct", "m-oct"),
        ("2026-10-29", "m-oct"),
        ("2026-10-29 10:00", "m-oct"),
        ("2026-10-29T10:00", "m-oct"),
        ("2026-08-01 10:00", "m-none"),
    ],
)
def test_a_meeting_by_id_start_date_or_date_and_time(archive, db_path, capsys, wanted, meeting_id):
    code, out, err = run(capsys, "export", wanted, "--db", str(db_path))
    assert code == 0 and out == render(archive.meeting(meeting_id))
    summary = next(s for s in archive.listings() if s.id == meeting_id)
    assert err.startswith(f"facilitate export: {meeting_id[:6]}  {summary.date} 10:00  ")


@pytest.mark.parametrize("wanted", ["2026-11-26", "2026-11-26 10:00"])
def test_a_day_with_two_meetings_lists_both(archive, db_path, capsys, wanted):
    code, out, err = run(capsys, "export", wanted, "--db", str(db_path))
    assert code == 1 and out == ""
    assert "2 meetings " in err and "give one of their ids" in err
    assert "\n  a1b2c3  2026-11-26 10:00  November open meeting" in err
    assert "\n  m-extr  2026-11-26 10:00  Extra session  (East ICB open meeting)" in err


def test_a_date_with_no_meeting(archive, db_path, capsys):
    code, _, err = run(capsys, "export", "2026-01-01", "--db", str(db_path))
    assert code == 1 and "no meeting on 2026-01-01" in err


def test_the_history_table_shows_the_short_ids_export_takes(archive, db_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "history", "--db", str(db_path))
    assert code == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out).splitlines()
    assert lines[0].split()[:2] == ["Id", "When"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["a1b2c3"].split()[1:3] == ["2026-11-26", "10:00"]
    for short in rows:
        assert run(capsys, "export", short, "--db", str(db_path))[0] == 0


def test_short_ids_are_long_enough_to_be_one_meetings():
    from facilitate.commands.common import short_ids

    ids = ["3f2a9c1b00000000", "3f2a9c1c00000000", "77aa000000000000", "ab"]
    assert short_ids(ids) == {
        "3f2a9c1b00000000": "3f2a9c1b", "3f2a9c1c00000000": "3f2a9c1c", "77aa000000000000": "77aa00", "ab": "ab",
    }  # fmt: skip


# -- writing a file --------------------------------------------------------------------------


def test_an_existing_file_is_replaced_only_with_force_keeping_its_mode(archive, db_path, tmp_path, capsys):
    target = tmp_path / "notes.md"
    target.write_text("the facilitator's own notes")
    os.chmod(target, 0o644)
    code, out, err = run(capsys, "export", "-o", str(target), "--db", str(db_path))
    assert code == 1 and f"{target} already exists; add --force to replace it" in err
    assert target.read_text() == "the facilitator's own notes"
    code, _, err = run(capsys, "export", "-o", str(target), "--force", "--db", str(db_path))
    assert code == 0 and f"Wrote {target}" in err
    assert target.read_text(encoding="utf-8") == render(archive.meeting(archive.listings()[0].id))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    # Through a link: the file it points to is replaced, and the link stays.
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert run(capsys, "export", "m-oct", "-o", str(link), "--db", str(db_path))[0] == 1
    assert run(capsys, "export", "m-oct", "-o", str(link), "--force", "--db", str(db_path))[0] == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8") == render(archive.meeting("m-oct"))


def test_force_needs_an_output(archive, db_path, capsys):
    code, _, err = run(capsys, "export", "--force", "--db", str(db_path))
    assert code == 2 and "--force is for --output FILE" in err
