"""Big digits for a countdown the back of the room can read, drawn with block characters.

Textual's `Digits` are three rows high. These are drawn from a 3x5 pixel font
at whatever size fits: as termdown does, the largest layout that fits the
space is chosen, from big square pixels down to plain text. Each pixel is a
number of columns wide and of half-rows high (`▀ ▄ █`), so the height grows in
half-rows and the digits fill the space closely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
}
FONT_HEIGHT = 5
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


@dataclass(frozen=True)
class Layout:
    """A pixel `width` columns wide and `height` half-rows high."""

    width: int
    height: int

    def rows(self) -> int:
        return math.ceil(FONT_HEIGHT * self.height / 2)


def units(text: str) -> int:
    """The text's width in pixels, one pixel of space between glyphs."""
    glyphs = [FONT.get(ch, FONT[" "]) for ch in text]
    return sum(len(glyph[0]) for glyph in glyphs) + max(len(glyphs) - 1, 0)


def best_layout(text: str, columns: int, rows: int) -> Layout | None:
    """The biggest layout of `text` that fits; None when even the smallest does not.

    Pixels are at most square (a half-row is about as tall as a column is wide)
    and at least half as wide as they are tall, so the digits keep their shape.
    """
    needed = units(text)
    if needed == 0:
        return None
    for height in range(max(2 * rows // FONT_HEIGHT, 0), 0, -1):
        fit = columns // needed
        width = min(fit, height)
        if width >= max(math.ceil(height / 2), 1):
            return Layout(width, height)
    return None


def render(text: str, layout: Layout) -> list[str]:
    """The lines of `text` drawn big in `layout`."""
    pixel_rows: list[list[bool]] = [[] for _ in range(FONT_HEIGHT)]
    for index, ch in enumerate(text):
        glyph = FONT.get(ch, FONT[" "])
        for row in range(FONT_HEIGHT):
            if index:
                pixel_rows[row].append(False)
            pixel_rows[row].extend(cell == "#" for cell in glyph[row])
    # Scale: each pixel row becomes `height` half-rows, each pixel `width` columns.
    half_rows = [
        [pixel for pixel in row for _ in range(layout.width)] for row in pixel_rows for _ in range(layout.height)
    ]
    if len(half_rows) % 2:
        half_rows.append([False] * len(half_rows[0]))
    return [
        "".join(HALF_BLOCKS[(top, bottom)] for top, bottom in zip(half_rows[i], half_rows[i + 1]))
        for i in range(0, len(half_rows), 2)
    ]
