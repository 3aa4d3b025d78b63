"""`facilitate room`: its options, and what it says without a terminal."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

from facilitate.__main__ import main
from facilitate.commands.room import announce


def test_lan_goes_with_web(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "archive.json"), "room", "--lan"]) == 2
    assert "--lan goes with --web" in capsys.readouterr().err


def test_without_a_terminal_it_says_so_and_names_the_browser_view(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "__stdin__", io.StringIO())
    assert main(["--db", str(tmp_path / "archive.json"), "room"]) == 2
    assert "facilitate room --web" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [], "nothing made"


def test_a_lan_address_must_be_private(tmp_path, capsys):
    args = ["--db", str(tmp_path / "archive.json"), "room", "--web", "--lan", "--lan-address", "8.8.8.8"]
    assert main(args) == 2
    assert "not a private IPv4 address" in capsys.readouterr().err


def test_the_join_link_is_printed_with_a_qr_code(capsys):
    class Served:
        url = "http://192.168.1.23:8765/?t=abcdefghijklmnopqrstuv"

    announce(Served, lan=True)
    out = capsys.readouterr().out
    assert Served.url in out and "▄" in out and "hotspot" in out
    assert "\x1b" not in out, "not a terminal: no colours"


def test_the_terminals_qr_code_is_ink_on_white_whatever_the_theme():
    from facilitate.phones.join import INK_ON_PAPER, qr_for_terminal, qr_rows

    url = "http://192.168.1.23:8765/?t=abcdefghijklmnopqrstuv"
    lines = qr_for_terminal(url, colour=True).split("\n")
    assert all(line.startswith(INK_ON_PAPER) and line.endswith("\x1b[0m") for line in lines)
    drawn = [line[len(INK_ON_PAPER) : -len("\x1b[0m")] for line in lines]
    halves = {" ": "00", "▀": "10", "▄": "01", "█": "11"}
    decoded_top = ["".join(halves[c][0] for c in line) for line in drawn]
    decoded_bottom = ["".join(halves[c][1] for c in line) for line in drawn]
    rows = qr_rows(url, border=4)
    assert [r for pair in zip(decoded_top, decoded_bottom) for r in pair][: len(rows)] == list(rows), "dark is ink"
    assert drawn[0].strip() == "" and len(drawn[0]) == len(rows[0]), "a quiet zone of four, white"


def test_the_apps_lan_for_phones_takes_a_private_address_only(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "archive.json"), "--lan", "--lan-address", "8.8.8.8"]) == 2
    assert "not a private IPv4 address" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [], "nothing made"


def test_the_apps_phone_options_reach_its_config(tmp_path, monkeypatch):
    import screens.app

    seen = {}

    def run_app(db_path, **kwargs):
        seen.update(kwargs["phones"])
        return SimpleNamespace(archive_error=None, return_code=0)

    monkeypatch.setattr(screens.app, "run_app", run_app)
    monkeypatch.setattr("facilitate.__main__.has_terminal", lambda: True)
    main(["--db", str(tmp_path / "archive.json"), "--lan", "--lan-address", "192.168.1.23", "--port", "9100"])
    assert seen == {"phones_lan": True, "phones_address": "192.168.1.23", "phones_port": 9100}
    from facilitate.config import Config

    assert Config(db_path=tmp_path / "a.json", **seen).phones_port == 9100
