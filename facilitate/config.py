"""What the app is built from: the archive path, the clock, the formats.

The CLI and the tests both build a `Config` and hand it to
`screens.app.make_app`, so tests run on a temporary archive and a fake clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from facilitate.clock import Clock, SystemClock
from facilitate.storage.paths import live_path_for


@dataclass
class Config:
    db_path: Path
    clock: Clock = field(default_factory=SystemClock)
    user_formats: Path | None = None
    """The facilitator's own formats folder."""
    read_only: bool = False
    start: str = "home"
    """"home", or "plan" to go straight to planning a new meeting."""
    rng: random.Random | None = None
    bell: bool = True
    animate: bool = True
    """Textual animations; tests and snapshots turn them off."""
    phones_lan: bool = False
    """`--lan`: the room is opened to phones on this network as soon as a meeting runs."""
    phones_address: str | None = None
    """`--lan-address`: the address to serve phones on, if not the one chosen."""
    phones_port: int = 8770
    """`--port`: where phones reach the app (kept across restarts, so phones reconnect)."""

    @property
    def live_path(self) -> Path:
        return live_path_for(self.db_path)
