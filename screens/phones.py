"""The room on its phones, from the facilitator's side: open it, show the code, let people in.

`PhonesHost` starts the participants' server (`facilitate.web.phones`) on the
app's own event loop when the facilitator opens the room to phones (F12 on the
run screen, or `facilitate --lan`), and stops it when the meeting ends or the
facilitator closes it. `PhonesPanel` shows the join link and its QR code, the
sign-ins waiting for a nod, and the keys to let them in, rotate the code or
close the room.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from screens.dialogs import DIALOG_CSS
from screens.room import QR_CSS

if TYPE_CHECKING:
    from facilitate.session import MeetingSession
    from facilitate.web.phones import PhoneServer

DEFAULT_PORT = 8770


class PhonesHost:
    """The participants' server for the meeting in progress, kept by the app across screens."""

    def __init__(
        self, *, lan: bool = False, address: str | None = None, port: int = DEFAULT_PORT, heartbeat: float | None = None
    ) -> None:
        self.lan = lan
        self.heartbeat = heartbeat
        """Seconds between touches of the join file (`facilitate.phones.join.HEARTBEAT_SECONDS`)."""
        self._beating: asyncio.Task[None] | None = None
        self.address = address
        self.port = port
        self.server: PhoneServer | None = None
        self.session: MeetingSession | None = None
        self.on_change: Callable[[], None] | None = None
        self.problem = ""

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def host(self) -> str | None:
        if not self.lan:
            return "127.0.0.1"
        if self.address:
            return self.address
        from facilitate.web.address import lan_address

        found = lan_address()
        return found.address if found is not None else None

    async def start(self, session: MeetingSession) -> str:
        """Open the room to phones; returns what to say (the address, or why not)."""
        import time

        from facilitate.phones import Desk
        from facilitate.room.feed import RoomFeed
        from facilitate.room.state import room_state
        from facilitate.web.phones import PhoneServer

        if self.running:
            return self.server.url  # type: ignore[union-attr]
        host = self.host()
        if host is None:
            self.problem = "No private network address: join a Wi-Fi network or a phone's hotspot."
            return self.problem
        feed = RoomFeed(lambda: room_state(session.meeting, session.pending_time(), as_of=session.clock.wall()))
        server = PhoneServer(Desk(session), feed, host=host, port=self.port, clock=time.monotonic)
        server.on_change = self._changed
        try:
            await server.start()
        except OSError as error:
            self.problem = f"Cannot open the room to phones on {host}:{self.port}: {error.strerror or error}"
            return self.problem
        self.server, self.session = server, session
        session.listeners.append(self._recorded)
        self.problem = ""
        self._tell_the_room()
        self._beating = asyncio.get_running_loop().create_task(self._beat(), name="facilitate-join-heartbeat")
        return server.url

    async def _beat(self) -> None:
        """While the room is open, touch the join file now and then: a room view stops showing a
        link whose file nobody touches (the app was killed), instead of a dead code till restart."""
        from facilitate.phones.join import HEARTBEAT_SECONDS, touch_join

        every = self.heartbeat if self.heartbeat is not None else HEARTBEAT_SECONDS
        while True:
            await asyncio.sleep(every)
            path = self.join_path()
            if path is not None and self.running:
                touch_join(path)  # one quick system call: not worth a thread

    def join_path(self, session: MeetingSession | None = None) -> Path | None:
        """Where other room views learn the join link (`facilitate.phones.join`)."""
        from facilitate.storage.paths import join_path_for_live

        session = session or self.session
        if session is None or session.live is None:
            return None
        return join_path_for_live(session.live.path)

    def _tell_the_room(self) -> None:
        """Write the join link for `facilitate room` (never into the journal); a disk that
        refuses it costs only the QR code on the other screen, so it is said, not raised."""
        from facilitate.phones.join import write_join

        path = self.join_path()
        if path is None or self.server is None or self.session is None:
            return
        try:
            write_join(path, self.session.meeting.id, self.server.url)
        except OSError as error:
            self.problem = f"The room's other screens cannot show the join code: {error.strerror or error}"

    def _forget_join(self, session: MeetingSession | None) -> None:
        from facilitate.phones.join import clear_join

        path = self.join_path(session)
        if path is not None:
            clear_join(path)

    def rotate(self) -> None:
        """A new join code: every phone must join again, and every room view shows the new one."""
        if self.server is None:
            return
        self.server.rotate()
        self._tell_the_room()

    def _recorded(self, event) -> None:
        if self.server is not None:
            self.server.changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def stop(self) -> None:
        beating, self._beating = self._beating, None
        if beating is not None:
            beating.cancel()
        server, self.server = self.server, None
        if self.session is not None and self._recorded in self.session.listeners:
            self.session.listeners.remove(self._recorded)
        if server is not None:
            self._forget_join(self.session)  # no room view shows a closed room's code
        self.session = None
        if server is not None:
            await server.stop()


def qr_text(url: str) -> str:
    """The join link as a QR code drawn with half blocks (two rows of modules a line).

    Dark modules are ink, drawn black on white (`QR_CSS`) whatever the terminal's colours,
    so the code reads the right way round on light and dark terminals alike."""
    from facilitate.phones.join import qr_blocks, qr_rows

    return qr_blocks(qr_rows(url))


class PhonesPanel(ModalScreen[None]):
    """The join link and QR code, who is waiting to be let in, and the room's switches."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PhonesPanel")
        + """
    PhonesPanel > VerticalScroll {
        width: 96; max-width: 96%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    PhonesPanel #waiting { height: auto; }
    """
        + "PhonesPanel #qr { width: auto; height: auto; " + QR_CSS + " }"
    )
    BINDINGS = [
        Binding("escape", "dismiss", "Back"),
        Binding("up", "choose(-1)", "Previous", show=False, priority=True),
        Binding("down", "choose(1)", "Next", show=False, priority=True),
        Binding("a", "admit", "Let in"),
        *(Binding(str(n), f"admit_as({n})", show=False) for n in range(1, 10)),
        Binding("w", "admit_new", "Let in as new", show=False),
        Binding("d", "decline", "Turn away", show=False),
        Binding("n", "toggle_nod", "Nod on/off"),
        Binding("r", "rotate", "New code"),
        Binding("s", "close_room", "Close to phones"),
    ]

    def __init__(self, host: PhonesHost) -> None:
        super().__init__()
        self.host = host
        self.chosen = 0
        """Which waiting sign-in a, w and d act on (↑ and ↓ choose)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Phones", classes="title")
            yield Static(id="url")
            yield Static(id="settings")
            yield Static(id="waiting")
            yield Static(id="qr")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_panel()

    def refresh_panel(self) -> None:
        server = self.host.server
        if server is None:
            self.query_one("#url", Static).update(Text(self.host.problem or "The room is closed to phones."))
            self.query_one("#qr", Static).update("")
            return
        self.query_one("#url", Static).update(Text(f"Join: {server.url}"))
        self.query_one("#qr", Static).update(Text(qr_text(server.url)))
        meeting = server.desk.meeting
        nod = "wait for your nod (n: at once)" if meeting.phones.nod else "arrive at once (n: wait for your nod)"
        devices = [d for d in meeting.phones.devices if d.state == "here"]
        self.query_one("#settings", Static).update(
            Text(f"Sign-ins {nod}. {len(devices)} phone(s) in. Guest Wi-Fi keeping phones apart? Use a phone's hotspot.")
        )
        waiting = server.desk.waiting()
        lines = Text()
        self.chosen = max(0, min(self.chosen, len(waiting) - 1))
        if waiting:
            lines.append("Waiting to be let in (↑↓ choose; a lets in, w as someone new, d turns away):\n", style="bold")
        for index, device in enumerate(waiting):
            offers = server.desk.offers(device)
            chosen = index == self.chosen
            mark = "▶ " if chosen else "  "
            line = mark + device.name + (f", {device.organisation}" if device.organisation else "")
            if len(offers) == 1:
                line += f"  — is this {offers[0][1]}?"
            elif offers:
                line += f"  — {len(offers)} people are alike: which?"
            if device.invited_by:
                line += f"  (invited by {device.invited_by})"
            lines.append(line + "\n", style="bold" if chosen else "")
            if chosen and len(offers) > 1:
                # Offered, never merged: the facilitator says which one (a digit), or w for someone new.
                for number, (_, name, organisation) in enumerate(offers[:9], start=1):
                    lines.append(f"      {number}  {name}" + (f", {organisation}" if organisation else "") + "\n")
                lines.append("      w  someone new\n", style="dim")
        self.query_one("#waiting", Static).update(lines)

    def _first_waiting(self):
        """The waiting sign-in chosen (the first, unless ↑↓ chose another)."""
        server = self.host.server
        waiting = server.desk.waiting() if server is not None else []
        return waiting[min(self.chosen, len(waiting) - 1)] if waiting else None

    def action_choose(self, step: int) -> None:
        self.chosen += step
        self.refresh_panel()

    def _do(self, call) -> None:
        from facilitate.storage.errors import StorageError

        try:
            call()
        except StorageError as error:
            self.notify(str(error), severity="error")
        self.refresh_panel()
        if self.host.on_change is not None:
            self.host.on_change()  # the run screen beneath: who is here, who still waits

    def action_admit(self) -> None:
        device = self._first_waiting()
        if device is None:
            return
        desk = self.host.server.desk  # type: ignore[union-attr]
        offers = desk.offers(device)
        if len(offers) > 1:
            self.notify(f"{len(offers)} people are alike: 1 to {min(len(offers), 9)} says which, w lets in someone new.",
                        timeout=4, markup=False)  # fmt: skip
            return
        self._do(lambda: desk.admit(device.id))

    def action_admit_as(self, number: int) -> None:
        """A digit: let the chosen sign-in in as that one of the people offered."""
        device = self._first_waiting()
        if device is None:
            return
        desk = self.host.server.desk  # type: ignore[union-attr]
        offers = desk.offers(device)
        if not 1 <= number <= len(offers):
            return
        person_id = offers[number - 1][0]
        self._do(lambda: desk.admit(device.id, person_id=person_id))

    def action_admit_new(self) -> None:
        device = self._first_waiting()
        if device is not None:
            self._do(lambda: self.host.server.desk.admit(device.id, as_offered=False))  # type: ignore[union-attr]

    def action_decline(self) -> None:
        device = self._first_waiting()
        if device is not None:
            self._do(lambda: self.host.server.desk.decline(device.id))  # type: ignore[union-attr]

    def action_toggle_nod(self) -> None:
        server = self.host.server
        if server is not None:
            self._do(lambda: server.desk.set_nod(not server.desk.meeting.phones.nod))

    def action_rotate(self) -> None:
        server = self.host.server
        if server is not None:
            self._do(self.host.rotate)
            self.notify("A new join code: every phone must join again.", timeout=4)

    async def action_close_room(self) -> None:
        await self.host.stop()
        self.refresh_panel()
        if self.host.on_change is not None:
            self.host.on_change()
        self.notify("The room is closed to phones.", timeout=3)
