"""The app is built with its services, and screens reach them through typed properties.

`make_app(config, archive=..., review=...)` uses the archive and review it is
given (as the CLI and the tests both build it); nothing keeps a service in a
module-level global. Screens reach the services as `self.archive`,
`self.review`, `self.session_in_progress`... (`screens.base.BaseScreen`),
never as untyped attributes of `self.app`: a check over every screen module's
syntax tree holds them to that.
"""

from __future__ import annotations

import ast
import inspect
import random
from datetime import datetime, timezone
from pathlib import Path

from textual.app import App

from facilitate.archive import Archive
from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.review import Review
from screens.app import FacilitateApp, make_app
from screens.history import HistoryScreen
from tests.app.pilot import until, wait_archive
from tests.unit.helpers import make_meeting

SCREENS = Path(__file__).resolve().parents[2] / "screens"


def facilitate_attributes() -> set[str]:
    """Every attribute the facilitate app adds to Textual's `App`: its services and its own state."""
    tree = ast.parse(inspect.getsource(FacilitateApp))
    names = set(vars(FacilitateApp))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            if isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {name for name in names if not name.startswith("__") and not hasattr(App, name)}


def reaches_into_the_app(source: str, forbidden: set[str]) -> list[tuple[int, str]]:
    """Where code reads or writes `<something>.app.<name>` (or `getattr(<something>.app, "name")`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in forbidden:
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "app":
                found.append((node.lineno, f".app.{node.attr}"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr"):
            if len(node.args) >= 2 and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "app":
                name = node.args[1]
                if isinstance(name, ast.Constant) and name.value in forbidden:
                    found.append((node.lineno, f"{node.func.id}(.app, {name.value!r})"))
    return sorted(found)


def test_the_services_are_what_the_check_looks_for():
    attributes = facilitate_attributes()
    assert {"archive", "review", "session", "config", "clock", "formats", "archive_state", "plan_draft"} <= attributes
    assert "push_screen" not in attributes and "notify" not in attributes, "Textual's own API stays reachable"


def test_the_check_finds_a_screen_reaching_into_the_app():
    source = 'x = self.app.archive.meeting("m")\nself.app.session = None\ny = getattr(self.app, "plan_draft", None)\n'
    assert [where for _, where in reaches_into_the_app(source, facilitate_attributes())] == [
        ".app.archive",
        ".app.session",
        "getattr(.app, 'plan_draft')",
    ]
    assert reaches_into_the_app("self.app.push_screen(s)\nself.archive.meeting('m')\n", facilitate_attributes()) == []


def test_no_screen_reaches_the_apps_services_untyped():
    forbidden = facilitate_attributes()
    offences = []
    for path in sorted(SCREENS.glob("**/*.py")):
        if path.name == "app.py" and path.parent == SCREENS:
            continue  # the app itself
        for line, where in reaches_into_the_app(path.read_text(encoding="utf-8"), forbidden):
            offences.append(f"{path.relative_to(SCREENS.parent)}:{line}: {where}")
    assert offences == [], "screens reach services through BaseScreen's typed properties:\n" + "\n".join(offences)


def config_for(tmp_path: Path) -> Config:
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    return Config(db_path=tmp_path / "archive.json", clock=clock, rng=random.Random(1), bell=False, animate=False)


def archive_with_a_meeting(path: Path) -> Archive:
    archive = Archive(path)
    meeting = make_meeting("open-conversation", title="Injected meeting")
    archive.save_meeting(meeting)
    return archive


async def test_make_app_uses_the_archive_and_review_it_is_given(tmp_path):
    config = config_for(tmp_path)
    archive = archive_with_a_meeting(config.db_path)
    review = Review()
    app = make_app(config, archive=archive, review=review)
    assert (app.archive, app.review) == (archive, review)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.archive_state == "ready", "the archive loaded")
        assert review.visit in archive.visitors, "the review distils each meeting as the archive reads it"
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.review_ready, "the history")
        screen = app.screen
        assert screen.archive is archive and screen.review is review
        assert [f.listing.title for f in review.meetings] == ["Injected meeting"]
        assert screen.config is config and screen.clock is config.clock and screen.formats is app.formats


async def test_each_app_has_its_own_review(tmp_path):
    config = config_for(tmp_path)
    archive_with_a_meeting(config.db_path)
    first, second = make_app(config), make_app(config)
    assert first.review is not second.review and first.archive is not second.archive
    assert first.archive.path == second.archive.path == config.db_path.resolve()


async def test_the_meeting_in_progress_is_the_apps(tmp_path):
    config = config_for(tmp_path)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_archive(pilot)
        screen = app.screen
        assert screen.session_in_progress is None
        await pilot.press("n")
        await until(pilot, lambda: app.screen is not screen, "the plan screen")
        plan = app.screen
        sentinel = object()
        plan.session_in_progress = sentinel  # type: ignore[assignment]
        assert app.session is sentinel and screen.session_in_progress is sentinel
        plan.session_in_progress = None
