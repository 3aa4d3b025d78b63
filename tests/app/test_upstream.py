"""The upstream workarounds in `screens/upstream.py`: each works, and each is still needed.

The strict expected failures drive plain Textual the way a terminal delivers
input. When Textual fixes a bug its test passes, `strict=True` turns that into
a failure, and the workaround it names can be removed.
"""

from __future__ import annotations

import inspect

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from screens.inputs import OrderedInput, OrderedTextArea
from screens.upstream import PASTE_END, PASTE_START, PasteSafeParser, clean_paste, guard_pastes
from tests.app.pilot import wait_until_quiet

# Typed as one burst: every key queued before the app handles the first.
BURST = [
    ("b", "b"), ("a", "a"), ("backspace", None), ("c", "c"),  # "bc"
    ("left", None), ("left", None), ("x", "x"),  # "xbc"
    ("end", None), ("ctrl+w", None), ("y", "y"),  # "y"
    ("home", None), ("delete", None), ("z", "z"), ("q", "q"),  # "zq"
]  # fmt: skip
BURST_RESULT = "zq"


class OneInput(App):
    def __init__(self, kind) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="field")


async def burst_into(kind, keys=BURST) -> str:
    app = OneInput(kind)
    async with app.run_test() as pilot:
        field = app.query_one("#field")
        for key, character in keys:
            app.post_message(events.Key(key, character))
        await wait_until_quiet(pilot)
        return field.value if hasattr(field, "value") else field.text


async def test_ordered_input_takes_a_burst_of_editing_keys_in_order():
    assert await burst_into(OrderedInput) == BURST_RESULT


@pytest.mark.xfail(strict=True, reason="Textual issue 6605: Input's editing keys are overtaken by typed characters")
async def test_upstream_input_keeps_editing_keys_in_order():
    """Passes once Textual runs Input's bindings in order: then remove KeysInOrder from screens/upstream.py."""
    assert await burst_into(Input) == BURST_RESULT


TEXTAREA_BURST = [("a", "a"), ("b", "b"), ("left", None), ("x", "x"), ("end", None), ("c", "c")]


async def test_ordered_text_area_takes_a_burst_in_order():
    assert await burst_into(OrderedTextArea, TEXTAREA_BURST) == "axbc"


@pytest.mark.xfail(strict=True, reason="Textual issue 6605: TextArea's cursor keys are overtaken by typed characters")
async def test_upstream_text_area_keeps_cursor_keys_in_order():
    assert await burst_into(TextArea, TEXTAREA_BURST) == "axbc"


@pytest.mark.parametrize("character", ["\u200d", "\u200c", "\u0301", "\u00a0", "\ufe0f", "\u20dd"])
async def test_typed_format_and_combining_characters_are_kept(character):
    keys = [("a", "a"), ("key", character), ("b", "b")]
    assert await burst_into(OrderedInput, keys) == "a" + character + "b"


async def test_a_typed_family_emoji_stays_one_family():
    family = "👨\u200d👩\u200d👧\u200d👦"
    keys = [(ch if ch.isprintable() else "zero_width_joiner", ch) for ch in family] + [("q", "q")]
    assert await burst_into(OrderedInput, keys) == family + "q"


# -- pastes ------------------------------------------------------------------------------------


def parse(parser, *chunks: str) -> list:
    tokens = []
    for chunk in chunks:
        tokens.extend(parser.feed(chunk))
    return tokens


def described(tokens) -> list[tuple[str, str]]:
    result = []
    for token in tokens:
        if isinstance(token, events.Paste):
            result.append(("paste", token.text))
        elif isinstance(token, events.Key):
            result.append(("key", token.key))
    return result


HOSTILE_PASTE = "xyz\x1b[2Jqrs"
OSC_52_PASTE = "copy \x1b]52;c;aGVsbG8=\x07 this"


@pytest.mark.xfail(strict=True, reason="Textual's parser turns the text after an ESC inside a paste into key presses")
def test_upstream_parser_keeps_a_paste_with_an_escape_whole():
    """Passes once Textual's parser keeps the paste whole: then remove PasteSafeParser."""
    tokens = parse(XTermParser(), "a" + PASTE_START + HOSTILE_PASTE + PASTE_END + "b")
    assert [kind for kind, _ in described(tokens)] == ["key", "paste", "key"]


@pytest.mark.parametrize("text", [HOSTILE_PASTE, OSC_52_PASTE, "line one\nline two\x07", "\x9b31mred"])
def test_a_paste_arrives_whole_clean_and_in_order(text):
    stream = "a" + PASTE_START + text + PASTE_END + "b"
    expected = [("key", "a"), ("paste", clean_paste(text)), ("key", "b")]
    assert described(parse(PasteSafeParser(), stream)) == expected
    # However the terminal's writes cut it up.
    for size in (1, 2, 3, 5, 7):
        chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
        assert described(parse(PasteSafeParser(), *chunks)) == expected, size


def test_clean_paste_removes_escapes_and_controls_but_keeps_lines():
    assert clean_paste(HOSTILE_PASTE) == "xyzqrs"
    assert clean_paste(OSC_52_PASTE) == "copy  this"
    assert clean_paste("a\tb\nc\r\nd\x00e\x7f") == "a\tb\nc\r\nde"


def test_keys_outside_pastes_are_parsed_as_before():
    stream = "ab\x1b[A\x1b[3~\x7f" + PASTE_START + "p" + PASTE_END + "\x1b[B"
    assert described(parse(PasteSafeParser(), stream)) == described(parse(XTermParser(), stream))


def test_the_terminal_drivers_use_the_paste_safe_parser():
    import textual.drivers.linux_driver as linux_driver

    guard_pastes()
    assert linux_driver.XTermParser is PasteSafeParser


# -- 3. a dialog's dimmed background, blended once per style ------------------------------


def test_memo_tint_dims_exactly_as_upstream_does():
    from rich.segment import Segment
    from rich.style import Style
    from textual.color import Color
    from textual.renderables.background_screen import BackgroundScreen

    from screens.upstream import MemoTint

    styles = [
        None,
        Style(),
        Style(color="red"),
        Style(color="#102030", bgcolor="#fafafa", bold=True),
        Style(bgcolor="blue", link="https://example.org"),
        Style(color="green", meta={"@click": "app.bell"}),
    ]
    segments = [Segment(f"t{i}", style) for i, style in enumerate(styles * 3)]
    segments.append(Segment("\x1b[?25l", None, [(1,)]))  # a control segment passes as it is
    for color in (Color(0, 0, 0, 0.6), Color(255, 255, 255, 0.3), Color(0, 0, 0, 0)):
        expected = list(BackgroundScreen.process_segments(segments, color))
        assert list(MemoTint.process_segments(segments, color)) == expected
        assert list(MemoTint.process_segments(segments, color)) == expected  # from the cache


def test_dialogs_dim_their_background_with_memo_tint():
    """Fails when Textual no longer renders a translucent screen's background through
    `textual.screen.BackgroundScreen`: then `memo_tints` does nothing and can go, or move."""
    import textual.screen

    from screens.upstream import MemoTint, memo_tints

    assert memo_tints()
    assert textual.screen.BackgroundScreen is MemoTint
    assert "BackgroundScreen(" in inspect.getsource(textual.screen.Screen.render)


async def test_memo_tint_draws_the_screen_beneath_as_upstreams_rich_path_does():
    """As a Visual, MemoTint gives the same cells as upstream's `BackgroundScreen` rendered
    through Rich (`RichVisual`), and a line is drawn again when the screen beneath changes."""
    from textual.renderables.background_screen import BackgroundScreen
    from textual.screen import ModalScreen
    from textual.visual import RichVisual, Visual
    from textual.widgets import Label, Static

    from screens.upstream import MemoTint

    class Beneath(App):
        CSS = "Static { background: $primary 40%; } #b { color: red; text-style: bold; }"

        def compose(self) -> ComposeResult:
            yield Static("a line of text [on the screen beneath]", markup=False, id="a")
            yield Static("another, bold and red", id="b")

    class Dialog(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Label("over it")

    def cells(strips) -> list[list[tuple[str, object]]]:
        return [[(text, style) for text, style, _ in strip] for strip in strips]

    app = Beneath()
    async with app.run_test(size=(50, 8)) as pilot:
        base = app.screen
        dialog = Dialog()
        await app.push_screen(dialog)
        await pilot.pause()
        color = dialog.styles.background
        style = dialog.visual_style
        width, height = dialog.size

        def both():
            ours = Visual.to_strips(dialog, MemoTint(base, color), width, height, style)
            theirs = Visual.to_strips(dialog, RichVisual(dialog, dialog.post_render(BackgroundScreen(base, color), style.rich_style)), width, height, style)
            return ours, theirs

        ours, theirs = both()
        assert [strip.text for strip in ours] == [strip.text for strip in theirs]
        assert "a line of text [on the screen beneath]" in ours[0].text
        assert cells(ours) == cells(theirs)
        base.query_one("#a", Static).update("changed beneath")
        await pilot.pause()
        ours, theirs = both()
        assert "changed beneath" in ours[0].text
        assert cells(ours) == cells(theirs)
