"""Keys are delivered one at a time: each is handled, with everything it set off, before the next.

Textual forwards each key to whatever has focus the moment the key reaches
the app, without waiting for the keys before it to be handled. A key that
opens a dialog (`r` for a session's report, ctrl+y for the action form) does
so only after the key has travelled to a binding, perhaps posted a message
and the dialog has been built and focused: up to a second or two on a busy
laptop. Keys typed meanwhile went to the screen underneath (where `e`, `x`
or Enter act on the agenda wall) or into nothing, and a tick typed after
an arrow acted on the row the arrow had not yet reached.

`KeyRouter` holds the keys (and pastes) the terminal delivers in one queue
and hands the next to the app only when the last has settled: the widget it
went to, that widget's parents, the screen and the app have handled every
message it caused, and any screen it opened is mounted and has its focus.
So keys typed while a dialog opens go into the dialog, in order, and every
key acts on what the facilitator saw when they pressed it. What is typed
ahead waits in the queue, never in a widget that is about to lose focus.

The wait is for the few messages one key causes, not for the whole app:
a table filling in the background, or a clock tick elsewhere, does not hold
typing up.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Awaitable, Callable

from textual import events

from screens import textual_internals

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.widget import Widget

SETTLE_LIMIT = 5.0
"""Seconds a key may wait for the one before it. Far more than a dialog takes to open on a
loaded machine; only something stuck (a handler that never returns) would reach it, and
then the keys carry on as Textual alone would deliver them."""


class _Probe:
    """A callback that marks a future done: what a node runs once it has handled what came before."""

    _param_count = 0
    """Read by Textual's `invoke`, which would otherwise inspect the callable's signature each time."""

    def __init__(self, future: asyncio.Future) -> None:
        self.future = future

    def __call__(self) -> None:
        if not self.future.done():
            self.future.set_result(None)


def _queued(node: MessagePump) -> int:
    """Messages waiting in a node's queue (Textual's queue counts nothing else)."""
    return textual_internals.queued(node)


class KeyRouter:
    """The queue of keys and pastes between the terminal and the app (see the module docstring)."""

    def __init__(self, app: App, deliver: Callable[[events.Event], Awaitable[None]]) -> None:
        self.app = app
        self.deliver = deliver
        """Textual's own handling of an input event at the app (priority bindings, then forwarding)."""
        self.pending: deque[events.Event] = deque()
        self._wake = asyncio.Event()
        self.running = False
        self.delivered = 0
        """Keys and pastes handed to the app so far."""
        self.waited_out = 0
        """Times a key stopped waiting at `SETTLE_LIMIT` (for tests and benchmarks: should stay 0)."""

    def accept(self, event: events.Event) -> None:
        """Queue a key or paste as it arrives from the terminal."""
        self.pending.append(event)
        self._wake.set()

    @property
    def idle(self) -> bool:
        """Nothing waiting to be delivered."""
        return not self.pending and not self._delivering

    _delivering = False

    async def run(self) -> None:
        """Deliver queued keys, one settled key at a time, until cancelled."""
        self.running = True
        try:
            while True:
                while not self.pending:
                    self._wake.clear()
                    await self._wake.wait()
                event = self.pending.popleft()
                self._delivering = True
                try:
                    target = self.app.focused or self.app.screen
                    await self.deliver(event)
                    self.delivered += 1
                    await self.settle(target)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    # What Textual does with an error in a handler: show it and close the app.
                    textual_internals.report_error(self.app, error)
                finally:
                    self._delivering = False
        finally:
            self.running = False
            # Anything still queued (the app is closing) goes the ordinary way.
            while self.pending:
                self.app.post_message(self.pending.popleft())

    async def settle(self, target: Widget) -> None:
        """Wait until the key just delivered to `target` has been handled with all it caused.

        Textual's message queues cannot say whether a message is being handled, so
        each pass sends every node concerned a probe (a callback) and waits for all
        of them: a node has handled everything queued before its probe once the
        probe has run. A pass that began and ended with every queue empty, on the
        same screen and focus, leaves nothing of the key still travelling.
        """
        app = self.app
        deadline = time.monotonic() + SETTLE_LIMIT
        while True:
            nodes = self._concerned(target)
            if not nodes:
                return
            quiet_before = not any(_queued(node) for node in nodes)
            screen, focused = app.screen, app.focused
            probes: dict[asyncio.Future, MessagePump] = {}
            loop = asyncio.get_running_loop()
            for node in nodes:
                probe = loop.create_future()
                if node.post_message(events.Callback(callback=_Probe(probe))):
                    probes[probe] = node
            mounting: asyncio.Future[bool] | None = None
            if not screen.is_mounted and screen.is_running:
                mounting = asyncio.ensure_future(textual_internals.mounted(screen))
            if not await self._wait(probes, mounting, deadline):
                self.waited_out += 1
                return
            if (
                quiet_before
                and nodes == self._concerned(target)
                and not any(_queued(node) for node in nodes)
                and app.screen is screen
                and app.focused is focused
                and screen.is_mounted
            ):
                return

    @staticmethod
    async def _wait(probes: dict[asyncio.Future, MessagePump], mounting: asyncio.Future | None, deadline: float) -> bool:
        """Wait for the probes (and the screen's mounting); False if the deadline came first.

        A node closed meanwhile (a dialog the key dismissed) never runs its probe:
        it has nothing left to do, so its probe counts as done.
        """
        waiting = {probe for probe in probes if not probe.done()}
        if mounting is not None:
            waiting.add(mounting)
        while waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                if mounting is not None:
                    mounting.cancel()
                return False
            done, waiting = await asyncio.wait(waiting, timeout=min(left, 0.05))
            waiting = {w for w in waiting if w is mounting or not textual_internals.closing(probes[w])}
        return True

    def _concerned(self, target: Widget) -> list[MessagePump]:
        """The nodes a key's effects travel through: its target and the focus, their parents, the
        screen and the app."""
        app = self.app
        try:
            screen = app.screen
        except Exception:  # no screen: the app is starting or closing
            return []
        nodes: list[MessagePump] = [app, screen]
        for start in (target, app.focused):
            if start is not None:
                for node in start.ancestors_with_self:
                    if node not in nodes:
                        nodes.append(node)
        return [node for node in nodes if not textual_internals.closing(node)]
