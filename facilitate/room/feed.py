"""The room's state for whoever shows it from afar: the browser view's server, later phones.

A `RoomFeed` holds the latest room state and a version that goes up each time
the meeting changes. It does not know where the state comes from: `build` is
any function returning a `RoomState` for now. The room process builds it from
the journal (`JournalFollower.state`); the facilitator's app can build it from
its live session, and call `publish()` after each change, so that a server
running inside the app (for phones) serves the same thing.

The server asks `current()` for the version and its JSON, and awaits
`changed(version)` to hear of the next one. Everything runs on one event loop.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Callable, Protocol

from facilitate.room.state import RoomState

REBUILD_SECONDS = 1.0
"""A state older than this is rebuilt for a new reader, so that its countdowns are current."""


class StateSource(Protocol):
    """What the browser view's server needs from whatever knows the meeting."""

    def current(self) -> tuple[str, str]:
        """The state's id (changes with every change) and the state as JSON text."""

    async def changed(self, state_id: str) -> None:
        """Return once the state's id is no longer `state_id`."""


class RoomFeed:
    """The latest room state, versioned; see the module's docstring."""

    def __init__(self, build: Callable[[], RoomState], clock: Callable[[], float] = time.monotonic) -> None:
        self._build = build
        self._clock = clock
        self.epoch = secrets.token_hex(4)
        """Different for every process, so an id from before a restart never passes for a new one."""
        self.version = 0
        self._event = asyncio.Event()
        self._text = ""
        self._built_at = -1e9
        self._built_version = -1

    @property
    def state_id(self) -> str:
        return f"{self.epoch}-{self.version}"

    def publish(self) -> None:
        """The meeting changed: readers get the new state."""
        self.version += 1
        self._built_version = -1
        event, self._event = self._event, asyncio.Event()
        event.set()

    def current(self) -> tuple[str, str]:
        now = self._clock()
        if self._built_version != self.version or now - self._built_at > REBUILD_SECONDS:
            self._text = json.dumps(self._build().to_dict(), ensure_ascii=True, separators=(",", ":"))
            self._built_at = now
            self._built_version = self.version
        return self.state_id, self._text

    async def changed(self, state_id: str) -> None:
        while self.state_id == state_id:
            await self._event.wait()
