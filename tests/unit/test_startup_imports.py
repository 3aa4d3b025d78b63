"""What the app imports before its first frame: only what the home screen needs.

The rest is imported where it is used: the phones' server and its dialogs on
F12 or `--lan`, the room's server and QR codes on F8, the meeting in progress
when it runs, the exports by their screens and commands, and dateutil's parser
when a date is written out. How fast that makes the start is bench/'s
business; this keeps the imports from creeping back.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Run in a fresh interpreter: the app to its first frame, then the modules loaded
# so far. `load_archive` is what the app schedules once the first frame is out.
FIRST_FRAME = """
import json, sys
from pathlib import Path
from facilitate.config import Config
from screens.app import FacilitateApp, make_app

def after_first_frame(self):
    sys.stdout.write(json.dumps(sorted(sys.modules)))
    self.exit()

FacilitateApp.load_archive = after_first_frame
app = make_app(Config(db_path=Path(sys.argv[1]), user_formats=None))
app.run(headless=True, size=(100, 30))
"""

NOT_BEFORE_THE_FIRST_FRAME = [
    "aiohttp",  # the phones' and the room's web server
    "segno",  # QR codes
    "psutil",
    "facilitate.web",
    "facilitate.phones",
    "facilitate.room.feed",
    "facilitate.session",
    "facilitate.export",
    "dateutil.parser",
    "dateutil.tz",
    "screens.phones",
    "screens.dialogs",
    "screens.run",
    "screens.room",
    "screens.kinds",
    "textual.widgets._text_area",
]


def loaded_at_first_frame(tmp_path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(tmp_path / "archive.json")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout[result.stdout.index("[") :])


def test_the_first_frame_imports_only_what_the_home_screen_needs(tmp_path):
    modules = loaded_at_first_frame(tmp_path)
    assert "screens.home" in modules and "textual.widgets._data_table" in modules  # it did reach the home screen
    early = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_BEFORE_THE_FIRST_FRAME)]
    assert early == []
