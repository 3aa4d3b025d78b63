"""The key bar is rebuilt only when a key it shows changed (`screens.base.SteadyFooter`)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.base import SteadyFooter
from tests.app.pilot import wait_until_quiet


class Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        yield Label("a dialog")


class Keys(App):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+y", "open", "Open"), Binding("ctrl+t", "toggle", "Toggle")]
    pressable = True

    def compose(self) -> ComposeResult:
        yield Label("the screen")
        yield SteadyFooter()

    def action_open(self) -> None:
        self.push_screen(Dialog())

    def action_toggle(self) -> None:
        self.pressable = not self.pressable
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "open" and not self.pressable else True


def keys_shown(footer) -> list[tuple[str, bool]]:
    return [(key.description, key.has_class("-disabled")) for key in footer.query("FooterKey")]


async def test_closing_a_dialog_keeps_the_footers_keys_and_a_changed_key_rebuilds_them():
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await wait_until_quiet(pilot)
        footer = app.screen.query_one(SteadyFooter)
        first = list(footer.query("FooterKey"))
        assert [key for key, _ in keys_shown(footer)] == ["Open", "Toggle"]
        await pilot.press("ctrl+y")
        await wait_until_quiet(pilot)
        await pilot.press("escape")
        await wait_until_quiet(pilot)
        # The same keys: the same widgets, not a new set built and styled.
        assert list(footer.query("FooterKey")) == first
        await pilot.press("ctrl+t")
        await wait_until_quiet(pilot)
        assert keys_shown(footer) == [("Open", True), ("Toggle", False)]
        assert list(footer.query("FooterKey")) != first
