"""Workarounds for Textual bugs, in one place, each naming the upstream issue.

Remove a workaround when Textual fixes its bug: `tests/app/test_upstream.py`
holds a strict expected-failure test for each, driving plain Textual the way a
terminal does. The day Textual is fixed that test passes unexpectedly, fails
the suite, and says which workaround can go.

1. Editing keys overtaken by typing (Textual issue 6605, fix proposed in pull
   request 6631). `Input` and `TextArea` insert printable keys in `_on_key`
   but run their editing keys (Backspace, Delete, arrows, Home/End, ctrl+w,
   ctrl+u, ctrl+k...) as bindings, which run only once the key has bubbled
   up to the app. Characters typed after an editing key reach the widget
   first, so in a burst `abc⌫d` became `abcd`, `!Mark: test b⌫abcd` lost
   its `a`. `KeysInOrder` runs the widget's own bindings inline, in
   `_on_key`, in order with the characters (what pull request 6631 does
   inside Textual). Every input of the app gets it through `screens.inputs`.

2. An escape character inside a bracketed paste (no upstream issue yet: the
   parser's escape-sequence reader does not add what it reads to the paste
   buffer). Textual's parser ends the paste's text at an ESC and turns
   everything after it, up to the next ESC, into key presses: `xyz␛[2Jqrs`
   arrived as the keys `^[2Jqrs` followed by the paste `xyz`, and an OSC 52
   sequence inside a paste pressed ctrl+g. `PasteSafeParser` takes each
   bracketed paste whole off the input stream before Textual's parser sees
   it, removes its escape sequences and control characters (keeping line
   breaks and tabs), and hands the parser the cleaned paste, so it arrives
   as one `Paste` event, in order, and nothing in it acts as a key.

3. A dialog's dimmed background costs a new style per character cell on every
   frame (no upstream issue: a cost, not a bug). A `ModalScreen` with a
   translucent background renders the screen beneath through
   `BackgroundScreen`, whose `process_segments` blends each segment's colours
   into new `Style` objects, for every segment of every frame: about half
   the work of opening a dialog over the run screen. The screen beneath uses
   a few dozen styles, so `MemoTint` blends each style once per tint colour
   and reuses it (with upstream's own blending, so the result is the same
   to the cell). It is also a Textual `Visual`, which keeps each tinted line
   while the line beneath is unchanged: the screen beneath is drawn again
   whenever anything on it or on the dialog changes (a dialog opening does
   that five times), and Rich's render, crop and split of the whole screen
   each time was most of what opening a dialog cost. `memo_tints()` puts it
   where `textual.screen` looks for it.
"""

from __future__ import annotations

import importlib
import re
from typing import Iterable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual._xterm_parser import XTermParser
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual

# -- 1. editing keys in order (Textual issue 6605) ----------------------------------------


class KeysInOrder:
    """Mixin for a widget that edits text: its own key bindings run inline, when the key arrives.

    Workaround for Textual issue 6605 (see the module docstring). Put it before
    the Textual class in the bases, and call `run_own_binding` from `_on_key`
    before the widget's own handling of printable keys.
    """

    async def run_own_binding(self, event: events.Key) -> bool:
        """Run this widget's (non-priority) binding for the key now; True if one ran.

        What the app would run once the key had bubbled up to it: the focused
        widget is the first namespace of the binding chain, and priority bindings
        were already tried before the key was forwarded here. A binding whose
        action the widget refuses (`check_action`) is left to bubble as before.
        """
        from screens.textual_internals import bindings_of

        widget = self
        for binding in bindings_of(widget).key_to_bindings.get(event.key, ()):  # type: ignore[arg-type]
            if binding.priority:
                continue
            if await widget.app.run_action(binding.action, widget):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return True
        return False


# -- 2. escape characters inside a bracketed paste -----------------------------------------

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"

# A whole escape sequence (CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes), then
# any control character left: C0 except tab and line breaks, DEL, C1.
_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -~]?)"
    r"|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_paste(text: str) -> str:
    """A paste's text without escape sequences or control characters; line breaks and tabs kept."""
    text = _SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


class PasteSafeParser(XTermParser):
    """Textual's input parser, with bracketed pastes taken whole before it parses them.

    Outside a paste, input goes to Textual's parser as it arrives (so a lone Esc
    keeps its timing). Once the start marker has gone by, the paste is held until
    its end marker, cleaned, and given to the parser in one piece with the end
    marker: the parser then emits exactly one `Paste`, in its place among the keys.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._tail = ""
        """The last characters given to the parser outside a paste: a start marker may straddle two reads."""
        self._paste: list[str] | None = None
        """The paste being held, in pieces; None outside a paste."""
        self._scanned = 0
        """How far the held paste has been searched for its end marker."""

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            if self._paste is not None:
                held = "".join(self._paste)
                self._paste = None
                yield from super().feed(clean_paste(held) + PASTE_END)
            yield from super().feed(data)
            return
        while data:
            if self._paste is None:
                seen = self._tail + data
                start = seen.find(PASTE_START)
                if start < 0:
                    self._tail = seen[-(len(PASTE_START) - 1) :]
                    yield from super().feed(data)
                    return
                # Up to the end of the start marker goes to the parser as it is.
                cut = start + len(PASTE_START) - len(self._tail)
                yield from super().feed(data[:cut])
                data = data[cut:]
                self._tail = ""
                self._paste = []
                self._scanned = 0
                continue
            self._paste.append(data)
            held = "".join(self._paste)
            end = held.find(PASTE_END, max(0, self._scanned - len(PASTE_END)))
            if end < 0:
                self._paste = [held]
                self._scanned = len(held)
                return
            self._paste = None
            yield from super().feed(clean_paste(held[:end]) + PASTE_END)
            data = held[end + len(PASTE_END) :]


_DRIVER_MODULES = (
    "textual.drivers.linux_driver",
    "textual.drivers.linux_inline_driver",
    "textual.drivers.win32",
)


def guard_pastes() -> list[str]:
    """Make Textual's terminal drivers read input with `PasteSafeParser`; returns the modules changed.

    The drivers build their parser by the name `XTermParser` from their own
    module, so that name is what is replaced (a driver module that cannot be
    imported on this system, such as win32 on Linux, is left alone).
    """
    changed = []
    for name in _DRIVER_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception:  # another operating system's driver
            continue
        if getattr(module, "XTermParser", None) in (XTermParser, PasteSafeParser):
            module.XTermParser = PasteSafeParser  # type: ignore[attr-defined]
            changed.append(name)
    return changed


# -- 3. a dialog's dimmed background, blended once per style --------------------------------

_TINT_CACHE_LIMIT = 4096
"""Styles kept per tint colour (a screen uses a few dozen; the limit only bounds a pathological one)."""


class MemoTint(BackgroundScreen, Visual):
    """`BackgroundScreen` that blends each distinct style once per colour, and keeps each tinted
    line while the line beneath is unchanged (see the module docstring)."""

    _tints: dict[Color, dict[Style | None, Style]] = {}
    _lines: dict[tuple[object, ...], Strip] = {}

    # As a Visual: the screen beneath, drawn line by line (what `RichVisual` did through Rich's
    # console, with the base style laid under each segment as Textual's `_Styled` does).

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        screen = self.screen
        size = screen.size
        lines = screen._compositor.render_strips(Size(size.width, size.height if height is None else height))
        base = style.rich_style
        memo = self._lines
        if len(memo) > _TINT_CACHE_LIMIT:
            memo.clear()
        strips = []
        for line in lines:
            segments = tuple(line)
            key = (self.color, base, width, segments)
            tinted = memo.get(key)
            if tinted is None:
                tinted = Strip(
                    [Segment(text, base + tint if tint is not None else base, None)
                     for text, tint, _ in self.process_segments(segments, self.color)]
                ).crop(0, width)
                memo[key] = tinted
            strips.append(tinted)
        return strips

    def get_optimal_width(self, rules, container_width: int) -> int:
        return container_width

    def get_height(self, rules, width: int) -> int:
        return self.screen.size.height

    @classmethod
    def process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        tints = cls._tints.get(color)
        if tints is None or len(tints) > _TINT_CACHE_LIMIT:
            tints = cls._tints[color] = {}
        blend = super().process_segments
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            tinted = tints.get(style)
            if tinted is None:
                # Upstream's own blending, for one cell of this style.
                tinted = next(iter(blend([Segment(" ", style)], color))).style or Style()
                tints[style] = tinted
            yield Segment(text, tinted)


def memo_tints() -> bool:
    """Make modal screens dim what is beneath them with `MemoTint`; False if Textual changed
    so that it no longer can (then dialogs dim as before, only more slowly)."""
    import textual.screen

    if getattr(textual.screen, "BackgroundScreen", None) not in (BackgroundScreen, MemoTint):
        return False
    textual.screen.BackgroundScreen = MemoTint  # type: ignore[misc]
    return True
