"""Phones: a hundred devices joining and voting while the facilitator types.

The facilitator's app runs (headless, as the other keypress rows) with a Lean
Coffee at its dot vote, opened to phones (F12: the participants' server on the
app's own event loop, as in a real meeting). Another process simulates 100
phones on loopback: each signs in, holds the page's event stream open (reading
every state the app sends it), places a dot, and then keeps placing and
taking back dots every 2 to 4 seconds (about 33 a second: a hundred people placing three dots in ten seconds), every one an fsynced journal event
acknowledged to the phone. Meanwhile the facilitator types captures key by key.

Rows: the time for the 100 to join and have a dot acknowledged (≤ 10 s); the
app's keypress p95 with them against without them (≤ 1.2×), the two runs
alternated.

Real phones run on their own hardware; the simulated ones run on this machine.
Where the system allows it (Linux, two cores or more), the app is held to the
first core and the simulated phones to the others, for both runs alike, so that
the row measures what serving the phones costs the app, not the simulation's
own CPU taking the app's core.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import Row, Settings, percentile, row

DEVICES = 100
CLIENT = """
import asyncio, random, secrets, sys, time, aiohttp

async def device(base, token, n, started, joined):
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)) as s:
        headers = {"Origin": base.rstrip("/")}
        async with s.post(base + "join", json={"t": token, "name": f"Phone {n:03d}", "key": secrets.token_hex(8)},
                          headers=headers) as r:
            assert r.status == 200, r.status
            data = await r.json()
        headers["X-CSRF-Token"] = data["csrf"]
        topic = data["segment"]["topics"][0]["id"]
        watching = asyncio.ensure_future(watch(s, base))
        first = True
        what = "dot"
        while True:
            body = {"what": what, "fields": {"topic": topic}, "key": secrets.token_hex(8)}
            async with s.post(base + "send", json=body, headers=headers) as r:
                await r.read()
                if r.status == 200:
                    what = "undot" if what == "dot" else "dot"
                    if first:
                        first = False
                        joined.append(time.perf_counter() - started)
                        if len(joined) == len(joined.total):
                            print(f"joined {max(joined):.3f}", flush=True)
            await asyncio.sleep(random.uniform(2.0, 4.0))

async def watch(s, base):
    # the page's event stream, as a phone holds it: every state the app sends, read
    async with s.get(base + "events", timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as r:
        async for _ in r.content.iter_any():
            pass

class Joined(list):
    pass

async def main(base, token, count):
    joined = Joined()
    joined.total = range(count)
    started = time.perf_counter()
    await asyncio.gather(*(device(base, token, n, started, joined) for n in range(count)))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def _config(db_path: Path, clock):
    from facilitate.config import Config

    return Config(db_path=db_path, clock=clock, bell=False, rng=random.Random(3), animate=False, phones_port=0)


async def _typing(folder: Path, keys: int, phones: bool) -> tuple[list[float], float | None]:
    """Keypress latencies in the facilitator's app, with 100 phones voting or without; and how long
    the phones took to join and have a dot acknowledged."""
    from bench.metrics.keypress import FrameWatch
    from facilitate.clock import FakeClock
    from screens.app import make_app
    from tests.app.formats_pilot import arrive, plan_with

    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    app = make_app(_config(folder / "archive.json", clock))
    latencies: list[float] = []
    joined = None
    client = None
    async with app.run_test(size=(110, 34)) as pilot:
        await plan_with(pilot, "lean-coffee")
        await arrive(pilot, "Asha Patel", "Ben Ode")
        app.session.lean_coffee.add_topic("Winter pressures")
        await pilot.press("f5")  # the dot vote
        if phones:
            await pilot.press("f12")
            for _ in range(500):
                await pilot.pause(0.01)
                if app.phones.running:
                    break
            await pilot.press("escape")
            server = app.phones.server
            base = f"http://127.0.0.1:{server.port}/"
            client = await asyncio.create_subprocess_exec(
                sys.executable, "-c", CLIENT, base, server.token, str(DEVICES), stdout=asyncio.subprocess.PIPE,
                **({"preexec_fn": _phones_cores} if _separate_cores() else {}),  # type: ignore[arg-type]
            )
            line = (await asyncio.wait_for(client.stdout.readline(), 120)).decode()
            joined = float(line.split()[1]) if line.startswith("joined") else None
        watch = FrameWatch(app)
        cycle = 0
        try:
            while len(latencies) < keys:
                cycle += 1
                for key in [*f"=d{cycle}", "enter"]:
                    await pilot.pause()
                    took = await watch.press(key)
                    if took is not None:
                        latencies.append(took * 1000)
        finally:
            if client is not None:
                client.kill()
                await client.wait()
    return latencies, joined


_APP_CORE = 0


def _separate_cores() -> bool:
    return hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2 and _APP_CORE in os.sched_getaffinity(0)


def _phones_cores() -> None:
    """In the simulated phones' process, before it starts: every core but the app's."""
    if _separate_cores():
        os.sched_setaffinity(0, os.sched_getaffinity(0) - {_APP_CORE} or os.sched_getaffinity(0))


def run(settings: Settings) -> list[Row]:
    keys = 80 if settings.quick else 150
    rounds = 1 if settings.quick else 2
    quiet: list[float] = []
    busy: list[float] = []
    joins: list[float] = []
    separate = _separate_cores()
    cores = os.sched_getaffinity(0) if separate else set()
    with tempfile.TemporaryDirectory(prefix="phones-bench-", dir=os.environ.get("TMPDIR")) as tmp:
        folder = Path(tmp)
        if separate:
            os.sched_setaffinity(0, {_APP_CORE})  # the app (and the threads it starts) on one core
        try:
            _runs(folder, rounds, keys, quiet, busy, joins)
        finally:
            if separate:
                os.sched_setaffinity(0, cores)
    where = "the simulated phones on other cores than the app's" if separate else "the phones on the app's cores"
    return [
        row(f"{DEVICES} phones join and have a dot acknowledged (fsynced), slowest of {len(joins)} runs",
            max(joins) if joins else float("nan"), "s", max_value=10.0,
            note=f"on loopback, while the app runs its meeting; {where}"),  # fmt: skip
        row(f"Keypress p95 while {DEVICES} phones vote ({len(busy)} keys)", percentile(busy, 95), "ms",
            baseline=percentile(quiet, 95), baseline_name="without them", max_ratio=1.2,
            note=f"p50 {percentile(busy, 50):.1f} against {percentile(quiet, 50):.1f} ms; "
                 "each phone places or takes back a dot every 2 to 4 s (about 33 a second) "
                 "and holds its event stream open"),  # fmt: skip
    ]


def _runs(folder: Path, rounds: int, keys: int, quiet: list[float], busy: list[float], joins: list[float]) -> None:
    """Without the phones, then with them, `rounds` times; latencies and join times appended."""
    for number in range(rounds):
        (folder / f"quiet{number}").mkdir()
        quiet += asyncio.run(_typing(folder / f"quiet{number}", keys, False))[0]
        (folder / f"phones{number}").mkdir()
        latencies, joined = asyncio.run(_typing(folder / f"phones{number}", keys, True))
        busy += latencies
        if joined is not None:
            joins.append(joined)
