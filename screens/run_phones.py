"""The run screen's side of the phones: opening the room to them, and drawing what they send.

The participants' server runs in the app (`screens.phones`); what a phone sends
is recorded (and fsynced) there before the phone is told. The run screen only
has to show it: within `PHONES_REDRAW` seconds, a burst of a hundred dots drawn
once, so that the facilitator's typing stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen
from textual.timer import Timer

if TYPE_CHECKING:
    from screens.run import RunScreen

PHONES_REDRAW = 0.5
"""Seconds within which what phones send shows on the run screen (a burst is drawn once)."""


class PhonesOnScreen:
    """Opens the room to phones for a run screen, and redraws it when they send something."""

    def __init__(self, screen: RunScreen) -> None:
        self.screen = screen
        self._redraw: Timer | None = None
        self._waiting = 0

    def mounted(self) -> None:
        """The run screen is up: hear from the phones, and open to them if `--lan` asked."""
        screen = self.screen
        phones = screen.phones
        phones.on_change = self.changed
        if screen.facilitate_app.config.phones_lan and not phones.running:
            screen.run_worker(self.open(show=False), exclusive=True, group="phones")

    def shown(self) -> tuple[bool, int]:
        """For the meeting bar: whether the room is open to phones, and how many wait to be let in."""
        phones = self.screen.phones
        server = phones.server
        return phones.running, len(server.desk.waiting()) if phones.running and server is not None else 0

    async def open(self, *, show: bool) -> None:
        """F12 (and `--lan` at the start): open the room to phones; F12 shows the join panel."""
        from screens.phones import PhonesPanel

        screen = self.screen
        phones = screen.phones
        said = await phones.start(screen.session)
        if phones.running:
            screen.notify(f"Open to phones: {said}", timeout=6, markup=False)
        else:
            screen.notify(said, severity="error", timeout=8, markup=False)
        screen.refresh_all()
        if show:
            screen.app.push_screen(PhonesPanel(phones))

    def changed(self) -> None:
        """A phone sent something (recorded already): redraw soon, once for a burst."""
        if self._redraw is None:
            self._redraw = self.screen.set_timer(PHONES_REDRAW, self._redrawn)

    def _redrawn(self) -> None:
        self._redraw = None
        screen = self.screen
        screen.refresh_all()
        top = screen.app.screen
        if isinstance(top, ModalScreen) and hasattr(top, "refresh_panel"):
            top.refresh_panel()
        server = screen.phones.server
        waiting = server.desk.waiting() if server is not None else []
        if waiting and len(waiting) != self._waiting:
            screen.notify(f"{waiting[-1].name} waits to be let in: F12", timeout=4, markup=False)
        self._waiting = len(waiting)
