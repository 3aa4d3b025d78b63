"""Simulated phones on loopback, for the phones' server tests, the kill trials and the benchmark."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Phone:
    """One device: its own cookie jar, its CSRF token, and the keys it has had answered."""

    base: str
    token: str
    name: str
    organisation: str = ""
    invited_by: str = ""
    session: aiohttp.ClientSession | None = None
    csrf: str = ""
    acknowledged: dict[str, str] = field(default_factory=dict)
    """key -> what was received (the result id)."""

    async def __aenter__(self) -> Phone:
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=aiohttp.ClientTimeout(total=30)
        )
        return self

    async def __aexit__(self, *exc) -> None:
        assert self.session is not None
        await self.session.close()

    @property
    def headers(self) -> dict[str, str]:
        return {"Origin": self.base.rstrip("/"), "Sec-Fetch-Site": "same-origin"}

    async def join(self, **extra: Any) -> tuple[int, dict]:
        assert self.session is not None
        body = {"t": self.token, "name": self.name, "organisation": self.organisation,
                "invited_by": self.invited_by, "key": new_key(), **extra}  # fmt: skip
        async with self.session.post(self.base + "join", json=body, headers=self.headers) as response:
            data = await response.json(content_type=None)
            if response.status == 200:
                self.csrf = data["csrf"]
            return response.status, data

    async def send(self, what: str, fields: dict[str, Any], key: str | None = None) -> tuple[int, dict]:
        assert self.session is not None
        key = key or new_key()
        headers = {**self.headers, "X-CSRF-Token": self.csrf}
        body = {"what": what, "fields": fields, "key": key}
        async with self.session.post(self.base + "send", json=body, headers=headers) as response:
            try:
                data = await response.json(content_type=None)
            except ValueError:
                data = {}
            if response.status == 200:
                self.acknowledged[key] = data["id"]
            return response.status, data

    async def me(self) -> tuple[int, dict]:
        assert self.session is not None
        async with self.session.get(self.base + "me") as response:
            return response.status, (await response.json(content_type=None) if response.status == 200 else {})


def new_key() -> str:
    return secrets.token_hex(12)
