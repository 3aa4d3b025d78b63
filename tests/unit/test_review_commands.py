"""`facilitate history` and `facilitate actions`: tables, tab-separated text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from facilitate.__main__ import main
from facilitate.commands.actions import ACTION_KEYS
from facilitate.commands.history import HISTORY_KEYS
from facilitate.models import Item
from tests.unit.review_helpers import build

TODAY = "2026-11-26"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "archive.json"
    archive = build(path)
    m = archive.meeting("m3")
    m.items.append(
        Item(id="h1", kind="action", text="Line one\nline\ttwo \x1b[31mred\x1b[0m [link=x]y[/link]",
             owner="[b]Bob[/]", owner_id="p-bob", due="2026-11-20")  # fmt: skip
    )
    archive.save_meeting(m)
    archive.close()
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tsv(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


# -- history -------------------------------------------------------------------------------------


def test_history_piped_is_tab_separated_newest_first(capsys, db):
    code, out, _ = run(capsys, "--db", db, "history")
    assert code == 0
    rows = tsv(out)
    assert rows[0] == ["date", "series", "title", "people", "new_people", "actions_open", "actions_total", "minutes", "id"]
    assert [r[-1] for r in rows[1:]] == ["m3", "n1", "m2", "m1"]
    assert rows[1][:7] == ["2026-11-05", "East ICB", "Open space: loneliness", "3", "1", "2", "3"]


def test_history_json_has_the_documented_keys(capsys, db):
    code, out, _ = run(capsys, "history", "--series", "north", "--json", "--db", db)
    assert code == 0
    (meeting,) = json.loads(out)
    assert tuple(meeting) == HISTORY_KEYS
    assert (meeting["id"], meeting["people"], meeting["new_people"], meeting["duration"]) == ("n1", 2, 1, 2800.0)


def test_history_of_an_unknown_series_says_which_there_are(capsys, db):
    code, out, err = run(capsys, "--db", db, "history", "--series", "South")
    assert code == 1 and out == ""
    assert "no series called 'South'" in err and "East ICB; North" in err


@pytest.mark.parametrize("command", ["history", "actions"])
def test_no_archive_yet_is_an_empty_result_not_an_error(capsys, tmp_path, command):
    missing = tmp_path / "not-yet" / "archive.json"
    code, out, err = run(capsys, "--db", str(missing), command, "--json")
    assert (code, out) == (0, "[]\n")
    assert f"there is no archive at {missing} yet" in err
    code, out, err = run(capsys, "--db", str(missing), command)
    assert code == 0 and len(tsv(out)) == 1 and "no archive" in err  # the header alone
    assert not missing.parent.exists(), "a read command makes nothing"


def test_history_of_a_damaged_archive(capsys, tmp_path):
    path = tmp_path / "archive.json"
    path.write_text('{"meetings": {"1": ')
    code, _, err = run(capsys, "--db", str(path), "history")
    assert code == 1 and "cut short" in err and "facilitate --restore-backup" in err


# -- actions -------------------------------------------------------------------------------------------


def item_ids(out: str) -> list[str]:
    return [row[-1] for row in tsv(out)[1:]]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), ["a3", "b1", "h1", "a5", "a4"]),
        (("--open",), ["a3", "b1", "h1", "a5", "a4"]),
        (("--overdue",), ["a3", "b1", "h1"]),
        (("--done",), ["a2", "a1"]),
        (("--all", "--owner", "ben"), ["b1", "a2"]),
        (("--all", "--owner", "BEN", "--series", "east icb"), ["a2"]),
        (("--series", "North"), ["b1"]),
        (("--owner", "bob"), ["h1", "a5"]),
    ],
)
def test_actions_filters(capsys, db, flags, expected):
    code, out, _ = run(capsys, "--db", db, "actions", "--today", TODAY, *flags)
    assert code == 0
    assert item_ids(out) == expected


def test_open_and_overdue_cannot_be_asked_together(capsys, db):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db, "actions", "--open", "--overdue"])
    assert exit_info.value.code == 2


def test_actions_piped_marks_overdue_and_keeps_one_line_per_action(capsys, db):
    _, out, _ = run(capsys, "--db", db, "actions", "--today", TODAY)
    rows = tsv(out)
    assert all(len(row) == 9 for row in rows)
    by_id = {row[-1]: row for row in rows[1:]}
    assert by_id["a3"][:3] == ["overdue", "2026-10-08", "Zoë Ångström"]
    assert by_id["a5"][0] == "open"
    assert by_id["a4"][1:3] == ["", "the comms team"]
    # Breaks become spaces; the escape sequence is shown, not obeyed.
    assert by_id["h1"][3] == "Line one line two \u241b[31mred\u241b[0m [link=x]y[/link]"
    assert "\x1b" not in out


def test_actions_json_has_the_documented_keys(capsys, db):
    _, out, _ = run(capsys, "--db", db, "actions", "--all", "--json", "--today", TODAY)
    rows = json.loads(out)
    assert all(tuple(row) == ACTION_KEYS for row in rows)
    by_id = {row["item_id"]: row for row in rows}
    assert by_id["a3"]["overdue"] is True and by_id["a5"]["overdue"] is False
    assert by_id["a1"]["status"] == "done" and by_id["a1"]["closed_at"].startswith("2026-09-09")
    assert by_id["h1"]["text"].startswith("Line one\nline\ttwo")  # JSON keeps the text whole


def test_no_actions_is_said_on_stderr(capsys, db):
    code, out, err = run(capsys, "--db", db, "actions", "--owner", "nobody")
    assert code == 0 and tsv(out) == [tsv(out)[0]]
    assert "No open actions." in err
    code, out, _ = run(capsys, "--db", db, "actions", "--owner", "nobody", "--json")
    assert json.loads(out) == []


def test_a_bad_today_is_refused(capsys, db):
    code, _, err = run(capsys, "--db", db, "actions", "--today", "friday")
    assert code == 2 and "ISO date" in err


def test_in_a_terminal_a_table_with_overdue_in_red_and_text_not_markup(capsys, db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run(capsys, "--db", db, "actions", "--today", TODAY)
    assert code == 0
    assert "\t" not in out
    assert "\x1b[1;31moverdue" in out
    assert "[b]Bob[/]" in out  # shown as typed, not as bold "Bob"
    assert "Thu 8 Oct" in out
    code, out, _ = run(capsys, "--db", db, "history")
    assert "Open space: loneliness" in out and "1 h 47" in out


@pytest.mark.parametrize("command", ["history", "actions"])
def test_the_commands_do_not_load_textual(db, command):
    code = (
        "import sys; from facilitate.__main__ import main; "
        f"main(['--db', {db!r}, {command!r}]); print('textual' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().endswith("False")
    assert result.stdout.startswith(("date\t", "status\t"))
