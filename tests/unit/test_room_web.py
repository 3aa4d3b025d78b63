"""The browser view's server: what it serves, what it refuses, and how it holds up (loopback only)."""

from __future__ import annotations

import asyncio
import re
from importlib import resources

import aiohttp
import pytest

from facilitate.clock import FakeClock
from facilitate.events import Data
from facilitate.room.feed import RoomFeed
from facilitate.room.state import room_state
from facilitate.web.address import candidates, usable
from facilitate.web.server import CSP, RoomServer, new_token
from tests.room_meetings import drive, start_meeting

TIMEOUT = aiohttp.ClientTimeout(total=10)


class Meeting:
    """A meeting in progress and the feed the server reads."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.session = start_meeting(self.clock, None)
        self.feed = RoomFeed(self.state)

    def state(self):
        return room_state(self.session.meeting, self.session.pending_time(), self.clock.wall())

    def change(self, line: str) -> None:
        self.session.capture(line)
        self.feed.publish()


@pytest.fixture
async def served():
    meeting = Meeting()
    server = RoomServer(meeting.feed, host="127.0.0.1", port=0)
    await server.start()
    try:
        yield meeting, server
    finally:
        await server.stop()


def base(server: RoomServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def read_event(stream: aiohttp.StreamReader, kind: str = "state") -> dict[str, str]:
    """The next event of `kind` on an event stream, as its fields."""
    while True:
        fields: dict[str, str] = {}
        while True:
            line = (await asyncio.wait_for(stream.readline(), 10)).decode().rstrip("\n")
            if not line:
                break
            name, _, value = line.partition(": ")
            fields[name] = value
        if fields.get("event") == kind:
            return fields


async def test_the_page_its_files_and_the_state_with_strict_headers(served):
    meeting, server = served
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        for path, kind in (("/", "text/html"), ("/room.js", "text/javascript"), ("/room.css", "text/css"),
                           ("/state", "application/json")):  # fmt: skip
            async with client.get(base(server) + path) as response:
                assert response.status == 200, path
                assert response.content_type == kind
                assert response.headers["Content-Security-Policy"] == CSP
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert response.headers["Referrer-Policy"] == "no-referrer"
                assert response.headers["Cache-Control"] == "no-store"
        async with client.get(base(server) + "/state") as response:
            state = await response.json()
        assert state["title"] == "East ICB open meeting"
        async with client.get(base(server) + "/nothing-here") as response:
            assert response.status == 404
            assert response.headers["Content-Security-Policy"] == CSP


def test_the_page_has_no_inline_script_or_style_and_the_script_no_html_sink():
    static = resources.files("facilitate.web").joinpath("static")
    html = static.joinpath("index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son\w+\s*=", html) == [] and " style=" not in html and "<style" not in html
    assert "http://" not in html and "https://" not in html, "nothing from elsewhere"
    script = static.joinpath("room.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script
    assert "textContent" in script


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_nothing_changes_anything(served, method):
    meeting, server = served
    before = meeting.session.meeting.to_dict()
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        for path in ("/", "/state", "/events"):
            async with client.request(method, base(server) + path, data=b"x=1") as response:
                assert response.status == 405
                assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "HEAD"}
    assert meeting.session.meeting.to_dict() == before


@pytest.mark.parametrize(
    "host, allowed",
    [("127.0.0.1:{port}", True), ("localhost:{port}", True), ("127.0.0.1", True), ("evil.example:{port}", False),
     ("127.0.0.1.evil.example:{port}", False), ("127.0.0.1:1", False), ("", False)],  # fmt: skip
)
async def test_the_host_header_must_name_this_server(served, host, allowed):
    meeting, server = served
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        async with client.get(base(server) + "/state", headers={"Host": host.format(port=server.port)}) as response:
            assert response.status == (200 if allowed else 421)


async def test_a_join_token_is_needed_for_the_page_the_state_and_the_events():
    meeting = Meeting()
    token = new_token()
    assert len(token) >= 22  # 128 bits, URL-safe
    server = RoomServer(meeting.feed, host="127.0.0.1", port=0, token=token)
    await server.start()
    try:
        assert server.url.endswith(f"/?t={token}")
        async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
            for path in ("/", "/state", "/events"):
                for query in ("", "?t=", "?t=" + token[:-1] + "x", "?t=" + token + "x"):
                    async with client.get(base(server) + path + query) as response:
                        assert response.status == 403, (path, query)
            async with client.get(base(server) + "/state?t=" + token) as response:
                assert response.status == 200
            async with client.get(base(server) + "/room.js") as response:
                assert response.status == 200, "the script holds nothing of the meeting"
    finally:
        await server.stop()


async def test_events_push_each_change_and_resume_from_the_last_id(served):
    meeting, server = served
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        async with client.get(base(server) + "/events") as response:
            assert response.content_type == "text/event-stream"
            first = await read_event(response.content)
            assert first["id"].endswith("-0")
            meeting.change("=We meet monthly")
            meeting.session.record(Data(segment=meeting.session.segment.id, key="room_record", value=True))
            meeting.feed.publish()
            second = await read_event(response.content)
            assert second["id"] != first["id"]
            assert "We meet monthly" in second["data"]
        last = second["id"]
        # Coming back with the last id: nothing is sent again until something changes.
        async with client.get(base(server) + "/events", headers={"Last-Event-ID": last}) as response:
            await read_event(response.content, "hello")
            meeting.change("=And quarterly reviews")
            third = await read_event(response.content)
            assert "quarterly" in third["data"]
            assert third["id"] != last


async def test_event_streams_are_bounded(served):
    meeting, server = served
    server.max_streams = 2
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        first = await client.get(base(server) + "/events")
        second = await client.get(base(server) + "/events")
        async with client.get(base(server) + "/events") as third:
            assert third.status == 503
        first.close()
        second.close()


async def raw(server: RoomServer, data: bytes) -> bytes:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", server.port), 5)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(4096), 5)
    finally:
        writer.close()


async def still_serving(server: RoomServer) -> None:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
        async with client.get(base(server) + "/state") as response:
            assert response.status == 200
            assert (await response.json())["status"] == "running"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"garbage\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: " + b"x" * 20000 + b"\r\n\r\n",
        b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"\x00\xff\x16\x03\x01\x02\x00",  # a TLS hello on the plain port
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
async def test_malformed_requests_are_refused_and_the_server_stays_up(served, request_bytes):
    meeting, server = served
    answer = await raw(server, request_bytes)
    assert answer == b"" or answer.startswith(b"HTTP/1.")
    assert not answer.startswith(b"HTTP/1.1 200"), answer[:200]
    await still_serving(server)


async def test_a_reader_that_never_reads_is_let_go(served):
    meeting, server = served
    server.write_timeout = 0.5
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    await writer.drain()
    # Never read: the notes pile up in the socket's buffers until a write cannot finish.
    for number in range(400):
        meeting.change(f"=Decision {number} " + "x" * 2000)
        meeting.session.record(Data(segment=meeting.session.segment.id, key="room_record", value=True))
        await asyncio.sleep(0)
        if server.streams == 0:
            break
        await asyncio.sleep(0.01)
    for _ in range(300):
        if server.streams == 0:
            break
        await asyncio.sleep(0.02)
    assert server.streams == 0
    writer.close()
    await still_serving(server)


async def connections_below(server: RoomServer, count: int) -> None:
    for _ in range(500):
        if len(server._runner.server.connections) < count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"connections stayed open: {len(server._runner.server.connections)}")


async def test_a_thousand_connection_attempts_and_the_connections_bounded(served):
    meeting, server = served
    server.max_connections = 50
    before = meeting.session.meeting.to_dict()

    async def attempt(number: int) -> None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", server.port), 5)
        except (OSError, asyncio.TimeoutError):
            return
        if number % 3 == 0:
            writer.write(b"GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        elif number % 3 == 1:
            writer.write(b"\x16\x03")
        writer.close()

    for batch in range(10):
        await asyncio.gather(*(attempt(batch * 100 + n) for n in range(100)))
    await connections_below(server, 1)
    # Held open and idle, more than the bound: the rest are told to come back later.
    held = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(60)]
    try:
        replies = []
        for reader, writer in held[50:]:
            replies.append(await asyncio.wait_for(reader.read(200), 5))
        assert all(reply.startswith(b"HTTP/1.1 503") for reply in replies)
        assert server.refused >= 10
    finally:
        for _, writer in held:
            writer.close()
    await connections_below(server, 50)
    await still_serving(server)
    assert meeting.session.meeting.to_dict() == before


async def test_ipv6_loopback():
    meeting = Meeting()
    server = RoomServer(meeting.feed, host="::1", port=0)
    try:
        await server.start()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
            async with client.get(f"http://[::1]:{server.port}/state") as response:
                assert response.status == 200
    finally:
        await server.stop()


def test_the_lan_address_is_the_physical_adapters_private_one():
    interfaces = [
        ("lo", True, ["127.0.0.1"]),
        ("docker0", True, ["172.17.0.1"]),
        ("tailscale0", True, ["100.101.102.103"]),
        ("wg0", True, ["10.8.0.2"]),
        ("vEthernet (WSL)", True, ["172.28.0.1"]),
        ("eth1", False, ["192.168.5.5"]),
        ("wlp2s0", True, ["169.254.3.3", "192.168.1.23"]),
        ("utun3", True, ["10.0.0.9"]),
    ]
    found = candidates(interfaces)
    assert [c.address for c in found] == ["192.168.1.23"]
    assert candidates([("Wi-Fi", True, ["10.1.2.3"]), ("Ethernet 2", True, ["172.20.1.2"])])[0].interface == "Ethernet 2"
    assert not usable("8.8.8.8") and not usable("127.0.0.1") and usable("192.168.0.10")


def test_feed_ids_differ_across_processes_and_changes():
    meeting = Meeting()
    other = RoomFeed(meeting.state)
    first, _ = meeting.feed.current()
    meeting.feed.publish()
    assert meeting.feed.current()[0] != first
    assert other.current()[0] != first


async def test_the_state_keeps_its_countdown_current_for_a_new_reader(served):
    meeting, server = served
    meeting.feed._clock = lambda: meeting.clock.monotonic()
    _, first = meeting.feed.current()
    meeting.clock.advance(5)
    _, again = meeting.feed.current()
    assert first != again
    drive(meeting.session, "round")
