"""The participants' server: phones sign in, propose, vote and report, inside the facilitator's app.

It runs on the app's own event loop (`start()` and `stop()`, as the room's
server does), so every request reaches the meeting through one `Desk`
(`facilitate.phones`) on the journal's one writer. A submission is answered
200 only after `session.record` has fsynced its event; a retry with the same
key is answered from the journal.

    GET  /?t=CODE        the phone's page (the join code from the QR code)
    GET  /phone.js, /phone.css
    POST /join           {t, name, organisation, invited_by, key}: sets the session cookie
    GET  /me             the phone's state: the room's screen and its own part (cookie)
    GET  /events         the same, pushed as server-sent events whenever the meeting changes
    POST /send           {what, fields, key} with the X-CSRF-Token header (cookie)

Safe by default, beyond the room's server's headers and Host check:
- the join code (128 random bits) is needed to join; rotating it (`rotate`) ends
  every phone's session;
- the session cookie is HttpOnly, SameSite=Strict, a device id and a secret
  whose hash only the journal keeps;
- every POST is same-origin (Origin and Sec-Fetch-Site checked) and carries a
  CSRF token derived from the session secret (`/send`) or the join code (`/join`);
- bodies are JSON objects of at most `MAX_BODY` bytes; fields have their limits
  and the kinds their allowances (`facilitate.kinds.Refusal`);
- each device, and each address, has a rate limit (`Bucket`);
- a burst of submissions is made durable together: each is recorded (in memory and
  pending in the journal) at once, then one fsync in a worker thread takes all that
  arrived meanwhile to the disk, and only then is each answered;
- nothing but the room's screen and the phone's own contributions is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import secrets
import socket
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Awaitable, Callable
from urllib.parse import quote, urlsplit

from aiohttp import web

from facilitate.kinds import Refusal
from facilitate.models import Device
from facilitate.phones import UNSAVED, Desk
from facilitate.room.feed import RoomFeed
from facilitate.storage.errors import StorageError
from facilitate.web.server import SECURITY_HEADERS, _Busy, _host_names, new_token

STATIC = {
    "phone.html": "text/html",
    "phone.js": "text/javascript",
    "phone.css": "text/css",
}
COOKIE = "fp"
MAX_BODY = 8 * 1024
STATUS = {"invalid": 422, "closed": 409, "allowance": 409, "waiting": 403, "ended": 410, "unsaved": 503}
"""A refusal's reason to its HTTP status."""
MAX_STREAMS = 300
MAX_CONNECTIONS = 600
COALESCE_SECONDS = 0.1
"""A burst of changes (a hundred dots) goes down each stream as one."""
SPREAD_PER_STREAM = 0.01
"""With many phones watching, each stream waits by chance up to this much longer per stream
open (a hundred phones: up to 0.4 s), so that their sends are spread out: sent at once, a
hundred phones' states held the app's loop, and the facilitator's keys behind it, for tens of
milliseconds after every change."""


@dataclass
class Bucket:
    """A token bucket: `capacity` at once, then `rate` a second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    at: float = 0.0

    def take(self, now: float) -> bool:
        if self.tokens < 0:
            self.tokens, self.at = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def refuse(kind: type[web.HTTPException], message: str, **kw: Any) -> web.HTTPException:
    """A refusal the phone's page can read: JSON with the message to show."""
    body = json.dumps({"received": False, "message": message})
    return kind(text=body, content_type="application/json", **kw)


def csrf_for(secret: str) -> str:
    return hashlib.sha256(b"csrf:" + secret.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class PhoneServer:
    """The participants' server; see the module's docstring."""

    desk: Desk
    feed: RoomFeed
    host: str = "127.0.0.1"
    port: int = 0
    token: str = field(default_factory=new_token)
    max_streams: int = MAX_STREAMS
    max_connections: int = MAX_CONNECTIONS
    device_rate: tuple[float, float] = (30.0, 5.0)
    """A device's requests: 30 at once, then 5 a second."""
    address_rate: tuple[float, float] = (400.0, 50.0)
    """Requests without a session from one address (joining, refused cookies)."""
    heartbeat: float = 15.0
    write_timeout: float = 10.0
    clock: Callable[[], float] = time.monotonic
    streams: int = 0
    refused: int = 0
    on_change: Callable[[], None] | None = None
    """Called after anything a phone sends is recorded (the app redraws)."""
    _buckets: dict[str, Bucket] = field(default_factory=dict, repr=False)
    _runner: web.AppRunner | None = field(default=None, repr=False)
    _server: asyncio.AbstractServer | None = field(default=None, repr=False)
    _pages: dict[str, bytes] = field(default_factory=dict, repr=False)
    _closed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _commit_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    # -- running -----------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY)
        app.on_response_prepare.append(self._headers)
        app.router.add_get("/", self._page)
        app.router.add_get("/phone.js", self._static)
        app.router.add_get("/phone.css", self._static)
        app.router.add_get("/favicon.ico", self._no_icon)
        app.router.add_post("/join", self._join)
        app.router.add_get("/me", self._me)
        app.router.add_get("/events", self._events)
        app.router.add_post("/send", self._send_contribution)
        for name in STATIC:
            self._pages[name] = resources.files("facilitate.web").joinpath("static", name).read_bytes()
        return app

    async def start(self) -> None:
        self._closed = asyncio.Event()
        self._runner = web.AppRunner(self.make_app(), access_log=None, handler_cancellation=True)
        await self._runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(256)
            sock.setblocking(False)
        except OSError:
            sock.close()
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = sock.getsockname()[1]
        self._server = await asyncio.get_running_loop().create_server(self._protocol, sock=sock)

    def _protocol(self) -> asyncio.BaseProtocol:
        assert self._runner is not None and self._runner.server is not None
        if len(self._runner.server.connections) >= self.max_connections:
            self.refused += 1
            return _Busy()
        return self._runner.server()

    async def stop(self) -> None:
        """Close everything: the event streams end, and nothing more is taken."""
        self._closed.set()
        self.feed.publish()
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/?t={quote(self.token)}"

    def rotate(self) -> None:
        """A new join code; every phone signed in so far must join again (their streams end)."""
        self.token = new_token()
        self.desk.rotate()
        self.feed.publish()

    def changed(self) -> None:
        """The meeting changed (the app calls this after each event): streams send the new state."""
        self.feed.publish()

    # -- the guard ------------------------------------------------------------------------

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not self._host_allowed(request.headers.get("Host", "")):
            raise refuse(web.HTTPMisdirectedRequest, "Unknown host.")
        if request.method == "POST":
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                raise refuse(web.HTTPForbidden, "Cross-site requests are refused.")
            origin = request.headers.get("Origin")
            if origin is not None and not self._host_allowed(urlsplit(origin).netloc):
                raise refuse(web.HTTPForbidden, "Cross-site requests are refused.")
        elif request.method not in ("GET", "HEAD"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "HEAD", "POST"])
        return await handler(request)

    def _host_allowed(self, host: str) -> bool:
        host = host.strip().casefold()
        names = _host_names(self.host)
        return host in names or host in {f"{name}:{self.port}" for name in names}

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    def _limit(self, who: str, rate: tuple[float, float]) -> None:
        bucket = self._buckets.get(who)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            bucket = self._buckets[who] = Bucket(*rate)
        if not bucket.take(self.clock()):
            raise refuse(web.HTTPTooManyRequests, "Too many requests: wait a moment.", headers={"Retry-After": "2"})

    def _anonymous(self, request: web.Request) -> None:
        self._limit("ip:" + (request.remote or "?"), self.address_rate)

    def _device(self, request: web.Request) -> tuple[Device, str]:
        """The signed-in device of this request's cookie; 401 without one, 429 over its limit."""
        value = request.cookies.get(COOKIE, "")
        device_id, _, secret = value.partition(".")
        device = self.desk.device(device_id, secret) if device_id and secret else None
        if device is None:
            self._anonymous(request)
            raise refuse(web.HTTPUnauthorized, "Join again with the code on the screen.")
        self._limit("device:" + device.id, self.device_rate)
        return device, secret

    async def _body(self, request: web.Request) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise refuse(web.HTTPUnsupportedMediaType, "JSON only.")
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            raise refuse(web.HTTPBadRequest, "Malformed JSON.") from None
        if not isinstance(data, dict):
            raise refuse(web.HTTPBadRequest, "A JSON object is expected.")
        return data

    # -- pages ------------------------------------------------------------------------------

    async def _page(self, request: web.Request) -> web.Response:
        self._anonymous(request)
        return web.Response(body=self._pages["phone.html"], content_type="text/html", charset="utf-8")

    async def _static(self, request: web.Request) -> web.Response:
        name = request.path.lstrip("/")
        return web.Response(body=self._pages[name], content_type=STATIC[name], charset="utf-8")

    async def _no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    # -- joining ----------------------------------------------------------------------------------

    async def _join(self, request: web.Request) -> web.Response:
        self._anonymous(request)
        data = await self._body(request)
        given = data.get("t", "")
        if not isinstance(given, str) or not secrets.compare_digest(
            given.encode("utf-8", "replace"), self.token.encode()
        ):
            raise refuse(web.HTTPForbidden, "This needs the link with its join code (the QR code).")
        fields = {name: data.get(name, "") for name in ("name", "organisation", "invited_by")}
        device_id, secret = secrets.token_hex(8), secrets.token_urlsafe(24)
        try:
            with self.desk.session.deferred():
                device = self.desk.sign_in(device_id, secret, fields, data.get("key", ""))
            await self._commit()
        except Refusal as refusal:
            return self._refused(refusal)
        self._after_change()
        response = web.json_response(self._state_of(device, secret))
        response.set_cookie(COOKIE, f"{device_id}.{secret}", httponly=True, samesite="Strict", path="/")
        return response

    # -- a phone's state -------------------------------------------------------------------------

    def _state_of(self, device: Device | None, secret: str) -> dict[str, Any]:
        _, room = self.feed.current()
        return {"room": json.loads(room), "csrf": csrf_for(secret), **self.desk.view(device)}

    def _text_of(self, device: Device, secret: str, room: str) -> str:
        part = json.dumps(self.desk.view(device), ensure_ascii=True, separators=(",", ":"))
        return f'{{"room":{room},"csrf":"{csrf_for(secret)}",{part[1:]}'

    async def _me(self, request: web.Request) -> web.Response:
        device, secret = self._device(request)
        _, room = self.feed.current()
        return web.Response(text=self._text_of(device, secret, room), content_type="application/json")

    async def _events(self, request: web.Request) -> web.StreamResponse:
        device, secret = self._device(request)
        if self.streams >= self.max_streams:
            raise refuse(web.HTTPServiceUnavailable, "Too many phones are watching.", headers={"Retry-After": "5"})
        self.streams += 1
        try:
            response = web.StreamResponse(
                headers={"Content-Type": "text/event-stream; charset=utf-8", "X-Accel-Buffering": "no"}
            )
            await response.prepare(request)
            await self._write(response, "retry: 2000\n\n")
            state_id = ""
            while True:
                current, room = self.feed.current()
                if self.desk.device(device.id, secret) is None:
                    await self._write(response, "event: gone\ndata: 1\n\n")
                    break
                if current != state_id:
                    state_id = current
                    text = self._text_of(device, secret, room)
                    await self._write(response, f"id: {state_id}\nevent: state\ndata: {text}\n\n")
                if self._closed.is_set():
                    break  # closing (the meeting has ended): the last state has gone down
                try:
                    await asyncio.wait_for(self.feed.changed(state_id), self.heartbeat)
                    await asyncio.sleep(COALESCE_SECONDS + random.uniform(0.0, SPREAD_PER_STREAM * self.streams))
                except asyncio.TimeoutError:
                    await self._write(response, "event: ping\ndata: 1\n\n")
            return response
        except (ConnectionError, asyncio.TimeoutError):
            return web.StreamResponse()
        finally:
            self.streams -= 1

    async def _write(self, response: web.StreamResponse, text: str) -> None:
        await asyncio.wait_for(response.write(text.encode("utf-8")), self.write_timeout)

    # -- contributions ------------------------------------------------------------------------------

    async def _send_contribution(self, request: web.Request) -> web.Response:
        device, secret = self._device(request)
        if not secrets.compare_digest(request.headers.get("X-CSRF-Token", "").encode("utf-8", "replace"),
                                      csrf_for(secret).encode()):  # fmt: skip
            raise refuse(web.HTTPForbidden, "The page's token is missing: reload the page.")
        data = await self._body(request)
        fields = data.get("fields", {})
        if not isinstance(fields, dict):
            raise refuse(web.HTTPBadRequest, "fields must be an object.")
        try:
            with self.desk.session.deferred():
                answer = self.desk.submit(device, data.get("what", ""), fields, data.get("key", ""))
            if not answer.replayed:
                self._after_change()
            await self._commit()
        except Refusal as refusal:
            return self._refused(refusal)
        # Only now, with the event fsynced: received.
        return web.json_response({"received": True, "id": answer.result, "again": answer.replayed})

    async def _commit(self) -> None:
        """Make what was recorded durable: one fsync in a worker thread for every submission that
        arrived meanwhile (the event loop, and the facilitator's keys, never wait for the disk).
        Raises `Refusal` when the disk refuses: the phone sends it again."""
        live = self.desk.session.live
        if live is None:
            return
        async with self._commit_lock:
            if not live.pending:
                return  # an earlier flush, or the facilitator's own capture, took it to the disk
            try:
                await asyncio.get_running_loop().run_in_executor(None, live.flush)
            except StorageError:
                raise Refusal(UNSAVED, "unsaved") from None

    def _refused(self, refusal: Refusal) -> web.Response:
        return web.json_response({"received": False, "why": refusal.why, "message": str(refusal)},
                                 status=STATUS.get(refusal.why, 409))  # fmt: skip

    def _after_change(self) -> None:
        self.feed.publish()
        if self.on_change is not None:
            self.on_change()
