"""Each screen looks the same whichever screens were opened before it.

Every screen's `.tcss` joins the app's one stylesheet when the screen is first
opened, and stays: an unscoped `#series { width: 24 }` on the actions screen
would change the history screen's series picker from then on. So every screen
and main dialog is drawn first in an app that has opened nothing else, then
again in an app that has opened all of them, and every widget's region and
styles must match. A second test reads the `.tcss` files themselves: every
rule starts with the type of the screen that loads the file.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from bench.generate import write_archive
from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.review import Review
from facilitate.session import MeetingSession
from screens.app import FacilitateApp, make_app
from screens.review_common import ChunkedTable, ReviewScreen
from tests.unit.helpers import make_meeting

SIZE = (110, 34)
TODAY = date(2026, 11, 26)

Opener = Callable[[FacilitateApp], Screen]


def session_for(app: FacilitateApp) -> MeetingSession:
    """The meeting in progress: a round with people in it, a few captures."""
    if app.session is None:
        meeting = make_meeting("check-in", "open-conversation", "lean-coffee", "check-out")
        session = MeetingSession.begin(meeting, app.clock, None, rng=random.Random(2))
        for line in ("+Asha Patel, Age UK", "+Ben Ode, NHS", "+Cai Jones, Council", "!Asha: call the team by fri"):
            session.capture(line)
        session.capture("=We meet monthly")
        app.session = session
    return app.session


def archived_meeting(app: FacilitateApp):
    return app.archive.meeting(app.archive.listings()[0].id)


def some_person(app: FacilitateApp):
    review = Review()
    review.refresh(app.archive)
    return review.people(app.archive.people(), TODAY)[0]


def _screens() -> dict[str, Opener]:
    from screens.actions import ActionsScreen
    from screens.dialogs import ConfirmDialog, ProposalForm, TextPrompt
    from screens.group import GroupScreen
    from screens.help import HelpScreen
    from screens.history import HistoryScreen
    from screens.kinds.lean_coffee import ThumbsVote
    from screens.kinds.matters import MatterDetail
    from screens.kinds.open_space import WhoTookPart
    from screens.kinds.round import SpeakingOrder
    from screens.people import PeopleScreen, PersonEditor
    from screens.plan import PlanScreen
    from screens.plan_dialogs import FormatPicker, SegmentEditor
    from screens.record import RecordScreen, SaveRecordDialog
    from screens.run import RunScreen
    from screens.run_dialogs import ActionForm, CapturedItems, PersonForm, WhoIsHere
    from screens.summary import SummaryScreen

    return {
        "plan": lambda app: PlanScreen(),
        "run": lambda app: RunScreen(session_for(app)),
        "summary": lambda app: SummaryScreen(archived_meeting(app), from_archive=True),
        "record": lambda app: RecordScreen(archived_meeting(app)),
        "history": lambda app: HistoryScreen(),
        "actions": lambda app: ActionsScreen(),
        "people": lambda app: PeopleScreen(),
        "group": lambda app: GroupScreen(),
        "help": lambda app: HelpScreen(app.screen),
        "action form": lambda app: ActionForm(session_for(app)),
        "person form": lambda app: PersonForm("Someone arrives"),
        "session form": lambda app: ProposalForm("Propose a session"),
        "thumbs": lambda app: ThumbsVote("Volunteer drivers", 4),
        "who took part": lambda app: WhoTookPart("Who took part", [("a", "Asha Patel"), ("b", "Ben Ode")], ["a"]),
        "matter": lambda app: MatterDetail(session_for(app), "Carry forward", ask_owner=True),
        "segment editor": lambda app: SegmentEditor(session_for(app).meeting.segments[0]),
        "format picker": lambda app: FormatPicker(app.formats),
        "who is here": lambda app: WhoIsHere(session_for(app)),
        "captured": lambda app: CapturedItems(session_for(app)),
        "speaking order": lambda app: SpeakingOrder(session_for(app)),
        "confirm": lambda app: ConfirmDialog("Finish the meeting?", "Everything captured is kept.", yes="Finish"),
        "prompt": lambda app: TextPrompt("Seconds each person speaks", "90"),
        "person editor": lambda app: PersonEditor(some_person(app)),
        "save record": lambda app: SaveRecordDialog(archived_meeting(app), path=Path("/tmp/record.md")),
    }


SCREENS = ["home", *_screens()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("styles") / "archive.json"
    write_archive(path, 12, seed=4, end=TODAY)
    return path.read_bytes()


@pytest.fixture
def make(tmp_path, generated) -> Callable[[], FacilitateApp]:
    """A new app on a copy of the same archive, each time."""
    made = []

    def build() -> FacilitateApp:
        made.append(1)
        path = tmp_path / f"app-{len(made)}" / "archive.json"
        path.parent.mkdir()
        path.write_bytes(generated)
        clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
        config = Config(db_path=path, clock=clock, rng=random.Random(3), bell=False, animate=False)
        return make_app(config)

    return build


async def settle(pilot) -> None:
    """Until the archive is read, every worker is done and every table is filled."""
    app = pilot.app
    for _ in range(3000):
        await pilot.pause()
        screen = app.screen
        waiting = (
            app.archive_state == "loading"
            or (isinstance(screen, ReviewScreen) and not screen.review_ready)
            or any(table.filling for table in screen.query(ChunkedTable))
            or not all(worker.is_finished for worker in app.workers)
        )
        if not waiting:
            return
    raise AssertionError(f"{app.screen} never settled")


def looks(screen: Screen) -> dict[str, tuple]:
    """Every widget on the screen (by its place in the tree): its region and its styles."""
    found: dict[str, tuple] = {}

    def visit(widget: Widget, path: str) -> None:
        found[path] = (tuple(widget.region), widget.styles.css)
        for index, child in enumerate(widget.children):
            if type(child).__name__ in ("ToastRack", "Tooltip"):
                continue  # notices come and go; they are the app's, not the screen's
            # Markdown's heading ids end in a number that differs from one app to the next.
            name = re.sub(r"-\d+$", "", child.id or "")
            visit(child, f"{path} > {type(child).__name__}[{index}]#{name}")

    visit(screen, type(screen).__name__)
    return found


async def steady_looks(pilot) -> dict[str, tuple]:
    """How the screen looks once it has stopped changing (the footer, say, lays out its keys late)."""
    seen = looks(pilot.app.screen)
    for _ in range(200):
        await pilot.pause(0.01)
        again = looks(pilot.app.screen)
        if again == seen:
            return seen
        seen = again
    raise AssertionError(f"{pilot.app.screen} never stopped changing")


async def open_and_look(pilot, name: str) -> dict[str, tuple]:
    """Open the screen (on the home screen, once the archive is read), look at it, close it."""
    app = pilot.app
    if name != "home":
        await app.push_screen(_screens()[name](app))
    await settle(pilot)
    seen = await steady_looks(pilot)
    if name != "home":
        await app.pop_screen()
        # The meeting ends with its screens: the home screen would otherwise offer to resume it.
        app.session = None
    return seen


def differences(alone: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    said = []
    for path in sorted(set(alone) | set(after)):
        if alone.get(path) == after.get(path):
            continue
        if path not in alone or path not in after:
            said.append(f"{path}: {'only after the others' if path not in alone else 'only alone'}")
            continue
        (region_a, css_a), (region_b, css_b) = alone[path], after[path]
        lines_a, lines_b = set(css_a.splitlines()), set(css_b.splitlines())
        said.append(
            f"{path}: region {region_a} -> {region_b}; "
            f"lost {sorted(lines_a - lines_b)}, gained {sorted(lines_b - lines_a)}"
        )
    return said


async def test_every_screen_looks_the_same_after_all_the_others_have_opened(make):
    alone: dict[str, dict[str, tuple]] = {}
    for name in SCREENS:
        app = make()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)  # the archive first: some screens show a meeting from it
            alone[name] = await open_and_look(pilot, name)

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name in SCREENS:
            await open_and_look(pilot, name)
        changed = {}
        for name in SCREENS:
            after = await open_and_look(pilot, name)
            assert len(after) > 3, f"the {name} screen showed almost nothing"
            if found := differences(alone[name], after):
                changed[name] = found
    assert changed == {}, "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in changed.items())


def _ours(attribute: str) -> list[type[DOMNode]]:
    """Every screen and widget class in screens/ that declares `attribute` itself."""
    import importlib
    import pkgutil

    import screens

    for info in pkgutil.iter_modules(screens.__path__, prefix="screens."):
        importlib.import_module(info.name)
    found, todo = set(), [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("screens.") and cls.__dict__.get(attribute):
            found.add(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def unscoped(css: str, read_from: tuple[str, str], type_name: str) -> list[str]:
    """The selectors in `css` that do not start with `type_name`."""
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.add_source(css, read_from=read_from)
    stylesheet.parse()
    return [
        selectors.css
        for rule_set in stylesheet.rules
        for selectors in rule_set.selector_set
        if selectors.selectors[0].name != type_name
    ]


def test_the_walks_find_the_styled_classes():
    assert {"HomeScreen", "PlanScreen", "RunScreen", "HistoryScreen", "ActionsScreen"} <= {
        cls.__name__ for cls in _ours("CSS_PATH")
    }
    assert {"ActionForm", "HelpScreen", "ReviewScreen", "Board", "TooSmall"} <= {
        cls.__name__ for cls in _ours("DEFAULT_CSS")
    }


@pytest.mark.parametrize("screen", _ours("CSS_PATH"), ids=lambda cls: cls.__name__)
def test_every_rule_in_a_screens_tcss_starts_with_the_screens_type(screen):
    path = Path(__import__(screen.__module__, fromlist=["_"]).__file__).parent / screen.CSS_PATH
    assert unscoped(path.read_text(encoding="utf-8"), (str(path), ""), screen.__name__) == []


@pytest.mark.parametrize("node", _ours("DEFAULT_CSS"), ids=lambda cls: cls.__name__)
def test_every_rule_in_default_css_starts_with_its_type(node):
    """Textual scopes DEFAULT_CSS to its class by itself; saying so keeps the rules readable
    where they are, and keeps them scoped should the class ever set SCOPED_CSS = False."""
    assert node.__dict__.get("SCOPED_CSS", True)
    assert unscoped(node.DEFAULT_CSS, (node.__module__, f"{node.__name__}.DEFAULT_CSS"), node.__name__) == []
