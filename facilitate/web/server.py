"""The room in a browser: a small aiohttp server that shows the room's screen and pushes changes.

It serves one page (plain HTML, CSS and JavaScript shipped in the package; no
build step, nothing from elsewhere) and a stream of server-sent events, each
the room's state as JSON (`facilitate.room.state`). The page draws it with
`textContent` only and counts the seconds down between events.

Where the state comes from is not its business: it takes a `StateSource`
(`facilitate.room.feed`). `facilitate room --web` feeds it from the journal;
the facilitator's app can feed it from its live session, running the server
on Textual's own event loop (`start()` and `stop()` use `web.AppRunner` and
a listening socket, never `web.run_app`, which would take over the loop and
its signals).

Safe by default:
- nothing here changes anything: GET and HEAD only, every other method 405;
- the Host header must name the address served (DNS rebinding);
- opened to the local network, every request for the page, its state or its
  events carries the join token (`?t=`, 128 random bits), compared in
  constant time;
- a strict Content-Security-Policy (no inline script or style, nothing from
  elsewhere), no referrer (the token is in the address), no framing, no sniffing;
- a bounded number of open connections and of event streams; a reader too
  slow to take an event within `WRITE_TIMEOUT` is let go.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from dataclasses import dataclass, field
from importlib import resources
from typing import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from facilitate.room.feed import StateSource

STATIC = {
    "index.html": "text/html; charset=utf-8",
    "room.js": "text/javascript; charset=utf-8",
    "room.css": "text/css; charset=utf-8",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}
HEARTBEAT_SECONDS = 15.0
"""A comment line down every quiet stream, so that a dead connection is noticed at both ends."""
WRITE_TIMEOUT = 10.0
MAX_STREAMS = 200
MAX_CONNECTIONS = 400
THEMES = ("projector", "dark")


def new_token() -> str:
    """A join token: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def _host_names(host: str) -> set[str]:
    if host in ("127.0.0.1", "localhost"):
        return {"127.0.0.1", "localhost"}
    if host == "::1":
        return {"[::1]", "localhost"}
    return {f"[{host}]" if ":" in host else host}


@dataclass
class RoomServer:
    """The browser view's server. `await start()`, then `urls`; `await stop()` when done."""

    source: StateSource
    host: str = "127.0.0.1"
    port: int = 0
    """0 picks a free port; `port` holds the real one once started."""
    token: str | None = None
    """Required in every request when set (the room opened to the local network)."""
    theme: str = "projector"
    max_streams: int = MAX_STREAMS
    max_connections: int = MAX_CONNECTIONS
    write_timeout: float = WRITE_TIMEOUT
    heartbeat: float = HEARTBEAT_SECONDS
    streams: int = 0
    """Event streams open now."""
    refused: int = 0
    """Connections turned away because too many were open."""
    _runner: web.AppRunner | None = field(default=None, repr=False)
    _server: asyncio.AbstractServer | None = field(default=None, repr=False)
    _pages: dict[str, bytes] = field(default_factory=dict, repr=False)

    # -- running -----------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=1024)
        app.on_response_prepare.append(self._headers)
        app.router.add_get("/", self._page)
        app.router.add_get("/room.js", self._static)
        app.router.add_get("/room.css", self._static)
        app.router.add_get("/state", self._state)
        app.router.add_get("/events", self._events)
        app.router.add_get("/favicon.ico", self._no_icon)
        for name in STATIC:
            self._pages[name] = resources.files("facilitate.web").joinpath("static", name).read_bytes()
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.make_app(), access_log=None, handler_cancellation=True)
        await self._runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            await self._runner.cleanup()
            raise
        self.port = sock.getsockname()[1]
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, sock=sock)

    def _protocol(self) -> asyncio.BaseProtocol:
        """A connection beyond `max_connections` is answered 503 and closed at once."""
        assert self._runner is not None and self._runner.server is not None
        if len(self._runner.server.connections) >= self.max_connections:
            self.refused += 1
            return _Busy()
        return self._runner.server()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """The page's address, with the join token when there is one."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?t={quote(self.token)}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"

    # -- the guard ----------------------------------------------------------------------

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "HEAD"], text="This page only shows the room.\n")
        if not self._host_allowed(request.headers.get("Host", "")):
            raise web.HTTPMisdirectedRequest(text="Unknown host.\n")
        if self.token is not None and request.path in ("/", "/state", "/events"):
            given = request.query.get("t", "")
            if not secrets.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
                raise web.HTTPForbidden(text="This room needs the link with its join code (the QR code).\n")
        return await handler(request)

    def _host_allowed(self, host: str) -> bool:
        host = host.strip().casefold()
        names = _host_names(self.host)
        return host in names or host in {f"{name}:{self.port}" for name in names}

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    # -- pages ------------------------------------------------------------------------------

    async def _page(self, request: web.Request) -> web.Response:
        return web.Response(body=self._pages["index.html"], content_type="text/html", charset="utf-8")

    async def _static(self, request: web.Request) -> web.Response:
        name = request.path.lstrip("/")
        content_type, _, _ = STATIC[name].partition(";")
        return web.Response(body=self._pages[name], content_type=content_type, charset="utf-8")

    async def _no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def _state(self, request: web.Request) -> web.Response:
        state_id, text = self.source.current()
        return web.Response(text=text, content_type="application/json", headers={"ETag": f'"{state_id}"'})

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if self.streams >= self.max_streams:
            raise web.HTTPServiceUnavailable(text="Too many screens are watching.\n", headers={"Retry-After": "5"})
        self.streams += 1
        try:
            response = web.StreamResponse(
                headers={"Content-Type": "text/event-stream; charset=utf-8", "X-Accel-Buffering": "no"}
            )
            await response.prepare(request)
            last = request.headers.get("Last-Event-ID") or request.query.get("last", "")
            await self._send(response, f"retry: 2000\nevent: hello\ndata: {self.theme_for(request)}\n\n")
            state_id = last
            while True:
                current, text = self.source.current()
                if current != state_id:
                    state_id = current
                    await self._send(response, f"id: {state_id}\nevent: state\ndata: {text}\n\n")
                try:
                    await asyncio.wait_for(self.source.changed(state_id), self.heartbeat)
                except asyncio.TimeoutError:
                    await self._send(response, "event: ping\ndata: 1\n\n")
        except (ConnectionError, asyncio.TimeoutError):
            return response  # gone, or too slow to read: let it go
        finally:
            self.streams -= 1

    def theme_for(self, request: web.Request) -> str:
        asked = request.query.get("theme", "")
        return asked if asked in THEMES else self.theme

    async def _send(self, response: web.StreamResponse, text: str) -> None:
        await asyncio.wait_for(response.write(text.encode("utf-8")), self.write_timeout)


class _Busy(asyncio.Protocol):
    """Answers a connection the server has no room for, and closes it."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
        )
        transport.close()
