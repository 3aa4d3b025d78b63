"""The text inputs every screen uses: keys taken in order, pastes whole, typed text kept as typed.

Every `Input` and `TextArea` in `screens/` is one of these (a test checks).
They differ from Textual's in three ways:

- Editing keys (Backspace, Delete, arrows, Home/End, ctrl+w, ctrl+u, ctrl+k...)
  run in order with the characters typed around them: see `screens.upstream`
  (Textual issue 6605).
- A typed character is kept whenever the same character pasted would be:
  Textual inserts only what `str.isprintable` accepts, which drops a typed
  zero-width joiner (a family emoji became four people), a zero-width
  non-joiner (Persian words changed spelling), a no-break space.
- A paste keeps all its text: a single-line input joins its lines with " / "
  (Textual's keeps the first line and drops the rest), without control
  characters.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.widgets import Input, TextArea

from facilitate.text import pasted_line
from screens.textual_internals import replace_as_typed, restart_blink
from screens.upstream import KeysInOrder, clean_paste

_NEVER_TEXT = {"Cc", "Cs"}
"""Unicode categories a key's character is never inserted from: controls and lone surrogates."""


def typed_text(event: events.Key) -> str | None:
    """The text a key types, or None for a key that edits or commands."""
    character = event.character
    if event.is_printable:
        return character
    if character and len(character) == 1 and unicodedata.category(character) not in _NEVER_TEXT:
        # Format and combining characters, other spaces: what str.isprintable refuses.
        return character
    return None


class OrderedInput(KeysInOrder, Input):
    """A one-line input whose keys are taken in the order they were typed."""

    # Textual calls `_on_key` of each class up the inheritance chain until one
    # prevents the default: a subclass's handler runs first, then this one, then
    # Input's, which inserts printable characters (before any binding, as in Textual).

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return
        if await self.run_own_binding(event):
            restart_blink(self)
            return
        text = typed_text(event)
        if text is not None:
            event.stop()
            event.prevent_default()
            restart_blink(self)
            self._insert(text)

    def _insert(self, text: str) -> None:
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        line, _count = pasted_line(clean_paste(event.text))
        if line:
            self._insert(line)


class OrderedTextArea(KeysInOrder, TextArea):
    """A multi-line text area whose keys are taken in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable or event.key in ("enter", "tab", "escape"):
            return  # TextArea's own handler: characters, a new line, indenting
        if await self.run_own_binding(event):
            restart_blink(self)
            return
        text = typed_text(event)
        if text is not None and not self.read_only:
            event.stop()
            event.prevent_default()
            restart_blink(self)
            replace_as_typed(self, text, *self.selection)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        text = clean_paste(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        if text and (result := replace_as_typed(self, text, *self.selection)):
            self.move_cursor(result.end_location)
