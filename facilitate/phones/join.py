"""The join link for the room's other screens: a small private file beside the live file.

The projector shows where phones join: a short address and a QR code with the
join code in it. Present mode (F8) is drawn by the facilitator's app, which
knows the code. `facilitate room` (a second terminal on the projector, or
`--web` in a browser) is another process, following the meeting through its
journal, and the code is deliberately kept out of the journal and the archive:
they last, and are copied and backed up, and a join code must die with the
room it opens.

So while the room is open to phones the app keeps one small file beside the
live file (`archive.join.json`, `facilitate.storage.paths.join_path_for_live`):
the meeting's id and the join link, readable by the user alone (mode 0600;
on Windows the user's own folder's permissions), replaced atomically. A new
code (rotating it) rewrites it; closing the room to phones, ending the meeting,
or quitting the app removes it; one left by a crash is removed when the app next
starts (`facilitate.recovery.leftovers`: holding the archive's lock, it is the
only writer, and nothing is open to phones yet). Until that next start, the file
of an app that was killed would still name a link that no longer answers, so
while the room is open the app touches the file every `HEARTBEAT_SECONDS`
(`touch_join`), and a link whose file has not been touched for `STALE_SECONDS`
is not shown: a crashed app's code leaves the projector within a minute. A
room view reads it as it reads the journal (open, read, close: Windows can still
replace it) and shows the link only when the file names the meeting it follows.
What a facilitator expects: wherever the room looks, the same working code,
and no code once the room is closed.

`qr_rows` is the code as rows of modules, for any screen to draw; `qr_blocks` draws them as
half blocks, and `qr_for_terminal` as a terminal prints them, dark on white.
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path

from facilitate.storage.files import FILE_MODE, atomic_write

HEARTBEAT_SECONDS = 10.0
"""How often the app, while the room is open to phones, says it is still there."""
STALE_SECONDS = 35.0
"""A join file untouched for this long was left by an app that is gone (three heartbeats missed,
and some slack for a busy laptop)."""

MAX_BYTES = 4096
"""A join file larger than this is not one (it is never read whole)."""
MAX_URL = 300


def write_join(path: Path, meeting_id: str, url: str) -> None:
    """Say where phones join this meeting (replacing what was said). Raises OSError."""
    data = json.dumps({"meeting": meeting_id, "url": url}, ensure_ascii=True)
    try:
        atomic_write(path, data, mode=FILE_MODE)
    except PermissionError:
        # Windows: a reader had it open at that instant. Write it in place instead (a reader
        # catching it half-written sees no link until its next look).
        with open(path, "w", encoding="ascii") as file:
            file.write(data)


def touch_join(path: Path) -> None:
    """The app is still there: the link is fresh. Never raises (a missed touch costs at most
    the link on the other screens, until the next)."""
    try:
        os.utime(path)
    except OSError:
        pass


def fresh(modified: float, now: float) -> bool:
    """Whether a join file last written or touched at `modified` (wall seconds) is still the
    word of a running app at `now`. A file from the future (a clock set back) counts as fresh."""
    return now - modified <= STALE_SECONDS


def clear_join(path: Path) -> None:
    """The room is closed to phones: no link any more. Never raises."""
    try:
        path.unlink()
        return
    except FileNotFoundError:
        return
    except OSError:
        pass
    try:
        with open(path, "w", encoding="ascii"):
            pass  # held open elsewhere (Windows): emptied, which says the same
    except OSError:
        pass


def read_join(path: Path, meeting_id: str | None, now: float | None = None) -> str:
    """The join link for `meeting_id`, or "" (none, another meeting's, not a join file, or
    one not touched for `STALE_SECONDS` before `now`, wall seconds: its app is gone)."""
    if not meeting_id:
        return ""
    try:
        with open(path, "rb") as file:
            modified = os.fstat(file.fileno()).st_mtime
            raw = file.read(MAX_BYTES + 1)
    except OSError:
        return ""
    if not fresh(modified, time.time() if now is None else now):
        return ""
    if len(raw) > MAX_BYTES:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return ""
    if not isinstance(data, dict) or data.get("meeting") != meeting_id:
        return ""
    url = data.get("url")
    if not isinstance(url, str) or len(url) > MAX_URL or not url.startswith(("http://", "https://")):
        return ""
    if not url.isascii() or not url.isprintable() or " " in url:
        return ""
    return url


def stat_key(path: Path) -> tuple[int, int, int] | None:
    """What tells a changed join file from the same one: (inode, size, mtime), None if absent."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=8)
def qr_rows(url: str, border: int = 2) -> tuple[str, ...]:
    """The link as a QR code, one string of "1" (dark) and "0" (light) a row, quiet zone included.

    Error correction L, raised when the size allows: a screen is not a crumpled poster, and
    a smaller code fits beside the countdown (a LAN address and a join code: 33 modules)."""
    import segno

    code = segno.make(url, error="l", micro=False)
    return tuple("".join("1" if module else "0" for module in row) for row in code.matrix_iter(scale=1, border=border))


def qr_blocks(rows: list[str] | tuple[str, ...]) -> str:
    """A QR code's modules ("1" dark) as half blocks, two rows of modules a line, dark as ink."""
    blocks = {("1", "1"): "█", ("1", "0"): "▀", ("0", "1"): "▄", ("0", "0"): " "}
    lines = []
    for top in range(0, len(rows), 2):
        upper = rows[top]
        lower = rows[top + 1] if top + 1 < len(rows) else "0" * len(upper)
        lines.append("".join(blocks.get(pair, " ") for pair in zip(upper, lower)))
    return "\n".join(lines)


INK_ON_PAPER = "\x1b[38;5;16;48;5;231m"
"""Black on white from the 256-colour palette's fixed part, which terminal themes leave alone
(the first sixteen colours, and "default", change with the theme)."""


def qr_for_terminal(url: str, colour: bool) -> str:
    """The link's QR code to print on a terminal: dark modules as ink on a white ground whatever
    the terminal's own colours (`colour`), or as plain half blocks for a file or a pipe.

    A code drawn in the terminal's foreground on its background comes out inverted on a light
    theme (or a dark one), and phones will not read an inverted code."""
    drawn = qr_blocks(qr_rows(url, border=4)).split("\n")
    if not colour:
        return "\n".join(drawn)
    return "\n".join(f"{INK_ON_PAPER}{line}\x1b[0m" for line in drawn)
