"""A real `facilitate` process in a pseudo-terminal, driven by keystrokes.

Used by the crash tests: it types like a person (a few milliseconds per key),
can be killed with SIGKILL at any moment, and drains the terminal output so
the app never blocks on a full pty buffer. `runs` reads that output back as
what the screen showed: Textual redraws a changed line by moving the cursor
to it and writing its text, so each write is one (row, column, text) run.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "backspace": "\x7f",
    "ctrl+s": "\x13",
    "ctrl+q": "\x11",
    "ctrl+f": "\x06",
    "ctrl+n": "\x0e",
    "ctrl+t": "\x14",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "down": "\x1b[B",
    "space": " ",
}

# Cursor moves, colours and modes; and operating-system commands (titles).
_ESCAPE = re.compile(rb"\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")


class Deadline(Exception):
    """The moment chosen for the kill has come."""


@dataclass(frozen=True)
class Run:
    """Text written at one place on the screen in one go."""

    row: int
    col: int
    text: str


def runs(data: bytes) -> list[Run]:
    """The text runs in a stretch of terminal output, with where each was written (1-based)."""
    result: list[Run] = []
    row = col = 0
    chunk = bytearray()

    def close() -> None:
        if chunk:
            result.append(Run(row, col, chunk.decode("utf-8", "replace")))
            chunk.clear()

    position = 0
    for match in _ESCAPE.finditer(data):
        text = data[position : match.start()]
        position = match.end()
        for line_number, piece in enumerate(text.split(b"\r\n")):
            if line_number:
                close()
                row, col = row + 1, 1
            chunk.extend(piece.replace(b"\r", b"").replace(b"\n", b""))
        if match.group(2) == b"H":  # cursor position: a new run starts here
            close()
            params = match.group(1).split(b";")
            row = int(params[0] or 1) if params and params[0].isdigit() else 1
            col = int(params[1] or 1) if len(params) > 1 and params[1].isdigit() else 1
    tail = data[position:]
    for line_number, piece in enumerate(tail.split(b"\r\n")):
        if line_number:
            close()
            row, col = row + 1, 1
        chunk.extend(piece)
    close()
    return result


def plain(data: bytes) -> str:
    """The text in a stretch of output, one run a line."""
    return "\n".join(run.text for run in runs(data))


class Terminal:
    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        size: tuple[int, int] = (80, 24),
        umask: int = -1,
        command: list[str] | None = None,
    ) -> None:
        """Run `facilitate ARGS` (or `command`, another program) in a new pseudo-terminal."""
        self.size = size
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1]), **env}
        full_env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "facilitate", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,
            umask=umask,
        )
        os.close(slave)
        self.output = bytearray()
        self._screen = None
        self._stream = None
        self._fed = 0
        self.deadline = float("inf")
        """When set, typing and waiting raise `Deadline` once this monotonic time passes."""
        self._closed = False
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output.extend(data)
            # Answer the terminal queries Textual makes, as a real terminal would.
            if b"\x1b[c" in data:
                self._write(b"\x1b[?62;22c")

    def _write(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    # -- time ------------------------------------------------------------------------

    def _check(self) -> None:
        if time.monotonic() >= self.deadline:
            raise Deadline

    def sleep(self, seconds: float) -> None:
        """Sleep, but no later than the deadline."""
        end = time.monotonic() + seconds
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                raise Deadline
            if now >= end:
                return
            time.sleep(min(end, self.deadline) - now)

    def wait_for_output(self, text: str, timeout: float = 20.0, since: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while time.monotonic() < deadline:
            self._check()
            if needle in self.output[since:]:
                return True
            if self.process.poll() is not None:
                return needle in self.output[since:]
            time.sleep(0.01)
        return False

    def wait_for_text(self, pattern: str, timeout: float = 20.0, since: int = 0) -> re.Match[str] | None:
        """Wait until a run of screen text written after `since` matches `pattern`."""
        expression = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            self._check()
            if len(self.output) != seen:  # read again only what changed: the app needs the CPU
                seen = len(self.output)
                found = expression.search(plain(bytes(self.output[since:])))
                if found:
                    return found
            if self.process.poll() is not None:
                return expression.search(plain(bytes(self.output[since:])))
            time.sleep(0.02)
        return None

    # -- what the screen shows ------------------------------------------------------------

    def display(self) -> list[str]:
        """The screen as a terminal shows it now, line by line (a pyte screen fed the output)."""
        import pyte

        if self._screen is None:
            self._screen = pyte.Screen(*self.size)
            self._stream = pyte.ByteStream(self._screen)
        end = len(self.output)
        if end > self._fed:
            self._stream.feed(bytes(self.output[self._fed : end]))
            self._fed = end
        return list(self._screen.display)

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.display())

    def wait_for_screen(self, text: str, timeout: float = 30.0) -> bool:
        """Wait until the screen shows `text` (the whole screen as it is now, not past output)."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            self._check()
            if len(self.output) != seen:
                seen = len(self.output)
                if self.shows(text):
                    return True
            if self.process.poll() is not None:
                return self.shows(text)
            time.sleep(0.02)
        return False

    # -- keys --------------------------------------------------------------------------

    def type(self, text: str, delay: float = 0.004) -> None:
        for char in text:
            self._check()
            self._write(char.encode())
            time.sleep(delay)

    def send(self, data: bytes) -> None:
        """Bytes as the terminal would send them, in one write."""
        self._check()
        self._write(data)

    def press(self, *keys: str, delay: float = 0.05) -> None:
        for key in keys:
            self._check()
            self._write(KEYS.get(key, key).encode())
            time.sleep(delay)

    # -- ending --------------------------------------------------------------------------

    def kill(self) -> None:
        """SIGKILL the process (and anything it started), then read what it had written."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        # Output written before the kill is still in the pty: the screen showed it.
        self._reader.join(timeout=5)
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            os.close(self.master)
        except OSError:
            pass

    def wait(self, timeout: float = 10.0) -> int:
        try:
            code = self.process.wait(timeout=timeout)
            self._reader.join(timeout=5)
            return code
        finally:
            self.close()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
