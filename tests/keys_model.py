"""What the keys typed into the capture line should produce: a model of the line, for the tests.

`LineModel` follows Textual's Input for the editing keys the capture line
takes (characters, Backspace, Delete, the arrows, Home/End, ctrl+w, ctrl+u,
ctrl+k, ctrl+←/→) and the capture line's own rules: Enter captures a line with
words in it and empties the line; on the empty line space pauses the clock
and is not typed. `random_burst` makes the keys of one capture, choosing each
key so that it types or edits (never a key that would act on the meeting).
The Pilot tests (Hypothesis) and the real-terminal harness both check the app
against it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

EDIT_KEYS = ["backspace", "delete", "left", "right", "home", "end", "ctrl+w", "ctrl+u", "ctrl+k", "ctrl+left", "ctrl+right"]
"""Editing keys, as Textual names them."""

TERMINAL = {
    "enter": "\r",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "left": "\x1b[D",
    "right": "\x1b[C",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "ctrl+w": "\x17",
    "ctrl+u": "\x15",
    "ctrl+k": "\x0b",
    "ctrl+left": "\x1b[1;5D",
    "ctrl+right": "\x1b[1;5C",
    "tab": "\t",
    "escape": "\x1b",
    "down": "\x1b[B",
    "up": "\x1b[A",
    "ctrl+s": "\x13",
    "ctrl+y": "\x19",
    "ctrl+f": "\x06",
    "ctrl+n": "\x0e",
    "space": " ",
}
"""What a terminal sends for each key."""

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
TEXT = LETTERS * 3 + " .,:;'()/&%#@_" + "éßøŁ" + "مريم" + "\u200d\u200c\u0301"
"""Characters typed: never + - ! = * \\ ? (they change what a line captures, or open help)."""
_WORD_START = re.compile(r"(?<=\W)\w")


@dataclass
class LineModel:
    value: str = ""
    cursor: int = 0
    captured: list[str] = field(default_factory=list)

    def press(self, key: str) -> None:
        """One key: a character (one code point) or a key name from EDIT_KEYS, "enter" or "space"."""
        value, cursor = self.value, self.cursor
        if key == "space":
            key = " "
        if len(key) == 1:
            if key == " " and not value:
                return  # the empty line's space pauses the clock
            self.value = value[:cursor] + key + value[cursor:]
            self.cursor = cursor + 1
        elif key == "enter":
            if value.strip():
                self.captured.append(value.strip())
                self.value, self.cursor = "", 0
        elif key == "backspace":
            if cursor:
                self.value, self.cursor = value[: cursor - 1] + value[cursor:], cursor - 1
        elif key == "delete":
            self.value = value[:cursor] + value[cursor + 1 :]
        elif key == "left":
            self.cursor = max(0, cursor - 1)
        elif key == "right":
            self.cursor = min(len(value), cursor + 1)
        elif key == "home":
            self.cursor = 0
        elif key == "end":
            self.cursor = len(value)
        elif key == "ctrl+u":
            self.value, self.cursor = value[cursor:], 0
        elif key == "ctrl+k":
            self.value = value[:cursor]
        elif key in ("ctrl+w", "ctrl+left"):
            hits = list(_WORD_START.finditer(value[:cursor]))
            target = hits[-1].start() if hits else 0
            if key == "ctrl+w":
                self.value = value[:target] + value[cursor:]
            self.cursor = target
        elif key == "ctrl+right":
            hit = _WORD_START.search(value[cursor:])
            self.cursor = len(value) if hit is None else cursor + hit.start()
        else:  # pragma: no cover - a key the model does not know
            raise ValueError(key)

    def allows(self, key: str) -> bool:
        """Whether `key` would type or edit here (and not act on the meeting or change the line's kind)."""
        if key in (" ", "space"):
            return bool(self.value)
        if key == "enter":
            return bool(self.value.strip())
        return True


def random_burst(rng: random.Random, model: LineModel, length: int, edit_rate: float = 0.3) -> list[str]:
    """The keys of one capture: `length` keys of typing and editing, then Enter; `model` follows them."""
    keys: list[str] = []
    while len(keys) < length or not model.value.strip():
        if rng.random() < edit_rate and model.value:
            key = rng.choice(EDIT_KEYS)
        else:
            key = rng.choice(TEXT)
            if not model.value and not key.isalnum():
                key = rng.choice(LETTERS)
        if not model.allows(key):
            continue
        model.press(key)
        keys.append(key)
        if len(keys) > length * 4:
            break
    if not model.value.strip():
        for key in "note":
            model.press(key)
            keys.append(key)
    model.press("enter")
    keys.append("enter")
    return keys


def terminal_bytes(key: str) -> bytes:
    """What the terminal sends for a key (a character as its UTF-8 bytes)."""
    return TERMINAL.get(key, key).encode("utf-8")
