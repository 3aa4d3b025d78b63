"""The room: what the people in the meeting see, and how a room view follows the meeting.

`state` builds the room's screen as plain data from a meeting and the time
(each format kind builds its own part: `Kind.room`, from `parts`);
`follower` keeps a meeting up to date from its journal, for a room view in
another process; `feed` hands the latest state to whoever shows it (the
browser view's server). No Textual, Rich or aiohttp here.
"""

from facilitate.room.state import BLANK, SHOW_RECORD, RoomState, room_state, waiting

__all__ = ["BLANK", "SHOW_RECORD", "RoomState", "room_state", "waiting"]
