"""Nothing anyone typed can act on a terminal or a page: every output format, piped and on a terminal.

The hostile corpus (tests/data.py), stored raw as an import or an old archive
could bring it (the capture line would have cleaned it), goes out through
every command-line output and export: markdown, the task list, Slack, JSON,
tab-separated lines, the terminal's tables, the wiki's pages, the import
report, a restore's report and error messages. No C0 or C1 control (but
newline and tab), no bidi override or isolate and no lone surrogate may come
out as itself: JSON carries them as `\\u` escapes (and reads back exactly),
text shows a visible stand-in (`facilitate.output`).
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from facilitate.__main__ import main
from facilitate.archive import Archive
from facilitate.export.interchange import Bundle, document
from facilitate.models import NOTE, Item
from facilitate.output import one_line, to_json, visible
from tests.data import HOSTILE, HOSTILE_MORE
from tests.fixtures import plain_meeting
from tests.proof.terminal import ROOT

CORPUS = HOSTILE + HOSTILE_MORE + ["nel\x85line", "line\u2028separator", "csi \x9b2J and osc \x9d0;x\x9c"]
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SGR = re.compile("\x1b\\[[0-9;]*m")
# The corpus's own sequences, which must never come out whole whatever else is allowed.
RAW = sorted({piece for text in CORPUS for piece in re.findall("[\x1b\x9b\x9d][^ ]{0,6}", text)})


def assert_clean(text: str, *, terminal: bool = False) -> None:
    """No unsafe character as itself; on a terminal, only the colours Rich draws and the line ends it adds."""
    assert RAW, "the corpus has escape sequences to look for"
    for piece in RAW:
        if terminal and SGR.fullmatch(piece):
            continue  # a colour alone is what Rich draws too; with the text after it, it is the corpus's
        assert piece not in text, f"{piece!r} came out as itself"
    if terminal:
        text = SGR.sub("", text).replace("\r\n", "\n")
    found = FORBIDDEN.search(text)
    assert found is None, f"{found.group()!r} came out at {text[max(found.start() - 40, 0) : found.end() + 20]!r}"


def hostile_meetings() -> list:
    """One meeting for each string (as title, series, person, organisation, owner, action and note),
    and one holding all of them."""
    meetings = []
    for index, text in enumerate(CORPUS):
        meeting = plain_meeting(
            f"m-{index:02d}", text, text, f"2026-10-{index % 28 + 1:02d}", [(f"p{index}", text, text)],
            [(f"a{index}", text, text, "open")],
        )  # fmt: skip
        meeting.items.append(Item(id=f"n{index}", kind=NOTE, text=text, segment_id=meeting.segments[0].id))
        meetings.append(meeting)
    everything = copy.deepcopy(meetings[0])
    everything.id, everything.title = "everything", " ".join(CORPUS)
    everything.started_at = everything.planned_start = "2026-11-26T10:00:00+00:00"
    everything.items = [item for meeting in meetings for item in copy.deepcopy(meeting.items)]
    everything.attendees = [a for meeting in meetings for a in copy.deepcopy(meeting.attendees)]
    return [*meetings, everything]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "archive.json"
    archive = Archive(path).open()
    # As an import brings records: stored as given, nothing cleaned on the way in.
    archive.add_records(hostile_meetings(), [], [])
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


PIPED = {
    "history (tab-separated)": ["history"],
    "history --json": ["history", "--json"],
    "actions (tab-separated)": ["actions", "--all"],
    "actions --json": ["actions", "--all", "--json"],
    "markdown": ["export", "everything"],
    "markdown with tasks": ["export", "everything", "--tasks"],
    "Slack": ["export", "everything", "-f", "slack"],
    "JSON": ["export", "everything", "-f", "json"],
    "the whole archive as JSON": ["export", "--all", "-f", "json"],
}


@pytest.mark.parametrize("argv", PIPED.values(), ids=PIPED.keys())
def test_every_piped_output_is_clean(db, capsys, argv):
    code, out, err = run(capsys, "--db", str(db), *argv)
    assert code == 0, err
    assert_clean(out)
    assert_clean(err)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_each_meeting_in_every_export_format(db, capsys, index):
    for extra in ([], ["--tasks"], ["-f", "slack"], ["-f", "json"]):
        code, out, err = run(capsys, "--db", str(db), "export", f"m-{index:02d}", *extra)
        assert code == 0, err
        assert_clean(out)
        assert_clean(err)  # the meeting it chose, its title among it


def test_json_escapes_and_reads_back_exactly(db, capsys):
    _, out, _ = run(capsys, "--db", str(db), "export", "--all", "-f", "json")
    titles = {m["id"]: m["title"] for m in json.loads(out)["meetings"]}
    assert [titles[f"m-{index:02d}"] for index in range(len(CORPUS))] == CORPUS
    assert "\\u202e" in out and "\\u009b" in out and "\\u001b" in out and "\\udc80" in out
    assert "Zoë Ångström" in out, "readable UTF-8 otherwise"
    _, out, _ = run(capsys, "--db", str(db), "history", "--json")
    titles = {row["id"]: row["title"] for row in json.loads(out)}
    assert [titles[f"m-{index:02d}"] for index in range(len(CORPUS))] == CORPUS


def test_the_wiki_pages_are_clean(db, tmp_path, capsys):
    folder = tmp_path / "wiki"
    code, out, err = run(capsys, "--db", str(db), "export", "--all", "--to", str(folder))
    assert code == 0, err
    assert_clean(out)
    pages = sorted(folder.glob("*.md"))
    assert len(pages) == len(CORPUS) + 1 + 3  # each meeting, index, actions, people
    for page in pages:
        assert_clean(page.read_text(encoding="utf-8"))


def test_error_messages_and_candidates_are_clean(db, capsys):
    for argv in (
        ["export", "m-"],  # several: the candidates, hostile titles and all
        ["export", "\x1b[2J\u202eno such id\x9b"],
        ["history", "--series", "\x1b]0;title\x07 nope"],
        ["actions", "--series", "\u202enope"],
    ):
        code, out, err = run(capsys, "--db", str(db), *argv)
        assert code == 1 and out == ""
        assert_clean(err)
    assert "\u241b[2J\ufffdno such id\ufffd" in run(capsys, "--db", str(db), "export", "\x1b[2J\u202eno such id\x9b")[2]


def test_the_import_report_is_clean(db, tmp_path, capsys):
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(document(Bundle(meetings=hostile_meetings()))), encoding="utf-8")
    target = tmp_path / "other.json"
    code, out, err = run(capsys, "--db", str(target), "import", str(source))
    assert code == 0, err
    assert_clean(out)
    assert_clean(err)
    # Conflicts name the meetings too.
    changed = hostile_meetings()
    for meeting in changed:
        meeting.items = []
    source.write_text(json.dumps(document(Bundle(meetings=changed))), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(target), "import", str(source))
    assert code == 1 and out.count("  conflict   ") == len(changed)
    assert_clean(out)
    assert_clean(err)
    # And a file name that is itself hostile.
    hostile_name = tmp_path / "\u202eevil\x1b[31m.json"
    code, _, err = run(capsys, "--db", str(target), "import", str(hostile_name))
    assert code == 1
    assert_clean(err)


def test_a_restore_report_is_clean(tmp_path):
    from facilitate.recovery import restore_backup

    path = tmp_path / "archive.json"
    archive = Archive(path).open()
    archive.add_records(hostile_meetings()[:1], [], [])
    archive.backup(copy=True)
    archive.add_records(hostile_meetings()[1:], [], [])
    content = path.read_bytes()
    path.write_bytes(content[: len(content) - 40])
    said = restore_backup(path).describe(path)
    assert "The backup lacked" in said
    assert_clean(visible(said))
    assert_clean(said)


def test_the_formats_list_is_clean(tmp_path, capsys, monkeypatch):
    formats = tmp_path / "config" / "formats"
    formats.mkdir(parents=True)
    (formats / "evil.toml").write_text(
        'id = "evil"\nname = "\\u202eevil\\u001b[31m \\u009b2J"\nkind = "timer"\nminutes = 5\n', encoding="utf-8"
    )
    (formats / "broken.toml").write_text('id = "\\u001b[2J', encoding="utf-8")
    monkeypatch.setenv("FACILITATE_CONFIG", str(tmp_path / "config"))
    code, out, err = run(capsys, "formats")
    assert "evil" in out
    assert_clean(out)
    assert_clean(err)


# -- on a terminal ------------------------------------------------------------------------------------


def on_terminal(db: Path, *argv: str) -> tuple[int, str]:
    """Run a command with standard output and error on a pseudo-terminal (200 columns), as a person would."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "LINES": "50"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitate", "--db", str(db), *argv],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, cwd=ROOT,
    )  # fmt: skip
    os.close(slave)
    output = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the process has gone
            break
        if not chunk:
            break
        output.extend(chunk)
    os.close(master)
    code = process.wait(timeout=120)
    return code, output.decode("utf-8", "replace")


ON_A_TERMINAL = {
    "history (table)": ["history"],
    "actions (table)": ["actions", "--all"],
    "markdown": ["export", "everything"],
    "JSON": ["export", "everything", "-f", "json"],
    "candidates": ["export", "m-"],
}


@pytest.mark.parametrize("argv", ON_A_TERMINAL.values(), ids=ON_A_TERMINAL.keys())
def test_every_output_on_a_terminal_is_clean(db, argv):
    code, output = on_terminal(db, *argv)
    assert code in (0, 1), output[-2000:]
    assert_clean(output, terminal=True)
    if argv[0] == "history":
        assert "\u241b[31mred" in output, "the table shows the escape, it does not obey it"


def test_the_helpers():
    assert visible("a\x1b[31mb\x9b\u202ec\udc80\x00\x7f\n\t") == "a\u241b[31mb\ufffd\ufffdc\ufffd\u2400\u2421\n\t"
    assert one_line("a\nb\tc\u2028d\r" + "x" * 100, 10) == "a b c d x…"
    text = to_json({"t": "\x1b\u202e\x9b\udc80é\n"})
    assert text == '{\n  "t": "\\u001b\\u202e\\u009b\\udc80é\\n"\n}'
    assert json.loads(text) == {"t": "\x1b\u202e\x9b\udc80é\n"}
