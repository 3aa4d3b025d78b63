"""Planning meetings of the richer formats by keys, for the format tests and snapshots."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.app.pilot import enter, paste, wait_archive


async def plan_with(pilot, *format_ids: str, title: str = "Open meeting", series: str = "East ICB") -> None:
    """Home → new meeting → an agenda of exactly these formats → start."""
    app = pilot.app
    await wait_archive(pilot)
    await pilot.press("n")
    await paste(pilot, title)
    await pilot.press("tab")
    await paste(pilot, series)
    app.screen.query_one("#agenda").focus()
    await pilot.pause()
    while app.screen.query_one("#agenda").segments:
        await pilot.press("x")
    for format_id in format_ids:
        await pilot.press("a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        position = [option.id for option in options._options].index(format_id)
        await pilot.press(*["down"] * position, "enter")
        await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def arrive(pilot, *people: str) -> None:
    for person in people:
        await enter(pilot, "+" + person)
