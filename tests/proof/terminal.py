"""A real `facilitate` process in a pseudo-terminal, driven by keystrokes.

Used by the crash tests: it types like a person (a few milliseconds per key),
can be killed with SIGKILL at any moment, and drains the terminal output so
the app never blocks on a full pty buffer.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KEYS = {
    "enter": "\r",
    "ctrl+s": "\x13",
    "ctrl+q": "\x11",
    "ctrl+f": "\x06",
    "ctrl+n": "\x0e",
    "right": "\x1b[C",
    "down": "\x1b[B",
    "space": " ",
}


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1]), **env}
        full_env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "facilitate", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.output = bytearray()
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

    def wait_for_output(self, text: str, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while time.monotonic() < deadline:
            if needle in self.output:
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def type(self, text: str, delay: float = 0.004) -> None:
        for char in text:
            self._write(char.encode())
            time.sleep(delay)

    def press(self, *keys: str, delay: float = 0.05) -> None:
        for key in keys:
            self._write(KEYS.get(key, key).encode())
            time.sleep(delay)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.close()

    def close(self) -> None:
        try:
            os.close(self.master)
        except OSError:
            pass

    def wait(self, timeout: float = 10.0) -> int:
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.close()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
