"""Following the meeting in progress from another process, through its journal.

The facilitator's app appends every event, fsynced, to `archive.live.jsonl`
(`facilitate.live`). A room view in another terminal, or the browser view's
server, follows that file: `JournalFollower.poll()` looks at it (one `stat`)
and reads only what was appended since, replaying the new events with the
same typed events and reducer the app uses (`facilitate.events`). It copes with
the file being rewritten (on resume the app writes a fresh snapshot),
removed (the meeting went into the archive: back to waiting), cut short (a
torn last line is left until its newline arrives) and the app being killed
and started again.

It never writes: it opens the file to read, reads, and closes it (so that on
Windows the app can still replace it), and never touches the archive or its
lock.

`follow()` calls `poll()` every `POLL_SECONDS`: a `stat` of one file costs a
few microseconds (and one more for the join link beside it, `facilitate.phones.join`,
read only when it changes), so an idle room costs next to nothing, and a capture
reaches the room within about one interval.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from facilitate import events
from facilitate.events import EventError
from facilitate.live import LiveFile, LiveFileError
from facilitate.models import Meeting
from facilitate.phones.join import fresh, read_join, stat_key
from facilitate.room.state import RoomState, room_state, waiting
from facilitate.session import replay_meeting
from facilitate.storage.paths import join_path_for_live

POLL_SECONDS = 0.05
"""How often the file is looked at: well inside the 200 ms a capture may take to reach the room."""
HEAD_BYTES = 256
"""The start of the file, compared to tell a rewritten file from one that grew (belt and braces
beside the inode: a file system may reuse one)."""


@dataclass(frozen=True)
class _Seen:
    ino: int
    dev: int
    size: int
    mtime_ns: int


class JournalFollower:
    """The meeting in progress as its journal says, kept up to date by `poll()`."""

    def __init__(self, live_path: Path, wall: Callable[[], float] = time.time) -> None:
        self.path = Path(live_path)
        self._wall = wall
        """Wall seconds, to tell a join file an app still touches from one left by a crash."""
        self.meeting: Meeting | None = None
        """The meeting in progress, or None while there is none (or the file cannot be read)."""
        self.last_wall = 0.0
        """Wall time of the last event (or the snapshot): the meeting's totals are settled to then."""
        self.version = 0
        """Goes up by one whenever what the room sees may have changed."""
        self.ended = ""
        """The title of the meeting whose file went away (it finished), until another starts."""
        self.problem = ""
        """Why the file cannot be followed (not a live file, written by a newer version...)."""
        self.warnings: list[str] = []
        self.join_path = join_path_for_live(self.path)
        self.join = ""
        """Where phones join this meeting, while the facilitator's app has it open to them."""
        self._join_seen: tuple[tuple[int, int, int] | None, bool] | None = None
        self._seen: _Seen | None = None
        self._offset = 0
        """Bytes read and applied: the end of the last complete line."""
        self._head = b""
        self._again = False
        self._journal_version = events.JOURNAL_VERSION
        """The journal version of the file being followed (its events are upgraded from it)."""
        """Read again at the next poll even if the file looks the same (a line was incomplete)."""

    # -- reading -------------------------------------------------------------------

    def poll(self) -> bool:
        """Look at the file and take in what changed. True when the room's view may have changed."""
        changed = self._poll_journal()
        return self._poll_join() or changed

    def _poll_join(self) -> bool:
        """The join link beside the journal (`facilitate.phones.join`): read again when it changes."""
        key = stat_key(self.join_path)
        now = self._wall()
        seen = (key, key is not None and fresh(key[2] / 1e9, now))
        if seen == self._join_seen:
            return False
        self._join_seen = seen
        meeting_id = self.meeting.id if self.meeting is not None else None
        url = read_join(self.join_path, meeting_id, now) if seen[1] else ""
        if url == self.join:
            return False
        self.join = url
        return self._changed()

    def _poll_journal(self) -> bool:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return self._gone()
        except OSError as error:
            return self._unreadable(f"cannot read {self.path.name}: {error.strerror or error}")
        seen = _Seen(stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns)
        if seen == self._seen and not self._again:
            return False
        previous, self._seen, self._again = self._seen, seen, False
        if (
            self.meeting is None
            or previous is None
            or (seen.ino, seen.dev) != (previous.ino, previous.dev)
            or seen.size < self._offset
        ):
            return self._read_all()
        return self._read_more()

    def _gone(self) -> bool:
        if self._seen is None and self.meeting is None and not self.problem:
            return False
        if self.meeting is not None:
            self.ended = self.meeting.title
        self._reset()
        self.problem = ""
        return self._changed()

    def _unreadable(self, problem: str) -> bool:
        self._reset()
        self.problem = problem
        return self._changed()

    def _reset(self) -> None:
        self.meeting = None
        self._join_seen = None  # read the join file again for whichever meeting comes next
        self._seen = None
        self._offset = 0
        self._head = b""

    def _changed(self) -> bool:
        self.version += 1
        return True

    def _read_all(self) -> bool:
        """Read the whole file: a new meeting, or a fresh snapshot of this one."""
        try:
            replay = LiveFile.read(self.path)
            meeting, last_wall, _seq, unread = replay_meeting(replay)
            head = self._read_head()
        except FileNotFoundError:
            return self._gone()
        except LiveFileError as error:
            if not self.path.exists():
                return self._gone()
            if self.meeting is not None:
                # Caught between two writes of a new snapshot? Keep what we have; look again.
                self._again = True
                return False
            return self._unreadable(str(error))
        self.meeting = meeting
        self._join_seen = None
        self.last_wall = last_wall
        self.warnings = [f"{u.reason}: {u.line[:80]}" for u in unread]
        self._journal_version = replay.version
        self._offset = replay.valid_size
        self._head = head
        self.ended = ""
        self.problem = ""
        return self._changed()

    def _read_head(self) -> bytes:
        with open(self.path, "rb") as file:
            return file.read(HEAD_BYTES)

    def _read_more(self) -> bool:
        """Apply the lines appended since the last read."""
        try:
            with open(self.path, "rb") as file:
                head = file.read(HEAD_BYTES)
                if head[: len(self._head)] != self._head:
                    return self._read_all()
                file.seek(self._offset)
                data = file.read()
        except FileNotFoundError:
            return self._gone()
        except OSError:
            self._again = True
            return False
        assert self.meeting is not None
        changed = False
        position = 0
        while True:
            end = data.find(b"\n", position)
            if end < 0:
                break  # a line still being written (or torn): read again once it is complete
            raw = data[position:end]
            position = end + 1
            if not raw.strip():
                continue
            try:
                event = json.loads(raw)
                if not isinstance(event, dict):
                    raise ValueError("not an object")
                events.apply(self.meeting, events.decode(events.upgrade(event, self._journal_version)))
            except (ValueError, EventError) as error:
                self.warnings = [*self.warnings[-19:], str(error)]
                continue
            wall = event.get("wall")
            if isinstance(wall, (int, float)) and not isinstance(wall, bool):
                self.last_wall = float(wall)
            changed = True
        self._offset += position
        return self._changed() if changed else False

    # -- what the room sees --------------------------------------------------------

    def pending(self, wall_now: float) -> float:
        """Running time since the last event (same machine: the same wall clock)."""
        if self.meeting is None or not self.meeting.running:
            return 0.0
        return max(wall_now - self.last_wall, 0.0)

    def state(self, wall_now: float) -> RoomState:
        if self.meeting is None:
            return waiting(self.ended, as_of=wall_now)
        return room_state(self.meeting, self.pending(wall_now), as_of=wall_now).with_join(self.join)


async def follow(
    follower: JournalFollower,
    on_change: Callable[[], object],
    *,
    interval: float = POLL_SECONDS,
) -> None:
    """Poll for ever (until cancelled), calling `on_change()` after each change."""
    if follower.poll() or follower.version == 0:
        on_change()
    while True:
        await asyncio.sleep(interval)
        if follower.poll():
            on_change()
