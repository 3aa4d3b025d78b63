"""`facilitate import` takes what fits: a size cap per file and per field, each cut reported, nothing huge echoed."""

from __future__ import annotations

import copy
import json

from facilitate.__main__ import main
from facilitate.archive import Archive
from facilitate.export.interchange import Bundle, document
from facilitate.export.limits import LINE_LIMIT, TEXT_LIMIT
from tests.data import HUGE, LONG
from tests.fixtures import plain_meeting


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def export_file(path, meetings) -> None:
    path.write_text(json.dumps(document(Bundle(meetings=meetings))), encoding="utf-8")


def test_a_huge_title_is_cut_and_reported_never_echoed(tmp_path, capsys):
    db = tmp_path / "archive.json"
    meeting = plain_meeting("m-big", "T" * 5_000_000, "East ICB", "2026-11-26", [("p1", "N" * 20_000, "Age UK")])
    meeting.items = [copy.deepcopy(meeting.items[0])] if meeting.items else []
    export = tmp_path / "big.json"
    export_file(export, [meeting])
    code, out, err = run(capsys, "--db", str(db), "import", str(export))
    assert code == 0, err
    assert len(out) + len(err) < 2000, "the report names the cut, it does not echo the text"
    assert "1 meeting added" in out and "1 record cut to the limits" in out
    assert f"title (5,000,000 characters, kept {LINE_LIMIT:,})" in out
    assert f"attendees[0].name (20,000 characters, kept {LINE_LIMIT:,})" in out
    stored = Archive(db).open().meeting("m-big")
    assert stored.title == "T" * LINE_LIMIT and stored.attendees[0].name == "N" * LINE_LIMIT
    # The same file again: cut the same way, so nothing changes.
    code, out, _ = run(capsys, "--db", str(db), "import", str(export))
    assert code == 0 and "0 meetings added, 1 unchanged" in out


def test_what_a_meeting_holds_imports_whole_and_only_the_excess_is_cut(tmp_path, capsys):
    db = tmp_path / "archive.json"
    meeting = plain_meeting(
        "m-note", "Notes", "", "2026-11-26", [("p1", LONG.strip(), "")],
        [("a1", "Asha", HUGE, "open"), ("a2", "Asha", "y" * (TEXT_LIMIT + 5), "open")],
    )  # fmt: skip
    export = tmp_path / "note.json"
    export_file(export, [meeting])
    code, out, _ = run(capsys, "--db", str(db), "import", str(export))
    assert code == 0
    assert f"items[1].text ({TEXT_LIMIT + 5:,} characters, kept {TEXT_LIMIT:,})" in out and "items[0]" not in out
    stored = Archive(db).open().meeting("m-note")
    assert stored.items[0].text == HUGE and stored.attendees[0].name == LONG.strip()
    assert stored.items[1].text == "y" * TEXT_LIMIT


def test_a_file_over_the_size_cap_is_refused_unless_raised(tmp_path, capsys):
    db = tmp_path / "archive.json"
    meeting = plain_meeting("m-1", "One", "", "2026-11-26", [], [("a1", "Asha", "x" * 60_000, "open")])
    export = tmp_path / "export.json"
    export_file(export, [meeting] * 1)
    code, out, err = run(capsys, "--db", str(db), "import", "--max-size", "0.05", str(export))
    assert code == 1 and out == ""
    size = round(export.stat().st_size / 1000)
    assert f"refused: it is {size} KB, over the import limit of 50 KB (--max-size MB raises the limit)" in err
    assert not db.exists() or len(Archive(db).open()) == 0
    code, out, _ = run(capsys, "--db", str(db), "import", "--max-size", "1", str(export))
    assert code == 0 and "1 meeting added" in out
    code, _, err = run(capsys, "--db", str(db), "import", "--max-size", "0", str(export))
    assert code == 2 and "--max-size needs a number of megabytes above 0" in err


def test_a_record_with_an_overlong_id_is_refused_and_the_rest_imported(tmp_path, capsys):
    db = tmp_path / "archive.json"
    bad = plain_meeting("i" * 5000, "Strange id", "", "2026-11-25", [])
    good = plain_meeting("m-good", "Good", "", "2026-11-26", [])
    export = tmp_path / "export.json"
    export_file(export, [bad, good])
    code, out, _ = run(capsys, "--db", str(db), "import", str(export))
    assert code == 1, "a refused record is a problem worth a non-zero exit"
    assert "1 meeting added" in out and "1 refused" in out
    assert "  refused    meetings[0] (2026-11-25, Strange id): its id is 5,000 characters long, too long for an id" in out
    assert [s.id for s in Archive(db).open().listings()] == ["m-good"]
    assert len(out) < 2000
